"""Access control for every URL: declared policies, the outsider rule and the role matrix.

These tests walk the whole URL configuration, so a new view fails them until it declares who
may use it and its URL is added to `EXPECTED` or `NOT_WORKSPACE_SCOPED` below.
"""

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.briefs import services as brief_services
from accord.briefs.models import (
    BriefLink,
    BriefVersion,
    Channel,
    Criterion,
    Frequency,
    GlossaryTerm,
    InterviewStage,
    Kind,
    Signature,
    VagueTerm,
)
from accord.candidates import services as candidate_services
from accord.candidates.imports import import_csv_start
from accord.candidates.models import (
    Candidate,
    CandidateEvent,
    CandidateSkill,
    ImportBatch,
    ImportItem,
    Note,
    Resume,
    SavedSearch,
    Source,
    Tag,
)
from accord.candidates.parsing import ParsedResume
from accord.candidates.search.services import saved_search_save
from accord.nudges.models import Commitment, ContactPreference, Message, Nudge, NudgePolicy
from accord.partnerships import services as partnership_services
from accord.partnerships.models import (
    CriterionRating,
    Hire,
    HirePolicy,
    Lesson,
    LessonUse,
    Partnership,
    Survey,
    Touchpoint,
)
from accord.partnerships.selectors import partnership_of
from accord.partnerships.survey_answers import criteria_of
from accord.partnerships.survey_delivery import survey_send_now
from accord.people.models import User
from accord.pipeline.models import (
    Application,
    Assessment,
    Category,
    Stage,
    StageMove,
    StageTemplate,
    TemplateStage,
    Verdict,
)
from accord.pipeline.services import (
    application_create,
    application_move,
    default_template,
    stages_for,
)
from accord.reports import services as report_services
from accord.reports.models import ReportNote, ReportSchedule, ShareLink, StatusReport
from accord.requisitions import services as requisition_services
from accord.requisitions.models import (
    Kickoff,
    Milestone,
    Owner,
    Requisition,
    RequisitionEvent,
    Status,
)
from accord.reviews import scorecards as scorecard_services
from accord.reviews import services as review_services
from accord.reviews.models import (
    Review,
    ReviewJudgement,
    ReviewLink,
    Scorecard,
    ScorecardRating,
    Shortlist,
    ShortlistItem,
)
from accord.skills.models import CustomSkill
from accord.skills.services import SkillInput, custom_skill_create
from accord.workspaces import services
from accord.workspaces.models import Invitation, Member, Role, Workspace
from conftest import client_for
from tests.factories import BriefVersionFactory, CriterionFactory, RequisitionFactory

ROLES = [Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER]
ALL = frozenset(ROLES)
STAFF = frozenset({Role.ADMIN, Role.RECRUITER})
ADMIN = frozenset({Role.ADMIN})
# Brief editors: a hiring manager only on their own requisitions, which the scene arranges.
EDITORS = frozenset({Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER})
READERS = EDITORS  # of status reports: a hiring manager only their own, which the scene arranges

