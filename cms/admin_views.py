"""What the admin screens of every app share: a delete that other records forbid is refused
with a sentence, not a 500 (the database's PROTECT raising ProtectedError) or Wagtail's bare
"no permission"."""

from django.contrib.admin.utils import quote
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from wagtail.admin import messages


class ProtectedDeleteMixin:
    """For a delete view. Checked here rather than left to Wagtail's reference index, which
    only knows about records saved since the admin loaded: the database's PROTECT is the last
    word."""

    protected_message = ""  # "%(object)s has ...": why the object stays

    def form_valid(self, form):
        if self.usage is not None and self.usage.is_protected:  # what the index does know
            return self.refuse(self.protected_message % {"object": self.object})
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            return self.refuse(self.protected_message % {"object": self.object})

    def refuse(self, message: str):
        messages.error(self.request, message)
        return redirect(self.edit_url_name, quote(self.object.pk))
