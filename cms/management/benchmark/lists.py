"""The benchmark's rows for the staff lists: each as the person who reads it, first page,
default filters. Every list pages in the database, so from 10x to 100x (five years of a busy
centre) its time should stay flat and its query count the same."""

from django.contrib.auth import get_user_model
from django.test import Client

from cms.management.benchmark.harness import (
    Measurement,
    Options,
    measure_page,
    testserver_allowed,
)

# (name, username, url); the at-risk and registers-not-taken lists are in pages.SIGNED_IN_PAGES.
STAFF_LISTS: list[tuple[str, str, str]] = [
    ("funding list (coordinator)", "coordinator", "/admin/sponsorship/funding/"),
    ("learners (coordinator)", "coordinator", "/admin/enrolment/learners/"),
    ("enrolments (coordinator)", "coordinator", "/admin/enrolment/enrolments/"),
    (
        "enrolments enrolled (coordinator)",
        "coordinator",
        "/admin/enrolment/enrolments/?status=enrolled",
    ),
    ("certificates (coordinator)", "coordinator", "/admin/enrolment/certificates/"),
    ("qualifications (coordinator)", "coordinator", "/admin/enrolment/qualifications/"),
    ("messages (coordinator)", "coordinator", "/admin/enrolment/messages/"),
    ("term reports (coordinator)", "coordinator", "/admin/sponsorship/reports/"),
    ("access log (data protection)", "dataprotection", "/admin/enrolment/access-log/"),
    ("dashboard (coordinator)", "coordinator", "/admin/"),
]


def staff_lists(options: Options) -> list[Measurement]:
    User = get_user_model()
    measurements = []
    with testserver_allowed():
        for name, username, url in STAFF_LISTS:
            client = Client()
            client.force_login(User.objects.get(username=username))
            measurements.append(measure_page(name, url, options, client))
    return measurements
