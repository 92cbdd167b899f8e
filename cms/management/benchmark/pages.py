"""The main table's pages: read by anonymous visitors, and by the demo's people signed in."""

from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from cms.management.benchmark.harness import (
    Measurement,
    Options,
    measure_page,
    testserver_allowed,
)

# Pages read by anonymous visitors, with the data that the demo builds at every scale.
PAGES: list[tuple[str, str]] = [
    ("catalogue", "/courses/"),
    ("catalogue filtered", "/courses/?category=english&free_seats=on&time=evening"),
    ("course page", "/courses/english-a1/"),
]


# Pages behind a login, read as one of the demo's people (a username build_demo creates at
# every scale): (name, username, url).
SIGNED_IN_PAGES: list[tuple[str, str, str]] = [
    ("my learning (learner)", "+85291230001", "/learn/"),
    ("at risk (coordinator)", "coordinator", "/admin/enrolment/at-risk/"),
    ("registers not taken (coordinator)", "coordinator", "/admin/enrolment/registers-not-taken/"),
]


def pages(options: Options) -> list[Measurement]:
    # The render's cost at each scale, not a hit of the visitors' page cache, which would
    # answer every timed request without a query: its effect is the throughput table's.
    with testserver_allowed(), override_settings(PAGE_CACHE_SECONDS=0):
        return [measure_page(name, url, options) for name, url in PAGES]


def signed_in_pages(options: Options) -> list[Measurement]:
    User = get_user_model()
    measurements = []
    with testserver_allowed():
        for name, username, url in SIGNED_IN_PAGES:
            client = Client()
            client.force_login(User.objects.get(username=username))
            measurements.append(measure_page(name, url, options, client))
    return measurements
