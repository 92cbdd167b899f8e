"""The history rows of the consents a demo learner starts with."""

from enrolment.models import Consent, ConsentMethod, ConsentPurpose, Learner


def consent_history_seed(learner: Learner) -> None:
    """The history rows of the consents a demo learner starts with: given at the desk (a
    child's by the parent), as /learn/consents/ and the admin show them."""
    method = ConsentMethod.GUARDIAN if learner.is_child() else ConsentMethod.IN_PERSON
    given = {
        ConsentPurpose.PHOTO: learner.consent_photo,
        ConsentPurpose.SHARE_PROGRESS: learner.consent_share_progress,
        ConsentPurpose.MESSAGES: learner.messages_consent_at is not None,
    }
    Consent.objects.bulk_create(
        Consent(
            learner=learner,
            purpose=purpose,
            given_at=learner.created_at,
            method=method,
            withdrawn_at=learner.messages_stopped_at if purpose == "messages" else None,
            withdrawn_method=(
                ConsentMethod.REPLY if purpose == "messages" and learner.messages_stopped_at else ""
            ),
        )
        for purpose, yes in given.items()
        if yes
    )
