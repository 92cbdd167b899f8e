"""Showing a course, category, partner or venue in the visitor's language, a page at a time.

Wagtail's `obj.localized` is the translation in the active language, else the object itself,
but it asks the database twice per object: a list of thirty classes would ask sixty times.
`translations_attach` fetches the translations of a whole list in one query per model and
keeps each on its object, where `LocalizedMixin.localized` finds it; an object nobody attached
falls back to Wagtail's own lookup, so a template is never wrong, only slower.
"""

from collections import defaultdict
from collections.abc import Iterable

from wagtail.models import DraftStateMixin, TranslatableMixin

from cms.languages import active_language


class LocalizedMixin:
    """For a TranslatableMixin model: `localized` answers from what translations_attach
    fetched for the active language, without a query."""

    @property
    def localized(self):
        attached = self.__dict__.get("_localized")
        if attached is not None and attached[0] == active_language():
            return attached[1]
        return super().localized


def translations_attach(objects: Iterable[TranslatableMixin | None]) -> None:
    """Give every object its translation in the active language (itself where there is none,
    or where only a draft is), one query per model whatever the number of objects. `None`s,
    as an empty foreign key gives, are skipped."""
    language = active_language()
    by_model = defaultdict(list)
    for obj in objects:
        if obj is not None:
            by_model[type(obj)].append(obj)
    for model, found in by_model.items():
        translations = model._default_manager.filter(
            translation_key__in={obj.translation_key for obj in found},
            locale__language_code=language,
        )
        if issubclass(model, DraftStateMixin):
            translations = translations.filter(live=True)
        by_key = {translation.translation_key: translation for translation in translations}
        for obj in found:
            obj._localized = (language, by_key.get(obj.translation_key, obj))