# Who may use each workspace URL, stated independently of accord.workspaces.access.
EXPECTED: dict[str, frozenset[str]] = {
    "dashboard:workspace": ALL,
    "workspaces:members": frozenset({Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER}),
    "workspaces:invite": frozenset({Role.ADMIN, Role.RECRUITER}),
    "workspaces:invitation-resend": frozenset({Role.ADMIN, Role.RECRUITER}),
    "workspaces:invitation-revoke": frozenset({Role.ADMIN, Role.RECRUITER}),
    "workspaces:member-role": frozenset({Role.ADMIN}),
    "workspaces:member-deactivate": frozenset({Role.ADMIN}),
    "workspaces:member-reactivate": frozenset({Role.ADMIN}),
    "workspaces:settings": frozenset({Role.ADMIN}),
    "audit:log": frozenset({Role.ADMIN}),
    # Managers and interviewers see the requisitions they are on; the scene puts them on one.
    "requisitions:list": ALL,
    "requisitions:create": STAFF,
    "requisitions:detail": ALL,
    "requisitions:edit": STAFF,
    "requisitions:transition": STAFF,
    "requisitions:plan-create": STAFF,
    "requisitions:milestone-update": STAFF,
    "requisitions:kickoff": STAFF,
    "briefs:brief": ALL,
    "briefs:version": ALL,
    "briefs:diff": ALL,
    "briefs:export": ALL,
    "briefs:start": EDITORS,
    "briefs:send": STAFF,
    "briefs:revise": EDITORS,
    "briefs:edit": EDITORS,
    "briefs:answers": EDITORS,
    "briefs:checks": EDITORS,
    "briefs:criterion-add": EDITORS,
    "briefs:criterion-update": EDITORS,
    "briefs:criterion-delete": EDITORS,
    "briefs:stage-add": EDITORS,
    "briefs:stage-delete": EDITORS,
    "briefs:sign": EDITORS,
    "briefs:request-sign-off": EDITORS,
    "briefs:glossary": ALL,
    "briefs:glossary-save": STAFF,
    "briefs:glossary-delete": STAFF,
    "briefs:lexicon": frozenset({Role.ADMIN}),
    "briefs:lexicon-delete": frozenset({Role.ADMIN}),
    # Candidates: everyone may look (managers and interviewers at the candidates of their
    # requisitions, which the scene's candidate is); recruiters and admins change them; only
    # admins export or erase a person's data.
    "candidates:create": STAFF,
    "candidates:detail": ALL,
    "candidates:edit": STAFF,
    "candidates:resume-upload": STAFF,
    "candidates:resume-download": ALL,
    "candidates:note-add": STAFF,
    "candidates:tags": STAFF,
    "candidates:apply": STAFF,
    "candidates:merge": STAFF,
    "candidates:export": ADMIN,
    "candidates:erase": ADMIN,
    "candidates:upload": STAFF,
    "candidates:import-csv": STAFF,
    "candidates:imports": STAFF,
    "candidates:import-detail": STAFF,
    "candidates:import-mapping": STAFF,
    "candidates:import-discard": STAFF,
    "candidates:import-continue": STAFF,
    # Anyone may search and keep a search (it only shows what the runner may see).
    "search:candidates": ALL,
    "search:save": ALL,
    "search:saved-delete": ALL,
    "pipeline:templates": STAFF,
    "pipeline:template": STAFF,
    "pipeline:board": ALL,
    "pipeline:list": ALL,
    "pipeline:column": ALL,
    "pipeline:move": STAFF,
    "pipeline:bulk": STAFF,
    "pipeline:stages": STAFF,
    "matching:screen": ALL,
    "matching:assess": STAFF,
    "matching:refresh": STAFF,
    "matching:rank": ALL,
    "matching:rank-refresh": STAFF,
    "matching:pool-add": STAFF,
    "skills:list": STAFF,
    "skills:lookup": STAFF,
    "skills:edit": STAFF,
    "skills:delete": STAFF,
    # The review loop: recruiters send shortlists and request scorecards; the shortlist's
    # manager decides (the scene sends one to its manager); the scorecard's interviewer submits.
    "reviews:shortlists": ALL,
    "reviews:shortlist-new": STAFF,
    "reviews:shortlist": ALL,
    "reviews:decide": frozenset({Role.HIRING_MANAGER}),
    "reviews:shortlist-withdraw": STAFF,
    "reviews:shortlist-resend": STAFF,
    "reviews:my-reviews": ALL,
    "reviews:scorecards": ALL,
    "reviews:scorecard-request": STAFF,
    "reviews:scorecard": ALL,
    "reviews:scorecard-submit": ALL,
    "reviews:my-scorecards": ALL,
    "nudges:owed": STAFF,
    "nudges:messages": STAFF,
    "nudges:contact": ALL,
    "nudges:contact-test": ALL,
    "nudges:policy": ADMIN,
    # Status reports: managers read their own requisitions' reports and their roll-up (and
    # choose when they get it); recruiters write, send, schedule and share them.
    "reports:index": READERS,
    "reports:requisition": READERS,
    "reports:note": STAFF,
    "reports:send": STAFF,
    "reports:requisition-pdf": READERS,
    "reports:manager": READERS,
    "reports:manager-send": STAFF,
    "reports:schedule": READERS,
    "reports:snapshot": READERS,
    "reports:snapshot-pdf": READERS,
    "reports:share-create": STAFF,
    "reports:share-revoke": STAFF,
    # The partnership memory and the hires are the recruiting team's; a manager answers the
    # post-hire surveys about their own hires (the scene's survey is the scene's manager's).
    "partnerships:index": STAFF,
    "partnerships:profile": STAFF,
    "partnerships:profile-save": STAFF,
    "partnerships:touchpoint-add": STAFF,
    "partnerships:touchpoint-edit": STAFF,
    "partnerships:touchpoint-delete": STAFF,
    "partnerships:lesson-add": STAFF,
    "partnerships:lesson-retire": STAFF,
    "partnerships:lesson-restore": STAFF,
    "partnerships:lesson-carry": STAFF,
    "surveys:hires": STAFF,
    "surveys:policy": STAFF,
    "surveys:hire": STAFF,
    "surveys:hire-start": STAFF,
    "surveys:application-hire": STAFF,
    "surveys:survey": EDITORS,
    "surveys:send": STAFF,
    "surveys:resend": STAFF,
    # Analytics compare managers and recruiters: the recruiting team's.
    "analytics:index": STAFF,
    "analytics:export": STAFF,
    "analytics:records": STAFF,
}
# Allowed through the door, then refused by the domain rule the view applies (not an access
# refusal: the view answers with its own message, and the role matrix checks that status).
DOMAIN_REFUSALS = {
    # An admin may edit any brief, but only the role's recruiter and hiring managers sign it.
    ("briefs:sign", Role.ADMIN): 422,
    # A saved search is its owner's (the recruiter's): anyone else's is a 404, admins' too.
    ("search:saved-delete", Role.ADMIN): 404,
    ("search:saved-delete", Role.HIRING_MANAGER): 404,
    ("search:saved-delete", Role.INTERVIEWER): 404,
    # A shortlist is seen by recruiters, admins and the manager it was sent to.
    ("reviews:shortlist", Role.INTERVIEWER): 404,
    # Only the scorecard's interviewer submits it.
    ("reviews:scorecard-submit", Role.ADMIN): 403,
    ("reviews:scorecard-submit", Role.RECRUITER): 403,
    ("reviews:scorecard-submit", Role.HIRING_MANAGER): 403,
    # Only the survey's manager answers it; the team reads the answers on the hire's page.
    ("surveys:survey", Role.ADMIN): 404,
    ("surveys:survey", Role.RECRUITER): 404,
}
POST_ONLY = {
    "workspaces:invite",
    "workspaces:invitation-resend",
    "workspaces:invitation-revoke",
    "workspaces:member-role",
    "workspaces:member-reactivate",
    "requisitions:transition",
    "requisitions:plan-create",
    "requisitions:milestone-update",
    "requisitions:kickoff",
    "briefs:start",
    "briefs:send",
    "briefs:answers",
    "briefs:criterion-add",
    "briefs:criterion-update",
    "briefs:criterion-delete",
    "briefs:stage-add",
    "briefs:stage-delete",
    "briefs:sign",
    "briefs:request-sign-off",
    "briefs:glossary-save",
    "briefs:glossary-delete",
    "briefs:lexicon-delete",
    "candidates:resume-upload",
    "candidates:note-add",
    "candidates:tags",
    "candidates:apply",
    "candidates:merge",
    "candidates:export",
    "candidates:import-discard",
    "candidates:import-continue",
    "search:save",
    "pipeline:template",
    "pipeline:bulk",
    "matching:assess",
    "matching:refresh",
    "matching:rank-refresh",
    "matching:pool-add",
    "reviews:decide",
    "reviews:shortlist-withdraw",
    "reviews:shortlist-resend",
    "reviews:scorecard-submit",
    "nudges:contact-test",
    "reports:note",
    "reports:send",
    "reports:manager-send",
    "reports:schedule",
    "reports:share-create",
    "reports:share-revoke",
    "partnerships:profile-save",
    "partnerships:touchpoint-add",
    "partnerships:lesson-add",
    "partnerships:lesson-retire",
    "partnerships:lesson-restore",
    "partnerships:lesson-carry",
    "surveys:hire-start",
    "surveys:send",
    "surveys:resend",
}
# The manager's intake link: public, the signed token is the credential (tested below).
LINK_URLS = {
    "briefs:link",
    "briefs:link-answers",
    "briefs:link-checks",
    "briefs:link-criterion-add",
    "briefs:link-criterion-update",
    "briefs:link-criterion-delete",
    "briefs:link-stage-add",
    "briefs:link-stage-delete",
    "briefs:link-sign",
}
LINK_GET = {"briefs:link", "briefs:link-checks"}
NOT_WORKSPACE_SCOPED = {
    "dashboard:home",
    "people:login",
    "people:logout",
    "people:password-reset",
    "people:password-reset-sent",
    "people:password-reset-confirm",
    "people:password-reset-complete",
    "people:account",
    "people:password-change",
    "workspaces:list",
    "workspaces:create",
    "workspaces:invitation-accept",
    "healthz",
    *LINK_URLS,
    "briefs:link-done",
    "skills:about-data",
    # Shortlist and scorecard links: public, the signed token is the credential
    # (tests/reviews/ test forged, expired and withdrawn ones).
    "reviews:link",
    "reviews:link-decide",
    "reviews:scorecard-link",
    "reviews:scorecard-link-submit",
    # A status report shared by link: public and read-only; tests/reports/ test revoked and
    # expired links.
    "reports:shared",
    # A post-hire survey's one-tap link: public, the signed token is the credential
    # (tests/partnerships/ test forged, answered and withdrawn ones).
    "surveys:link",
}


