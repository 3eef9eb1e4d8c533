// SPDX-License-Identifier: MIT
using System.Text;

namespace MailSuite.Mail;

/// <summary>One delivery qmail-send asked for: its slot, the message (S/n), the sender, the recipient.</summary>
public sealed record SpawnCommand(byte Slot, string Mess, string Sender, string Recipient);

/// <summary>A spawner's answer for a slot: K, Z or D, and the text.</summary>
public sealed record SpawnAnswer(byte Slot, char Status, string Text);

/// <summary>
/// qmail's spawn protocol (spawn.c), both halves written once. qmail-send writes commands (slot
/// byte, "S/n" NUL, sender NUL, recipient NUL) that a spawner reads; a spawner writes reports
/// (slot byte, status byte, text, NUL) that qmail-send reads. Before the first report the spawner
/// writes one byte: how many deliveries it runs at once.
/// </summary>
public static class SpawnProtocol
{
    /// <summary>A command, as qmail-send writes it; a NUL inside a field is refused (EnvelopeRecords).</summary>
    public static byte[] Command(byte slot, string mess, string sender, string recipient)
    {
        var b = new StringBuilder();
        b.Append((char)slot);
        EnvelopeRecords.AppendField(EnvelopeRecords.AppendField(EnvelopeRecords.AppendField(b, mess), sender), recipient);
        return Encoding.Latin1.GetBytes(b.ToString());
    }

    /// <summary>Every complete command in buffer[0..length]; a partial one is moved to the front for the next read.</summary>
    public static List<SpawnCommand> ReadCommands(byte[] buffer, ref int length)
    {
        var parsed = new List<SpawnCommand>();
        int start = 0;
        while (true)
        {
            int pos = start + 1;
            string?[] fields = new string?[3];
            for (int f = 0; f < 3 && pos <= length; f++)
            {
                int nul = Array.IndexOf(buffer, (byte)0, pos, length - pos);
                if (nul < 0) { pos = -1; break; }
                fields[f] = Encoding.Latin1.GetString(buffer, pos, nul - pos);
                pos = nul + 1;
            }
            if (start >= length || pos < 0 || fields[2] is null) break;
            parsed.Add(new SpawnCommand(buffer[start], fields[0]!, fields[1]!, fields[2]!));
            start = pos;
        }
        Array.Copy(buffer, start, buffer, 0, length - start);
        length -= start;
        return parsed;
    }

    /// <summary>A report, as a spawner writes it: "K..." / "Z..." / "D..." for the slot; a NUL in the text becomes '_'.</summary>
    public static byte[] Report(byte slot, string statusAndText) =>
        [slot, .. Encoding.Latin1.GetBytes(statusAndText.Replace('\0', '_')), 0];

    /// <summary>The next report, as qmail-send reads it; null at end of input (the spawner is gone).</summary>
    public static SpawnAnswer? ReadReport(Stream input)
    {
        int slot = input.ReadByte();
        int status = input.ReadByte();
        if (slot < 0 || status < 0) return null;
        var text = new List<byte>();
        int c;
        while ((c = input.ReadByte()) > 0) text.Add((byte)c);
        return c < 0 ? null : new SpawnAnswer((byte)slot, (char)status, Encoding.Latin1.GetString([.. text]));
    }
}
