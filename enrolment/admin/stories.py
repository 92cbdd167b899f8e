"""Whose story a story page tells (StorySubject), and the guards that keep a story off the
site without its subject's story consent: serving answers 404, publishing is refused, and
withdrawing the consent unpublishes it (enrolment.services.consents)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from cms.models import StoryPage
from enrolment import access
from enrolment.admin.chooser import learner_chooser_viewset
from enrolment.errors import ConsentError
from enrolment.models import StorySubject
from enrolment.services.consents import story_is_allowed, story_subject_check, story_subject_link


def story_serve_guard(page, request, serve_args, serve_kwargs):
    """before_serve_page: a story whose subject withdrew consent is not there for anyone."""
    if isinstance(page, StoryPage) and not story_is_allowed(story=page):
        raise Http404


def story_publish_guard(request, page):
    """before_publish_page: refuse, with the reason, to publish such a story."""
    if isinstance(page, StoryPage) and not story_is_allowed(story=page):
        messages.error(
            request,
            _(
                "This story cannot be published: the learner it is about has not agreed to "
                "a story, or has withdrawn their consent."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


class StorySubjectPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return access.can_link_stories(user)

    def user_has_any_permission(self, user, actions):
        return access.can_link_stories(user)


class StorySubjectForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "learner" in self.fields:
            self.fields["learner"].widget = learner_chooser_viewset.widget_class()

    def clean_learner(self):
        learner = self.cleaned_data.get("learner")
        if learner is not None:
            try:
                story_subject_check(learner=learner)
            except ConsentError as error:
                raise forms.ValidationError(error.message) from None
        return learner


class _LinkSave:
    def save_instance(self):
        return story_subject_link(
            story=self.form.cleaned_data["story"],
            learner=self.form.cleaned_data["learner"],
            by=self.request.user,
        )


class StorySubjectCreateView(_LinkSave, CreateView):
    pass


class StorySubjectEditView(_LinkSave, EditView):
    pass


class StorySubjectViewSet(ModelViewSet):
    model = StorySubject
    icon = "openquote"
    url_prefix = "enrolment/story-subjects"
    url_namespace = "story_subjects"
    menu_label = gettext_lazy("Stories' learners")
    add_view_class = StorySubjectCreateView
    edit_view_class = StorySubjectEditView
    copy_view_enabled = False
    list_display = [
        "story",
        Column("learner", label=gettext_lazy("Learner"), accessor="learner.list_name"),
        "linked_at",
    ]
    list_per_page = 50
    list_export = []  # a handful of rows: nothing to download
    edit_handler = ObjectList(
        # A plain list of the stories (few): the page chooser breaks on a typed non-number.
        [FieldPanel("story", widget=forms.Select), FieldPanel("learner")],
        base_form_class=StorySubjectForm,
    )

    def get_queryset(self, request):
        return StorySubject.objects.select_related("story", "learner")
