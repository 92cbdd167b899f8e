"""/sponsor/: who may see which child, report, photo and statement; signing in; the menu."""

import datetime as dt
import re

import pytest

from tests.enrolment.views.sponsor.conftest import (
    child_url,
    give_photo,
    photo_url,
    report_url,
    sponsor_child,
    statement_url,
    text_of,
    this_year,
)
from tests.factories import PASSWORD, ProgressReportFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sponsors_children(site, cast, sponsor, other_sponsor):
    mine = sponsor_child(sponsor, preferred_name="Amani", photo="learner-photos/a.jpg")
    sibling = sponsor_child(sponsor, preferred_name="Baraka")
    theirs = sponsor_child(other_sponsor, preferred_name="Chidi", photo="learner-photos/c.jpg")
    return {
        "mine": mine,
        "sibling": sibling,
        "theirs": theirs,
        "my_report": ProgressReportFactory(child=mine, shared_with_sponsors=True),
        "my_unshared": ProgressReportFactory(child=mine, term=2, shared_with_sponsors=False),
        "sibling_report": ProgressReportFactory(child=sibling, shared_with_sponsors=True),
        "their_report": ProgressReportFactory(child=theirs, shared_with_sponsors=True),
    }


def assert_same_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    unknown = client.get("/sponsor/children/987654/")
    assert response.content == unknown.content  # says nothing about whether the child exists


def test_another_sponsors_child_is_404(client, cast, two_sponsors_children):
    world = two_sponsors_children
    client.force_login(cast.sponsor)

    assert_same_404(client, child_url(world["theirs"]))
    assert_same_404(client, report_url(world["theirs"], world["their_report"]))
    assert_same_404(client, photo_url(world["theirs"]))


def test_the_other_sponsor_does_see_their_child(client, cast, two_sponsors_children):
    world = two_sponsors_children
    client.force_login(cast.other_sponsor)

    assert client.get(child_url(world["theirs"])).status_code == 200
    assert client.get(report_url(world["theirs"], world["their_report"])).status_code == 200
    assert client.get(child_url(world["mine"])).status_code == 404


def test_unknown_ids_are_404(client, cast, two_sponsors_children):
    mine = two_sponsors_children["mine"]
    client.force_login(cast.sponsor)

    assert client.get("/sponsor/children/987654/").status_code == 404
    assert client.get(f"/sponsor/children/{mine.pk}/reports/987654/").status_code == 404
    assert client.get("/sponsor/children/987654/photo/").status_code == 404


def test_an_unshared_report_of_their_own_child_is_404(client, cast, two_sponsors_children):
    world = two_sponsors_children
    client.force_login(cast.sponsor)

    assert client.get(report_url(world["mine"], world["my_report"])).status_code == 200
    assert_same_404(client, report_url(world["mine"], world["my_unshared"]))


def test_a_report_is_404_once_the_family_withdraws_consent(client, cast, two_sponsors_children):
    world = two_sponsors_children
    client.force_login(cast.sponsor)
    url = report_url(world["mine"], world["my_report"])
    assert client.get(url).status_code == 200

    world["mine"].consent_share_progress = False
    world["mine"].save()

    assert_same_404(client, url)


def test_a_siblings_report_under_their_own_childs_url_is_404(client, cast, two_sponsors_children):
    world = two_sponsors_children
    client.force_login(cast.sponsor)

    assert_same_404(client, report_url(world["mine"], world["sibling_report"]))
    assert client.get(report_url(world["sibling"], world["sibling_report"])).status_code == 200


def test_a_photo_without_consent_is_404(client, cast, two_sponsors_children):
    mine = two_sponsors_children["mine"]
    give_photo(mine)
    client.force_login(cast.sponsor)
    assert client.get(photo_url(mine)).status_code == 200

    mine.consent_photo = False
    mine.save()

    assert client.get(photo_url(mine)).status_code == 404


@pytest.mark.parametrize("role", ["learner", "teacher", "coordinator"])
def test_anyone_without_a_sponsor_record_gets_the_for_sponsors_page(
    client, cast, role, two_sponsors_children
):
    client.force_login(getattr(cast, role))

    for url in ["/sponsor/", child_url(two_sponsors_children["mine"]), statement_url(this_year())]:
        response = client.get(url)
        assert response.status_code == 403
        assert "This page is for sponsors" in text_of(response)
        assert "Amani" not in text_of(response)


def test_a_user_in_the_sponsors_group_without_a_record_gets_the_for_sponsors_page(
    client, cast, site
):
    client.force_login(cast.sponsor)  # no Sponsor record yet

    response = client.get("/sponsor/")

    assert response.status_code == 403
    assert "This page is for sponsors" in text_of(response)


