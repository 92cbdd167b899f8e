"""The history says truthfully who acted: a seat freed by someone leaving is offered to the next
person by the system, with the reason on record for staff, never naming the one who left."""

import pytest

from enrolment.models import EnrolmentStatus, Message, MessageKind
from enrolment.services.enrolling import enrolment_withdraw
from enrolment.services.offers import offer_decline
from tests.conftest import html_of
from tests.enrolment.admin.enrolments.conftest import INDEX, enrol
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture
def full_run(cast, world):
    khadija = cast.learner.learner
    khadija.preferred_name = "Khadija"
    khadija.save()
    seats = [enrol(khadija, world.run), enrol(LearnerFactory(preferred_name="Bashir"), world.run)]
    esther = enrol(LearnerFactory(preferred_name="Esther", by_sms=True), world.run)
    assert esther.status == S.WAITLISTED
    return seats[0], esther


def test_a_seat_freed_by_a_learner_leaving_is_offered_by_the_system(client, cast, full_run):
    khadija, esther = full_run
    client.force_login(cast.learner)
    client.post(f"/learn/enrolments/{khadija.pk}/withdraw/", {"reason": ""})

    esther.refresh_from_db()
    assert esther.status == S.OFFERED
    offer = esther.events.last()
    assert offer.by is None  # not "By: Khadija"
    assert offer.reason == f"A seat became free when learner L{khadija.learner_id} left ENG-A1-T1."
    assert khadija.events.last().by == cast.learner  # her own withdrawal is hers

    client.force_login(cast.coordinator)
    history = html_of(client.get(f"{INDEX}inspect/{esther.pk}/"))
    assert f"learner L{khadija.learner_id} left" in history
    assert "Khadija" not in history
    # What Esther is told names nobody.
    message = Message.objects.get(learner=esther.learner, kind=MessageKind.OFFER)
    assert "Khadija" not in message.body and f"L{khadija.learner_id}" not in message.body


def test_a_seat_withdrawn_by_a_coordinator_is_offered_by_the_system(client, cast, full_run):
    khadija, esther = full_run
    client.force_login(cast.coordinator)
    client.post(f"{INDEX}{khadija.pk}/withdraw/", {"reason": "Moved to Tuen Mun"})
    esther.refresh_from_db()
    offer = esther.events.last()
    assert (offer.to_status, offer.by) == (S.OFFERED, None)
    assert f"learner L{khadija.learner_id} left" in offer.reason


def test_an_offer_passed_on_is_offered_to_the_next_by_the_system(cast, world, full_run):
    khadija, esther = full_run
    next_in_line = enrol(LearnerFactory(preferred_name="Farah"), world.run)
    enrolment_withdraw(enrolment=khadija, by=cast.learner)
    esther.refresh_from_db()
    offer_decline(enrolment=esther, by=None)
    next_in_line.refresh_from_db()
    offer = next_in_line.events.last()
    assert (offer.to_status, offer.by) == (S.OFFERED, None)
    assert f"learner L{esther.learner_id} left" in offer.reason
