"""The URLs of enrolment that have one form in every language (cms.urls puts them outside
the language prefixes): the calendar feeds, which live in calendar apps, and the language
switcher's links."""

from django.urls import path

from enrolment.urls import calendars
from enrolment.views import languages

urlpatterns = [
    path("language/<str:code>/", languages.choose, name="language"),
    *calendars.feeds,  # /calendar/<token>.ics
]
