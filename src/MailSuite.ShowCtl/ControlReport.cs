// SPDX-License-Identifier: MIT
using MailSuite.Common;
using MailSuite.Mail;

namespace MailSuite.ShowCtl;

/// <summary>Prints one control file's entry as qmail-showctl does.</summary>
internal sealed class ControlReport(ControlDir control, TextWriter o)
{
    public void Show(ControlItem item)
    {
        o.Write($"\n{item.Name}: ");
        try
        {
            switch (item.Shape)
            {
                case ControlShape.List: ShowList(item); break;
                case ControlShape.Number: ShowNumber(item); break;
                case ControlShape.Credentials: ShowCredentials(item); break;
                case ControlShape.Certificate: ShowCertificate(item); break;
                case ControlShape.Anchors: ShowAnchors(item); break;
                case ControlShape.Rules: ShowRules(item); break;
                case ControlShape.DomainKeys: ShowDomainKeys(item); break;
                default: ShowLine(item); break;
            }
        }
        catch (FailureException)
        {
            o.WriteLine("Oops! Trouble reading this file.");
        }
    }

    public void ShowMoreRcptHostsCdb()
    {
        o.Write("\nmorercpthosts.cdb: ");
        FileStatus? text = FileStatus.Of(Path.Combine(control.Path, "morercpthosts"));
        FileStatus? cdb = FileStatus.Of(Path.Combine(control.Path, "morercpthosts.cdb"));
        if (text is null)
        {
            o.WriteLine(cdb is null ? "(Default.) No effect." : "Oops! morercpthosts.cdb exists but morercpthosts doesn't.");
            return;
        }
        bool fresh = cdb is not null
            && File.GetLastWriteTimeUtc(Path.Combine(control.Path, "morercpthosts.cdb")) >= File.GetLastWriteTimeUtc(Path.Combine(control.Path, "morercpthosts"));
        o.WriteLine(fresh ? "Modified recently enough; hopefully up to date." : "Oops! morercpthosts.cdb is older than morercpthosts.");
    }

    private void ShowList(ControlItem item)
    {
        List<string>? lines = control.List(item.Name);
        if (lines is null)
        {
            o.WriteLine($"(Default.) {item.Default}");
            return;
        }
        o.WriteLine();
        foreach (string line in lines) o.WriteLine($"{item.Before}{line}{item.After}");
    }

    // relay:user:password lines: the relay and the user, never the password.
    private void ShowCredentials(ControlItem item)
    {
        List<string>? lines = control.List(item.Name);
        if (lines is null)
        {
            o.WriteLine($"(Default.) {item.Default}");
            return;
        }
        o.WriteLine();
        foreach (string line in lines)
        {
            int last = line.LastIndexOf(':'), user = last > 0 ? line.LastIndexOf(':', last - 1) : -1;
            o.WriteLine(user > 0 ? $"{item.Before}{line[..user]} as {line[(user + 1)..last]} (password not shown)." : "Oops! A line is not relay:user:password.");
        }
    }

    // One line a domain: its active selector and whether the key is there; never the key.
    private void ShowDomainKeys(ControlItem item)
    {
        var files = new DomainKeyFiles(control.Path);
        string[] domains = Directory.Exists(files.Root) ? Directory.GetDirectories(files.Root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray() : [];
        if (domains.Length == 0)
        {
            o.WriteLine($"(Default.) {item.Default}");
            return;
        }
        o.WriteLine();
        foreach (string domain in domains)
        {
            string? selector = File.Exists(files.SelectorFile(domain)) ? File.ReadAllLines(files.SelectorFile(domain)).FirstOrDefault()?.Trim() : null;
            if (string.IsNullOrEmpty(selector) || !DomainKeyFiles.IsSafeName(selector))
                o.WriteLine($"{item.Before}{domain}: no active selector, nothing signed.");
            else
                o.WriteLine(File.Exists(files.KeyFile(domain, selector))
                    ? $"{item.Before}{domain} is signed with selector {selector}."
                    : $"Oops! {domain}'s selector {selector} has no key file: its mail waits.");
        }
    }

    private void ShowCertificate(ControlItem item)
    {
        string path = Path.Combine(control.Path, item.Name);
        if (!File.Exists(path))
        {
            o.WriteLine($"(Default.) {item.Default}");
            return;
        }
        try
        {
            using var cert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(path));
            string expiry = cert.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            o.WriteLine($"Certificate for {cert.Subject}, issued by {cert.Issuer}, valid until {expiry}" +
                        (cert.NotAfter < DateTime.Now ? " (EXPIRED)." : "."));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            o.WriteLine($"Oops! Unable to read it as a certificate: {ErrorText.Of(e)}.");
        }
    }

    private void ShowAnchors(ControlItem item)
    {
        string path = Path.Combine(control.Path, item.Name);
        if (!File.Exists(path))
        {
            o.WriteLine($"(Default.) {item.Default}");
            return;
        }
        var anchors = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        try
        {
            anchors.ImportFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            o.WriteLine($"Oops! Unable to read it as PEM certificates: {ErrorText.Of(e)}: remote deliveries wait.");
            return;
        }
        if (anchors.Count == 0) o.WriteLine("Oops! It holds no PEM certificate: remote deliveries wait.");
        else o.WriteLine();
        foreach (var cert in anchors) o.WriteLine($"{item.Before}{cert.Subject}.");
    }

    // X.tcp is the source, X.cdb what tcpserver reads: say whether the cdb was made after it.
    private void ShowRules(ControlItem item)
    {
        string source = Path.Combine(control.Path, item.Name), cdb = Path.ChangeExtension(source, ".cdb");
        List<string>? lines = control.List(item.Name);
        if (lines is null)
        {
            o.WriteLine($"(Default.) {item.Default}" + (File.Exists(cdb) ? $" {Path.GetFileName(cdb)} exists without it." : ""));
            return;
        }
        bool fresh = File.Exists(cdb) && File.GetLastWriteTimeUtc(cdb) >= File.GetLastWriteTimeUtc(source);
        o.WriteLine($"{item.Before}{lines.Count} rules; " +
                    (fresh ? $"{Path.GetFileName(cdb)} is up to date." : $"Oops! {Path.GetFileName(cdb)} is missing or older: run tcprules."));
    }

    private void ShowNumber(ControlItem item)
    {
        string? line = control.Line(item.Name);
        long? value = line is null ? null : ControlFile.Number(line);
        o.WriteLine(value is null ? $"(Default.) {item.Before}{item.Default}{item.After}" : $"{item.Before}{value}{item.After}");
    }

    private void ShowLine(ControlItem item)
    {
        string? line = control.Line(item.Name);
        if (line is not null)
        {
            o.WriteLine($"{item.Before}{line}{item.After}");
            return;
        }
        string fallback = item.Shape == ControlShape.LineOrMe ? FallbackForMe(item) : item.Default;
        o.WriteLine($"(Default.) {item.Before}{fallback}{item.After}");
    }

    // control/me itself falls back to the host name; every other "default: me" file to control/me.
    private string FallbackForMe(ControlItem item) => item.Name == "me" ? Environment.MachineName : control.Me;
}
