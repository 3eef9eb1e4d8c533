// SPDX-License-Identifier: MIT
namespace MailSuite.Common.Tests.Posix;

// What people read in logs and replies: words, never the runtime's resource keys.
public class ErrorTextTests
{
    [Fact]
    public void A_missing_file_and_a_permission_problem_are_named_in_words()
    {
        Assert.Equal("file does not exist", ErrorText.Of(Assert.ThrowsAny<IOException>(() => File.ReadAllBytes("/nonexistent/x"))));
        Assert.Equal("permission denied", ErrorText.Of(new UnauthorizedAccessException("UnauthorizedAccess_IODenied_Path, /x")));
    }

    [Fact]
    public void An_errno_becomes_strerrors_text()
    {
        Assert.Equal("no space left on device", ErrorText.Of(new IOException("IO_DiskFull_Path, /x", 28)));
    }

    [Theory]
    [InlineData("net_frame_read_size")]
    [InlineData("IO_FileNotFound_FileName, /x")]
    public void A_resource_key_is_never_shown(string key)
    {
        string text = ErrorText.Of(new InvalidOperationException(key));
        Assert.DoesNotContain("_", text);
        Assert.Equal("unexpected InvalidOperationException", text);
    }

    [Fact]
    public void Our_own_messages_pass_unchanged()
    {
        Assert.Equal("connection died", ErrorText.Of(new IOException("connection died")));
        Assert.Equal("no such user", ErrorText.Of(new FailureException(Failure.Permanent("5.1.1", "no such user"))));
    }
}
