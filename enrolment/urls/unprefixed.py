"""The URLs of enrolment that have one form in every language (cms.urls puts them outside
the language prefixes): the calendar feeds, which live in calendar apps, the language
switcher's links, and the addresses Twilio calls."""

from django.urls import path

from enrolment.urls import calendars
from enrolment.views import languages, twilio_hooks

urlpatterns = [
    path("language/<str:code>/", languages.choose, name="language"),
    *calendars.feeds,  # /calendar/<token>.ics
    path("messages/twilio/status/", twilio_hooks.status, name="twilio_status"),
    path("messages/twilio/inbound/", twilio_hooks.inbound, name="twilio_inbound"),
]
