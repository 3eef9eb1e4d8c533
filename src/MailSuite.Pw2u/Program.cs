// SPDX-License-Identifier: MIT
// qmail-pw2u [-/ohHuUC] [-cCHAR]: a passwd file on fd 0 becomes a users/assign file on fd 1.
using System.Text;
using MailSuite.Common;

namespace MailSuite.Pw2u;

internal static class Program
{
    private static int Main(string[] args)
    {
        Log.Init("qmail-pw2u");
        if (Options.Parse(args) is not { } options)
        {
            Log.Fatal("usage: qmail-pw2u [-/ohHuUC] [-cCHAR] < passwd > assign");
            return ExitCodes.Permanent;
        }
        try
        {
            UsersFiles files = UsersFiles.Read(Home.Path("users"));
            using var output = new StreamWriter(Fd.OpenWrite(1), Encoding.Latin1, 65536) { NewLine = "\n" };
            var assignments = new Assignments(options, files, output);
            using var input = new StreamReader(Fd.OpenRead(0), Encoding.Latin1);
            while (input.ReadLine() is { } line) assignments.Account(line);
            assignments.Finish();
            return ExitCodes.Success;
        }
        catch (FailureException e)
        {
            Log.Fatal(e.Failure.Text);
            return ExitCodes.Temporary;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Fatal($"unable to read the input or the users files, or to write the output: {ErrorText.Of(e)}");
            return ExitCodes.Temporary;
        }
        catch (Exception e)   // the unexpected: one log line and a temporary failure, never a crash
        {
            return Log.Unexpected(e, ExitCodes.Temporary);
        }
    }
}
