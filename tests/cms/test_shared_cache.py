"""CACHE_URL as the README documents it: every app server shares one Redis, so a rate limit
counts the requests of all of them (issue 11, defect 6). Needs the Redis on 127.0.0.1:6379;
CI requires it (REQUIRE_REDIS=1), elsewhere these tests are skipped without it."""

import os
import socket
import uuid
from urllib.parse import urlsplit

import pytest

from tests.cms.test_settings import PRODUCTION, REDIS_URL, manage


def redis_reachable() -> bool:
    address = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((address.hostname, address.port or 6379), timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not redis_reachable() and not os.environ.get("REQUIRE_REDIS"),
    reason="no Redis at " + REDIS_URL,
)

# Twenty requests from one address, in one app server process; prints how many were refused.
TWENTY_REQUESTS = """
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited
request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
print(sum(
    is_ratelimited(request, group="{group}", key="ip", rate="30/d", increment=True)
    for _ in range(20)
))
"""


def refused_in_a_new_process(group: str, **env) -> int:
    result = manage("shell", "-c", TWENTY_REQUESTS.format(group=group), **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def test_two_app_servers_count_one_limit_in_the_shared_cache():
    group = f"test-{uuid.uuid4().hex}"  # a fresh counter: a day's window, no edge to straddle
    first = refused_in_a_new_process(group, CACHE_URL=REDIS_URL)
    second = refused_in_a_new_process(group, CACHE_URL=REDIS_URL)
    assert (first, second) == (0, 10)


def test_without_a_shared_cache_each_process_counts_alone():
    # What the deployment check warns about (cms.W001): here 40 requests pass a limit of 30.
    group = f"test-{uuid.uuid4().hex}"
    assert refused_in_a_new_process(group) + refused_in_a_new_process(group) == 0
