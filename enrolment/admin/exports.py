"""What the sponsorship and achievement listings download (Wagtail's `list_export`), kept here as
mixins for their viewsets so that each file says in one place what leaves the admin.

An export travels by email and USB stick, so it holds what the listing's readers need and no
more: no case reference, no caseworker note, no coordinators' notes, no school teacher's
comment. Choices come out as their labels and times in Hong Kong time (cms.exports).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SponsorExport:
    list_export = ["display_name", "user.email", "children_now", "created_at"]
    export_headings = {
        "display_name": _("Sponsor"),
        "user.email": _("Account email"),
        "children_now": _("Children sponsored now"),
        "created_at": _("Since"),
    }
    export_filename = "sponsors"


class SponsorshipExport:
    # Not the note: it is for coordinators, and may say why a family needs help.
    list_export = [
        "sponsor.display_name",
        "child.list_name",
        "starts_on",
        "ends_on",
        "amount",
        "frequency",
        "covers_labels",
        "created_at",
    ]
    export_headings = {
        "sponsor.display_name": _("Sponsor"),
        "child.list_name": _("Child"),
        "starts_on": _("Starts on"),
        "ends_on": _("Ends on"),
        "amount": _("Amount (HK$)"),
        "frequency": _("Frequency"),
        "covers_labels": _("Covers"),
        "created_at": _("Recorded"),
    }
    export_filename = "sponsorships"


class PlacementExport:
    list_export = [
        "child.list_name",
        "school.name",
        "school_year_label",
        "grade",
        "fees",
        "uniform",
        "books",
        "transport",
        "other_costs",
        "other_costs_note",
        "costs",
    ]
    export_headings = {
        "child.list_name": _("Child"),
        "school.name": _("School"),
        "school_year_label": _("School year"),
        "grade": _("Grade"),
        "fees": _("School fees (HK$)"),
        "uniform": _("Uniform (HK$)"),
        "books": _("Books (HK$)"),
        "transport": _("Transport (HK$)"),
        "other_costs": _("Other costs (HK$)"),
        "other_costs_note": _("What the other costs are"),
        "costs": _("Costs for the year (HK$)"),
    }
    export_filename = "school-places"


class ProgressReportExport:
    # Neither the caseworker's note nor the school teacher's comment (which may name people
    # and places until a coordinator reviews it): the figures only.
    list_export = [
        "child.list_name",
        "school_year_label",
        "term",
        "school_attendance_percent",
        "shared_with_sponsors",
        "shared_at",
    ]
    export_headings = {
        "child.list_name": _("Child"),
        "school_year_label": _("School year"),
        "term": pgettext_lazy("school term", "Term"),
        "school_attendance_percent": _("School attendance (%)"),
        "shared_with_sponsors": _("Shared with sponsors"),
        "shared_at": _("Shared on"),
    }
    export_filename = "progress-reports"


class QualificationExport:
    list_export = [
        "learner.list_name",
        "kind",
        "taken_on",
        "overall",
        "passed",
        "partner.name",
        "reference",
        "recorded_at",
    ]
    export_headings = {
        "learner.list_name": _("Learner"),
        "kind": _("Kind"),
        "taken_on": _("Date of the test"),
        "overall": _("Overall result"),
        "passed": _("Passed"),
        "partner.name": _("Awarded by"),
        "reference": _("Candidate or certificate number"),
        "recorded_at": _("Recorded"),
    }
    export_filename = "qualifications"