def walk(
    patterns: list[URLPattern | URLResolver] | None = None, namespace: str = ""
) -> Iterator[tuple[str, Callable[..., object]]]:
    """(namespaced name, view) for every URL of the app, Django's own admin excepted."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            prefix = f"{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix)
        else:
            yield f"{namespace}{entry.name}", entry.callback


def test_every_view_declares_who_may_use_it() -> None:
    undeclared = [name for name, view in walk() if not hasattr(view, "access_policy")]
    assert undeclared == []


def test_every_url_is_known_to_these_tests() -> None:
    names = {name for name, _ in walk()}
    assert names == set(EXPECTED) | NOT_WORKSPACE_SCOPED


def test_workspace_urls_require_membership_and_the_expected_permission() -> None:
    for name, view in walk():
        policy = view.access_policy  # type: ignore[attr-defined]
        assert (policy.kind == "member") == (name in EXPECTED), name


# What a brief needs before anyone can sign it (briefs.services.sign_off_problems).
SIGNABLE = {
    "why_now": "The payments team doubles next year.",
    "success_90": "Owns the settlement service on call.",
    "review_days": 2,
    "decision_days": 3,
    "update_channel": Channel.EMAIL,
    "update_frequency": Frequency.WEEKLY,
}


RESUME = "Sam Candidate\nBackend engineer, Acme, 2017 - 2023\nBuilt the settlement service.\n"


def requisition_with_brief(
    recruiter: Member,
    *,
    manager: Member,
    interviewer: Member,
    title: str = "Senior Backend Engineer",
) -> dict:
    """A requisition with signed brief v1 (with a criterion), draft v2 with a criterion and a
    stage, and a plan; its pipeline, and a candidate in it with a resume and a note."""
    requisition = RequisitionFactory(
        workspace=recruiter.workspace, recruiter=recruiter, hiring_managers=[manager], title=title
    )
    requisition.hiring_team.set([interviewer])
    signed = BriefVersionFactory(
        requisition=requisition, number=1, signed_at=timezone.now(), **SIGNABLE
    )
    signed_criterion = CriterionFactory(version=signed, name="Owns a service", kind=Kind.MUST)
    draft = BriefVersionFactory(
        requisition=requisition, number=2, reason="Payments scope", **SIGNABLE
    )
    milestones = requisition_services.plan_create(actor=recruiter, requisition=requisition)
    stages = stages_for(requisition)
    candidate = candidate_services.candidate_create(
        actor=recruiter,
        name="Sam Candidate",
        email="sam@example.com",
        source=Source.SOURCED,
        tags=["backend"],
    )
    resume = candidate_services.resume_attach(
        actor=recruiter,
        candidate=candidate,
        data=RESUME.encode(),
        filename="sam.txt",
        parsed=ParsedResume(kind="txt", text=RESUME, name="Sam Candidate"),
    )
    candidate_services.note_add(actor=recruiter, candidate=candidate, body="Strong on payments.")
    application = application_create(actor=recruiter, candidate=candidate, requisition=requisition)
    Assessment.objects.create(
        application=application,
        criterion=signed_criterion,
        suggested_verdict=Verdict.MET,
        suggested_evidence="Built the settlement service.",
    )
    return {
        "requisition": requisition,
        "draft": draft,
        "criterion": CriterionFactory(version=draft, name="Owns a service", kind=Kind.MUST),
        "signed_criterion": signed_criterion,
        "stage": InterviewStage.objects.create(version=draft, name="Systems design", position=1),
        "milestone": milestones[0],
        "pipeline_stage": stages[1],  # not the application's: it can move there
        "candidate": candidate,
        "resume": resume,
        "application": application,
    }


@pytest.fixture
def scene(admin: Member, recruiter: Member, hiring_manager: Member, interviewer: Member):
    """A workspace with one of each role, a pending invitation and a deactivated member, and a
    requisition all four are on: signed brief v1, draft v2 with a criterion and a stage, a plan,
    a glossary term, a vague term, the manager's intake link, a pipeline with a candidate in it.
    Beside it: a second requisition only the recruiter is on, a duplicate of the candidate, a
    candidate in no requisition, the default stage template, a workspace skill, the recruiter's
    saved search and a CSV import waiting for its column mapping."""
    invitation = services.invitation_create(
        actor=admin, email="pending@example.com", role=Role.INTERVIEWER
    )
    former = Member.objects.create(
        workspace=admin.workspace,
        user=User.objects.create_user("former@example.com", "x", display_name="Former"),
        role=Role.INTERVIEWER,
        is_active=False,
    )
    on_it = requisition_with_brief(recruiter, manager=hiring_manager, interviewer=interviewer)
    requisition = on_it["requisition"]
    link = BriefLink.objects.create(
        requisition=requisition,
        member=hiring_manager,
        created_by=recruiter,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return {
        Role.ADMIN: admin,
        Role.RECRUITER: recruiter,
        Role.HIRING_MANAGER: hiring_manager,
        Role.INTERVIEWER: interviewer,
        "invitation": invitation,
        "former": former,
        **on_it,
        "glossary_term": brief_services.glossary_term_save(
            actor=recruiter, term="Team player", definition="Has covered for a colleague."
        ),
        "vague_term": brief_services.vague_term_add(actor=admin, term="go-getter"),
        "token": brief_services.link_token(link),
        "other_requisition": RequisitionFactory(
            workspace=recruiter.workspace, recruiter=recruiter, title="Data Engineer"
        ),
        "duplicate": candidate_services.candidate_create(
            actor=recruiter, name="Samuel Candidate", email="sam@example.com"
        ),
        "pool_candidate": candidate_services.candidate_create(
            actor=recruiter, name="Pat Pool", email="pat@example.com"
        ),
        "template": default_template(recruiter.workspace),
        "skill": custom_skill_create(
            actor=recruiter, data=SkillInput(label="Ledgerline", synonyms="ledger line")
        ),
        "saved_search": saved_search_save(actor=recruiter, name="Payments", query="q=payments"),
        "import_batch": import_csv_start(
            actor=recruiter, data=b"Name,Email\nBo Row,bo@example.com\n"
        ),
        "shortlist": review_services.shortlist_send(
            actor=recruiter,
            requisition=requisition,
            manager=hiring_manager,
            applications=[on_it["application"]],
        ),
        "scorecard": scorecard_services.scorecard_request(
            actor=recruiter,
            application=on_it["application"],
            interviewers=[interviewer],
            interview_at=timezone.now(),
            stage=next(s for s in stages_for(requisition) if s.category == Category.INTERVIEW),
            brief_stage=None,
        )[0],
        "status_report": report_services.report_send(actor=recruiter, requisition=requisition),
        "share_link": report_services.share_link_create(
            actor=recruiter, label="Dana Ruiz, VP Engineering", requisition=requisition
        ),
        **post_hire_scene(recruiter, hiring_manager, requisition),
    }


def post_hire_scene(recruiter: Member, manager: Member, requisition: Requisition) -> dict:
    """A second candidate hired into the scene's requisition (its surveys planned for the
    manager), a touchpoint with the manager and a lesson learned."""
    hired = application_create(
        actor=recruiter,
        candidate=candidate_services.candidate_create(
            actor=recruiter, name="Hana Hired", email="hana@example.com"
        ),
        requisition=requisition,
    )
    stage = next(s for s in stages_for(requisition) if s.category == Category.HIRED)
    application_move(actor=recruiter, application=hired, to_stage=stage)
    hire = Hire.objects.get(application=hired)
    touchpoint = partnership_services.touchpoint_log(
        actor=recruiter,
        manager=manager,
        data=partnership_services.TouchpointInput(
            kind="call",
            # a day back: today in the settings' zone may be tomorrow in the recruiter's
            occurred_on=timezone.localdate() - timedelta(days=1),
            summary="Planned the next role.",
        ),
    )
    return {
        "hire": hire,
        "survey": Survey.objects.get(hire=hire, manager=manager),
        "touchpoint": touchpoint,
        "lesson": partnership_services.lesson_add(
            actor=recruiter, manager=manager, text="Send shortlists on Mondays.", applies_to=""
        ),
    }


def url_for(name: str, workspace: Workspace, scene: dict) -> str:
    namespace, _, view = name.partition(":")
    kwargs: dict[str, object] = {}
    if name.startswith("briefs:link"):
        kwargs["token"] = scene["token"]
    else:
        kwargs["workspace_slug"] = workspace.slug
    if namespace == "candidates":
        return reverse(name, kwargs={**kwargs, **candidate_kwargs(view, scene)})
    if namespace in ("search", "pipeline", "matching", "skills"):
        return reverse(name, kwargs={**kwargs, **ISSUE_4_KWARGS[name](scene)})
    if namespace in ("reviews", "nudges"):
        return reverse(name, kwargs={**kwargs, **ISSUE_5_KWARGS[name](scene)})
    if namespace == "reports":
        return reverse(name, kwargs={**kwargs, **ISSUE_6_KWARGS[name](scene)})
    if namespace in ("partnerships", "surveys", "analytics"):
        return reverse(name, kwargs={**kwargs, **ISSUE_7_KWARGS[name](scene)})
    if name.startswith("workspaces:invitation-"):
        kwargs["public_id"] = scene["invitation"].public_id
    elif name == "workspaces:member-reactivate":
        kwargs["public_id"] = scene["former"].public_id
    elif name.startswith("workspaces:member-"):
        kwargs["public_id"] = scene[Role.INTERVIEWER].public_id
    elif name == "briefs:glossary-delete":
        kwargs["term_id"] = scene["glossary_term"].public_id
    elif name == "briefs:lexicon-delete":
        kwargs["term_id"] = scene["vague_term"].public_id
    elif (namespace == "requisitions" and view not in ("list", "create")) or (
        namespace == "briefs"
        and "workspace_slug" in kwargs
        and "glossary" not in view
        and "lexicon" not in view
    ):
        kwargs["public_id"] = scene["requisition"].public_id
    if view == "milestone-update":
        kwargs["milestone_id"] = scene["milestone"].public_id
    if view in ("version", "export"):
        kwargs["number"] = 1
    elif view == "diff":
        kwargs["number"] = 2  # the draft, against the signed version 1
    if view == "export":
        kwargs["fmt"] = "md"
    if view.endswith(("criterion-update", "criterion-delete")):
        kwargs["criterion_id"] = scene["criterion"].public_id
    if view.endswith("stage-delete"):
        kwargs["stage_id"] = scene["stage"].public_id
    return reverse(name, kwargs=kwargs)


def candidate_kwargs(view: str, scene: dict) -> dict[str, object]:
    if view in ("create", "upload", "import-csv", "imports"):
        return {}
    if view.startswith("import-"):
        return {"public_id": scene["import_batch"].public_id}
    kwargs: dict[str, object] = {"public_id": scene["candidate"].public_id}
    if view == "resume-download":
        kwargs["resume_id"] = scene["resume"].public_id
    return kwargs


def _requisition(scene: dict) -> dict[str, object]:
    return {"public_id": scene["requisition"].public_id}


def _application(scene: dict) -> dict[str, object]:
    return {"public_id": scene["application"].public_id}


def _skill(scene: dict) -> dict[str, object]:
    return {"public_id": scene["skill"].public_id}


def _none(scene: dict) -> dict[str, object]:
    return {}


# The URL arguments of the search, pipeline, matching and skills URLs (besides the workspace).
ISSUE_4_KWARGS: dict[str, Callable[[dict], dict[str, object]]] = {
    "search:candidates": _none,
    "search:save": _none,
    "search:saved-delete": lambda scene: {"public_id": scene["saved_search"].public_id},
    "pipeline:templates": _none,
    "pipeline:template": lambda scene: {"template_id": scene["template"].public_id},
    "pipeline:board": _requisition,
    "pipeline:list": _requisition,
    "pipeline:column": lambda scene: {
        **_requisition(scene),
        "stage_id": scene["pipeline_stage"].public_id,
    },
    "pipeline:move": lambda scene: {
        **_requisition(scene),
        "application_id": scene["application"].public_id,
    },
    "pipeline:bulk": _requisition,
    "pipeline:stages": _requisition,
    "matching:screen": _application,
    "matching:refresh": _application,
    "matching:assess": lambda scene: {
        **_application(scene),
        "criterion_id": scene["signed_criterion"].public_id,
    },
    "matching:rank": _requisition,
    "matching:rank-refresh": _requisition,
    "matching:pool-add": _requisition,
    "skills:list": _none,
    "skills:lookup": _none,
    "skills:edit": _skill,
    "skills:delete": _skill,
}


def _shortlist(scene: dict) -> dict[str, object]:
    return {"shortlist_id": scene["shortlist"].public_id}


def _scorecard(scene: dict) -> dict[str, object]:
    return {"scorecard_id": scene["scorecard"].public_id}


def _scored(scene: dict) -> dict[str, object]:
    return {"application_id": scene["application"].public_id}


# The URL arguments of the review-loop URLs (besides the workspace).
ISSUE_5_KWARGS: dict[str, Callable[[dict], dict[str, object]]] = {
    "reviews:shortlists": _requisition,
    "reviews:shortlist-new": _requisition,
    "reviews:shortlist": _shortlist,
    "reviews:decide": lambda scene: {**_shortlist(scene), "position": 0},
    "reviews:shortlist-withdraw": _shortlist,
    "reviews:shortlist-resend": _shortlist,
    "reviews:my-reviews": _none,
    "reviews:scorecards": _scored,
    "reviews:scorecard-request": _scored,
    "reviews:scorecard": _scorecard,
    "reviews:scorecard-submit": _scorecard,
    "reviews:my-scorecards": _none,
    "nudges:owed": _none,
    "nudges:messages": _none,
    "nudges:contact": _none,
    "nudges:contact-test": _none,
    "nudges:policy": _none,
}


def _manager(scene: dict) -> dict[str, object]:
    return {"public_id": scene[Role.HIRING_MANAGER].public_id}


def _status_report(scene: dict) -> dict[str, object]:
    return {"public_id": scene["status_report"].public_id}


# The URL arguments of the status report URLs (besides the workspace).
ISSUE_6_KWARGS: dict[str, Callable[[dict], dict[str, object]]] = {
    "reports:index": _none,
    "reports:requisition": _requisition,
    "reports:note": _requisition,
    "reports:send": _requisition,
    "reports:requisition-pdf": _requisition,
    "reports:manager": _manager,
    "reports:manager-send": _manager,
    "reports:schedule": _manager,
    "reports:snapshot": _status_report,
    "reports:snapshot-pdf": _status_report,
    "reports:share-create": _none,
    "reports:share-revoke": lambda scene: {"public_id": scene["share_link"].public_id},
}


def _lesson(scene: dict) -> dict[str, object]:
    return {"lesson_id": scene["lesson"].public_id}


def _touchpoint(scene: dict) -> dict[str, object]:
    return {"touchpoint_id": scene["touchpoint"].public_id}


# The URL arguments of the partnership, post-hire and analytics URLs (besides the workspace).
ISSUE_7_KWARGS: dict[str, Callable[[dict], dict[str, object]]] = {
    "partnerships:index": _none,
    "partnerships:profile": _manager,
    "partnerships:profile-save": _manager,
    "partnerships:touchpoint-add": _manager,
    "partnerships:touchpoint-edit": _touchpoint,
    "partnerships:touchpoint-delete": _touchpoint,
    "partnerships:lesson-add": _manager,
    "partnerships:lesson-retire": _lesson,
    "partnerships:lesson-restore": _lesson,
    "partnerships:lesson-carry": lambda scene: {**_requisition(scene), **_lesson(scene)},
    "surveys:hires": _none,
    "surveys:policy": _none,
    "surveys:hire": lambda scene: {"public_id": scene["hire"].public_id},
    "surveys:hire-start": lambda scene: {"public_id": scene["hire"].public_id},
    "surveys:application-hire": lambda scene: {"public_id": scene["hire"].application.public_id},
    "surveys:survey": lambda scene: {"public_id": scene["survey"].public_id},
    "surveys:send": lambda scene: {"public_id": scene["survey"].public_id},
    "surveys:resend": lambda scene: {"public_id": scene["survey"].public_id},
    "analytics:index": _none,
    "analytics:export": _none,
    "analytics:records": _none,
}


POST_DATA: dict[str, dict[str, Any]] = {
    "workspaces:invite": {"email": "new@example.com", "role": Role.INTERVIEWER},
    "workspaces:member-role": {"role": Role.HIRING_MANAGER},
    "workspaces:settings": {"name": "Renamed", "time_zone": "UTC"},
    "requisitions:transition": {"to_status": Status.INTAKE},
    "requisitions:kickoff": {
        "starts_at": "2099-06-01 10:00",
        "duration_minutes": 45,
        "where": "Room 4",
    },
    "briefs:send": {"message": "Could you fill this in before we meet?"},
    "briefs:revise": {"reason": "The team moved to payments."},
    "briefs:answers": {"why_now": "A new market opens in May."},
    "briefs:criterion-add": {
        "name": "Has run an on-call rotation",
        "kind": Kind.MUST,
        "definition": "Has carried a pager for a production service.",
    },
    "briefs:criterion-update": {"definition": "Has owned a service end to end for a year."},
    "briefs:stage-add": {"name": "Pairing session"},
    "briefs:glossary-save": {"term": "Self-starter", "definition": "Has started a project."},
    "briefs:lexicon": {"term": "rockstar ninja", "ask": "What would they have done?"},
    "candidates:create": {
        "name": "Nina New",
        "email": "nina@example.com",
        "source": Source.SOURCED,
    },
    "candidates:note-add": {"body": "Called back; available from June."},
    "candidates:tags": {"add": "shortlist, payments", "remove": "backend"},
    "candidates:import-mapping": {"col_0": "name", "col_1": "email"},
    "search:save": {"name": "Go in Berlin", "q": "go", "location": "Berlin"},
    "pipeline:templates": {"op": "create", "name": "Engineering"},
    "pipeline:template": {"op": "rename", "name": "Standard hiring"},
    "pipeline:stages": {"op": "stage-add", "name": "Take-home", "category": Category.INTERVIEW},
    "matching:assess": {
        "verdict": Verdict.MET,
        "evidence": "Built the settlement service at Acme.",
        "revision": 0,
    },
    "skills:list": {"label": "Paymatic", "synonyms": "paymatic suite", "extends": ""},
    "skills:lookup": {"q": "python"},
    "reviews:decide": {"decision": "advance-as-screened"},
    "nudges:contact": {
        "channel": "email",
        "quiet_start": "20:00",
        "quiet_end": "08:00",
        "quiet_weekends": "on",
        "min_gap_hours": "4",
    },
    "reports:note": {"narrative": "Two strong finalists.", "next_steps": "Offer.", "revision": 0},
    "reports:schedule": {
        "frequency": "weekly",
        "weekday": "1",
        "at": "08:30",
        "time_zone": "Europe/London",
    },
    "partnerships:touchpoint-add": {
        "kind": "meeting",
        "occurred_on": "2026-01-05",
        "summary": "Talked about next quarter's roles.",
        "next_step": "Draft the platform role.",
    },
    "partnerships:lesson-add": {"text": "Book debriefs the same day.", "applies_to": ""},
    "analytics:records": {"figure": "survey", "group": "", "period": "all"},
    "surveys:policy": {
        "first_after_days": "7",
        "checkpoints": "30, 90",
        "remind_after_days": "3",
        "max_reminders": "2",
    },
    "nudges:policy": {
        "remind_before_hours": "4",
        "escalate_after_days": "1",
        "contact": "",
        "contact_after_days": "2",
    },
}


def post_data(name: str, scene: dict) -> dict[str, Any]:
    """Valid input for the URL, so that a refusal is the access rule's and not a form error."""
    requisition, draft = scene["requisition"], scene["draft"]
    details = {
        "title": "Staff Backend Engineer",
        "level": "senior",
        "employment_type": "full_time",
        "remote_policy": "hybrid",
        "openings": 1,
        "recruiter": scene[Role.RECRUITER].pk,
        "hiring_managers": [scene[Role.HIRING_MANAGER].pk],
    }
    prefix = scene["milestone"].public_id
    dynamic: dict[str, dict[str, Any]] = {
        "requisitions:create": details,
        "requisitions:edit": {**details, "revision": requisition.revision},
        "requisitions:milestone-update": {
            f"{prefix}-owner": Owner.MANAGER,
            f"{prefix}-due_on": "2031-03-03",
        },
        "briefs:sign": {"revision": draft.revision},
        **issue_4_post_data(name, scene),
        "reviews:scorecard-submit": scorecard_answers(scene),
        "reports:share-create": {
            "requisition": str(requisition.public_id),
            "label": "Kim Boss, CTO",
            "days": "7",
        },
        **issue_7_post_data(scene),
    }
    return {**POST_DATA.get(name, {}), **dynamic.get(name, {})}


