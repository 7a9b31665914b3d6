"""An SMTP sink for the soak's mail, and the HTML form parsing its clients use."""

import email
import email.policy
import html.parser
import re
import threading
import time

from soakparts.base import HOST, body_digest, free_port

# ---------------------------------------------------------------------------- SMTP sink


class Sink:
    """aiosmtpd in a thread: every mail the workers hand over, with when it came."""

    def __init__(self):
        self.mails = []
        self.lock = threading.Lock()
        self.port = free_port()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
        body = part.get_content() if part is not None else ""
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.mails.append(
                    {
                        "to": recipient,
                        "subject": str(message.get("Subject", "")).strip(),
                        "body": body_digest(body),
                        "message_id": str(message.get("Message-ID", "")),
                        "at": time.time(),
                    }
                )
        return "250 OK"

    def start(self):
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller = Controller(self, hostname=HOST, port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


# ---------------------------------------------------------------------------- HTML forms


class FormParser(html.parser.HTMLParser):
    """The forms of a page as a browser would submit them: inputs (checked boxes only),
    selected options (else the first), textareas."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.form = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = {"action": a.get("action", ""), "method": (a.get("method") or "get").lower(), "fields": []}
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.form["fields"].append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "select" and a.get("name"):
            self.select = {"name": a["name"], "first": None, "chosen": None}
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in a:
                self.select["chosen"] = value
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if self.form is None:
            return
        if tag == "select" and self.select is not None:
            chosen = self.select["chosen"] if self.select["chosen"] is not None else self.select["first"]
            if chosen is not None:
                self.form["fields"].append([self.select["name"], chosen])
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the one newline right after <textarea>.
            name, value = self.textarea
            self.form["fields"].append([name, value[1:] if value.startswith("\n") else value])
            self.textarea = None
        elif tag == "form":
            self.form = None


def forms_of(page):
    parser = FormParser()
    parser.feed(page)
    return parser.forms


def form_with_action(page, pattern):
    for form in forms_of(page):
        if re.search(pattern, form["action"]):
            return form
    return None


def set_field(fields, name, value):
    fields[:] = [f for f in fields if f[0] != name] + [[name, value]]
