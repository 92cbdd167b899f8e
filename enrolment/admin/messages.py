"""The coordinators' record of every message: to whom, by which channel, whether it went, and
why not. Read only: coordinators hold the view permission alone (migration
0011_channels_messages_admin), so Wagtail offers no add, edit or delete."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from cms.admin_views import InspectValuesMixin, LocalDateColumn
from enrolment import access
from enrolment.models import Message


class MessageFilterSet(WagtailFilterSet):
    class Meta:
        model = Message
        fields = ["status", "channel", "kind", "direction"]


class MessageIndexView(IndexView):
    def get_base_queryset(self):
        return access.messages_for_user(self.request.user).select_related("learner")


class MessageInspectView(InspectValuesMixin, InspectView):
    pass


class MessageViewSet(ModelViewSet):
    model = Message
    index_view_class = MessageIndexView
    inspect_view_class = MessageInspectView
    icon = "mail"
    url_prefix = "enrolment/messages"
    url_namespace = "messages"
    menu_label = _("Messages")
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    # Needed by Wagtail; no one has the permission to use the form.
    form_fields = ["status"]
    list_display = [
        LocalDateColumn("created_at", label=_("Written")),
        Column("learner", label=_("Learner")),
        "direction",
        "channel",
        "kind",
        "status",
        "skip_reason",
    ]
    inspect_view_fields = [
        "learner",
        "direction",
        "channel",
        "address",
        "kind",
        "language",
        "body",
        "status",
        "skip_reason",
        "error",
        "attempts",
        "created_at",
        "sent_at",
        "sent_by",
    ]
    filterset_class = MessageFilterSet
    list_per_page = 50
    # No spreadsheet of everyone's messages: they hold phone numbers and what was said.
    list_export = []
    ordering = ["-created_at", "-pk"]