def issue_4_post_data(name: str, scene: dict) -> dict[str, dict[str, Any]]:
    """Valid input that depends on the scene (files are made afresh: a post reads them)."""
    candidate, application = scene["candidate"], scene["application"]
    if name == "candidates:resume-upload":
        return {name: {"file": SimpleUploadedFile("cv.txt", RESUME.encode(), "text/plain")}}
    if name == "candidates:upload":
        upload = SimpleUploadedFile("ana.txt", b"Ana Upload\nana@example.com\n", "text/plain")
        return {name: {"resumes": upload, "source": Source.IMPORTED}}
    if name == "candidates:import-csv":
        csv = SimpleUploadedFile("people.csv", b"Name,Email\nCy,cy@example.com\n", "text/csv")
        return {name: {"file": csv, "source": Source.IMPORTED}}
    return {
        "candidates:edit": {
            "name": candidate.name,
            "email": candidate.email,
            "headline": "Staff engineer",
            "source": candidate.source,
            "revision": candidate.revision,
        },
        "candidates:apply": {"requisition": scene["other_requisition"].pk},
        "candidates:merge": {"other": scene["duplicate"].public_id},
        "candidates:erase": {"confirm": candidate.name},
        "pipeline:move": {
            "to_stage": str(scene["pipeline_stage"].public_id),
            "note": "Phone screen booked.",
            # Fresh: sending the scene's shortlist moved the application.
            "revision": Application.objects.get(pk=application.pk).revision,
        },
        "pipeline:bulk": {
            "action": "tag",
            "tags": "shortlist",
            "applications": [str(application.public_id)],
            "back": "board",
        },
        "matching:pool-add": {"candidate": str(scene["pool_candidate"].public_id)},
        "skills:edit": {"label": scene["skill"].label, "synonyms": "ledger line\nledgerln"},
    }


