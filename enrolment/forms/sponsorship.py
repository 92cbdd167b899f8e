"""Forms of the coordinators' sponsorship screens. They collect input and ask the services
in enrolment.services.sponsorship whether it is acceptable; a refusal becomes an error on the
field it is about. They hold no rules of their own."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from enrolment.forms.base import PlainTextMixin, add_service_error
from enrolment.models import (
    CostItem,
    Learner,
    ProgressReport,
    School,
    SchoolPlacement,
    Sponsor,
    Sponsorship,
)
from enrolment.models.schools import school_year_choices, school_year_label, school_year_of
from enrolment.services.sponsorship import (
    SponsorshipError,
    placement_check,
    school_check,
    sponsorship_check,
)


def child_label(learner: Learner) -> str:
    """Names repeat: the date of birth and learner number tell two Aminas apart."""
    if learner.date_of_birth:
        return _("%(name)s – born %(born)s (L%(pk)s)") % {
            "name": learner.preferred_name,
            "born": learner.date_of_birth.isoformat(),
            "pk": learner.pk,
        }
    return f"{learner.preferred_name} (L{learner.pk})"


def use_children(field: forms.ModelChoiceField, current_child_id: int | None) -> None:
    """Only children (under 18 today) to choose from, and the one already chosen, who may
    have turned 18 since."""
    children = Learner.objects.children()
    if current_child_id:
        children = children | Learner.objects.filter(pk=current_child_id)
    field.queryset = children.order_by("preferred_name", "pk")
    field.label_from_instance = child_label
    field.help_text = _("Children under 18. Record a child first under Enrolment › Learners.")


def use_school_years(field: forms.TypedChoiceField, current_year: int | None) -> None:
    choices = school_year_choices()
    if current_year is not None and current_year not in dict(choices):
        choices = sorted([*choices, (current_year, school_year_label(current_year))], reverse=True)
    field.choices = choices


def school_year_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("School year"),
        coerce=int,
        choices=school_year_choices,
        initial=lambda: school_year_of(timezone.localdate()),
        help_text=_("A school year runs from September to August."),
    )


# --- schools ----------------------------------------------------------------------------------


class SchoolForm(PlainTextMixin, WagtailAdminModelForm):
    """Grades left empty take the usual range of the school's type."""

    class Meta:
        model = School
        fields = ["name", "district", "school_type", "lowest_grade", "highest_grade"]
        error_messages = {"name": {"unique": _("A school with this name is already recorded.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lowest_grade", "highest_grade"):
            field = self.fields[name]
            field.required = False
            field.help_text = _(
                "%(help)s Leave empty for the usual grades of the school's type."
            ) % {"help": field.help_text}

    def clean(self):
        data = super().clean()
        if "school_type" not in data:
            return data  # the type has its own error already
        try:
            lowest, highest = school_check(
                school_type=data["school_type"],
                # An empty choice is "", not None; grades start at 1.
                lowest_grade=data.get("lowest_grade") or None,
                highest_grade=data.get("highest_grade") or None,
            )
        except SponsorshipError as error:
            add_service_error(self, error)
            return data
        data["lowest_grade"], data["highest_grade"] = lowest, highest
        return data


# --- sponsors ---------------------------------------------------------------------------------


class SponsorCreateForm(PlainTextMixin, WagtailAdminModelForm):
    """A new sponsor and their account: sponsor_create does both, in the view's save."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_(
            "The sponsor signs in with this email. They choose their password through "
            "“Forgot your password?” on the sign-in page."
        ),
    )

    class Meta:
        model = Sponsor
        fields = ["display_name"]


class SponsorEditForm(PlainTextMixin, WagtailAdminModelForm):
    """The account's email stays as it is: the sponsor signs in with it."""

    class Meta:
        model = Sponsor
        fields = ["display_name", "notes"]


# --- sponsorships -----------------------------------------------------------------------------


class SponsorshipForm(PlainTextMixin, WagtailAdminModelForm):
    covers = forms.MultipleChoiceField(
        label=_("What it covers"),
        choices=CostItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The school costs this sponsorship pays for."),
    )

    class Meta:
        model = Sponsorship
        fields = [
            "sponsor",
            "child",
            "starts_on",
            "ends_on",
            "amount",
            "frequency",
            "covers",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_children(self.fields["child"], self.instance.child_id)
        self.fields["sponsor"].queryset = Sponsor.objects.order_by("display_name", "pk")

    def clean(self):
        data = super().clean()
        needed = ("child", "starts_on", "amount", "frequency")
        if not all(data.get(name) is not None for name in needed):
            return data  # each missing field has its own error already
        try:
            sponsorship_check(
                child=data["child"],
                starts_on=data["starts_on"],
                ends_on=data.get("ends_on"),
                amount=data["amount"],
                frequency=data["frequency"],
                covers=data.get("covers", []),
            )
        except SponsorshipError as error:
            add_service_error(self, error)
        return data


# --- school places ----------------------------------------------------------------------------


class PlacementForm(PlainTextMixin, WagtailAdminModelForm):
    school_year = school_year_field()

    class Meta:
        model = SchoolPlacement
        fields = [
            "child",
            "school",
            "school_year",
            "grade",
            "fees",
            "uniform",
            "books",
            "transport",
            "other_costs",
            "other_costs_note",
        ]
        error_messages = {
            NON_FIELD_ERRORS: {
                "unique_together": _(
                    "This child already has a school place in that school year: change that "
                    "one instead."
                )
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_children(self.fields["child"], self.instance.child_id)
        use_school_years(self.fields["school_year"], self.instance.school_year)

    def clean(self):
        data = super().clean()
        if not all(data.get(name) is not None for name in ("child", "school", "grade")):
            return data
        if data.get("school_year") is None:
            return data
        try:
            placement_check(
                child=data["child"],
                school=data["school"],
                grade=data["grade"],
                school_year=data["school_year"],
            )
        except SponsorshipError as error:
            add_service_error(self, error)
        return data


# --- progress reports -------------------------------------------------------------------------


class ProgressReportForm(PlainTextMixin, WagtailAdminModelForm):
    """The sharing flag is not here: a report is shared from its "Review and share" page."""

    school_year = school_year_field()

    class Meta:
        model = ProgressReport
        fields = [
            "child",
            "school_year",
            "term",
            "school_attendance_percent",
            "teacher_comment",
            "caseworker_note",
        ]
        error_messages = {
            NON_FIELD_ERRORS: {
                "unique_together": _(
                    "This child already has a report for that term: change that one instead."
                )
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_children(self.fields["child"], self.instance.child_id)
        use_school_years(self.fields["school_year"], self.instance.school_year)
        if "caseworker_note" in self.fields:  # caseworkers only (enrolment/admin/sensitive.py)
            self.fields["caseworker_note"].label = _("Caseworker note (never shared with sponsors)")
