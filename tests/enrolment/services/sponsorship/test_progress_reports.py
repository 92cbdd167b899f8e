"""Sharing progress reports with sponsors, and what an edit does to a shared one."""

import pytest

from enrolment.models import ProgressReport, SubjectGrade
from enrolment.services.sponsorship import (
    SponsorshipError,
    report_save,
    report_share,
    report_unshare,
)
from tests.conftest import logged
from tests.enrolment.services.sponsorship.conftest import YEAR
from tests.factories import ChildFactory, ProgressReportFactory, SubjectGradeFactory


def test_sharing_needs_the_familys_consent(db, cast):
    report = ProgressReportFactory(child=ChildFactory(consent_share_progress=False))
    with pytest.raises(SponsorshipError) as refused:
        report_share(report=report, by=cast.coordinator)
    assert "not agreed" in refused.value.message
    report.refresh_from_db()
    assert not report.shared_with_sponsors


def test_sharing_needs_a_coordinator(db, cast):
    report = ProgressReportFactory()
    for who in (cast.teacher, cast.sponsor, cast.learner):
        with pytest.raises(SponsorshipError):
            report_share(report=report, by=who)
    report.refresh_from_db()
    assert not report.shared_with_sponsors


def test_sharing_records_who_and_when_and_logs(db, cast):
    report = ProgressReportFactory()
    report_share(report=report, by=cast.coordinator)
    report.refresh_from_db()
    assert report.shared_with_sponsors
    assert report.shared_by == cast.coordinator and report.shared_at is not None
    assert logged(report, "enrolment.report.share") == 1
    report_share(report=report, by=cast.coordinator)  # twice: no second entry
    assert logged(report, "enrolment.report.share") == 1


def test_unsharing_hides_the_report_and_logs(db, cast):
    report = ProgressReportFactory()
    report_unshare(report=report, by=cast.coordinator)  # not shared: nothing to do
    assert logged(report, "enrolment.report.unshare") == 0
    report_share(report=report, by=cast.coordinator)
    report_unshare(report=report, by=cast.coordinator, reason="stopped")
    report.refresh_from_db()
    assert not report.shared_with_sponsors and report.shared_by is None
    assert report.shared_at is None
    assert logged(report, "enrolment.report.unshare") == 1
    with pytest.raises(SponsorshipError):
        report_unshare(report=report, by=cast.teacher)


def _shared_report(cast) -> ProgressReport:
    report = ProgressReportFactory()
    SubjectGradeFactory(report=report, subject="English", grade="B+")
    report_share(report=report, by=cast.coordinator)
    return ProgressReport.objects.get(pk=report.pk)


@pytest.mark.parametrize(
    "change",
    [
        {"teacher_comment": "Now names her classmate Joy."},
        {"school_attendance_percent": 60},
        {"term": 2},
        {"school_year": YEAR - 1},
    ],
)
def test_changing_what_sponsors_see_unshares_a_report(db, cast, change):
    report = _shared_report(cast)
    for name, value in change.items():
        setattr(report, name, value)
    saved = report_save(report=report, by=cast.coordinator)
    assert saved.unshared and not saved.created
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    assert logged(report, "enrolment.report.unshare") == 1
    assert logged(report, "wagtail.edit") == 1


def test_changing_a_grade_unshares_a_report(db, cast):
    report = _shared_report(cast)
    report.grades = [SubjectGrade(subject="English", grade="C")]
    assert report_save(report=report, by=cast.coordinator).unshared
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    assert list(report.grades.values_list("grade", flat=True)) == ["C"]


def test_changing_only_the_caseworker_note_keeps_it_shared(db, cast):
    report = _shared_report(cast)
    report.caseworker_note = "Rent paid in November."
    saved = report_save(report=report, by=cast.coordinator)
    assert not saved.unshared
    report.refresh_from_db()
    assert report.shared_with_sponsors
    assert logged(report, "enrolment.report.unshare") == 0


def test_a_stale_form_copy_cannot_unshare_or_reshare(db, cast):
    stale = ProgressReport.objects.get(pk=ProgressReportFactory().pk)  # loaded while not shared
    report_share(report=stale, by=cast.coordinator)
    stale.shared_with_sponsors = False  # as the edit form loaded it
    stale.caseworker_note = "Called the family."
    report_save(report=stale, by=cast.coordinator)
    stale.refresh_from_db()
    assert stale.shared_with_sponsors


def test_report_save_is_for_coordinators(db, cast):
    with pytest.raises(SponsorshipError):
        report_save(report=ProgressReportFactory.build(child=ChildFactory()), by=cast.teacher)
    assert not ProgressReport.objects.exists()
