// SPDX-License-Identifier: MIT
using System.Text;
using MailSuite.Inject;
using MimeKit;

namespace MailSuite.Programs.Tests.Inject;

// qmail-inject's header rewriting on headers scripts/fuzz found: an address that qualifies into
// something MimeKit will not write made qmail-inject refuse the whole message (exit 111).
public class HeaderRewriterTests
{
    private static readonly Identity Who = new("joe", "host.example", "Joe", "joe", "host.example", "host.example", "example", "plus.example", "id.example");

    private static RewrittenHeader Rewrite(string header) =>
        HeaderRewriter.Rewrite(HeaderList.Load(new MemoryStream(Encoding.Latin1.GetBytes(header + "\n"))), Who);

    [Fact]
    public void A_plus_domain_after_a_dot_gets_no_second_dot()
    {
        RewrittenHeader r = Rewrite("To: bob@sales.+, ann@x+");
        Assert.Contains("bob@sales.plus.example", r.Recipients);
        Assert.Contains("ann@x.plus.example", r.Recipients);
    }

    [Fact]
    public void An_address_mimekit_cannot_write_stays_as_written_and_the_message_goes_on()
    {
        RewrittenHeader r = Rewrite("From: Joe <]joe>\nTo: ann, \"x y\" <z@w\u0083>, bob@sales.+");   // scripts/fuzz's input 86180, shortened
        Assert.Contains("bob@sales.plus.example", r.Recipients);   // the rest of the header is still rewritten
        Assert.Contains(r.Headers, h => h.Id == HeaderId.To);
    }
}
