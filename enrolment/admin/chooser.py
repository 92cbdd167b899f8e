"""Choosing a learner in a form, searched by name, email or phone digits."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenMultipleView,
    ChosenView,
)

from cms.choosers import CheckedIdMixin, CheckedIdsMixin, ChooserViewSet
from enrolment import access
from enrolment.admin.mixins import search_condition
from enrolment.admin.sensitive import learner_text_fields
from enrolment.models import Learner


class LearnerSearchForm(BaseFilterForm):
    q = forms.CharField(label=gettext_lazy("Search term"), required=False)
    user = None  # set by the view: what a search may match depends on who searches

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        return objects.filter(
            search_condition(
                query,
                text_fields=learner_text_fields(self.user),
                phone_fields=["phone"],
                number_field="pk",
            )
        )


class LearnerChooserMixin:
    filter_form_class = LearnerSearchForm

    def get_object_list(self):
        return access.learners_for_user(self.request.user)

    def get_filter_form(self):
        form = super().get_filter_form()
        form.user = self.request.user
        return form

    @property
    def columns(self):
        return [
            self.title_column,
            Column("phone", label=_("Phone")),
            Column("email", label=_("Email")),
            Column("date_of_birth", label=_("Date of birth")),
        ]


class LearnerChooseView(LearnerChooserMixin, ChooseView):
    pass


class LearnerChooseResultsView(LearnerChooserMixin, ChooseResultsView):
    pass


class LearnersForUserMixin:
    """The chosen learner(s) looked up among those the user may see: a translator may open the
    admin, and an id in the URL must not tell them a learner's name."""

    def get_object(self, pk):
        return access.learners_for_user(self.request.user).get(pk=pk)

    def get_objects(self, pks):
        return access.learners_for_user(self.request.user).filter(pk__in=pks)


class LearnerChosenView(CheckedIdMixin, LearnersForUserMixin, ChosenView):
    pass


class LearnerChosenMultipleView(CheckedIdsMixin, LearnersForUserMixin, ChosenMultipleView):
    pass


class LearnerChooserViewSet(ChooserViewSet):
    model = Learner
    icon = "user"
    url_prefix = "enrolment/choose-learner"
    choose_one_text = gettext_lazy("Choose a learner")
    choose_another_text = gettext_lazy("Choose another learner")
    edit_item_text = gettext_lazy("Edit learner")
    choose_view_class = LearnerChooseView
    choose_results_view_class = LearnerChooseResultsView
    chosen_view_class = LearnerChosenView
    chosen_multiple_view_class = LearnerChosenMultipleView
    # Only the enrolment form uses it; other forms keep their usual select.
    register_widget = False


learner_chooser_viewset = LearnerChooserViewSet("learner_chooser")
