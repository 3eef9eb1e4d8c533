// SPDX-License-Identifier: MIT
using System.Net;

using MailSuite.Net;

namespace MailSuite.Check;

/// <summary>What the checks check against: the install, where its services listen, the test account.</summary>
internal sealed record Settings(string Prefix, IPAddress Address, IReadOnlyDictionary<string, int> Ports, string User, string PasswordFile)
{
    public const string DefaultPorts = "smtp=25,smtps=465,submission=587,pop3=110,pop3s=995";
    private static readonly string[] Services = ["smtp", "smtps", "submission", "pop3", "pop3s"];

    public static Settings? From(string prefix, string address, string ports, string user, string passwordFile)
    {
        var map = new Dictionary<string, int>();
        foreach (string pair in ports.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], out int port)) return null;
            map[kv[0]] = port;
        }
        if (!Services.All(map.ContainsKey) || !IPAddress.TryParse(address, out IPAddress? ip)) return null;
        return new Settings(prefix, ip, map, user, passwordFile);
    }

    /// <summary>
    /// Plain POP3 and the metrics (an optional "metrics=PORT") listen on 127.0.0.1 whatever the
    /// other services do (rc's POP3_ADDRESS and METRICS_ADDRESS).
    /// </summary>
    public IPEndPoint Endpoint(string service) => new(service is "pop3" or "metrics" ? IPAddress.Loopback : Address, Ports[service]);
}
