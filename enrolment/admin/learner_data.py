"""A person's request for everything the centre holds about them, answered from their record:
a page that says what the download holds, and a button that makes it (a POST, so that no link
preview or prefetch makes, and logs, a copy nobody asked for)."""

from django.contrib.admin.utils import quote
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.exports import attachment
from enrolment import access
from enrolment.models import Learner
from enrolment.services.subject_access import learner_data_export

ZIP = "application/zip"


@method_decorator(never_cache, name="dispatch")
class LearnerDataView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    # Whoever may open the learner's record may answer the learner's request for a copy.
    permission_required = "enrolment.view_learner"
    raise_exception = True
    template_name = "enrolment/admin/learners/data.html"
    page_title = gettext_lazy("Download all data held")
    header_icon = "download"

    @cached_property
    def learner(self) -> Learner:
        return get_object_or_404(access.learners_for_user(self.request.user), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.learner.list_name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("learners:index"), "label": _("Learners")},
            {
                "url": reverse("learners:edit", args=[quote(self.learner.pk)]),
                "label": self.learner.list_name,
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            learner=self.learner,
            complete=access.can_see_sensitive_fields(self.request.user),
            edit_url=reverse("learners:edit", args=[quote(self.learner.pk)]),
        )
        return context

    def post(self, request, *args, **kwargs):
        filename, content = learner_data_export(learner=self.learner, by=request.user)
        return attachment(content, filename=filename, content_type=ZIP)
