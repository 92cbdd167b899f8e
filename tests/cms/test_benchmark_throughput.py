"""The throughput table's load generator, against a tiny server for a fraction of a second
(gunicorn itself runs only under `make bench-pg`)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cms.management.benchmark.throughput import Throughput, hammer, render_throughput


class Answer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's gthread workers

    def do_GET(self):
        body = b"ok" if self.path == "/healthz" else b"missing"
        self.send_response(200 if self.path == "/healthz" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def port():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_the_load_generator_counts_answers_and_errors(port):
    done, errors, elapsed, size = hammer(port, "/healthz", seconds=0.2, connections=2)
    assert done > 0 and errors == 0
    assert 0.2 <= elapsed < 2
    assert size == 2

    done, errors, _elapsed, _size = hammer(port, "/nowhere", seconds=0.1, connections=1)
    assert done == 0 and errors > 0


def test_each_page_is_shown_as_a_share_of_healthz():
    rows = [
        Throughput("/healthz", "cached", 2000, 2.0, 0, 40),
        Throughput("catalogue", "cached", 1500, 2.0, 0, 8192, healthz_rps=1000),
    ]
    table = render_throughput(rows).splitlines()
    assert table[2].split() == ["/healthz", "cached", "1000", "-", "0", "0.0"]
    assert table[3].split() == ["catalogue", "cached", "750", "75%", "0", "8.0"]
