"""Where a text or WhatsApp message leaves the site: one small class per provider.

`MESSAGES_BACKEND` picks one: the console in development (the message is printed), an
in-memory outbox in tests, Twilio in production. Email always goes through Django's own
email backend, so `EMAIL_BACKEND` decides where it goes.

A backend either returns the provider's id for the message, or raises `SendFailed`, saying
whether trying again later may work (the provider was down) or not (the number does not
exist). Nothing here touches the database: the messaging service records the outcome.
"""

import logging
import sys
import threading
import uuid
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    channel: str  # "sms" or "whatsapp"
    to: str  # E.164, e.g. +85291230001
    body: str
    status_callback: str = ""


class SendFailed(Exception):
    def __init__(self, reason: str, *, retry: bool):
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


class ConsoleBackend:
    """Development: print the message, so whoever runs the demo sees what would be sent."""

    def send(self, message: Outgoing) -> str:
        sys.stdout.write(f"--- {message.channel} to {message.to}\n{message.body}\n---\n")
        return f"console-{uuid.uuid4().hex[:16]}"


class MemoryBackend:
    """Tests: keep what was sent in `outbox`; `fail_next` makes the next sends fail."""

    outbox: list[Outgoing] = []
    failures: list[SendFailed] = []
    _lock = threading.Lock()

    def send(self, message: Outgoing) -> str:
        with self._lock:
            if self.failures:
                raise self.failures.pop(0)
            self.outbox.append(message)
            return f"SM{uuid.uuid4().hex}"

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls.outbox.clear()
            cls.failures.clear()


class TwilioBackend:
    """Production: Twilio's Messages API, through its official client, for SMS and WhatsApp."""

    def __init__(self):
        from twilio.rest import Client

        missing = [
            name
            for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN")
            if not getattr(settings, name, "")
        ]
        if missing:
            raise ImproperlyConfigured(f"The Twilio backend needs {', '.join(missing)}.")
        self.client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
        # Only tests change this: they point the real client at a local server that answers
        # like Twilio's Messages API.
        self.client.api.base_url = settings.TWILIO_API_URL

    def send(self, message: Outgoing) -> str:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        if message.channel == "whatsapp":
            sender, to = settings.TWILIO_WHATSAPP_FROM, f"whatsapp:{message.to}"
        else:
            sender, to = settings.TWILIO_SMS_FROM, message.to
        if not sender:
            raise SendFailed(f"No sender number is set for {message.channel}.", retry=False)
        options = {"to": to, "from_": sender, "body": message.body}
        if message.status_callback:
            options["status_callback"] = message.status_callback
        try:
            sent = self.client.messages.create(**options)
        except TwilioRestException as error:
            # 4xx: the request is wrong (a bad number, an unverified sender): trying again
            # will not help. 429 and 5xx: Twilio is busy or down.
            retry = error.status == 429 or error.status >= 500
            reason = f"Twilio {error.status} {error.code}: {error.msg}"
            raise SendFailed(reason, retry=retry) from error
        except (TwilioException, OSError) as error:
            raise SendFailed(f"Twilio unreachable: {error}", retry=True) from error
        return sent.sid


@cache
def _backend_class(path: str):
    return import_string(path)


def message_backend():
    """The configured backend for texts and WhatsApp messages."""
    return _backend_class(settings.MESSAGES_BACKEND)()
