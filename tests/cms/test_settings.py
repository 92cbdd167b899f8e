import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "r0duct10n-s3cr3t-k3y-th@t-1s-l0ng-3n0ugh-xyz",
    "ALLOWED_HOSTS": "learn.example.org",
    "DJANGO_SETTINGS_MODULE": "cms.settings",
    "MESSAGES_BACKEND": "enrolment.services.message_backends.TwilioBackend",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "t" * 32,
    "TWILIO_SMS_FROM": "+85230001234",
}


# The test run puts these in os.environ; a production process starts without them.
OURS = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests
    "CACHE_URL",
    "REDIS_URL",
    "REQUIRE_STAFF_2FA",
    "TRANSLATION_EDITING",
    "TRANSLATION_EDITING_WRITES_FILES",
    "MESSAGES_BACKEND",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_SMS_FROM",
    "TWILIO_WHATSAPP_FROM",
    "TASKS_BACKEND",
}
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in OURS}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_passes_the_deployment_checklist():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, CACHE_URL=REDIS_URL
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_checklist_warns_of_a_cache_of_each_process_own():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode != 0
    assert "cms.W001" in result.stderr + result.stdout


def test_production_requires_staff_to_give_a_second_factor():
    shown = "from django.conf import settings; print(settings.REQUIRE_STAFF_2FA)"
    assert manage("shell", "-c", shown, **PRODUCTION).stdout.split()[-1] == "True"
    development = {**PRODUCTION, "DEBUG": "1"}
    assert manage("shell", "-c", shown, **development).stdout.split()[-1] == "False"


def test_the_checklist_warns_when_staff_sign_in_with_a_password_only():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        CACHE_URL=REDIS_URL,
        REQUIRE_STAFF_2FA="0",
    )
    assert result.returncode != 0
    assert "cms.W002" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "50 or more characters" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_misspelt_boolean_stops_the_server():
    result = manage("check", **{**PRODUCTION, "DEBUG": "ture"})
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


def test_env_helpers_read_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.org, b.org,")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 0) == 42
    assert env_list("X_LIST") == ["a.org", "b.org"]
    assert env_str("X_MISSING", default="fallback") == "fallback"


def test_env_helpers_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_INT", "forty")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("X_INT", 0)
    monkeypatch.delenv("X_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_REQUIRED must be set"):
        env_str("X_REQUIRED")


def test_twilio_without_its_credentials_refuses_to_start():
    result = manage("check", **{**PRODUCTION, "TWILIO_AUTH_TOKEN": "", "TWILIO_SMS_FROM": ""})
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert "cms.E001" in output and "TWILIO_AUTH_TOKEN" in output and "TWILIO_SMS_FROM" in output


def test_the_checklist_warns_when_texts_would_only_be_printed():
    console = "enrolment.services.message_backends.ConsoleBackend"
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION, "MESSAGES_BACKEND": console},
        CACHE_URL=REDIS_URL,
    )
    assert result.returncode != 0
    assert "cms.W005" in result.stderr + result.stdout
