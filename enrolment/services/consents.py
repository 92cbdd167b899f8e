"""Consent per purpose, with history: photos, school progress shared with sponsors, messages,
a published story.

Every change of consent comes through here: the admin, sign-up, the learner's pages, a STOP
reply. Each change writes the history row (enrolment.models.Consent) and the learner's own
field that the pages and messages read, in one transaction, so that a withdrawal takes effect
everywhere at once: the sponsor portal hides the photo, the school and the reports; the next
message is skipped; the story answers 404 and is unpublished.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log

from cms.models import StoryPage
from cms.page_cache import public_pages_changed
from cms.roles import acting_user
from enrolment.errors import ConsentError
from enrolment.models import Consent, ConsentMethod, ConsentPurpose, Learner, StorySubject

# The learner's field each purpose keeps in step (messages: see _state_set).
FLAG_FIELDS = {
    ConsentPurpose.PHOTO: "consent_photo",
    ConsentPurpose.SHARE_PROGRESS: "consent_share_progress",
    ConsentPurpose.STORY: "consent_story",
}
MESSAGE_FIELDS = ["messages_consent_at", "messages_consent_by", "messages_stopped_at"]
# What an adult may give on /learn/consents/. School progress is for children's sponsors,
# and a parent or guardian gives it in person at the centre.
ONLINE_PURPOSES = [ConsentPurpose.PHOTO, ConsentPurpose.MESSAGES, ConsentPurpose.STORY]


def consent_is_given(*, learner: Learner, purpose: str) -> bool:
    """The current state, as the pages and messages read it."""
    if purpose == ConsentPurpose.MESSAGES:
        return learner.messages_consent_at is not None and learner.messages_stopped_at is None
    return bool(getattr(learner, FLAG_FIELDS[purpose]))


def consent_method_for(*, learner: Learner, by: AbstractBaseUser | None) -> str:
    """How a consent recorded by `by` was given: the learner's own account is online; staff
    record an adult's in person and a child's from the parent or guardian."""
    if by is not None and learner.user_id is not None and by.pk == learner.user_id:
        return ConsentMethod.ONLINE
    return ConsentMethod.GUARDIAN if learner.is_child() else ConsentMethod.IN_PERSON


def _state_set(learner: Learner, purpose: str, *, given: bool, by, method: str) -> list[str]:
    """Set the learner's own field(s) for `purpose`; the names of the fields written."""
    if purpose != ConsentPurpose.MESSAGES:
        setattr(learner, FLAG_FIELDS[purpose], given)
        return [FLAG_FIELDS[purpose]]
    if given:
        learner.messages_consent_at = timezone.now()
        learner.messages_consent_by = by
        learner.messages_stopped_at = None
    elif method == ConsentMethod.REPLY:
        # Kept apart from a withdrawal on a page: "You replied STOP on ..." tells the learner
        # why nothing comes, and START undoes exactly this.
        learner.messages_stopped_at = timezone.now()
    else:
        learner.messages_consent_at = None
        learner.messages_consent_by = None
    return MESSAGE_FIELDS


def _locked(learner: Learner) -> Learner:
    return Learner.objects.select_for_update(of=("self",)).get(pk=learner.pk)


def _copy_state(source: Learner, target: Learner) -> None:
    # The caller's copy follows, so that a later save() of it cannot put the old state back.
    for name in [*FLAG_FIELDS.values(), "messages_consent_at", "messages_stopped_at"]:
        setattr(target, name, getattr(source, name))
    target.messages_consent_by_id = source.messages_consent_by_id


def _check(*, purpose: str, method: str) -> None:
    if purpose not in ConsentPurpose.values or method not in ConsentMethod.values:
        raise ConsentError(_("This consent cannot be recorded."))


def _open_row(learner: Learner, purpose: str) -> Consent | None:
    """The consent `learner` has given for `purpose` and not withdrawn (at most one)."""
    return Consent.objects.filter(
        learner=learner, purpose=purpose, withdrawn_at__isnull=True
    ).first()


