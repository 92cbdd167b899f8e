"""The URL inventory's table: every URL of the project, how to fill in its arguments, and what
each member of the cast gets when they ask for it (tests/test_url_inventory.py).

Arguments name attributes of the inventory's world: one run (taught by the cast's teacher, with
a past session), the learner's enrolment in it with a certificate, an IELTS qualification and a
calendar link, and a sponsored child (sponsor's) with a school placement and a shared progress
report. The other_* members own nothing: other_sponsor has a sponsor record but no child.

The answers: "ok" (200: a page or a download), "login" (the sign-in page of the URL's side:
/accounts/login/ for the site, the admin's own for /admin/), "denied" (the admin's "no
permission" message, which sends back to the dashboard: Wagtail's 403), "redirect" (anywhere
else), or a status: "403", "404", "405". Every URL is asked for with GET; one that only takes
POST is too, and says 405 or whatever it answers first.
"""

from dataclasses import dataclass

CAST = (
    "anonymous",
    "learner",
    "other_learner",
    "teacher",
    "other_teacher",
    "sponsor",
    "other_sponsor",
    "coordinator",
    "translator",
)


@dataclass(frozen=True)
class Url:
    expect: dict[str, str]
    args: tuple[str, ...] = ()
    method: str = "get"
    path: str = ""  # for a pattern without a name: the path, with {world attribute}s


def url(expect: dict[str, str], *args: str, method: str = "get", path: str = "") -> Url:
    return Url(expect=expect, args=args, method=method, path=path)


def answers(default: str, **who: str) -> dict[str, str]:
    assert set(who) <= set(CAST), set(who) - set(CAST)
    return {member: who.get(member, default) for member in CAST}


# Everyone, signed in or not.
EVERYONE = answers("ok")
# The sign-in and sign-up forms: someone signed in is sent on (login: to their home by role).
SIGNED_OUT_ONLY = answers("redirect", anonymous="ok")
# Any account.
SIGNED_IN = answers("ok", anonymous="login")
# The learner's pages answer every learner about their own learning (other_learner's is empty);
# anyone else signed in gets the "for learners" page.
LEARNERS = answers("403", anonymous="login", learner="ok", other_learner="ok")
# Scoped to the learner's own enrolments and certificates: anyone else's is the same 404 as an
# id that does not exist. Coordinators read certificates (all of them), but withdraw through
# the admin: /learn/enrolments/<pk>/withdraw/ is the learner's own only.
LEARNERS_OWN = answers("404", anonymous="login", learner="ok")
HOLDER_AND_COORDINATORS = answers("404", anonymous="login", learner="ok", coordinator="ok")
# /teach/: teachers and coordinators; learners and sponsors get the "for teachers" page.
TEACHERS = answers(
    "ok",
    anonymous="login",
    learner="403",
    other_learner="403",
    sponsor="403",
    other_sponsor="403",
    translator="403",
)
# A session or run through sessions_for_user/runs_for_user: the run's own teacher and the
# coordinators; any other run, and anyone who teaches nothing, is a 404.
RUN_TEACHER = answers("404", anonymous="login", teacher="ok", coordinator="ok")
# Results check can_teach first: who teaches nothing at all gets the "for teachers" page.
RUN_TEACHER_RESULTS = {**TEACHERS, "other_teacher": "404"}
# /sponsor/ pages that are the sponsor's own (other_sponsor's are empty); anyone without a
# sponsor record, coordinators included, gets the "for sponsors" page.
SPONSORS = answers("403", anonymous="login", sponsor="ok", other_sponsor="ok")
# The sponsor's own child: another sponsor's child is the same 404 as one that does not exist.
SPONSORS_CHILD = {**SPONSORS, "other_sponsor": "404"}
# The admin: anyone without wagtailadmin.access_admin (every group but Coordinators) is sent to
# the admin's sign-in page with "You do not have permission to access the admin".
# Translators may use the admin but hold no permission on these: Wagtail's "no permission".
ADMIN = answers("login", coordinator="ok", translator="denied")
# Coordinators have no delete permission on learners or qualifications (superusers only).
ADMIN_DENIED = answers("login", coordinator="denied", translator="denied")
# Wagtail's choosers of snippets answer anyone who may use the admin (their names are public:
# subjects, partners, venues, schools); creating one in the chooser needs the add permission.
ADMIN_OPEN = answers("login", coordinator="ok", translator="ok")

