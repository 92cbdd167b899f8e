"""The teachers' forms on /teach/."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RegisterUploadForm(forms.Form):
    """A filled-in paper register. The file is checked by register_import, not here."""

    file = forms.FileField(
        label=_("Filled-in register (.xlsx)"),
        help_text=_("The register you downloaded from this page, with P, L, E or A typed in."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class TeachRunFilterForm(forms.Form):
    """Coordinators see every class on /teach/: this narrows the page to one."""

    run = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Class"), empty_label=_("All classes")
    )

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = runs


class ClassMessageForm(forms.Form):
    """A message from staff to a class. The text's rules (required, length, characters) are
    the class_messages service's, so the preview and the send refuse the same things."""

    audience = forms.ChoiceField(
        label=_("Who gets it"),
        choices=[
            ("enrolled", _("Everyone enrolled")),
            ("waitlist", _("Everyone on the waitlist (and those offered a seat)")),
            ("both", _("Both")),
        ],
        initial="enrolled",
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Message"),
        help_text=_(
            "Written as you type it, in one language: keep it short and plain. "
            "Up to 600 characters."
        ),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 600}),
    )
    # Made when the preview is shown: a second click on "Send" writes nothing more.
    token = forms.CharField(required=False, widget=forms.HiddenInput)
