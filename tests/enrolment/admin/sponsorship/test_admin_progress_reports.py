"""The sponsorship admin's progress reports: recorded unshared, reviewed, then shared; an
edit of what sponsors see unshares."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from enrolment.models import Grade, Learner, ProgressReport
from enrolment.services.sponsorship import report_share
from tests.conftest import html_of, logged, messages_of
from tests.enrolment.admin.conftest import errors_of
from tests.enrolment.admin.sponsorship.conftest import REPORTS, YEAR
from tests.factories import (
    ChildFactory,
    ProgressReportFactory,
    SchoolPlacementFactory,
    SubjectGradeFactory,
)

pytestmark = pytest.mark.django_db


def report_data(child, *, grades=({"subject": "English", "grade": "B+"},), initial=0, **changes):
    """The report form's POST data; `grades` are the subject rows (with "id" for saved ones)."""
    data = {
        "child": child.pk,
        "school_year": YEAR,
        "term": 1,
        "school_attendance_percent": "92",
        "teacher_comment": "Reads with confidence.",
        "caseworker_note": "Family moved shelter.",
        "grades": inline_formset(list(grades), initial=initial),
    } | changes
    return nested_form_data(data)


def test_a_new_report_with_grades_is_saved_unshared(coordinator_client):
    child = ChildFactory(preferred_name="Amani")
    response = coordinator_client.post(
        REPORTS + "new/",
        report_data(
            child,
            grades=[{"subject": "English", "grade": "B+"}, {"subject": "Maths", "grade": "A"}],
        )
        | {"shared_with_sponsors": "on"},  # not in the form: ignored
        follow=True,
    )
    assert response.status_code == 200
    report = ProgressReport.objects.get()
    assert not report.shared_with_sponsors
    assert list(report.grades.values_list("subject", "grade")) == [
        ("English", "B+"),
        ("Maths", "A"),
    ]
    assert logged(report, "wagtail.create") == 1
    assert "review and share" in " ".join(messages_of(response))


def test_the_report_form_has_no_sharing_flag_and_labels_the_note(coordinator_client):
    html = html_of(coordinator_client.get(REPORTS + "new/"))
    assert 'name="shared_with_sponsors"' not in html
    assert "never shared with sponsors" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"school_attendance_percent": "101"}, "school_attendance_percent", "less than or equal"),
        ({"school_attendance_percent": "-5"}, "school_attendance_percent", "greater than"),
        ({"term": "7"}, "term", "valid choice"),
        ({"school_year": "abc"}, "school_year", "valid choice"),
    ],
)
def test_a_bad_report_shows_why_and_saves_nothing(coordinator_client, changes, field, message):
    response = coordinator_client.post(REPORTS + "new/", report_data(ChildFactory(), **changes))
    assert response.status_code == 200
    assert message in " ".join(errors_of(response)[field])
    assert not ProgressReport.objects.exists()


def test_a_second_report_for_the_same_term_is_refused(coordinator_client):
    existing = ProgressReportFactory(school_year=YEAR, term=1)
    response = coordinator_client.post(REPORTS + "new/", report_data(existing.child))
    assert response.status_code == 200
    assert "already has a report" in " ".join(errors_of(response)["__all__"])
    assert ProgressReport.objects.count() == 1


@pytest.fixture
def report(site):
    report = ProgressReportFactory(
        child=ChildFactory(preferred_name="Amani Joseph", legal_name="Amani Joseph Mwangi"),
        school_year=YEAR,
        teacher_comment="Reads with confidence and helps classmates.",
        caseworker_note="SECRET-NOTE: family moved shelter.",
    )
    SubjectGradeFactory(report=report, subject="Mathematics", grade="A-")
    SchoolPlacementFactory(child=report.child, school_year=YEAR, grade=Grade.P5)
    return report