def test_a_visitor_is_sent_to_sign_in(client, two_sponsors_children):
    world = two_sponsors_children
    year = this_year()
    for url in [
        "/sponsor/",
        child_url(world["mine"]),
        report_url(world["mine"], world["my_report"]),
        photo_url(world["mine"]),
        statement_url(year),
        statement_url(year, ".xlsx"),
        statement_url(year, ".pdf"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=/sponsor/"), url


def test_the_pages_only_answer_get(client, cast, sponsor, site):
    client.force_login(cast.sponsor)

    assert client.post("/sponsor/").status_code == 405
    assert client.post(statement_url(this_year(), ".xlsx")).status_code == 405


def test_a_sponsor_trying_teach_gets_the_not_a_teacher_page(client, cast, sponsor, site):
    client.force_login(cast.sponsor)

    response = client.get("/teach/")

    assert response.status_code == 403
    assert "This is for teachers" in text_of(response)


def test_a_sponsor_trying_the_admin_does_not_get_it(client, cast, sponsor, site):
    client.force_login(cast.sponsor)

    response = client.get("/admin/")

    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")
    else:
        assert response.status_code == 403
    followed = client.get("/admin/", follow=True)
    assert "Dashboard" not in text_of(followed)
    assert "Sponsors" not in text_of(followed)  # no admin menu


def test_the_pages_are_not_cached_by_shared_caches(client, cast, two_sponsors_children):
    client.force_login(cast.sponsor)

    for url in ["/sponsor/", child_url(two_sponsors_children["mine"])]:
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control or "private" in cache_control


@pytest.mark.parametrize("year_offset", [2, 30])
def test_a_statement_for_a_year_out_of_range_is_404(client, cast, sponsor, site, year_offset):
    client.force_login(cast.sponsor)
    year = this_year() + year_offset

    assert client.get(statement_url(year)).status_code == 404
    assert client.get(statement_url(year, ".xlsx")).status_code == 404
    assert client.get(statement_url(year, ".pdf")).status_code == 404


def test_statements_are_there_only_for_years_the_sponsor_had_a_sponsorship(
    client, cast, sponsor, site
):
    year = this_year()
    SponsorshipFactory(
        sponsor=sponsor, starts_on=dt.date(year - 3, 9, 1), ends_on=dt.date(year - 2, 1, 31)
    )
    SponsorshipFactory(sponsor=sponsor, starts_on=dt.date(year + 1, 9, 1))
    client.force_login(cast.sponsor)

    for there in (year - 3, year, year + 1):  # the old one, this year's (empty), next year's
        assert client.get(statement_url(there)).status_code == 200, there
    for gone in (2000, year - 4, year - 2, year - 1, year + 2):
        assert client.get(statement_url(gone)).status_code == 404, gone
        assert client.get(statement_url(gone, ".xlsx")).status_code == 404, gone


def test_the_sponsor_page_links_only_the_years_with_sponsorships(client, cast, sponsor, site):
    year = this_year()
    SponsorshipFactory(
        sponsor=sponsor, starts_on=dt.date(year - 2, 9, 1), ends_on=dt.date(year - 1, 1, 31)
    )
    client.force_login(cast.sponsor)

    text = text_of(client.get("/sponsor/"))
    linked = {int(found) for found in re.findall(r'href="/sponsor/statement/(\d+)/"', text)}

    assert linked == {year - 2}
    statement = text_of(client.get(statement_url(year - 2)))
    assert "/sponsor/statement/2000/" not in statement
    assert f'href="/sponsor/statement/{year}/"' in statement  # this year's is always there


# --- signing in and the menu ------------------------------------------------------------------


def test_a_sponsor_lands_on_their_page_after_signing_in(client, cast, sponsor, site):
    response = client.post("/accounts/login/", {"username": "sponsor", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/sponsor/"


def test_a_learner_still_lands_on_my_learning(client, cast, site):
    response = client.post("/accounts/login/", {"username": "learner", "password": PASSWORD})

    assert response["Location"] == "/learn/"


def test_the_menu_offers_sponsors_their_children_instead_of_my_learning(client, cast, sponsor):
    client.force_login(cast.sponsor)

    text = text_of(client.get("/sponsor/"))

    assert '<a href="/sponsor/">My sponsored children</a>' in text
    assert "My learning</a>" not in text.split("</nav>")[0]


def test_the_menu_of_a_learner_has_no_sponsor_link(client, cast, site):
    client.force_login(cast.learner)

    text = text_of(client.get("/learn/"))

    assert "My sponsored children" not in text
    assert '<a href="/learn/">My learning</a>' in text
