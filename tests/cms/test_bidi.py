"""On an Arabic or Urdu page, names, codes, phone numbers and course titles keep their own
direction: "+852 9123 4567" and "ENG-A1-01" never read reversed, a Latin name never drags the
Arabic words around it out of order."""

import pytest

from cms.templatetags.bidi_tags import isolate
from enrolment.models import Learner
from tests.conftest import html_of
from tests.factories import CoursePageFactory, CourseRunFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


class Arabic:
    """A visitor reading the site in Arabic: every page under /ar/, as the switcher leads."""

    def __init__(self, client):
        self.client = client

    def get(self, path, **kwargs):
        return self.client.get(f"/ar{path}", **kwargs)

    def __getattr__(self, name):  # force_login and the rest, as the client has them
        return getattr(self.client, name)


@pytest.fixture
def arabic(client):
    return Arabic(client)


def test_the_page_says_it_reads_right_to_left(arabic, site):
    html = html_of(arabic.get("/"))
    assert '<html lang="ar" dir="rtl">' in html


def test_a_course_page_isolates_its_class_code_and_title(arabic, site):
    course = CoursePageFactory(title="English for starters", parent=site.catalogue)
    CourseRunFactory(course=course, code="ENG-A1-01")
    html = html_of(arabic.get(course.url))
    assert '<h1 dir="auto">English for starters</h1>' in html
    assert '<bdi dir="ltr">ENG-A1-01</bdi>' in html


def test_the_sign_up_form_takes_phone_and_email_left_to_right(arabic, site):
    html = html_of(arabic.get("/accounts/signup/"))
    assert 'type="tel"' in html
    for name in ("phone", "email"):
        tag = html.split(f'name="{name}"')[0].rsplit("<input", 1)[1]
        tag += html.split(f'name="{name}"')[1].split(">", 1)[0]
        assert 'dir="ltr"' in tag, (name, tag)


def test_the_learners_name_and_class_code_are_isolated_on_learn(arabic, site, cast):
    learner = Learner.objects.get(user=cast.learner)
    course = CoursePageFactory(title="GED preparation", parent=site.catalogue)
    EnrolmentFactory(learner=learner, run=CourseRunFactory(course=course, code="GED-01"))
    arabic.force_login(cast.learner)
    html = html_of(arabic.get("/learn/"))
    assert "<bdi>Lea</bdi>" in html
    assert '<bdi dir="ltr">GED-01</bdi>' in html
    assert '<h3 dir="auto">' in html


def test_isolate_escapes_what_it_wraps():
    assert isolate("<b>Omar</b>") == "<bdi>&lt;b&gt;Omar&lt;/b&gt;</bdi>"
    assert isolate("+852 9123 4567", "ltr") == '<bdi dir="ltr">+852 9123 4567</bdi>'
    assert isolate("x", "sideways") == "<bdi>x</bdi>"
    assert isolate("") == ""
