"""The DNS of a test's network namespace: a dnsmasq on 127.0.0.1:53 answering from its command
line only, for the given zones (anything else is REFUSED: a lookup that fails)."""
import subprocess, sys, time


def start(records, zones=("test",)):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    dns = subprocess.Popen(["dnsmasq", "-k", "--conf-file=/dev/null", "--listen-address=127.0.0.1",
                            "--bind-interfaces", "--port=53", "--no-resolv", "--no-hosts", "-u", "root",
                            "--pid-file="] + ["--local=/%s/" % z for z in zones] + list(records),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if subprocess.run(["ss", "-Hlun", "src 127.0.0.1:53"], capture_output=True, text=True).stdout.strip():
            return dns
        time.sleep(0.05)
    dns.kill()
    sys.exit("dnsmasq did not start")
