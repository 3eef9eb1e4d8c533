"""Shared parts of the benchmarks: accounts, Postfix from Debian, our service, memory."""
import os, pwd, shutil, subprocess, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PREFIX = "/tmp/mailsuite-bench"


def sh(*args, **kw):
    return subprocess.run(list(args), check=True, **kw)


def ensure_user(name):
    try:
        pwd.getpwnam(name)
    except KeyError:
        sh("useradd", "-m", "-s", "/bin/sh", name)
    home = pwd.getpwnam(name).pw_dir
    shutil.rmtree(os.path.join(home, "Maildir"), ignore_errors=True)
    return home


def ensure_postfix(smtpd_port=None):
    """Postfix from Debian for local delivery; with smtpd_port, its smtpd listens on 127.0.0.1 there."""
    if not shutil.which("postfix") and not os.path.exists("/usr/sbin/postfix"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        sh("sh", "-c", "echo 'postfix postfix/main_mailer_type select Local only' | debconf-set-selections")
        sh("apt-get", "install", "-y", "-qq", "postfix", env=env, stdout=subprocess.DEVNULL)
    # scripts/deps installs Postfix with "No configuration" (the tests want only its smtp-sink):
    # start from Debian's own main.cf then.
    if not os.path.exists("/etc/postfix/main.cf"):
        shutil.copy("/usr/share/postfix/main.cf.debian", "/etc/postfix/main.cf")
    for setting in ["inet_interfaces=loopback-only", "mydestination=bench.test, localhost",
                    "home_mailbox=Maildir/", "myhostname=bench.test", "default_process_limit=100",
                    "smtpd_client_connection_rate_limit=0", "smtpd_peername_lookup=no",
                    "alias_maps=hash:/etc/aliases", "alias_database=hash:/etc/aliases"]:
        sh("postconf", "-e", setting)
    # Without the aliases database (or with Postfix's built-in nis: map) every local recipient
    # is "451 Temporary lookup failure".
    sh("newaliases")
    # Only the listener the benchmark asks for: none for local delivery, one smtpd for SMTP.
    subprocess.run(["postconf", "-MX", "smtp/inet"], stderr=subprocess.DEVNULL)
    for line in subprocess.run(["postconf", "-M"], capture_output=True, text=True).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        if name.startswith("127.0.0.1:"):
            subprocess.run(["postconf", "-MX", f"{name}/inet"], stderr=subprocess.DEVNULL)
    if smtpd_port:
        sh("postconf", "-M", f"127.0.0.1:{smtpd_port}/inet=127.0.0.1:{smtpd_port} inet n - n - - smtpd")
    subprocess.run(["postfix", "stop"], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    sh("postfix", "start", stderr=subprocess.DEVNULL)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Ours:
    """qmail-start (qmail-send and its spawners) and qmail-queued, as rc/mailsuite starts them."""

    def __init__(self, queued):
        log = open("/tmp/mailsuite-bench.log", "w")
        self.procs = [subprocess.Popen(["env", "-", f"PATH={PREFIX}/bin:/usr/bin:/bin", f"{PREFIX}/bin/qmail-start", "./Maildir/"],
                                       stdout=log, stderr=log, cwd="/")]
        if queued:
            self.procs.append(subprocess.Popen([f"{PREFIX}/bin/qmail-queued"], stdout=log, stderr=log, cwd="/"))
            for _ in range(100):
                if os.path.exists(f"{PREFIX}/queued/socket"):
                    break
                time.sleep(0.05)

    def terminate(self):
        for p in self.procs:
            p.terminate()

    def wait(self):
        for p in self.procs:
            p.wait()


def start_ours(queued=True):
    """Our service in a fresh install; queued=False leaves qmail-queued out (every message then starts qmail-queue)."""
    # A fresh tree each time: messages an earlier benchmark left in the queue would land in this one's Maildir.
    shutil.rmtree(PREFIX, ignore_errors=True)
    sh(os.path.join(ROOT, "scripts", "install"), "--prefix", PREFIX, "--no-build", "--fqdn", "bench.test",
       stdout=subprocess.DEVNULL)
    return Ours(queued)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def pids(exe_or_name):
    found = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            exe = os.readlink(f"/proc/{p}/exe")
            comm = open(f"/proc/{p}/comm").read().strip()
        except OSError:
            continue
        if exe == exe_or_name or comm == exe_or_name:
            found.append(int(p))
    return found


def cpu_jiffies():
    """The whole machine's busy time so far (user nice system irq softirq steal), in clock ticks."""
    with open("/proc/stat") as f:
        fields = f.readline().split()[1:]
    return sum(int(x) for x in fields[:3]) + sum(int(x) for x in fields[5:8])


# Our long-lived processes; each one's children (waited for) are the per-message programs it starts.
OURS = ("tcpserver", "qmail-queued", "qmail-send", "qmail-lspawn", "qmail-clean")
CHILDREN = {"tcpserver": "qmail-smtpd", "qmail-lspawn": "qmail-local"}


def process_cpu(names=OURS):
    """{name: (own clock ticks, ticks of its waited-for children)} from /proc/PID/stat, summed by name."""
    found = {}
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if name in names:
            own, kids = found.get(name, (0, 0))
            found[name] = (own + int(fields[11]) + int(fields[12]), kids + int(fields[13]) + int(fields[14]))
    return found


def cpu_breakdown(before, after, n):
    """"name ms" per message for each process and the programs it started, largest first."""
    parts = []
    for name in after:
        own = after[name][0] - before.get(name, (0, 0))[0]
        kids = after[name][1] - before.get(name, (0, 0))[1]
        parts.append((name, own))
        if name in CHILDREN:
            parts.append((CHILDREN[name], kids))
    parts.sort(key=lambda p: -p[1])
    return "  ".join(f"{name} {cpu_ms(t) / n:.2f}" for name, t in parts)


def cpu_ms(jiffies):
    return jiffies * 1000 / os.sysconf("SC_CLK_TCK")


class FsyncCounter:
    """Counts fsync(2), fdatasync(2) and syncfs(2) calls machine-wide while it runs (perf's syscall tracepoints)."""

    def __init__(self):
        # No command: perf counts machine-wide until SIGINT.
        self.proc = subprocess.Popen(["perf", "stat", "-x,", "-a", "-e", "syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync,syscalls:sys_enter_syncfs"],
                                     stderr=subprocess.PIPE, text=True)
        time.sleep(0.3)

    def stop(self):
        import signal
        self.proc.send_signal(signal.SIGINT)
        out = self.proc.communicate()[1]
        return sum(int(line.split(",")[0]) for line in out.splitlines() if line.split(",")[0].isdigit())


def ensure_perf():
    if not shutil.which("perf"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        sh("apt-get", "install", "-y", "-qq", "linux-perf", env=env, stdout=subprocess.DEVNULL)
