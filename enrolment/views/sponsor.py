"""/sponsor/: what a sponsor's support achieves, never who or where the child is.

Every view reads through enrolment.services.sponsor_portal, scoped to the signed-in sponsor,
and gets back small frozen records of the allowed fields, never a Learner. Another sponsor's
child, an unshared report, a photo without consent: each is the same 404 as an id that does
not exist. Someone signed in without a sponsor record gets a page that says so.
"""

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from cms.exports import attachment
from enrolment import access
from enrolment.models.schools import school_year_label, school_year_of
from enrolment.services.sponsor_portal import (
    child_photo_name,
    shared_report,
    sponsor_child,
    sponsor_child_page,
    sponsor_children,
    sponsor_upcoming,
)
from enrolment.services.sponsor_statements import (
    sponsor_statement,
    statement_centre_name,
    statement_filename,
    statement_pdf,
    statement_workbook,
    statement_years,
)

PHOTO_MAX_AGE = 3600
PDF_RATE = "20/m"  # each PDF costs the server a second or so
# The photo's type from its first bytes, not its name, which the uploader chose. Anything that
# is not one of these images is not served.
IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


@login_required
@never_cache
@require_GET
@access.sponsor_required
def home(request, *, sponsor_name: str):
    today = timezone.localdate()
    year = school_year_of(today)
    return render(
        request,
        "enrolment/sponsor/home.html",
        {
            "sponsor_name": sponsor_name,
            "cards": sponsor_children(user=request.user, today=today),
            "upcoming": sponsor_upcoming(user=request.user, today=today),
            "year": year,
            "statement_years": [
                (each, school_year_label(each))
                for each in statement_years(user=request.user, today=today)
            ],
        },
    )


@login_required
@never_cache
@require_GET
@access.sponsor_required
def child(request, pk: int, *, sponsor_name: str):
    page = sponsor_child_page(user=request.user, child_id=pk)
    if page is None:
        raise Http404
    return render(
        request,
        "enrolment/sponsor/child.html",
        {"page": page, "card": page.card, "year": school_year_of(timezone.localdate())},
    )


@login_required
@never_cache
@require_GET
@access.sponsor_required
def report(request, pk: int, report_pk: int, *, sponsor_name: str):
    card = sponsor_child(user=request.user, child_id=pk)
    found = shared_report(user=request.user, child_id=pk, report_id=report_pk) if card else None
    if found is None:
        raise Http404
    return render(request, "enrolment/sponsor/report.html", {"card": card, "report": found})


def _image_type(head: bytes) -> str | None:
    for signature, content_type in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@login_required
@require_GET
@access.sponsor_required
def child_photo(request, pk: int, *, sponsor_name: str):
    name = child_photo_name(user=request.user, child_id=pk)
    if not name:
        raise Http404
    try:
        photo = default_storage.open(name, "rb")
    except OSError:
        raise Http404 from None
    content_type = _image_type(photo.read(16))
    if content_type is None:
        photo.close()
        raise Http404
    photo.seek(0)
    response = FileResponse(photo, content_type=content_type)
    # The photo's random file name would say nothing, but a name is not needed at all.
    response.headers.pop("Content-Disposition", None)
    response["Cache-Control"] = f"private, max-age={PHOTO_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _years_with_statements(request) -> list[int]:
    """Years the sponsor had a sponsorship in, and this one (its statement may be empty),
    newest first."""
    this_year = school_year_of(timezone.localdate())
    return sorted({this_year, *statement_years(user=request.user)}, reverse=True)


def _statement_for(request, year: int, years: list[int] | None = None):
    """The sponsor's statement for a school year that can have one; 404 for any other year."""
    if year not in (years or _years_with_statements(request)):
        raise Http404
    statement = sponsor_statement(user=request.user, school_year=year)
    if statement is None:  # the record went between the check and here
        raise Http404
    return statement


@login_required
@never_cache
@require_GET
@access.sponsor_required
def statement(request, year: int, *, sponsor_name: str):
    years = _years_with_statements(request)
    found = _statement_for(request, year, years)
    return render(
        request,
        "enrolment/sponsor/statement.html",
        {
            "statement": found,
            "year": year,
            "other_years": [(each, school_year_label(each)) for each in years if each != year],
            "centre_name": statement_centre_name(request=request),
            "generated_on": timezone.localdate(),
        },
    )


@login_required
@never_cache
@require_GET
@access.sponsor_required
def statement_xlsx(request, year: int, *, sponsor_name: str):
    found = _statement_for(request, year)
    return attachment(
        statement_workbook(statement=found, centre_name=statement_centre_name(request=request)),
        filename=statement_filename(statement=found, extension="xlsx"),
    )


@login_required
@never_cache
@require_GET
@ratelimit(key="user", rate=PDF_RATE, block=True)
@access.sponsor_required
def statement_pdf_download(request, year: int, *, sponsor_name: str):
    found = _statement_for(request, year)
    return attachment(
        statement_pdf(statement=found, centre_name=statement_centre_name(request=request)),
        content_type="application/pdf",
        filename=statement_filename(statement=found, extension="pdf"),
    )