def issue_7_post_data(scene: dict) -> dict[str, dict[str, Any]]:
    manager, hire = scene[Role.HIRING_MANAGER], scene["hire"]
    touchpoint = Touchpoint.objects.filter(pk=scene["touchpoint"].pk).first()
    return {
        "partnerships:touchpoint-delete": {"revision": touchpoint.revision if touchpoint else 1},
        "partnerships:touchpoint-edit": {
            "kind": "meeting",
            "occurred_on": scene["touchpoint"].occurred_on.isoformat(),
            "summary": "Planned the next two roles.",
            "next_step": "",
            "next_step_on": "",
            "requisition": "",
            "revision": touchpoint.revision if touchpoint else 1,  # fresh: a test may edit it
        },
        "partnerships:profile-save": {
            "team": "Payments",
            "business_goals": "Launch in Spain.",
            "challenges": "",
            "team_dynamics": "",
            "update_channel": "email",
            "update_frequency": "weekly",
            "best_times": "Tuesday mornings",
            "update_time_zone": "Europe/London",
            "checkin_every": "30",
            "next_checkin_on": "",
            "recruiter": "",
            "revision": partnership_of(manager).revision,
        },
        "surveys:hire-start": {
            "start_on": (hire.start_on + timedelta(days=7)).isoformat(),
            "revision": Hire.objects.get(pk=hire.pk).revision,
        },
        "surveys:survey": survey_answers(scene),
    }