TABLE = {
    # --- the public site, cms/urls.py and enrolment/urls*.py ----------------------------------
    "healthz": url(EVERYONE),
    # The language switcher's links: the cookie, then the same page in that language.
    "language": url(answers("redirect"), path="/language/en/?next=/courses/"),
    # Django's password views: asking for a reset link is for anyone, so is the reset form.
    "password_reset": url(EVERYONE),
    "password_reset_done": url(EVERYONE),
    "password_reset_complete": url(EVERYONE),
    # The learner's reset link is the key, whoever holds it: Django swaps the token for a
    # session and redirects to .../set-password/. The learner themselves signed in just before
    # asking, and a sign-in changes last_login, which the token hashes: their link no longer
    # works, and they get the "invalid link" page.
    "password_reset_confirm": url(answers("redirect", learner="ok"), "uidb64", "reset_token"),
    "password_change": url(SIGNED_IN),
    "password_change_done": url(SIGNED_IN),
    "login": url(SIGNED_OUT_ONLY),
    # Staff two-factor sign-in (cms.two_factor; tests/cms/test_two_factor.py with it on): who
    # needs no code is sent on; the coordinator, who has no authenticator app yet, to set one
    # up.
    "two_factor_verify": url(answers("redirect", anonymous="login")),
    "two_factor_setup": url(
        answers("redirect", anonymous="login", coordinator="ok", translator="ok")
    ),
    "signup": url(SIGNED_OUT_ONLY),
    "signup_done": url(SIGNED_OUT_ONLY),
    # POST only, and say so before asking anyone to sign in.
    "logout": url(answers("405")),
    "enrol": url(answers("405"), "run"),
    # POST only, but @login_required comes first.
    "calendar_new_link": url(answers("405", anonymous="login")),
    # Everyone with classes has a calendar page of their own; sponsors have no classes.
    "calendar": url(
        answers("ok", anonymous="login", sponsor="403", other_sponsor="403", translator="403")
    ),
    # The feed has no login (calendar apps cannot sign in): its token is the key.
    "calendar_feed": url(EVERYONE, "calendar"),
    # Twilio's callbacks take only a signed POST: a GET is 405 for everyone, signed in or not.
    "twilio_status": url(answers("405")),
    "twilio_inbound": url(answers("405")),
    "learn": url(LEARNERS),
    "learn_profile": url(LEARNERS),
    "learn_messages": url(LEARNERS),
    "learn_correction": url(LEARNERS),
    "learn_consents": url(LEARNERS),
    "learn_consent_change": url(answers("405", anonymous="login")),
    "enrolment_withdraw": url(LEARNERS_OWN, "enrolment"),
    "enrolment_support": url(LEARNERS_OWN, "enrolment"),
    # Answering a seat offer: POST only (the buttons on /learn/); scoped like withdraw.
    "offer_accept": url(answers("405", anonymous="login"), "enrolment"),
    "offer_decline": url(answers("405", anonymous="login"), "enrolment"),
    "certificate": url(HOLDER_AND_COORDINATORS, "certificate"),
    "certificate_pdf": url(HOLDER_AND_COORDINATORS, "certificate"),
    # The public check: printed on the certificate, for employers.
    "certificate_verify": url(EVERYONE, "code"),
    # Anything else under verify/ is the same 404 as an unknown code.
    r"unnamed ^certificates/verify/(?P<rest>.*)\Z": url(
        answers("404"), path="/certificates/verify/{code}!/"
    ),
    "teach": url(TEACHERS),
    "teach_register": url(RUN_TEACHER, "session"),
    "teach_run_print": url(RUN_TEACHER, "run"),
    "teach_run_upload": url(RUN_TEACHER, "run"),
    "teach_run_xlsx": url(RUN_TEACHER, "run"),
    "teach_run_results": url(RUN_TEACHER_RESULTS, "run"),
    "teach_run_message": url(RUN_TEACHER_RESULTS, "run"),
    "sponsor": url(SPONSORS),
    "sponsor_statement": url(SPONSORS, "year"),
    "sponsor_statement_pdf": url(SPONSORS, "year"),
    "sponsor_statement_xlsx": url(SPONSORS, "year"),
    "sponsor_child": url(SPONSORS_CHILD, "child"),
    "sponsor_child_photo": url(SPONSORS_CHILD, "child"),
    "sponsor_report": url(SPONSORS_CHILD, "child", "report"),
    # --- the admin: cms/wagtail_hooks.py ---------------------------------------------------
    "two_factor_staff": url(ADMIN),
    # POST only; the admin's sign-in comes first.
    "two_factor_staff_reset": url(
        answers("login", coordinator="405", translator="405"), "staff_user"
    ),
    # --- the admin: courses/wagtail_hooks.py ------------------------------------------------
    # Coordinators hold every permission on runs, sessions, categories, partners and venues.
    "course_runs:index": url(ADMIN),
    "course_runs:index_results": url(ADMIN),
    "course_runs:add": url(ADMIN),
    "course_runs:edit": url(ADMIN, "run"),
    "course_runs:delete": url(ADMIN, "run"),
    "course_runs:history": url(ADMIN, "run"),
    "course_runs:history_results": url(ADMIN, "run"),
    "course_runs:usage": url(ADMIN, "run"),
    "course_runs:generate_sessions": url(ADMIN, "run"),
    "course_sessions:index": url(ADMIN),
    "course_sessions:index_results": url(ADMIN),
    "course_sessions:add": url(ADMIN),
    "course_sessions:edit": url(ADMIN, "session"),
    "course_sessions:delete": url(ADMIN, "session"),
    "course_sessions:history": url(ADMIN, "session"),
    "course_sessions:history_results": url(ADMIN, "session"),
    "course_sessions:usage": url(ADMIN, "session"),
    **{
        f"wagtailsnippets_courses_{model}:{view}": url(ADMIN, *([model] if pk else []))
        for model in ("category", "partner", "venue")
        for view, pk in (
            ("list", False),
            ("list_results", False),
            ("add", False),
            ("edit", True),
            ("copy", True),  # SnippetViewSet's default: the viewsets do not turn it off
            ("delete", True),
            ("history", True),
            ("history_results", True),
            ("usage", True),
        )
    },
    # The choosers Wagtail makes for each snippet (and for schools, below).
    **{
        f"wagtailsnippetchoosers_{app}_{model}:{view}": url(
            ADMIN if view == "create" else ADMIN_OPEN, *([model] if pk else [])
        )
        for app, model in (
            ("courses", "category"),
            ("courses", "partner"),
            ("courses", "venue"),
            ("enrolment", "school"),
        )
        for view, pk in (
            ("choose", False),
            ("choose_results", False),
            ("chosen", True),
            ("chosen_multiple", False),
            ("create", False),
        )
    },
    # Wagtail's site history, in front of Wagtail's own for its safe exports (cms/urls.py).
    # Anyone who may use the admin reads it; each sees the history of what they may see
    # (tests/cms/test_translators.py: a translator, no learner's).
    "unnamed admin/reports/site-history/": url(
        {**ADMIN, "translator": "ok"}, path="/admin/reports/site-history/"
    ),
    # --- the admin: enrolment/wagtail_hooks.py and the admin_* modules ----------------------
    # Coordinators add, change and view learners and enrolments, and read attendance.
    # Coordinators read messages; nobody adds, edits or deletes one.
    # The access log records coordinators at work: Data protection reads it, they do not
    # (tests/enrolment/admin/test_admin_access_log.py tries the group).
    "access_log:index": url(ADMIN_DENIED),
    "access_log:index_results": url(ADMIN_DENIED),
    "messages:index": url(ADMIN),
    "messages:index_results": url(ADMIN),
    "messages:inspect": url(ADMIN, "message"),
    "messages:history": url(ADMIN_DENIED, "message"),
    "messages:history_results": url(ADMIN_DENIED, "message"),
    "messages:usage": url(ADMIN_DENIED, "message"),
    "messages:add": url(ADMIN_DENIED),
    "messages:edit": url(ADMIN_DENIED, "message"),
    "messages:delete": url(ADMIN_DENIED, "message"),
    "learners:index": url(ADMIN),
    "learners:index_results": url(ADMIN),
    "learners:add": url(ADMIN),
    "learners:edit": url(ADMIN, "learner"),
    "learners:delete": url(ADMIN_DENIED, "learner"),
    "learners:history": url(ADMIN, "learner"),
    "learners:history_results": url(ADMIN, "learner"),
    "learners:usage": url(ADMIN, "learner"),
    "learners:password_link": url(ADMIN, "learner"),
    "learners:forget": url(ADMIN, "learner"),
    # The page that explains a person's copy of their data; the copy itself is a POST.
    "learners:data": url(ADMIN, "learner"),
    # Learners' correction requests: coordinators read and answer them; nobody adds one here.
    "correction_requests:index": url(ADMIN),
    "correction_requests:index_results": url(ADMIN),
    "correction_requests:edit": url(ADMIN, "correction"),
    # Whose story a story page tells: for those who may change learners' records.
    "story_subjects:index": url(ADMIN),
    "story_subjects:index_results": url(ADMIN),
    "story_subjects:add": url(ADMIN),
    "story_subjects:edit": url(ADMIN, "story_subject"),
    "story_subjects:delete": url(ADMIN, "story_subject"),
    "story_subjects:history": url(ADMIN, "story_subject"),
    "story_subjects:history_results": url(ADMIN, "story_subject"),
    "story_subjects:usage": url(ADMIN, "story_subject"),
    # Any admin user opens the chooser; it lists, and chooses, only the learners they may see
    # (a translator: none, and a learner's id is a 404).
    "learner_chooser:choose": url(ADMIN_OPEN),
    "learner_chooser:choose_results": url(ADMIN_OPEN),
    "learner_chooser:chosen": url({**ADMIN, "translator": "404"}, "learner"),
    "learner_chooser:chosen_multiple": url(ADMIN_OPEN),
    "learner_chooser:create": url(ADMIN),
    "enrolments:index": url(ADMIN),
    "enrolments:index_results": url(ADMIN),
    "enrolments:add": url(ADMIN),
    # There is no editing an enrolment: the edit URL redirects to the inspect view.
    "enrolments:edit": url(
        answers("login", coordinator="redirect", translator="redirect"), "enrolment"
    ),
    "enrolments:inspect": url({**ADMIN, "translator": "404"}, "enrolment"),
    "enrolments:history": url(ADMIN, "enrolment"),
    "enrolments:history_results": url(ADMIN, "enrolment"),
    "enrolments:usage": url(ADMIN, "enrolment"),
    # The actions' GET is their confirmation form.
    "enrolments:approve": url(ADMIN, "enrolment"),
    "enrolments:decline": url(ADMIN, "enrolment"),
    "enrolments:withdraw": url(ADMIN, "enrolment"),
    "enrolments:move": url(ADMIN, "enrolment"),
    "enrolments:late": url(ADMIN),
    "enrolments:past": url(ADMIN),
    "enrolments:support": url(ADMIN, "enrolment"),
    "enrolments:review": url(ADMIN),
    "enrolments:review_run": url(ADMIN, "run"),
    "enrolments:import": url(ADMIN),
    "enrolments:import_template": url(ADMIN),
    "at_risk:index": url(ADMIN),
    "transport_fares:index": url(ADMIN),
    "registers_not_taken:index": url(ADMIN),
    # Achievements: the certificate register is read-only; its actions are forms on GET.
    "certificates:index": url(ADMIN),
    "certificates:index_results": url(ADMIN),
    "certificates:inspect": url(ADMIN, "certificate"),
    "certificates:history": url(ADMIN, "certificate"),
    "certificates:history_results": url(ADMIN, "certificate"),
    "certificates:usage": url(ADMIN, "certificate"),
    "certificates:revoke": url(ADMIN, "certificate"),
    "certificates:close_run": url(ADMIN, "run"),
    "certificates:end_run_early": url(ADMIN, "run"),
    "certificates:issue_for_run": url(ADMIN, "run"),
    "certificates:override": url(ADMIN, "enrolment"),
    "certificates:issue": url(ADMIN, "enrolment"),
    "qualifications:index": url(ADMIN),
    "qualifications:index_results": url(ADMIN),
    "qualifications:add": url(ADMIN),
    "qualifications:add_kind": url(ADMIN, "kind"),
    "qualifications:inspect": url(ADMIN, "qualification"),
    "qualifications:delete": url(ADMIN_DENIED, "qualification"),
    "qualifications:history": url(ADMIN, "qualification"),
    "qualifications:history_results": url(ADMIN, "qualification"),
    "qualifications:usage": url(ADMIN, "qualification"),
    # Sponsorship: coordinators hold every permission on its models, deleting included.
    "funding:index": url(ADMIN),
    # Impact reports (enrolment/admin/reports/): coordinators only, the page and its files.
    "impact_report": url(ADMIN),
    "impact_report_xlsx": url(ADMIN),
    "impact_report_pdf": url(ADMIN),
    **{
        f"{namespace}:{view}": url(ADMIN, *([obj] if pk else []))
        for namespace, obj, index in (
            ("sponsors", "sponsor", "index"),
            ("sponsorships", "sponsorship", "index"),
            ("sponsorship_payments", "payment", "index"),
            ("placements", "placement", "index"),
            ("progress_reports", "report", "index"),
            ("schools", "school", "list"),  # a snippet viewset: list, not index
        )
        for view, pk in (
            (index, False),
            (f"{index}_results", False),
            ("add", False),
            ("edit", True),
            ("delete", True),
            ("history", True),
            ("history_results", True),
            ("usage", True),
        )
    },
    "progress_reports:share": url(ADMIN, "report"),
    # --- /translate/: cms/translation_editing.py (Rosetta) ------------------------------------
    # Off in tests, as in production: a 404 for everyone (tests/cms/test_translation_editing.py
    # tries them with TRANSLATION_EDITING on).
    "translate": url(answers("404")),
    "rosetta-file-list": url(answers("404"), path="/translate/files/project/"),
    "rosetta-form": url(answers("404"), path="/translate/files/project/so/0/"),
    "rosetta-download-file": url(answers("404"), path="/translate/files/project/so/0/download/"),
    "rosetta.translate_text": url(answers("404")),
}

# Answers that look wrong. The table says what ought to happen; each of these cases is an
# expected failure until the code is fixed (strictly: once fixed, take it off this list).
DEFECTS: dict[tuple[str, str], str] = {}
