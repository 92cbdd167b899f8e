"""A person's request for everything the centre holds about them, answered from their record:
a page that says what the download holds, and a button that makes it (a POST, so that no link
preview or prefetch makes, and logs, a copy nobody asked for)."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.exports import attachment
from enrolment import access
from enrolment.admin.mixins import LearnerPageMixin
from enrolment.services.subject_access import learner_data_export

ZIP = "application/zip"


@method_decorator(never_cache, name="dispatch")
class LearnerDataView(
    LearnerPageMixin, PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView
):
    # Whoever may open the learner's record may answer the learner's request for a copy.
    permission_required = "enrolment.view_learner"
    raise_exception = True
    template_name = "enrolment/admin/learners/data.html"
    page_title = gettext_lazy("Download all data held")
    header_icon = "download"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            learner=self.learner,
            complete=access.can_see_sensitive_fields(self.request.user),
            edit_url=self.edit_url,
        )
        return context

    def post(self, request, *args, **kwargs):
        filename, content = learner_data_export(learner=self.learner, by=request.user)
        return attachment(content, filename=filename, content_type=ZIP)
