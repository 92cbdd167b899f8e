"""Forget this person: a coordinator anonymises one learner now, from their edit page, after
a page that says what goes and what stays, a reason and a tick that it cannot be undone."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.validators import single_line
from enrolment import access
from enrolment.admin.mixins import LearnerPageMixin
from enrolment.errors import ForgettingError
from enrolment.forms.base import add_service_error
from enrolment.models import Learner
from enrolment.services.forgetting import learner_anonymise


class ForgetForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is this person being forgotten?"),
        help_text=gettext_lazy(
            "Kept in the record's history, which only staff read. Do not write their name or "
            "contact details here."
        ),
        max_length=500,
        validators=[single_line],
    )
    understood = forms.BooleanField(label=gettext_lazy("I understand this cannot be undone"))


@method_decorator(never_cache, name="dispatch")
class LearnerForgetView(LearnerPageMixin, WagtailAdminTemplateMixin, FormView):
    form_class = ForgetForm
    template_name = "enrolment/admin/learners/forget.html"
    page_title = gettext_lazy("Forget this person")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not access.can_forget_learners(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(learner=self.learner, edit_url=self.edit_url, **kwargs)

    def form_valid(self, form):
        try:
            learner_anonymise(
                learner=self.learner, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ForgettingError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s was forgotten: their names, contacts and notes are removed.")
            % {"name": Learner.objects.get(pk=self.learner.pk).list_name},
        )
        return redirect(self.edit_url)
