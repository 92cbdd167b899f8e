"""The Translators role (issue 12): a volunteer translates pages with wagtail-localize's editor,
in every language's tree but the English one, and sees no one's personal data."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.log_actions import log
from wagtail.models import Locale, Page

from cms.translators import translator_pages_grant
from tests.conftest import html_of
from tests.factories import CoursePageFactory, LearnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def translator(db):
    return UserFactory(username="translator", groups=["Translators"])


def submit_translation(client, user, page, code, *, subtree=False):
    """What a coordinator does to start a language's pages: Translate, pick the language."""
    client.force_login(user)
    locale = Locale.objects.get(language_code=code)
    data = {"locales": [locale.pk]} | ({"include_subtree": "on"} if subtree else {})
    response = client.post(f"/admin/localize/submit/page/{page.pk}/", data)
    assert response.status_code == 302, response
    client.logout()
    return page.get_translation(locale)


def test_a_coordinator_starts_a_language_and_the_translator_opens_the_editor(
    client, site, cast, translator
):
    course = CoursePageFactory(parent=site.catalogue, title="English A1")
    french_home = submit_translation(client, cast.coordinator, site.home, "fr", subtree=True)
    french_course = course.get_translation(Locale.objects.get(language_code="fr"))

    client.force_login(translator)
    for page in [french_home, french_course]:
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200
        # wagtail-localize's editor, string by string beside the English, not the page form.
        assert "js-translation-editor" in html_of(response)
    assert "English A1" in html_of(response)


def test_the_translator_may_publish_a_translation_but_not_edit_the_english_pages(
    client, site, cast, translator
):
    french_home = submit_translation(client, cast.coordinator, site.home, "fr")
    perms = french_home.permissions_for_user(translator)
    assert perms.can_edit() and perms.can_publish()
    english = site.home.permissions_for_user(translator)
    assert not english.can_edit() and not english.can_publish()
    client.force_login(translator)
    assert client.get(f"/admin/pages/{site.home.pk}/edit/").status_code in (302, 403)


def test_a_new_language_tree_is_given_to_the_translators_when_it_begins(client, site, cast):
    translator = UserFactory(username="translator", groups=["Translators"])
    urdu_home = submit_translation(client, cast.coordinator, site.home, "ur")
    assert urdu_home.permissions_for_user(translator).can_edit()
    # And granting again adds nothing (seed_demo runs it on every run).
    assert translator_pages_grant() == 0


def test_the_translator_may_submit_translations_and_use_the_admin(translator):
    assert translator.has_perm("wagtailadmin.access_admin")
    assert translator.has_perm("wagtail_localize.submit_translation")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/enrolment/learners/",
        "/admin/enrolment/enrolments/",
        "/admin/snippets/courses/venue/",
        "/admin/users/",
        "/admin/two-factor/",
    ],
)
def test_the_translator_sees_no_personal_data_screens(client, site, translator, path):
    LearnerFactory(preferred_name="Zainab", legal_name="Zainab Hassan")
    client.force_login(translator)
    response = client.get(path, follow=True)
    assert "Zainab" not in html_of(response)
    assert response.redirect_chain or response.status_code in (403, 404)


def test_the_learner_chooser_lists_and_chooses_no_one_for_a_translator(client, site, translator):
    learner = LearnerFactory(preferred_name="Zainab", legal_name="Zainab Hassan")
    client.force_login(translator)
    response = client.get("/admin/enrolment/choose-learner/results/?q=Zai")
    assert response.status_code == 200
    assert "Zainab" not in html_of(response)
    # An id typed into the URL tells nothing either.
    assert client.get(f"/admin/enrolment/choose-learner/chosen/{learner.pk}/").status_code == 404
    several = client.get(f"/admin/enrolment/choose-learner/chosen-multiple/?id={learner.pk}")
    assert "Zainab" not in html_of(several)


def test_the_site_history_shows_a_translator_no_learners_changes(client, site, cast, translator):
    learner = LearnerFactory(preferred_name="Zainab", legal_name="Zainab Hassan")
    log(instance=learner, action="wagtail.edit", user=cast.coordinator)
    client.force_login(cast.coordinator)
    assert "Zainab" in html_of(client.get("/admin/reports/site-history/"))
    client.force_login(translator)
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    assert "Zainab" not in html_of(response)


def test_the_translator_cannot_download_the_centres_documents(client, site, translator):
    document = Document.objects.create(
        title="Consent forms", file=ContentFile(b"names and phones", name="consent.txt")
    )
    client.force_login(translator)
    assert client.get(document.url).status_code == 403


def test_the_page_explorer_shows_the_translator_the_other_language_trees_only(
    client, site, cast, translator
):
    french_home = submit_translation(client, cast.coordinator, site.home, "fr")
    client.force_login(translator)
    root = Page.get_first_root_node()
    response = client.get(f"/admin/pages/{root.pk}/", follow=True)
    # With one other language, the explorer opens at its home page; English is not there.
    assert response.redirect_chain[-1][0] == f"/admin/pages/{french_home.pk}/"
    assert f"/admin/pages/{site.home.pk}/edit/" not in html_of(response)
