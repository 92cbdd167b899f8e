"""Choosers that answer 404 or a form error, not 500, to an id that is not one.

A chooser's modal asks `.../chosen/<id>/` and `.../chosen-multiple/?id=...` with the ids it
listed, and its widget posts the chosen id with the form; anyone can send `abc` or `1.5`
instead, which Wagtail passes to the database lookup as is (ValueError: a 500). The form field
refuses such an id, but the widget showing the form again looked it up. Every chooser of the
project (the snippets' and the learner chooser) is built from the viewsets below.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet as WagtailChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser
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
    chosen_view_class = SnippetChosenView
    chosen_multiple_view_class = SnippetChosenMultipleView
    base_widget_class = SnippetChooserWidget


class SnippetViewSet(WagtailSnippetViewSet):
    """Every snippet viewset of the project: its chooser is the one above."""

    chooser_viewset_class = SnippetChooserViewSet
