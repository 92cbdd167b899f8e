"""The cache the rate-limit tests count in: local memory by default, and Redis in CI's second
pass (TEST_CACHE=redis), so that the limits are tried as production counts them."""

import os

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache


@pytest.mark.ratelimit
def test_the_rate_limit_tests_count_in_the_cache_they_were_asked_for():
    expected = RedisCache if os.environ.get("TEST_CACHE") == "redis" else LocMemCache
    assert isinstance(caches["default"], expected)

    cache.set("rate-limit-probe", 1)
    assert cache.incr("rate-limit-probe") == 2


@pytest.mark.ratelimit
def test_each_test_starts_with_an_empty_cache():
    # The probe above, or any earlier test's counts, are gone.
    assert cache.get("rate-limit-probe") is None
