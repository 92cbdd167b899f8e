"""Requests per second under gunicorn: the visitors' pages against ``/healthz`` (issue 16).

The main table times one request at a time inside the process; this one starts gunicorn (two
workers, threads) on the benchmark's throwaway database and keeps it busy from several
keep-alive connections for a few seconds per URL: once with the page cache off (every
request renders: "cold") and once with it on ("cached"), each beside ``/healthz`` measured
by the same server in the same run, whose one-query JSON answer is the ceiling.

The load generator is plain Python (threads, http.client) on the same machine, so it takes
some of the CPU the server would have: figures are for comparing rows, not for sizing.
"""

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from cms.management.benchmark.harness import BenchmarkError, format_table
from cms.page_cache import public_pages_changed

HEALTHZ = "/healthz"
# Anonymous pages the demo has at every scale: (name, path).
THROUGHPUT_PAGES: list[tuple[str, str]] = [
    ("catalogue", "/courses/"),
    ("course page", "/courses/english-a1/"),
]
WORKERS = 2
THREADS = 4
# Phones ask for compressed pages; so does the generator.
HEADERS = {"Accept-Encoding": "gzip", "User-Agent": "manage.py benchmark"}


@dataclass(frozen=True)
class Throughput:
    """``requests`` answered 200 in ``seconds`` from ``connections`` connections."""

    scenario: str
    cache: str  # the server's: "cold" (off, every request renders) or "cached"
    requests: int
    seconds: float
    errors: int
    bytes_per_response: float
    healthz_rps: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def share_of_healthz(self) -> float | None:
        return self.rps / self.healthz_rps if self.healthz_rps else None


def hammer(
    port: int, path: str, *, seconds: float, connections: int
) -> tuple[int, int, float, float]:
    """GET ``path`` over ``connections`` keep-alive connections for ``seconds``: (answered 200,
    errors, elapsed seconds, mean body bytes)."""
    stop = time.perf_counter() + seconds
    counts: list[tuple[int, int, int]] = []
    lock = threading.Lock()

    def client() -> None:
        done = errors = size = 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < stop:
            try:
                conn.request("GET", path, headers=HEADERS)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            if response.status == 200:
                done += 1
                size += len(body)
            else:
                errors += 1
        conn.close()
        with lock:
            counts.append((done, errors, size))

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    done = sum(c[0] for c in counts)
    return done, sum(c[1] for c in counts), elapsed, sum(c[2] for c in counts) / max(done, 1)


def database_url() -> str:
    """The URL of the database the default connection uses now (the throwaway one)."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{auth}@" if auth else ""
    return f"postgres://{host}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(*, page_cache_seconds: int) -> Iterator[int]:
    """gunicorn serving the site on the current database; yields its port."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        # The demo's settings: DEBUG serves static files without collectstatic; both servers
        # and every URL pay for it alike.
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
        "LOG_LEVEL": "ERROR",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "cms.wsgi:application",
        f"--workers={WORKERS}",
        "--worker-class=gthread",
        f"--threads={THREADS}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL)
    try:
        wait_until_up(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchmarkError(f"gunicorn stopped at start (exit code {server.returncode}).")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", HEALTHZ)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise BenchmarkError("gunicorn did not answer /healthz within a minute.")


def throughput_benchmark(
    *,
    pages: Sequence[tuple[str, str]] = THROUGHPUT_PAGES,
    seconds: float = 3.0,
    connections: int = 8,
    report: Callable[[str], None] = print,
) -> list[Throughput]:
    """/healthz and each page, cold then cached, each server's rows beside its /healthz."""
    results: list[Throughput] = []
    for cache, cache_seconds in (("cold", 0), ("cached", 300)):
        public_pages_changed()  # a shared Redis may hold an earlier run's pages
        with gunicorn(page_cache_seconds=cache_seconds) as port:
            for path in [HEALTHZ, *(p for _n, p in pages)]:
                # Untimed: both workers start their connections, render once, fill the cache.
                hammer(port, path, seconds=0.5, connections=connections)
            done, errors, elapsed, size = hammer(
                port, HEALTHZ, seconds=seconds, connections=connections
            )
            healthz = Throughput(HEALTHZ, cache, done, elapsed, errors, size)
            results.append(healthz)
            for name, path in pages:
                done, errors, elapsed, size = hammer(
                    port, path, seconds=seconds, connections=connections
                )
                results.append(Throughput(name, cache, done, elapsed, errors, size, healthz.rps))
        report(f"Throughput with the page cache {cache}: /healthz {healthz.rps:.0f} requests/s.")
    return results


THROUGHPUT_COLUMNS = ("page", "cache", "requests/s", "of /healthz", "errors", "KiB each")


def render_throughput(results: Sequence[Throughput]) -> str:
    return format_table(
        THROUGHPUT_COLUMNS,
        [
            (
                result.scenario,
                result.cache,
                f"{result.rps:.0f}",
                "-" if result.share_of_healthz is None else f"{result.share_of_healthz:.0%}",
                str(result.errors),
                f"{result.bytes_per_response / 1024:.1f}",
            )
            for result in results
        ],
    )
