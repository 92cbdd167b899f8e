"""/learn/: the learner's own pages."""

from django.urls import path

from enrolment.views import (
    learn,
    learn_consents,
    learn_corrections,
    learn_messages,
    learn_support,
)

urlpatterns = [
    path("learn/", learn.learn, name="learn"),
    path("learn/profile/", learn.profile, name="learn_profile"),
    path("learn/messages/", learn_messages.learn_messages, name="learn_messages"),
    path("learn/correction/", learn_corrections.learn_correction, name="learn_correction"),
    path("learn/consents/", learn_consents.consents, name="learn_consents"),
    path("learn/consents/change/", learn_consents.consent_change, name="learn_consent_change"),
    path("learn/runs/<int:run_id>/enrol/", learn.enrol, name="enrol"),
    path("learn/enrolments/<int:pk>/withdraw/", learn.withdraw, name="enrolment_withdraw"),
    path("learn/enrolments/<int:pk>/support/", learn_support.support, name="enrolment_support"),
    path(
        "learn/enrolments/<int:pk>/offer/accept/",
        learn.offer_answer,
        {"answer": "accept"},
        name="offer_accept",
    ),
    path(
        "learn/enrolments/<int:pk>/offer/decline/",
        learn.offer_answer,
        {"answer": "decline"},
        name="offer_decline",
    ),
]
