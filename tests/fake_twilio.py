"""A local HTTP server that answers like Twilio's Messages API, for the real `twilio` client.

It records every request (path, form fields, the Basic auth user) and answers each with the
next scripted reply: by default 201 and a message resource with a fresh SID, as Twilio does.
"""

import base64
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class Request:
    method: str
    path: str
    form: dict[str, str]
    account: str


@dataclass
class FakeTwilio:
    requests: list[Request] = field(default_factory=list)
    replies: list[tuple[int, dict]] = field(default_factory=list)  # scripted, consumed in order
    url: str = ""
    _ids = itertools.count(1)

    def created(self, form: dict[str, str], account: str) -> dict:
        sid = f"SM{next(self._ids):032x}"
        return {
            "sid": sid,
            "account_sid": account,
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body"),
            "status": "queued",
            "num_segments": "1",
            "direction": "outbound-api",
            "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
        }


def start() -> tuple[FakeTwilio, ThreadingHTTPServer]:
    fake = FakeTwilio()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = {
                key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()
            }
            auth = self.headers.get("Authorization", "")
            account = ""
            if auth.startswith("Basic "):
                account = base64.b64decode(auth[6:]).decode().split(":", 1)[0]
            fake.requests.append(Request("POST", self.path, form, account))
            status, body = fake.replies.pop(0) if fake.replies else (201, None)
            payload = json.dumps(body if body is not None else fake.created(form, account))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload.encode())

        def log_message(self, *args):  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    return fake, server
