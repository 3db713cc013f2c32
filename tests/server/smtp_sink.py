#!/usr/bin/env python3
"""A real SMTP server for the email tests (Debian's python3-aiosmtpd) on loopback.

Each accepted message is stored as DIR/NNNN.json (written atomically) with the parsed
headers, text and HTML parts and attachments (base64), and DIR/NNNN.eml (raw bytes).
--fail-first N answers the first N messages with 451 (temporary), --refuse with 550
(permanent). The chosen port is written to DIR/port once the server accepts connections.
Runs until killed.
"""
import argparse
import base64
import email
import email.policy
import json
import os
import signal
import socket
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory, fail_first, refuse):
        self.directory = directory
        self.fail_left = fail_first
        self.refuse = refuse
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "550 5.7.1 Refused by the test server"
        if self.fail_left > 0:
            self.fail_left -= 1
            return "451 4.3.0 Try again later (test server)"
        self.count += 1
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        out = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "message_id": msg["Message-ID"],
            "subject": str(msg["Subject"]),
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "reply_to": str(msg["Reply-To"]) if msg["Reply-To"] else None,
            "text": None,
            "html": None,
            "attachments": [],
        }
        for part in msg.walk():
            if part.is_multipart():
                continue
            if part.get_filename():
                out["attachments"].append({
                    "name": part.get_filename(),
                    "type": part.get_content_type(),
                    "base64": base64.b64encode(part.get_payload(decode=True)).decode(),
                })
            elif part.get_content_type() == "text/plain":
                out["text"] = part.get_content()
            elif part.get_content_type() == "text/html":
                out["html"] = part.get_content()
        stem = os.path.join(self.directory, "%04d" % self.count)
        with open(stem + ".eml", "wb") as f:
            f.write(raw)
        with open(stem + ".tmp", "w") as f:
            json.dump(out, f)
        os.rename(stem + ".tmp", stem + ".json")
        return "250 2.0.0 Accepted"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("directory")
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--refuse", action="store_true")
    a = p.parse_args()
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    controller = Controller(Sink(a.directory, a.fail_first, a.refuse), hostname="127.0.0.1", port=port)
    controller.start()
    with open(os.path.join(a.directory, "port.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(a.directory, "port.tmp"), os.path.join(a.directory, "port"))
    signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sys.exit(0)))
    signal.pause()


if __name__ == "__main__":
    main()