def test_the_review_shows_exactly_what_sponsors_will_see(coordinator_client, report):
    response = coordinator_client.get(f"{REPORTS}{report.pk}/share/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = html_of(response)
    assert "SECRET-NOTE" not in html and "Mwangi" not in html
    preview = html[html.index('id="what-sponsors-see"') :]
    preview = preview[: preview.index("</section>")]
    for shown in ["Amani", "P5", "First term", "94%", "Mathematics", "A-", "helps classmates"]:
        assert shown in preview, shown
    assert "Joseph" not in preview  # the first name only
    assert "name no people" in html and "no places" in html
    assert 'value="share"' in html


def test_sharing_from_the_review_page(coordinator_client, cast, report):
    response = coordinator_client.post(
        f"{REPORTS}{report.pk}/share/", {"action": "share"}, follow=True
    )
    assert "sponsors can read it now" in " ".join(messages_of(response))
    report.refresh_from_db()
    assert report.shared_with_sponsors and report.shared_by == cast.coordinator
    assert logged(report, "enrolment.report.share") == 1
    html = html_of(coordinator_client.get(f"{REPORTS}?shared_with_sponsors=true"))
    assert "Amani Joseph" in html
    html = html_of(coordinator_client.get(f"{REPORTS}?shared_with_sponsors=false"))
    assert "Amani Joseph" not in html

    response = coordinator_client.post(
        f"{REPORTS}{report.pk}/share/", {"action": "unshare"}, follow=True
    )
    assert "no longer shared" in " ".join(messages_of(response))
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    history = html_of(coordinator_client.get(f"{REPORTS}history/{report.pk}/"))
    assert "Shared with sponsors" in history and "stopped sharing" in history


def test_a_report_without_the_familys_consent_is_not_shared(coordinator_client, report):
    Learner.objects.filter(pk=report.child_id).update(consent_share_progress=False)
    html = html_of(coordinator_client.get(f"{REPORTS}{report.pk}/share/"))
    assert "has not agreed" in html
    response = coordinator_client.post(
        f"{REPORTS}{report.pk}/share/", {"action": "share"}, follow=True
    )
    assert response.status_code == 200
    assert "has not agreed" in " ".join(messages_of(response))
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    assert logged(report, "enrolment.report.share") == 0


def test_an_unknown_action_changes_nothing(coordinator_client, report):
    response = coordinator_client.post(f"{REPORTS}{report.pk}/share/", {"action": "x"}, follow=True)
    assert response.status_code == 200
    report.refresh_from_db()
    assert not report.shared_with_sponsors


def test_the_listing_and_edit_page_link_to_the_review(coordinator_client, report):
    url = f"{REPORTS}{report.pk}/share/"
    assert url in html_of(coordinator_client.get(REPORTS))
    assert url in html_of(coordinator_client.get(f"{REPORTS}edit/{report.pk}/"))


def _edit_report(client, report, **changes):
    grade = report.grades.get()
    data = report_data(
        report.child,
        grades=[{"subject": grade.subject, "grade": grade.grade, "id": grade.pk}],
        initial=1,
        teacher_comment=report.teacher_comment,
        caseworker_note=report.caseworker_note,
        school_attendance_percent=str(report.school_attendance_percent),
    )
    data.update(changes)
    return client.post(f"{REPORTS}edit/{report.pk}/", data, follow=True)


def test_editing_what_sponsors_see_unshares_the_report(coordinator_client, cast, report):
    report_share(report=report, by=cast.coordinator)
    response = _edit_report(coordinator_client, report, teacher_comment="Now names Joy.")
    assert response.status_code == 200
    assert "review it and share it again" in " ".join(messages_of(response))
    report.refresh_from_db()
    assert not report.shared_with_sponsors and report.teacher_comment == "Now names Joy."
    assert logged(report, "enrolment.report.unshare") == 1


def test_editing_a_grade_unshares_the_report(coordinator_client, cast, report):
    report_share(report=report, by=cast.coordinator)
    response = _edit_report(coordinator_client, report, **{"grades-0-grade": "C"})
    assert "share it again" in " ".join(messages_of(response))
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    assert report.grades.get().grade == "C"


def test_editing_only_the_caseworker_note_keeps_it_shared(client, caseworker, report):
    report_share(report=report, by=caseworker)
    client.force_login(caseworker)
    response = _edit_report(client, report, caseworker_note="Rent paid.")
    assert "share it again" not in " ".join(messages_of(response))
    report.refresh_from_db()
    assert report.shared_with_sponsors and report.caseworker_note == "Rent paid."
    assert logged(report, "wagtail.edit") == 1