def survey_answers(scene: dict) -> dict[str, Any]:
    survey = scene["survey"]
    answers: dict[str, Any] = {
        "process_rating": "4",
        "smoother": "Fewer interview rounds.",
        "hire_rating": "5",
        "hire_notes": "Shipped in week one.",
        "missed_criteria": "",
    }
    for criterion in criteria_of(survey):
        answers[f"c-{criterion.public_id}"] = "useful"
    return answers


def scorecard_answers(scene: dict) -> dict[str, Any]:
    answers: dict[str, Any] = {"recommendation": "yes", "evidence": "Designed the ledger well."}
    for criterion in scorecard_services.criteria_for(scene["scorecard"]):
        answers[f"judgement-{criterion.public_id}"] = "meets"
        answers[f"note-{criterion.public_id}"] = "Walked through it."
    return answers


def snapshot() -> str:
    """Every row a workspace URL could change, serialised, to prove nothing changed."""
    rows = [
        *Workspace.objects.order_by("pk"),
        *Member.objects.order_by("pk"),
        *Invitation.objects.order_by("pk"),
        *User.objects.order_by("pk"),
        *AuditEntry.objects.order_by("pk"),
        *Requisition.objects.order_by("pk"),  # with its hiring managers and hiring team
        *RequisitionEvent.objects.order_by("pk"),
        *Milestone.objects.order_by("pk"),
        *Kickoff.objects.order_by("pk"),
        *BriefVersion.objects.order_by("pk"),
        *Criterion.objects.order_by("pk"),
        *InterviewStage.objects.order_by("pk"),
        *Signature.objects.order_by("pk"),
        *BriefLink.objects.order_by("pk"),
        *GlossaryTerm.objects.order_by("pk"),
        *VagueTerm.objects.order_by("pk"),
        *Candidate.objects.order_by("pk"),  # with its tags
        *CandidateSkill.objects.order_by("pk"),
        *Resume.objects.order_by("pk"),
        *Note.objects.order_by("pk"),
        *CandidateEvent.objects.order_by("pk"),
        *Tag.objects.order_by("pk"),
        *SavedSearch.objects.order_by("pk"),
        *ImportBatch.objects.order_by("pk"),
        *ImportItem.objects.order_by("pk"),
        *StageTemplate.objects.order_by("pk"),
        *TemplateStage.objects.order_by("pk"),
        *Stage.objects.order_by("pk"),
        *Application.objects.order_by("pk"),
        *StageMove.objects.order_by("pk"),
        *Assessment.objects.order_by("pk"),
        *CustomSkill.objects.order_by("pk"),
        *Shortlist.objects.order_by("pk"),
        *ShortlistItem.objects.order_by("pk"),
        *Review.objects.order_by("pk"),
        *ReviewJudgement.objects.order_by("pk"),
        *ReviewLink.objects.order_by("pk"),
        *Scorecard.objects.order_by("pk"),
        *ScorecardRating.objects.order_by("pk"),
        *Commitment.objects.order_by("pk"),
        *Nudge.objects.order_by("pk"),
        *Message.objects.order_by("pk"),
        *ContactPreference.objects.order_by("pk"),
        *NudgePolicy.objects.order_by("pk"),
        *ReportNote.objects.order_by("pk"),
        *StatusReport.objects.order_by("pk"),
        *ReportSchedule.objects.order_by("pk"),
        *ShareLink.objects.order_by("pk"),
        *Partnership.objects.order_by("pk"),
        *Touchpoint.objects.order_by("pk"),
        *Lesson.objects.order_by("pk"),
        *LessonUse.objects.order_by("pk"),
        *HirePolicy.objects.order_by("pk"),
        *Hire.objects.order_by("pk"),
        *Survey.objects.order_by("pk"),
        *CriterionRating.objects.order_by("pk"),
    ]
    return serializers.serialize("json", rows)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_outsider_gets_404_and_changes_nothing(name: str, scene: dict, outsider: Member) -> None:
    url = url_for(name, scene[Role.ADMIN].workspace, scene)
    client = client_for(outsider)
    before = snapshot()
    for method in ("get", "post"):
        response = getattr(client, method)(url, post_data(name, scene))
        assert response.status_code == 404, (method, url)
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_anonymous_is_sent_to_sign_in(name: str, scene: dict) -> None:
    url = url_for(name, scene[Role.ADMIN].workspace, scene)
    before = snapshot()
    response = Client().post(url, post_data(name, scene))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))
    # Sent in place from a page (htmx): the whole page goes to sign in, and comes back to the
    # page, not to the fragment; the sign-in form is never swapped into a part of the page.
    page = f"/w/{scene[Role.ADMIN].workspace.slug}/"
    response = Client().post(
        url,
        post_data(name, scene),
        headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{reverse('people:login')}?next={page}"
    assert response.content == b""
    assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_role_matrix(name: str, role: str, scene: dict) -> None:
    actor = scene[role]
    url = url_for(name, actor.workspace, scene)
    client = client_for(actor)
    method = "post" if name in POST_ONLY else "get"
    before = snapshot()
    response = getattr(client, method)(url, post_data(name, scene))
    if (name, role) in DOMAIN_REFUSALS:
        assert response.status_code == DOMAIN_REFUSALS[name, role]
        assert snapshot() == before
    elif role in EXPECTED[name]:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == 403
        assert snapshot() == before
        # A refused POST is refused the same way, and still changes nothing.
        assert client.post(url, post_data(name, scene)).status_code == 403
        assert snapshot() == before


ISSUE_4 = sorted(
    name
    for name in EXPECTED
    if name.partition(":")[0] in ("candidates", "search", "pipeline", "matching", "skills")
)
GET_ONLY = {
    "candidates:detail",
    "candidates:resume-download",
    "candidates:imports",
    "candidates:import-detail",
    "search:candidates",
    "pipeline:board",
    "pipeline:list",
    "pipeline:column",
    "matching:screen",
    "matching:rank",
    "skills:lookup",
}
# Valid input that has nothing to do in the scene: its CSV import waits for the column mapping,
# so there is no running import to continue.
NOTHING_TO_DO = {"candidates:import-continue"}


@pytest.mark.parametrize("name", ISSUE_4)
def test_the_input_posted_above_is_valid(name: str, scene: dict) -> None:
    """An allowed member's POST of `post_data` does its work, so the refusals the matrix sees
    are the access rule's and not a form's (and a GET-only page refuses the POST as such)."""
    actor = scene[Role.RECRUITER if Role.RECRUITER in EXPECTED[name] else Role.ADMIN]
    client = client_for(actor)
    before = snapshot()
    response = client.post(url_for(name, actor.workspace, scene), post_data(name, scene))
    if name in GET_ONLY:
        assert response.status_code == 405
        assert snapshot() == before
    else:
        assert response.status_code in (200, 302)
        assert (snapshot() != before) == (name not in NOTHING_TO_DO)


ISSUE_7 = sorted(
    name for name in EXPECTED if name.partition(":")[0] in ("partnerships", "surveys", "analytics")
)
ISSUE_7_GET_ONLY = {
    "partnerships:index",
    "partnerships:profile",
    "surveys:hires",
    "surveys:hire",
    "surveys:application-hire",
    "analytics:index",
    "analytics:export",
    "analytics:records",
}


@pytest.mark.parametrize("name", ISSUE_7)
def test_the_partnership_input_posted_above_is_valid(name: str, scene: dict) -> None:
    """As above, for the partnership, post-hire and analytics URLs: the survey by its manager,
    the rest by the recruiter; the link is resent once the survey has been sent, the lesson
    restored once retired."""
    role = Role.HIRING_MANAGER if name == "surveys:survey" else Role.RECRUITER
    actor = scene[role]
    if name == "surveys:resend":
        survey_send_now(actor=actor, survey=scene["survey"])
    if name == "partnerships:lesson-restore":
        partnership_services.lesson_retire(actor=actor, lesson=scene["lesson"])
    client = client_for(actor)
    before = snapshot()
    response = client.post(url_for(name, actor.workspace, scene), post_data(name, scene))
    if name in ISSUE_7_GET_ONLY:
        assert response.status_code == 405
        assert snapshot() == before
    else:
        assert response.status_code in (200, 302), response.status_code
        assert snapshot() != before


def test_deactivated_member_loses_access_at_once(scene: dict) -> None:
    interviewer = scene[Role.INTERVIEWER]
    client = client_for(interviewer)
    home = reverse("dashboard:workspace", args=[interviewer.workspace.slug])
    assert client.get(home).status_code == 200
    services.member_deactivate(actor=scene[Role.ADMIN], member=interviewer)
    assert client.get(home).status_code == 404


# Workspace URLs about one requisition or one of its applications: their object is visible to
# its own people only.
ABOUT_A_REQUISITION = sorted(
    name
    for name in EXPECTED
    if (
        name.startswith("requisitions:")
        and name not in ("requisitions:list", "requisitions:create")
    )
    or (name.startswith("briefs:") and not name.startswith(("briefs:glossary", "briefs:lexicon")))
    or (name.startswith("pipeline:") and name not in ("pipeline:templates", "pipeline:template"))
    or name.startswith("matching:")
    or name in ("reviews:shortlists", "reviews:shortlist-new")
    or name in ("reports:requisition", "reports:note", "reports:send", "reports:requisition-pdf")
    or name == "partnerships:lesson-carry"
)
# Workspace URLs about one candidate (or one of their applications): managers and interviewers
# see the candidates of their own requisitions only.
ABOUT_A_CANDIDATE = sorted(
    name
    for name in EXPECTED
    if (
        name.startswith("candidates:")
        and name not in ("candidates:create", "candidates:upload", "candidates:import-csv")
        and not name.startswith("candidates:import")
    )
    or name in ("matching:screen", "matching:assess", "matching:refresh")
    or name in ("reviews:scorecards", "reviews:scorecard-request")
)


def elsewhere_scene(scene: dict, workspace: Workspace) -> dict:
    """A requisition of the same workspace that the scene's manager and interviewer are not on,
    with its own candidate (in no other requisition), resume and application."""
    other_manager = Member.objects.create(
        workspace=workspace,
        user=User.objects.create_user("olga@example.com", "x", display_name="Olga"),
        role=Role.HIRING_MANAGER,
    )
    other_interviewer = Member.objects.create(
        workspace=workspace,
        user=User.objects.create_user("oscar@example.com", "x", display_name="Oscar"),
        role=Role.INTERVIEWER,
    )
    elsewhere = requisition_with_brief(
        scene[Role.RECRUITER],
        manager=other_manager,
        interviewer=other_interviewer,
        title="Confidential Rebuild",
    )
    return {**scene, **elsewhere}


def assert_not_disclosed(name: str, role: str, scene: dict, workspace: Workspace) -> None:
    """Refused by role first (403); allowed by role but not theirs: a 404, and nothing changes."""
    url = url_for(name, workspace, scene)
    client = client_for(scene[role])
    expected = 404 if role in EXPECTED[name] else 403
    served = "post" if name in POST_ONLY else "get"
    before = snapshot()
    for method in ("get", "post"):
        response = getattr(client, method)(url, post_data(name, scene))
        # The other method may be refused as such (405) before any object is looked up.
        allowed = {expected} if method == served else {expected, 405}
        assert response.status_code in allowed, (method, url, response.status_code)
    assert snapshot() == before


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
@pytest.mark.parametrize("name", ABOUT_A_REQUISITION)
def test_managers_and_interviewers_get_404_on_requisitions_they_are_not_on(
    name: str, role: str, scene: dict, workspace: Workspace
) -> None:
    assert_not_disclosed(name, role, elsewhere_scene(scene, workspace), workspace)


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
@pytest.mark.parametrize("name", ABOUT_A_CANDIDATE)
def test_managers_and_interviewers_get_404_on_candidates_of_requisitions_they_are_not_on(
    name: str, role: str, scene: dict, workspace: Workspace
) -> None:
    elsewhere = elsewhere_scene(scene, workspace)
    # Only the candidate is elsewhere's: the requisition in the URL or form is still theirs.
    mixed = {
        **scene,
        **{key: elsewhere[key] for key in ("candidate", "resume", "application")},
    }
    assert_not_disclosed(name, role, mixed, workspace)


@pytest.mark.parametrize("role", ROLES)
def test_a_candidate_they_see_is_not_a_window_on_other_requisitions(
    role: str, scene: dict, workspace: Workspace
) -> None:
    """The scene's candidate, whom everyone sees, also applied to a requisition the manager and
    interviewer are not on: to them that application stays hidden, its screen and its title on
    the candidate's page (the pipeline and the history) too."""
    elsewhere = elsewhere_scene(scene, workspace)
    application = application_create(
        actor=scene[Role.RECRUITER],
        candidate=scene["candidate"],
        requisition=elsewhere["requisition"],
    )
    page = client_for(scene[role]).get(url_for("candidates:detail", workspace, scene))
    assert page.status_code == 200
    shown = page.content.decode()
    sees_the_pool = role in STAFF
    assert ("Confidential Rebuild" in shown) == sees_the_pool
    assert (str(elsewhere["requisition"].public_id) in shown) == sees_the_pool
    assert (str(application.public_id) in shown) == sees_the_pool
    assert "Senior Backend Engineer" in shown  # the requisition they are on
    if not sees_the_pool:
        with_it = {**scene, "application": application}
        assert_not_disclosed("matching:screen", role, with_it, workspace)


@pytest.mark.parametrize("name", sorted(LINK_URLS))
def test_intake_link_refuses_a_forged_token_and_changes_nothing(name: str, scene: dict) -> None:
    token = scene["token"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    url = url_for(name, scene[Role.ADMIN].workspace, {**scene, "token": forged})
    before = snapshot()
    for method in ("get", "post"):
        response = getattr(Client(), method)(url, post_data(name.replace("link-", ""), scene))
        assert response.status_code == 410, (method, url)
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(LINK_GET))
def test_intake_link_opens_the_draft_without_a_password(name: str, scene: dict) -> None:
    response = Client().get(url_for(name, scene[Role.ADMIN].workspace, scene))

    assert response.status_code == 200
