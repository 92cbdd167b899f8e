"""What it takes to attend, in the demo: a class that pays back transport fares, and learners
who need an interpreter, childcare or their fares, so that the register, the dashboard's
childcare places and the transport fares report show something. Set through the service, as
a coordinator would; setting the same again changes nothing."""

from decimal import Decimal

from cms.management.demo.programme import run_code
from courses.models import CourseRun
from enrolment.models import Enrolment, Learner
from enrolment.services.support import Support, enrolment_support_set

# Runs of this term (already under way, with registers taken) and their fare per session.
FARES = {"computer-first-steps": Decimal("15"), "english-starters": Decimal("12.50")}

# (course, learner): what they need.
NEEDS = {
    ("computer-first-steps", "amina"): Support(childcare_children=2, transport_reimbursed=True),
    ("computer-first-steps", "fadumo"): Support(
        interpreter_language="Somali", transport_reimbursed=True
    ),
    ("computer-first-steps", "shahida"): Support(
        interpreter_language="Bengali", childcare_children=1
    ),
    ("computer-first-steps", "rafiq"): Support(transport_reimbursed=True),
    ("english-starters", "rukhsana"): Support(
        interpreter_language="Urdu", childcare_children=3, transport_reimbursed=True
    ),
    ("english-starters", "fadumo"): Support(interpreter_language="Somali"),
}


def build_support(*, copy: int, learners: dict[str, Learner], coordinator) -> None:
    for course, fare in FARES.items():
        CourseRun.objects.filter(code=run_code(course, copy, 1)).update(transport_per_session=fare)
    for (course, key), support in NEEDS.items():
        learner = learners.get(key)
        enrolment = Enrolment.objects.filter(
            run__code=run_code(course, copy, 1), learner=learner
        ).first()
        if learner is None or enrolment is None:
            continue
        enrolment_support_set(enrolment=enrolment, support=support, by=coordinator)