def consent_give(
    *, learner: Learner, purpose: str, by: AbstractBaseUser | None, method: str
) -> Consent:
    """Record that `learner` agrees to `purpose`, given by `method`, recorded by `by`.

    Giving what is already given changes nothing and returns the open row.
    """
    _check(purpose=purpose, method=method)
    user = acting_user(by)
    with transaction.atomic():
        locked = _locked(learner)
        row = _open_row(locked, purpose)
        if row is not None and consent_is_given(learner=locked, purpose=purpose):
            _copy_state(locked, learner)
            return row
        if row is None:
            row = Consent.objects.create(
                learner=locked,
                purpose=purpose,
                given_at=timezone.now(),
                given_by=user,
                method=method,
            )
        fields = _state_set(locked, purpose, given=True, by=user, method=method)
        locked.save(update_fields=[*fields, "updated_at"])
        log(
            instance=locked,
            action="enrolment.consent.give",
            user=user,
            data={"purpose": purpose, "method": method},
        )
    _copy_state(locked, learner)
    return row


def consent_withdraw(
    *, learner: Learner, purpose: str, by: AbstractBaseUser | None, method: str
) -> Consent | None:
    """Record that `learner` no longer agrees to `purpose`; it takes effect at once.

    Returns the row it closed, or None if nothing was open (the state is cleared all the
    same). Withdrawing a story consent unpublishes the learner's stories after the commit.
    """
    _check(purpose=purpose, method=method)
    user = acting_user(by)
    with transaction.atomic():
        locked = _locked(learner)
        row = _open_row(locked, purpose)
        was_given = consent_is_given(learner=locked, purpose=purpose)
        if row is not None:
            row.withdrawn_at = timezone.now()
            row.withdrawn_by = user
            row.withdrawn_method = method
            row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_method"])
        if row is not None or was_given:
            fields = _state_set(locked, purpose, given=False, by=user, method=method)
            locked.save(update_fields=[*fields, "updated_at"])
            log(
                instance=locked,
                action="enrolment.consent.withdraw",
                user=user,
                data={"purpose": purpose, "method": method},
            )
            if purpose == ConsentPurpose.STORY:
                _stories_hide(locked, user)
    _copy_state(locked, learner)
    return row


def consent_set(
    *, learner: Learner, purpose: str, given: bool, by: AbstractBaseUser | None, method: str
) -> Consent | None:
    """Give or withdraw, as a form's tick box says. Unchanged state changes nothing: both
    read the locked row, never the caller's copy, which may be stale."""
    if given:
        return consent_give(learner=learner, purpose=purpose, by=by, method=method)
    return consent_withdraw(learner=learner, purpose=purpose, by=by, method=method)


def consent_history(*, learner: Learner) -> QuerySet[Consent]:
    """Every period of consent of `learner`, newest first, with who recorded it."""
    return (
        Consent.objects.filter(learner=learner)
        .select_related("given_by", "withdrawn_by")
        .order_by("-given_at", "-pk")
    )


def _story_pages(learner: Learner) -> QuerySet[StoryPage]:
    """The learner's stories in every language they are translated into."""
    keys = StorySubject.objects.filter(learner=learner).values("story__translation_key")
    return StoryPage.objects.filter(translation_key__in=keys)


def _stories_hide(learner: Learner, user) -> None:
    """Hidden at once in this transaction (the page and the home page's teaser read
    consent_given), then unpublished after the commit so that editors see it is not live."""
    pages = _story_pages(learner)
    pages.update(consent_given=False)
    public_pages_changed()  # the home page's teaser may be in the page cache
    live = list(pages.filter(live=True).values_list("pk", flat=True))

    def unpublish():
        # The learner's word is the authority here, whatever their page permissions.
        for page in StoryPage.objects.filter(pk__in=live, live=True):
            UnpublishPageAction(page, user=user, log_action=True).execute(
                skip_permission_checks=True
            )

    if live:
        transaction.on_commit(unpublish)


def story_is_allowed(*, story) -> bool:
    """False for a story whose subject has not given (or has withdrawn) story consent, in
    any of its translations. A story without a subject is governed by its own box alone."""
    return not StorySubject.objects.filter(
        story__translation_key=story.translation_key, learner__consent_story=False
    ).exists()


def story_subject_check(*, learner: Learner) -> None:
    """Refuse to tell a story about a learner who has not agreed to it."""
    if not learner.consent_story:
        raise ConsentError(
            _(
                "%(name)s has not agreed to a story being published. Record their consent "
                "on their record first."
            )
            % {"name": learner.list_name},
            field="learner",
        )


def story_subject_link(*, story: StoryPage, learner: Learner, by) -> StorySubject:
    """Say whose story `story` tells; refused without that learner's story consent."""
    with transaction.atomic():
        locked = _locked(learner)
        story_subject_check(learner=locked)
        subject, _created = StorySubject.objects.update_or_create(
            story=story, defaults={"learner": locked, "linked_by": acting_user(by)}
        )
    return subject
