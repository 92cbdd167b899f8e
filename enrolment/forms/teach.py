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
