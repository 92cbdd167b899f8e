"""Forms of the coordinators' admin screens. They collect input; the services decide."""

from django import forms
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image
from wagtail.admin.forms import WagtailAdminModelForm

from courses.models import CourseRun
from enrolment.errors import AccountError
from enrolment.forms.base import PlainTextMixin
from enrolment.models import PHONE_INVALID, Enrolment, Learner, normalise_phone
from enrolment.services.message_consent import channel_check
from enrolment.services.photos import FORMAT_EXTENSIONS, photo_redraw
from enrolment.services.spreadsheets import MAX_BYTES

PHOTO_MAX_BYTES = 2 * 1024 * 1024


class LearnerAdminForm(PlainTextMixin, WagtailAdminModelForm):
    """The learner's record. Phone numbers are normalised before the uniqueness check, so
    that "9123 4567" is recognised as the "+85291234567" already on file.

    `messages_agreed` is not a column: the edit view records it with learner_channel_set,
    which keeps who recorded the consent (the staff member) and when."""

    messages_agreed = forms.BooleanField(
        label=_("The learner agreed to messages"),
        required=False,
        help_text=_(
            "Ask them first: “May the centre send you messages about your classes? "
            "You can reply STOP at any time.” Untick it if they say no: nothing more is sent."
        ),
    )

    class Meta:
        model = Learner
        fields = "__all__"
        widgets = {
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        learner = self.instance
        if "message_channel" in self.fields:
            # Left out of a form (an old bookmark, a script), the channel stays as it was.
            self.fields["message_channel"].required = False
        self.fields["messages_agreed"].initial = (
            learner.messages_consent_at is not None and learner.messages_stopped_at is None
        )
        if learner.messages_stopped_at is not None:
            self.fields["messages_agreed"].help_text = _(
                "They replied STOP on %(date)s. Tick this only if they agree again."
            ) % {"date": f"{timezone.localtime(learner.messages_stopped_at):%d %b %Y}"}
        if "photo" in self.fields:
            self.fields["photo"].help_text = _(
                "A JPEG, PNG or WebP picture of at most %(size)d MB. Where it was taken and "
                "the camera's other details are removed when it is saved. A child's sponsors "
                "see it only while photo consent is recorded above."
            ) % {"size": PHOTO_MAX_BYTES // (1024 * 1024)}

    def clean_photo(self):
        """An image (Django's ImageField has already opened it with Pillow), small enough,
        kept without what the camera wrote into the file (see services.photos)."""
        photo = self.cleaned_data.get("photo")
        if not photo or photo == self.initial.get("photo"):
            return photo  # nothing new uploaded
        if photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(
                _("The photo is larger than %(size)d MB. Choose a smaller picture.")
                % {"size": PHOTO_MAX_BYTES // (1024 * 1024)}
            )
        image = getattr(photo, "image", None)
        if image is None or image.format not in FORMAT_EXTENSIONS:
            raise forms.ValidationError(_("Upload a photo as a JPEG, PNG or WebP picture."))
        try:
            return photo_redraw(upload=photo)
        except (OSError, ValueError, Image.DecompressionBombError):
            # Pillow read the header but not the pixels: a cut-off or damaged file. (Once a
            # process has imported WeasyPrint, Pillow draws a cut-off file grey where it ends
            # instead: WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES for everyone.)
            raise forms.ValidationError(
                _("This picture could not be read. It may be damaged; try another copy.")
            ) from None

    def _clean_phone(self, name: str) -> str:
        raw = self.cleaned_data.get(name, "")
        phone = normalise_phone(raw) if raw else ""
        if raw and not phone:
            raise forms.ValidationError(PHONE_INVALID)
        return phone

    def clean_phone(self):
        return self._clean_phone("phone")

    def clean_guardian_phone(self):
        return self._clean_phone("guardian_phone")

    def clean_email(self):
        return self.cleaned_data.get("email", "").strip().lower()

    def clean_message_channel(self):
        return self.cleaned_data.get("message_channel") or self.instance.message_channel

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("message_channel")
        if channel and not self.errors:
            try:
                channel_check(
                    channel=channel,
                    has_phone=bool(cleaned.get("phone") or cleaned.get("guardian_phone")),
                    has_email=bool(cleaned.get("email")),
                )
            except AccountError as error:
                self.add_error("message_channel", error.message)
        return cleaned


class EnrolmentOnBehalfForm(PlainTextMixin, WagtailAdminModelForm):
    """Enrol a learner in a run on their behalf. The learner field gets Wagtail's chooser
    (registered by the learner chooser viewset); saving goes through enrolment_create."""

    class Meta:
        model = Enrolment
        fields = ["learner", "run"]
        labels = {"learner": _("Learner"), "run": _("Class (run)")}
        help_texts = {
            "run": _(
                "Classes that are published and have not ended. The usual rules apply: "
                "a full class puts the learner on its waitlist; a review class records an "
                "application."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = (
            CourseRun.objects.upcoming().select_related("course").order_by("start_date", "code")
        )


class ReasonForm(PlainTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_(
            "Kept in the enrolment's history. The learner is told by their chosen way: "
            "WhatsApp, text or email."
        ),
    )


class ApproveForm(PlainTextMixin, forms.Form):
    """Nothing to fill in: the POST itself is the confirmation."""


class MoveForm(PlainTextMixin, forms.Form):
    to_run = forms.ModelChoiceField(
        label=_("Move to"),
        queryset=CourseRun.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_(
            "Kept in the enrolment's history. Needed when moving to another course, e.g. "
            "“placement test: level A2”."
        ),
    )

    def __init__(self, *args, enrolment: Enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # Any class taking enrolments today, of any course (a level change after a placement
        # test); this course's classes first.
        self.fields["to_run"].queryset = (
            CourseRun.objects.upcoming(today)
            .filter(Q(enrolment_opens__isnull=True) | Q(enrolment_opens__lte=today))
            .filter(Q(enrolment_closes__isnull=True) | Q(enrolment_closes__gte=today))
            .with_seats()
            .exclude(pk=enrolment.run_id)
            .select_related("course", "venue")
            .annotate(
                other_course=Case(
                    When(course_id=enrolment.run.course_id, then=Value(0)), default=Value(1)
                )
            )
            .order_by("other_course", "course__title", "start_date", "code")
        )
        self.fields["to_run"].label_from_instance = _run_label


def _run_label(run: CourseRun) -> str:
    label = _(
        "%(code)s (%(course)s): from %(start)s, %(schedule)s, %(venue)s, "
        "%(left)d of %(seats)d seats free"
    )
    return label % {
        "code": run.code,
        "course": run.course.title,
        "start": f"{run.start_date:%d %b %Y}",
        "schedule": run.schedule_label,
        "venue": run.venue.name,
        "left": max(run.seats_left, 0),
        "seats": run.capacity,
    }


class StaffPlacementForm(PlainTextMixin, forms.Form):
    """A learner, a class and why: placing a latecomer, or recording a past course. The view
    gives the classes to choose from and a chooser for the learner."""

    learner = forms.ModelChoiceField(label=_("Learner"), queryset=Learner.objects.none())
    run = forms.ModelChoiceField(label=_("Class"), queryset=CourseRun.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Kept in the enrolment's history, e.g. “walk-in, placement test A1”."),
    )

    def __init__(self, *args, learners, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = learners
        self.fields["run"].queryset = runs.select_related("course")


class BulkReviewForm(PlainTextMixin, forms.Form):
    APPROVE = "approve"
    DECLINE = "decline"

    selected = forms.ModelMultipleChoiceField(
        label=_("Applications"),
        queryset=Enrolment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one application.")},
    )
    action = forms.ChoiceField(
        choices=[(APPROVE, _("Approve selected")), (DECLINE, _("Decline selected"))]
    )
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Needed to decline; the same reason is recorded for everyone selected."),
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = applications

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.DECLINE and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give a reason for declining; it is kept in the history."))
        return cleaned


class ImportForm(PlainTextMixin, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        allow_empty_file=True,  # the import service says what is wrong with an empty file
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(size)d MB.") % {
            "size": MAX_BYTES // (1024 * 1024)
        }


class EndEarlyForm(PlainTextMixin, forms.Form):
    last_day = forms.DateField(
        label=_("New last day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Classes after this day are cancelled."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Learners see it in their message and on each cancelled class."),
    )
