"""Staff give a code from an authenticator app after their password (issue 11, defect 15)."""

from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.documents.models import Document

from tests.conftest import html_of, logged
from tests.factories import PASSWORD, CourseRunFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.REQUIRE_STAFF_2FA = True
    return settings


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def app_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def path_of(response) -> str:
    return urlsplit(response.url).path


def test_staff_without_an_app_are_sent_to_set_one_up(client, site, cast):
    client.force_login(cast.coordinator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert path_of(response) == "/accounts/two-factor/setup/"
    assert "next=%2Fadmin%2F" in response.url


def test_signing_in_to_the_admin_leads_to_the_code_step(client, site, cast):
    app_for(cast.coordinator)
    response = client.post(
        "/admin/login/", {"username": "coordinator", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/?next=")
    assert "Enter your code" in html_of(response)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/api/main/pages/",
        "/admin/enrolment/learners/",
        "/admin/reports/site-history/?export=csv",
        "/teach/",
        "/",
    ],
)
def test_staff_who_gave_no_code_reach_nothing(client, site, cast, path):
    app_for(cast.coordinator)
    client.force_login(cast.coordinator)
    response = client.get(path)
    assert response.status_code == 302
    assert path_of(response) == "/accounts/two-factor/"


def test_staff_who_gave_no_code_cannot_download_documents(client, site, cast, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    document = Document.objects.create(
        title="Consent forms", file=ContentFile(b"names and phones", name="consent.txt")
    )
    app_for(cast.coordinator)
    client.force_login(cast.coordinator)
    response = client.get(document.url)
    assert response.status_code == 302
    assert path_of(response) == "/accounts/two-factor/"


def test_setting_up_refuses_a_wrong_code_and_accepts_the_right_one(client, site, cast):
    client.force_login(cast.coordinator)
    page = client.get("/accounts/two-factor/setup/?next=/admin/")
    assert page.status_code == 200
    assert "<svg" in html_of(page)  # the QR code to scan
    device = TOTPDevice.objects.get(user=cast.coordinator)
    right = current_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    refused = client.post("/accounts/two-factor/setup/", {"code": wrong, "next": "/admin/"})
    assert refused.status_code == 200
    assert "That code is not right" in html_of(refused)
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302

    # A wrong code makes the device refuse every code for a second; that second has passed.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    accepted = client.post("/accounts/two-factor/setup/", {"code": right, "next": "/admin/"})
    assert accepted.status_code == 302
    assert accepted.url == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert logged(cast.coordinator, "cms.two_factor_setup") == 1


def test_each_sign_in_asks_for_a_code(client, site, cast):
    device = app_for(cast.coordinator)
    client.force_login(cast.coordinator)
    response = client.post("/accounts/two-factor/", {"code": "12 34 56x", "next": "/admin/"})
    assert "Enter the 6 digits" in html_of(response)
    response = client.post(
        "/accounts/two-factor/", {"code": current_code(device), "next": "/admin/"}
    )
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200

    client.logout()
    client.force_login(cast.coordinator)
    assert path_of(client.get("/admin/")) == "/accounts/two-factor/"


def test_guessed_codes_are_slowed_down(client, site, cast):
    device = app_for(cast.coordinator)
    client.force_login(cast.coordinator)
    right = current_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    first = client.post("/accounts/two-factor/", {"code": wrong})
    assert "That code is not right" in html_of(first)
    response = client.post("/accounts/two-factor/", {"code": right, "next": "/admin/"})
    assert response.status_code == 200
    assert "Too many wrong codes" in html_of(response)
    assert path_of(client.get("/admin/")) == "/accounts/two-factor/"


def test_the_code_step_sends_nowhere_but_this_site(client, site, cast):
    device = app_for(cast.coordinator)
    client.force_login(cast.coordinator)
    response = client.post(
        "/accounts/two-factor/", {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response.url == "/admin/"


@pytest.mark.parametrize(("member", "path"), [("learner", "/learn/"), ("teacher", "/teach/")])
def test_learners_and_teachers_sign_in_with_a_password_only(client, site, cast, member, path):
    client.force_login(getattr(cast, member))
    assert client.get(path).status_code == 200


def verified(client, user):
    device = TOTPDevice.objects.filter(user=user).first() or app_for(user)
    client.force_login(user)
    client.post("/accounts/two-factor/", {"code": current_code(device)})
    assert client.get("/admin/").status_code == 200


def test_a_coordinator_resets_a_colleagues_app(client, site, cast):
    colleague = UserFactory(username="colleague", groups=["Coordinators"])
    app_for(colleague)
    verified(client, cast.coordinator)
    listing = client.get("/admin/two-factor/")
    assert "colleague" in html_of(listing)

    response = client.post(f"/admin/two-factor/{colleague.pk}/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert logged(colleague, "cms.two_factor_reset") == 1

    client.logout()
    client.force_login(colleague)
    assert path_of(client.get("/admin/")) == "/accounts/two-factor/setup/"


def test_nobody_resets_their_own_app(client, site, cast):
    verified(client, cast.coordinator)
    client.post(f"/admin/two-factor/{cast.coordinator.pk}/reset/")
    assert TOTPDevice.objects.filter(user=cast.coordinator, confirmed=True).exists()


def test_only_coordinators_reset_an_app(client, site, cast):
    app_for(cast.coordinator)
    CourseRunFactory(teachers=[cast.teacher])
    client.force_login(cast.teacher)
    response = client.post(f"/admin/two-factor/{cast.coordinator.pk}/reset/")
    assert response.status_code == 302 and path_of(response) == "/admin/login/"
    assert TOTPDevice.objects.filter(user=cast.coordinator).exists()
