"""Serve a fresh demo centre for the measuring tools (Lighthouse, language share).

Each run builds its own SQLite database and media folder in a temporary directory, so the
figures never depend on (or change) the developer's ``db.sqlite3``: ``migrate``, then
``seed_demo``, then ``runserver`` on a free port with ``DEBUG=1`` (which serves the static
files). Everything is removed when the ``with`` block ends.
"""

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_PASSWORD = "harbour-demo-2026"
# The demo's people whose own pages are measured (README, "Demo logins").
DEMO_LEARNER = "+85291230001"
DEMO_TEACHER = "teacher.grace"
DEMO_SPONSOR = "sponsor.church@example.org"
# Every shown language and its URL prefix; English keeps unprefixed URLs.
LANGUAGES = {"en": "", "zh-hant": "/zh-hant", "ar": "/ar", "fr": "/fr", "ur": "/ur"}


def _free_port() -> int:
    # The port is free when asked; runserver takes it a moment later (good enough on one
    # machine, and a clash fails loudly in _wait_until_up).
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(base: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The demo server stopped (exit {server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    sys.exit(f"The demo server did not answer {base}/healthz within {timeout:.0f}s")


@contextlib.contextmanager
def served_demo() -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:<port>``) of a freshly seeded demo centre."""
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="centre-demo-") as tmp:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "MEDIA_ROOT": f"{tmp}/media",
            "PYTHONUNBUFFERED": "1",
        }
        # A per-process cache: the measuring never touches a shared Redis.
        for name in ("CACHE_URL", "REDIS_URL"):
            env.pop(name, None)
        print("Building the demo centre (migrate, seed_demo) ...", file=sys.stderr, flush=True)
        for command in (["migrate", "--noinput"], ["seed_demo"]):
            subprocess.run(
                [python, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = Path(tmp) / "server.log"
        with log.open("w") as log_file:
            server = subprocess.Popen(
                [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_until_up(base, server, log)
                print(f"Demo centre served at {base}", file=sys.stderr, flush=True)
                yield base
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


def session_cookie(base: str, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Sign ``username`` in through the real sign-in form; return the session cookie.

    Through the form, not a forged session: the measured pages are then exactly what that
    person sees after signing in. The language cookie that signing in sets is left out, so
    that an unprefixed URL shows the English page rather than redirecting to the person's
    own language.
    """
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base}/accounts/login/"
    with opener.open(login) as response:
        html = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        sys.exit(f"No CSRF token on {login}")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match[1], "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(login, data=form, headers={"Referer": login})
    with opener.open(request) as response:
        response.read()
    cookies = {cookie.name: cookie.value for cookie in jar if cookie.name == "sessionid"}
    if not cookies:
        sys.exit(f"Signing in as {username} failed: no session cookie")
    return cookies
