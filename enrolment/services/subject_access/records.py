"""How one section of a person's data is written down: each record a dict of plain JSON values
keyed by field name, and beside it the readable label of every key (the field's own verbose
name), for the PDF and for whoever reads the JSON.

Dates are ISO 8601, times in Hong Kong time with their offset; a choice is its label ("Waiting"
rather than "open"); a member of staff is their name as colleagues know it.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cms.roles import staff_name

# What a copy made by someone who may not read a restricted field says in its place: the
# person learns that something is held, and who can give it to them.
WITHHELD = _("Recorded. Ask a caseworker at the centre for a copy that includes it.")


def plain(value: Any) -> Any:
    """`value` as JSON can hold it."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return bool(value)  # a photo is on file, or not; its pixels are not text
    if isinstance(value, models.Model):
        return staff_name(value) if value._meta.label == settings.AUTH_USER_MODEL else str(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass
class Section:
    """One part of what is held: a title, the labels of its keys, and its records."""

    key: str
    title: str
    labels: dict[str, str] = field(default_factory=dict)
    records: list[dict] = field(default_factory=list)

    def read(
        self,
        obj: models.Model,
        names: list[str],
        *,
        restricted: tuple[str, ...] = (),
        include_sensitive: bool = True,
        **extra: tuple[str, Any],
    ) -> dict:
        """A record of `obj`'s fields `names`, then `extra` keys given as (label, value).
        A `restricted` field without `include_sensitive` says only whether one is held."""
        record = {}
        for name in names:
            model_field = obj._meta.get_field(name)
            self.labels.setdefault(name, capfirst(str(model_field.verbose_name)))
            value = getattr(obj, name)
            if model_field.choices and value not in (None, ""):
                value = getattr(obj, f"get_{name}_display")()
            if name in restricted and not include_sensitive:
                value = str(WITHHELD) if value else ""
            record[name] = plain(value)
        for key, (label, value) in extra.items():
            self.labels.setdefault(key, capfirst(str(label)))
            record[key] = plain(value)
        return record

    def add(self, record: dict) -> dict:
        self.records.append(record)
        return record

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": str(self.title),
            "labels": self.labels,
            "records": self.records,
        }
