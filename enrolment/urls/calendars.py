"""Calendar feeds. URL names are global like the rest of the public site's: "calendar" is the
page where a learner or teacher gets their feed link."""

from django.urls import path

from enrolment.views import calendars

urlpatterns = [
    path("calendar/", calendars.calendar, name="calendar"),
    path("calendar/new-link/", calendars.calendar_new_link, name="calendar_new_link"),
]

# The feed's URL lives in people's calendar apps: one URL, in no language (enrolment.urls.
# unprefixed).
feeds = [
    path("calendar/<str:token>.ics", calendars.calendar_feed, name="calendar_feed"),
]
