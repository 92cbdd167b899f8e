"""Choosers that answer 404 or a form error, not 500, to an id that is not one.

A chooser of a translated snippet (a category, a partner, a venue) lists the originals only, in
the default locale: a course, a run or a session points at the original, and each visitor is
shown its translation. Choosing a translation would tie a page to one language.

A chooser's modal asks `.../chosen/<id>/` and `.../chosen-multiple/?id=...` with the ids it
listed, and its widget posts the chosen id with the form; anyone can send `abc` or `1.5`
instead, which Wagtail passes to the database lookup as is (ValueError: a 500). The form field
refuses such an id, but the widget showing the form again looked it up. Every chooser of the
project (the snippets' and the learner chooser) is built from the viewsets below.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.functional import cached_property
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet as WagtailChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.models import Locale, TranslatableMixin
from wagtail.snippets.views import chooser as snippet_chooser_views
from wagtail.snippets.views.chooser import SnippetChooserViewSet as WagtailSnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet as WagtailSnippetViewSet
from wagtail.snippets.widgets import AdminSnippetChooser


class CheckedIdMixin:
    def get_object(self, pk):
        try:
            return super().get_object(pk)
        except (TypeError, ValueError, ValidationError) as error:
            raise Http404 from error


class CheckedIdsMixin:
    def get_objects(self, pks):
        """The ids that are ids; the others choose nothing, as an unknown id does."""
        field = self.model_class._meta.pk
        ids = []
        for pk in pks:
            try:
                ids.append(field.to_python(pk))
            except ValidationError:
                continue
        return super().get_objects(ids)


class OriginalsOnlyMixin:
    @cached_property
    def i18n_enabled(self) -> bool:
        # No locale column or filter: there is one locale to choose from.
        return False

    def get_object_list(self):
        objects = super().get_object_list()
        if issubclass(self.model_class, TranslatableMixin):
            # By the locale's id, not a join: the search backend filters on indexed fields.
            objects = objects.filter(locale=Locale.get_default())
        return objects


class SnippetChooseView(OriginalsOnlyMixin, snippet_chooser_views.ChooseView):
    pass


class SnippetChooseResultsView(OriginalsOnlyMixin, snippet_chooser_views.ChooseResultsView):
    pass


class ChosenView(CheckedIdMixin, chooser_views.ChosenView):
    pass


class ChosenMultipleView(CheckedIdsMixin, chooser_views.ChosenMultipleView):
    pass


class SnippetChosenView(CheckedIdMixin, snippet_chooser_views.SnippetChosenView):
    pass


class SnippetChosenMultipleView(CheckedIdsMixin, snippet_chooser_views.SnippetChosenMultipleView):
    pass


class CheckedWidgetMixin:
    def get_instance(self, value):
        """An id that is not one shows as nothing chosen, as an unknown id does."""
        try:
            return super().get_instance(value)
        except (TypeError, ValueError, ValidationError):
            return None


class ChooserWidget(CheckedWidgetMixin, BaseChooser):
    pass


class SnippetChooserWidget(CheckedWidgetMixin, AdminSnippetChooser):
    pass


class ChooserViewSet(WagtailChooserViewSet):
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    base_widget_class = ChooserWidget


class SnippetChooserViewSet(WagtailSnippetChooserViewSet):
    choose_view_class = SnippetChooseView
    choose_results_view_class = SnippetChooseResultsView
    chosen_view_class = SnippetChosenView
    chosen_multiple_view_class = SnippetChosenMultipleView
    base_widget_class = SnippetChooserWidget


class SnippetViewSet(WagtailSnippetViewSet):
    """Every snippet viewset of the project: its chooser is the one above."""

    chooser_viewset_class = SnippetChooserViewSet
