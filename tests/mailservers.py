"""Real mail servers on 127.0.0.1 for the email channel's tests.

- ``Dovecot``: a private dovecot IMAP server (Debian's ``dovecot-imapd``, installed by
  ``bin/setup --dev``) started from a generated configuration in a temporary folder: its own
  free port, base_dir, log file and maildir, one passwd-file user, plaintext login allowed
  (it only listens on 127.0.0.1). The system's dovecot service is neither needed nor
  touched. When dovecot is missing or does not come up, ``start()`` raises: the tests fail
  loudly instead of skipping.
- ``SmtpSink``: an aiosmtpd SMTP server in a thread on a free port that keeps every message
  it receives, for Django's SMTP email backend to talk to.
"""

import email
import email.policy
import grp
import imaplib
import logging
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

USER = "aduan"
PASSWORD = "sandi-uji-imap"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_for_port(port, process, log_path, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited with {process.returncode}:\n{_tail(log_path)}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"dovecot did not listen on {HOST}:{port} within {timeout} s:\n{_tail(log_path)}")


def _tail(path, lines=30):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Dovecot:
    """``with Dovecot() as imap:`` … ``imap.port``, ``imap.append(raw)``, ``imap.uids(mailbox)``."""

    def __init__(self):
        self.port = None
        self.process = None
        self.dir = None

    # -------------------------------------------------------------- life cycle

    def start(self):
        binary = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
        if binary is None:
            raise RuntimeError(
                "dovecot is not installed: the email tests need Debian's dovecot-imapd "
                "(bin/setup --dev installs it; or apt-get install dovecot-imapd)."
            )
        self.dir = Path(tempfile.mkdtemp(prefix="aduan-dovecot-"))
        # dovecot's processes (which may run as another user) must reach the folder.
        self.dir.chmod(0o755)
        self.port = free_port()
        self.log_path = self.dir / "dovecot.log"
        config = self._write_config()
        self.process = subprocess.Popen(
            [binary, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=open(self.dir / "stderr.log", "wb"),  # noqa: SIM115 - kept open for the server's life
        )
        try:
            _wait_for_port(self.port, self.process, self.log_path)
            self._wait_for_login()
        except Exception:
            self.stop()
            raise
        return self

    def _write_config(self) -> Path:
        me = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        # dovecot refuses to run its login and internal processes as root; as root they run
        # as the users Debian's package creates, otherwise as the user running the tests.
        login_user, internal_user, internal_group = (
            ("dovenull", "dovecot", "dovecot") if os.getuid() == 0 else (me, me, group)
        )
        # Mail may not be stored as root either: as root it belongs to the "dovecot" user.
        mail_uid, mail_gid = pwd.getpwnam(internal_user)[2:4] if os.getuid() == 0 else (os.getuid(), os.getgid())
        (self.dir / "run").mkdir()
        (self.dir / "state").mkdir()
        for name in ("mail", "home"):
            (self.dir / name).mkdir()
            os.chown(self.dir / name, mail_uid, mail_gid)
        passwd = self.dir / "users"
        passwd.write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{mail_uid}:{mail_gid}::{self.dir / 'home'}\n")
        config = self.dir / "dovecot.conf"
        # No privileged port and nothing outside the temporary folder.
        config.write_text(
            f"""
base_dir = {self.dir / "run"}
state_dir = {self.dir / "state"}
log_path = {self.log_path}
info_log_path = {self.log_path}
protocols = imap
listen = {HOST}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{self.dir / "mail"}/%u
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = {passwd}
}}
userdb {{
  driver = passwd-file
  args = {passwd}
}}
service imap-login {{
  inet_listener imap {{
    address = {HOST}
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
        )
        return config

    def _wait_for_login(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.connect() as client:
                    typ, data = client.select("INBOX")
                    if typ != "OK":
                        raise imaplib.IMAP4.error(data)
                    return
            except (OSError, imaplib.IMAP4.error):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"cannot log in to the test dovecot:\n{_tail(self.log_path)}") from None
                time.sleep(0.1)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -------------------------------------------------------------- helpers for tests

    def settings(self, **overrides):
        """The IMAP_* settings that point Aduan at this server."""
        return {
            "ADUAN_IMAP_HOST": HOST,
            "ADUAN_IMAP_PORT": self.port,
            "ADUAN_IMAP_USER": USER,
            "ADUAN_IMAP_PASSWORD": PASSWORD,
            "ADUAN_IMAP_SSL": False,
            "ADUAN_IMAP_MAILBOX": "INBOX",
            "ADUAN_IMAP_DONE_MAILBOX": "Aduan/Diproses",
            "ADUAN_IMAP_FAILED_MAILBOX": "Aduan/Perlu-diperiksa",
            **overrides,
        }

    def connect(self):
        client = imaplib.IMAP4(HOST, self.port, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def append(self, raw: bytes, mailbox="INBOX"):
        """Deliver a message as a mail server would: an IMAP APPEND."""
        with self.connect() as client:
            typ, data = client.append(mailbox, None, None, raw)
            assert typ == "OK", data

    def messages(self, mailbox="INBOX"):
        """The raw messages in a mailbox (an empty list when it does not exist)."""
        with self.connect() as client:
            typ, _ = client.select(_quote(mailbox), readonly=True)
            if typ != "OK":
                return []
            typ, data = client.uid("SEARCH", None, "ALL")
            found = []
            for uid in data[0].split():
                typ, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
                found.append(next(part[1] for part in parts if isinstance(part, tuple)))
            return found

    def clear(self):
        """Empty the inbox and remove every other mailbox between tests (the server lives
        for the whole class)."""
        with self.connect() as client:
            typ, listing = client.list()
            names = [line.decode().rsplit(' "/" ', 1)[-1].strip('"') for line in listing or [] if line]
            for name in sorted(names, key=lambda n: -n.count("/")):  # children before parents
                if name.upper() != "INBOX":
                    client.delete(_quote(name))
            typ, data = client.select("INBOX")
            if int(data[0]):
                client.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                client.expunge()


def _quote(mailbox):
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Collect:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.sink.lock:
            self.sink.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


class SmtpSink:
    """``with SmtpSink() as smtp:`` … ``smtp.port``, ``smtp.messages`` [(recipients, EmailMessage)]."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.port = None
        self.controller = None

    def __enter__(self):
        self.port = free_port()
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
        self.start()
        return self

    def __exit__(self, *exc):
        if self.controller is not None:
            self.stop()

    def stop(self):
        """The server goes away (connections to its port are refused) until ``start``."""
        self.controller.stop()
        self.controller = None

    def start(self):
        # A stopped controller's loop is closed: a new one listens on the same port.
        self.controller = Controller(_Collect(self), hostname=HOST, port=self.port)
        self.controller.start()

    def settings(self):
        """Django's SMTP backend aimed at this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
        }

    def clear(self):
        with self.lock:
            self.messages.clear()
