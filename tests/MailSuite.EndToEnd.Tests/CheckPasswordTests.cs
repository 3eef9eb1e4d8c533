// SPDX-License-Identifier: MIT
namespace MailSuite.EndToEnd.Tests;

// checkpassword against real /etc/shadow entries written by chpasswd, fed on fd 3 as qmail-popup does.
public sealed class CheckPasswordTests
{
    private readonly TestUser bob = new("mstestbob");
    private static string Bin => Path.Combine(Harness.Build, "checkpassword");

    // Runs "checkpassword prog" with the login on fd 3 (from a shell's here-string through printf).
    private static Ran Check(string name, string password, string prog = "id -un; pwd; echo \"$USER $HOME $SHELL\"", string asUser = "root")
    {
        string script = $"printf '%s\\0%s\\0<1.2@test>\\0' \"$1\" \"$2\" | \"$3\" sh -c \"$4\" 3<&0 </dev/null";
        return asUser == "root"
            ? Harness.Run("sh", ["-c", script, "sh", name, password, Bin, prog])
            : Harness.Run("setpriv", ["--reuid", asUser, "--regid", "65534", "--init-groups", "sh", "-c", script, "sh", name, password, Bin, prog]);
    }

    [Theory]
    [InlineData("YESCRYPT")]
    [InlineData("SHA512")]
    [InlineData("SHA256")]
    [InlineData("MD5")]
    public void Each_hash_method_logs_in_and_becomes_the_user_in_home(string method)
    {
        bob.SetPassword("pw-" + method, method);
        Ran r = Check(bob.Name, "pw-" + method);
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal($"{bob.Name}\n{bob.Home}\n{bob.Name} {bob.Home} /bin/sh\n", r.Stdout);
        Assert.Equal(1, Check(bob.Name, "pw-" + method + "x").Exit);
    }

    [Fact]
    public void Wrong_unknown_locked_and_empty_are_all_exit_1()
    {
        bob.SetPassword("right");
        Assert.Equal(1, Check("mstest-nobody-here", "right").Exit);
        Assert.Equal(1, Check(bob.Name, "").Exit);
        Harness.Ok("usermod", "-L", bob.Name);
        Ran locked = Check(bob.Name, "right");
        Harness.Ok("usermod", "-U", bob.Name);
        Assert.Equal(1, locked.Exit);
        Assert.Equal("", locked.Stdout);
        Assert.Contains("login failed for mstestbob from local: account locked, expired or without a password", locked.Stderr);
    }

    [Fact]
    public void Root_never_logs_in()
    {
        Ran r = Check("root", "whatever");
        Assert.Equal(1, r.Exit);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Misuse_is_exit_2()
    {
        Assert.Equal(2, Harness.Run(Bin, []).Exit);
        Assert.Equal(2, Harness.Run("sh", ["-c", "\"$0\" true 3</dev/null", Bin]).Exit);                          // no NULs
        Assert.Equal(2, Harness.Run("sh", ["-c", "head -c 600 /dev/zero | \"$0\" true 3<&0", Bin]).Exit);    // too long
    }

    [Fact]
    public void Without_root_or_the_shadow_group_the_answer_is_temporary_not_wrong()
    {
        bob.SetPassword("right");
        Ran r = Check(bob.Name, "right", asUser: "65534");
        Assert.Equal(111, r.Exit);
        Assert.Contains("unable to check passwords: uid 65534 may not read the password database, and qmail-authd is not running", r.Stderr);
    }
}
