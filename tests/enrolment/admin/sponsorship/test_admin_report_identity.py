"""The review page refuses to share a report that names or locates the child, marks the words
in what sponsors would see, and shares it once the coordinator has changed them."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from enrolment.models import ProgressReport
from tests.conftest import html_of, logged, messages_of
from tests.enrolment.admin.sponsorship.conftest import REPORTS, YEAR
from tests.factories import ChildFactory, ProgressReportFactory, SubjectGradeFactory

pytestmark = pytest.mark.django_db

INCIDENT = (
    "Amani Mwangi works hard. Her mother Wanjiru Kamau moved the family to Nam Cheong "
    "Street;\ncall 9123 4567 if she is absent."
)


@pytest.fixture
def report(site):
    child = ChildFactory(
        preferred_name="Amani",
        legal_name="Amani Mwangi",
        guardian_name="Wanjiru Kamau",
        guardian_phone="9123 4567",
    )
    report = ProgressReportFactory(child=child, school_year=YEAR, teacher_comment=INCIDENT)
    SubjectGradeFactory(report=report, subject="English", grade="B+")
    return report


def share(client, report):
    return client.post(f"{REPORTS}{report.pk}/share/", {"action": "share"}, follow=True)


def test_a_report_naming_the_child_is_refused_with_the_words_marked(coordinator_client, report):
    response = share(coordinator_client, report)
    assert response.status_code == 200
    message = " ".join(messages_of(response))
    assert "not shared" in message and "“Mwangi”" in message and "“9123 4567”" in message
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    assert logged(report, "enrolment.report.share") == 0

    html = html_of(response)
    preview = html[html.index('id="what-sponsors-see"') :]
    preview = preview[: preview.index("</section>")]
    for marked in ["Mwangi", "Wanjiru", "Kamau", "Nam Cheong Street", "9123 4567"]:
        assert f"<mark>{marked}</mark>" in preview, marked
    assert "<mark>Amani</mark>" not in preview  # the first name sponsors see anyway
    assert "works hard" in preview and "<br>" in preview  # the rest as written
    assert 'value="share" class="button" disabled' in html


def test_once_the_words_are_changed_it_shares(coordinator_client, report):
    html = html_of(coordinator_client.get(f"{REPORTS}{report.pk}/share/"))
    assert "names or locates Amani" in html  # shown before anyone presses Share
    data = {
        "child": report.child_id,
        "school_year": YEAR,
        "term": report.term,
        "school_attendance_percent": "94",
        "teacher_comment": "Amani works hard and helps her classmates.",
        "caseworker_note": report.caseworker_note,
        "grades": inline_formset(
            [{"id": g.pk, "subject": g.subject, "grade": g.grade} for g in report.grades.all()],
            initial=1,
        ),
    }
    response = coordinator_client.post(f"{REPORTS}edit/{report.pk}/", nested_form_data(data))
    assert response.status_code == 302
    response = share(coordinator_client, report)
    assert "sponsors can read it now" in " ".join(messages_of(response))
    assert "<mark>" not in html_of(response)
    assert ProgressReport.objects.get(pk=report.pk).shared_with_sponsors


@pytest.mark.parametrize(
    ("comment", "shown"),
    [
        (
            "<script>alert(1)</script><b>Mwangi</b>\u202e\x1b[31m",
            "&lt;b&gt;<mark>Mwangi</mark>&lt;/b&gt;",
        ),
        (
            '"><img src=x onerror=alert(1)> Kamau & <mark>Mwangi</mark>',
            "<mark>Kamau</mark> &amp; &lt;mark&gt;<mark>Mwangi</mark>&lt;/mark&gt;",
        ),
        ("Mwangi " * 428, "<mark>Mwangi</mark> <mark>Mwangi</mark>"),
    ],
)
def test_hostile_text_is_escaped_and_marked(coordinator_client, report, comment, shown):
    ProgressReport.objects.filter(pk=report.pk).update(teacher_comment=comment)
    response = share(coordinator_client, report)
    assert response.status_code == 200
    html = html_of(response)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>" not in html
    assert shown in html
    assert not ProgressReport.objects.get(pk=report.pk).shared_with_sponsors
