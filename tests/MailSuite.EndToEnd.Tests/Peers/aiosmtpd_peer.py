"""A receiving MTA for the remote-delivery tests: aiosmtpd (Debian's python3-aiosmtpd) on a
loopback address, with STARTTLS from a PEM file and, optionally, AUTH for one user. Every message
is written as JSON to the dump directory: envelope, whether TLS, AUTH and SMTPUTF8 were used, the
client's port (one per connection), the bytes. It offers SMTPUTF8 (RFC 6531).

usage: aiosmtpd_peer.py address port dumpdir certpem [user password]
"""
import json, os, ssl, sys, time, uuid
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

address, port, dump, pem = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
user, password = (sys.argv[5], sys.argv[6]) if len(sys.argv) > 6 else (None, None)


class Handler:
    async def handle_DATA(self, server, session, envelope):
        record = {"tls": session.ssl is not None, "port": session.peer[1], "auth": session.authenticated,
                  "from": envelope.mail_from, "rcpts": envelope.rcpt_tos, "smtputf8": "SMTPUTF8" in envelope.mail_options,
                  "data": envelope.original_content.decode("latin-1")}
        with open(os.path.join(dump, uuid.uuid4().hex + ".json"), "w") as f:
            json.dump(record, f)
        return "250 2.0.0 Ok: queued by aiosmtpd"


def authenticate(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
    return AuthResult(success=ok)


ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(pem)
kw = dict(authenticator=authenticate, auth_require_tls=True) if user else {}
controller = Controller(Handler(), hostname=address, port=port, tls_context=ctx, require_starttls=False, enable_SMTPUTF8=True, **kw)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
