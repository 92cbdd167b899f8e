"""Calendar feeds: a person's classes as an iCalendar (.ics) URL their phone subscribes to.

The URL carries a private token instead of a login, because calendar apps cannot sign in: the
token *is* the identity, so a feed only ever holds its owner's classes, and a new link
(``calendar_token_revoke``) turns the old URL into a 404.

A learner's feed holds the sessions of the runs they held a seat in, from the day they took it
to the day they left; a teacher's (or a coordinator's) the sessions of the runs they teach.
Nothing in a feed names a learner: a feed leaks when a phone is lost or a link is shared.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from urllib.parse import urlsplit

import icalendar
import segno
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.formats import local_date
from cms.roles import TEACHERS, has_role, is_coordinator
from courses.choices import RunStatus, SessionStatus
from courses.models import Session, translations_attach
from enrolment.models import CalendarToken, Enrolment
from enrolment.models.calendars import new_calendar_token

# How far back a feed reaches: enough for "when was that class?", not years of history.
PAST_DAYS = 180
# Calendar apps poll a subscription on their own schedule; this asks for twice a day or so.
REFRESH = dt.timedelta(hours=6)


def uid_domain() -> str:
    """The site's own host, for event UIDs: stable, so that a calendar app recognises a moved
    session as the same event rather than a new one."""
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "centre.invalid"


def calendar_token_get_or_create(*, user: AbstractBaseUser) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


def calendar_token_revoke(*, user: AbstractBaseUser) -> CalendarToken:
    """Give the user a new link; the old one stops working at once."""
    with transaction.atomic():
        token, created = CalendarToken.objects.select_for_update().get_or_create(user=user)
        if not created:
            token.token = new_calendar_token()
            token.created_at = timezone.now()
            token.save(update_fields=["token", "created_at"])
    return token


def calendar_user_for_token(token: str) -> AbstractBaseUser | None:
    """The active account a feed token belongs to; None for an unknown or replaced token."""
    found = (
        CalendarToken.objects.filter(token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    return found.user if found else None


# --- which sessions ---------------------------------------------------------------------------


def _sessions():
    return (
        Session.objects.exclude(run__status=RunStatus.DRAFT)
        .select_related("run", "run__course", "run__venue", "venue")
        .order_by("date", "start_time", "pk")
    )


def _starts(session: Session) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(session.date, session.start_time))


def _ends(session: Session) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(session.date, session.end_time))


def learner_sessions(*, user: AbstractBaseUser, since: dt.date) -> list[Session]:
    """Sessions of the runs this learner held a seat in, while they held it."""
    seats = defaultdict(list)  # run id -> [(took a seat, left or None)]
    enrolments = Enrolment.objects.filter(learner__user=user, enrolled_at__isnull=False)
    for run_id, enrolled_at, left_at in enrolments.values_list("run_id", "enrolled_at", "left_at"):
        seats[run_id].append((enrolled_at, left_at))
    if not seats:
        return []
    sessions = _sessions().filter(run_id__in=seats, date__gte=since)
    return [
        session
        for session in sessions
        if any(
            # As on the register: a seat taken before the class ended and not given up
            # before it began.
            enrolled_at < _ends(session) and (left_at is None or left_at > _starts(session))
            for enrolled_at, left_at in seats[session.run_id]
        )
    ]


def teaching_sessions(*, user: AbstractBaseUser, since: dt.date) -> list[Session]:
    """Sessions of the runs this person teaches (teachers and coordinators who also teach)."""
    if not (has_role(user, TEACHERS) or is_coordinator(user)):
        return []
    return list(_sessions().filter(run__teachers=user, date__gte=since))


def calendar_sessions(*, user: AbstractBaseUser, today: dt.date | None = None) -> list[Session]:
    since = (today or timezone.localdate()) - dt.timedelta(days=PAST_DAYS)
    by_pk = {s.pk: s for s in learner_sessions(user=user, since=since)}
    by_pk.update((s.pk, s) for s in teaching_sessions(user=user, since=since))
    return sorted(by_pk.values(), key=lambda s: (s.date, s.start_time, s.pk))


# --- the feed ---------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return ", ".join(part.strip() for part in text.splitlines() if part.strip())


def _event(
    session: Session, *, tz: zoneinfo.ZoneInfo, stamp: dt.datetime, domain: str
) -> icalendar.Event:
    run = session.run
    venue = session.effective_venue.localized
    cancelled = session.status == SessionStatus.CANCELLED or run.status == RunStatus.CANCELLED
    title = run.course.localized.title
    event = icalendar.Event()
    event.add("uid", f"session-{session.pk}@{domain}")
    event.add("dtstamp", stamp)
    event.add("dtstart", dt.datetime.combine(session.date, session.start_time, tzinfo=tz))
    event.add("dtend", dt.datetime.combine(session.date, session.end_time, tzinfo=tz))
    event.add("summary", _("%(course)s (cancelled)") % {"course": title} if cancelled else title)
    event.add("location", _one_line(f"{venue.name}\n{venue.address}"))
    lines = [_("Class code: %(code)s") % {"code": run.code}]
    if cancelled:
        lines.insert(0, _("This class is cancelled."))
    elif session.date != session.scheduled_date:
        lines.insert(
            0,
            _("Moved from %(date)s.")
            % {"date": local_date(session.scheduled_date, "MEDIUM_DATE_FORMAT")},
        )
    if session.note:
        lines.append(session.note)
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def calendar_for_user(*, user: AbstractBaseUser, now: dt.datetime | None = None) -> bytes:
    """The user's feed as iCalendar bytes: their classes, the cancelled ones marked so."""
    now = now or timezone.now()
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//Classes//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = _("%(centre)s: my classes") % {"centre": settings.WAGTAIL_SITE_NAME}
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    sessions = calendar_sessions(user=user, today=timezone.localdate(now))
    # Course titles and venues in the reader's language: one query each, not one per class.
    translations_attach(
        [session.run.course for session in sessions]
        + [session.effective_venue for session in sessions]
    )
    domain = uid_domain()
    for session in sessions:
        calendar.add_component(_event(session, tz=tz, stamp=now, domain=domain))
    if sessions:
        calendar.add_missing_timezones(
            first_date=sessions[0].date - dt.timedelta(days=1),
            last_date=sessions[-1].date + dt.timedelta(days=1),
        )
    return calendar.to_ical()


def calendar_qr_svg(*, url: str, title: str) -> str:
    """The feed's link as a QR code, an inline SVG: a phone's camera opens it to subscribe,
    from a computer's screen or another phone. Drawn on the server, so the page needs no
    script and the strict CSP no image source; segno escapes the title."""
    code = segno.make(url, error="m")
    return code.svg_inline(scale=5, border=4, light="#fff", title=title, svgclass="calendar-qr")
