// SPDX-License-Identifier: MIT
using System.Text;

using MailSuite.Auth;

namespace MailSuite.Common.Tests;

// checkpassword's login format, and the client field checkpassword adds for qmail-authd.
public class LoginTests
{
    private static Login? Read(string bytes, int limit = Login.Max) => Login.ReadFrom(new MemoryStream(Encoding.Latin1.GetBytes(bytes)), limit);

    [Fact]
    public void A_login_round_trips_with_and_without_the_client()
    {
        Assert.Equal(new Login("ann", "secret"), Read("ann\0secret\0<1.2@host>\0"));
        Assert.Equal(new Login("ann", "secret", "192.0.2.1"), Read(Encoding.Latin1.GetString(new Login("ann", "secret", "192.0.2.1").ToBytes())));
    }

    [Theory]
    [InlineData("ann")]
    [InlineData("ann\0secret")]
    public void A_login_without_its_nuls_is_refused(string bytes) => Assert.Null(Read(bytes));

    [Fact]
    public void The_length_limit_holds()
    {
        Assert.Null(Read($"ann\0{new string('x', 600)}\0\0"));
        Assert.NotNull(Read($"ann\0{new string('x', 500)}\0\0"));
    }
}
