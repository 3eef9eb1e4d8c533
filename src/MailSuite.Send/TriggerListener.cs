// SPDX-License-Identifier: MIT
using System.Collections.Concurrent;
using MailSuite.Common;

namespace MailSuite.Send;

/// <summary>
/// Listens on lock/trigger. The FIFO is opened read-write, so it always has a writer (us): reads
/// block until qmail-queue writes its byte, and never spin on end-of-file.
/// </summary>
internal static class TriggerListener
{
    public static void Start(string path, BlockingCollection<object> events)
    {
        int fd = Fifo.OpenListener(path);
        var thread = new Thread(() =>
        {
            using var fifo = new FdStream(fd, ownsFd: true);
            byte[] buffer = new byte[256];
            while (fifo.Read(buffer) > 0) events.Add(new Trigger());
        }) { IsBackground = true, Name = "trigger" };
        thread.Start();
    }
}
