// SPDX-License-Identifier: MIT
using System.Net.Sockets;
using System.Text;
using MailSuite.Common;

namespace MailSuite.Common.Tests.Posix;

// The client side by libc calls, against a listener made with System.Net.Sockets (what the
// resident services use), so each side checks the other.
public sealed class UnixClientTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("unixclient").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void No_socket_file_is_nobody_listening()
    {
        Assert.Null(UnixClient.Connect(Path.Combine(dir, "absent")));
    }

    [Fact]
    public void Socket_file_whose_listener_is_gone_is_nobody_listening()
    {
        // What a crashed service leaves: its socket file, with nobody behind it (.NET would remove
        // the file when its listener is disposed; python leaves it, as a killed process does).
        string path = Path.Combine(dir, "gone");
        using (var python = System.Diagnostics.Process.Start("/usr/bin/python3", ["-c", "import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)", path]))
            python.WaitForExit();
        Assert.True(File.Exists(path));
        Assert.Null(UnixClient.Connect(path));
    }

    [Fact]
    public async Task Question_end_of_file_and_answer_cross_the_connection()
    {
        string path = Path.Combine(dir, "echo");
        using Socket listener = Listen(path);
        var server = Task.Run(() =>
        {
            using Socket peer = listener.Accept();
            var heard = new MemoryStream();
            byte[] buffer = new byte[4096];
            for (int n; (n = peer.Receive(buffer)) > 0;) heard.Write(buffer, 0, n);   // to end of file: EndSending must send it
            peer.Send(Encoding.ASCII.GetBytes($"heard {heard.Length} bytes"));
            return heard.ToArray();
        });
        byte[] question = new byte[200_000];
        new Random(7).NextBytes(question);
        using FdStream connection = UnixClient.Connect(path) ?? throw new InvalidOperationException("no connection");
        connection.IdleTimeout = 30_000;
        connection.Write(question);
        UnixClient.EndSending(connection);
        var answer = new MemoryStream();
        connection.CopyTo(answer);
        Assert.Equal(question, await server);
        Assert.Equal("heard 200000 bytes", Encoding.ASCII.GetString(answer.ToArray()));
    }

    [Theory]
    [InlineData(200, false)]
    [InlineData(10, true)]
    public void Path_a_socket_cannot_have_is_an_error_that_names_it(int length, bool withNul)
    {
        string path = Path.Combine(dir, new string('s', length) + (withNul ? "\0x" : ""));
        var e = Assert.Throws<FailureException>(() => UnixClient.Connect(path));
        Assert.False(e.Failure.IsPermanent);
        Assert.Contains("not usable as a Unix socket path", e.Failure.Text);
    }

    [Fact]
    public void Disposed_stream_refuses_to_write_so_a_file_that_reuses_its_number_stays_untouched()
    {
        string path = Path.Combine(dir, "echo2");
        using Socket listener = Listen(path);
        FdStream connection = UnixClient.Connect(path) ?? throw new InvalidOperationException("no connection");
        connection.Dispose();
        string victim = Path.Combine(dir, "victim");
        using var file = new FileStream(victim, FileMode.CreateNew);   // usually gets the number just freed (other tests run in parallel)
        Assert.Throws<ObjectDisposedException>(() => connection.Write("late bytes"u8));
        Assert.Equal(0, new FileInfo(victim).Length);
    }

    private static Socket Listen(string path)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(4);
        return listener;
    }
}
