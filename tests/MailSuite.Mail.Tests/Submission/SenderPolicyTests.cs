// SPDX-License-Identifier: MIT
namespace MailSuite.Mail.Tests.Submission;

public class SenderPolicyTests
{
    private static readonly SenderPolicy Policy = new(
        ["example.com", "mail.example.com"],
        ["shop.example:alice", "other.example:bob-shop"],
        ["alice:ceo@bank.example, @sales.example", "lists:*", "garbage line"]);

    [Theory]
    [InlineData("alice", "alice@example.com", true)]
    [InlineData("alice", "ALICE@Mail.Example.Com", true)]
    [InlineData("alice", "alice-news@example.com", true)]        // qmail's extension addresses
    [InlineData("alice", "alice", true)]                         // no domain: a local name
    [InlineData("alice", "", true)]                              // the null sender
    [InlineData("alice", "anyone@shop.example", true)]           // a virtual domain given to alice
    [InlineData("alice", "ceo@bank.example", true)]              // control/sendas grants
    [InlineData("alice", "x@sales.example", true)]
    [InlineData("alice", "cfo@bank.example", false)]
    [InlineData("alice", "alicex@example.com", false)]           // another user's name, not an extension
    [InlineData("alice", "bob@example.com", false)]
    [InlineData("alice", "alice@elsewhere.example", false)]
    [InlineData("alice", "x@other.example", false)]              // bob's virtual domain
    [InlineData("bob", "x@other.example", true)]                 // given to bob-shop: one of bob's extensions
    [InlineData("lists", "whatever@anywhere.example", true)]
    [InlineData("alice@example.com", "alice@example.com", true)] // a login name that is an address
    public void A_user_may_send_as_their_own_addresses_and_what_sendas_grants(string user, string sender, bool allowed) =>
        Assert.Equal(allowed, Policy.MayUse(user, sender));
}
