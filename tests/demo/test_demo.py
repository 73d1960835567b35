"""`accord demo`: builds the people of demo/data.py and the requisitions of demo/hiring.py, and
running it again changes nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.briefs import services as briefs
from accord.briefs.checks import findings_for
from accord.briefs.models import (
    BriefLink,
    BriefVersion,
    Criterion,
    GlossaryTerm,
    InterviewStage,
    Kind,
    Signature,
    VagueTerm,
)
from accord.candidates import services as candidate_services
from accord.candidates.models import Candidate, CandidateSkill, Resume, SavedSearch
from accord.demo import data, hiring
from accord.demo.hires import HIRES
from accord.people.models import User
from accord.pipeline.models import Application, Assessment, Category
from accord.requisitions import plan
from accord.requisitions.models import (
    Kickoff,
    Milestone,
    Requisition,
    RequisitionEvent,
    Status,
)
from accord.workspaces.models import Invitation, Member, Workspace

pytestmark = pytest.mark.django_db


def demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def state() -> dict[str, object]:
    return {
        "users": sorted(User.objects.values_list("email", "display_name", "time_zone")),
        "members": sorted(
            Member.objects.values_list("workspace__slug", "user__email", "role", "is_active")
        ),
        "invitations": sorted(
            Invitation.objects.values_list(
                "workspace__slug", "email", "role", "expires_at", "revoked_at", "accepted_at"
            )
        ),
        "workspaces": sorted(Workspace.objects.values_list("slug", "name", "time_zone")),
        "audit": AuditEntry.objects.count(),
        "requisitions": sorted(
            Requisition.objects.values_list(
                "title", "status", "created_at", "opened_at", "closed_at", "days_to_fill"
            )
        ),
        "versions": sorted(
            BriefVersion.objects.values_list(
                "requisition__title", "number", "revision", "signed_at", "updated_at"
            )
        ),
        "counts": [
            model.objects.count()
            for model in (
                RequisitionEvent,
                Milestone,
                Kickoff,
                InterviewStage,
                Criterion,
                Signature,
                BriefLink,
                GlossaryTerm,
                VagueTerm,
            )
        ],
    }


def requisition(role: hiring.Role) -> Requisition:
    return Requisition.objects.get(workspace__slug="northwind", title=role.title)


def test_demo_twice_is_idempotent():
    demo()
    first = state()

    demo()

    assert state() == first
    assert (User.objects.count(), Member.objects.count()) == (10, 11)
    assert (Invitation.objects.count(), Workspace.objects.count()) == (1, 2)
    assert Requisition.objects.count() == 6 + len(hiring.FILLED)


def test_demo_builds_the_listed_people_with_their_roles():
    demo()

    for (name, slug, time_zone), people in [
        (data.NORTHWIND, data.NORTHWIND_PEOPLE),
        (data.GLOBEX, data.GLOBEX_PEOPLE),
    ]:
        workspace = Workspace.objects.get(slug=slug)
        assert (workspace.name, workspace.time_zone) == (name, time_zone)
        assert sorted(
            Member.objects.filter(workspace=workspace).values_list(
                "user__email", "user__display_name", "role", "is_active"
            )
        ) == sorted((p.email, p.name, p.role, True) for p in people)

    for person in data.logins():
        user = User.objects.get(email=person.email)
        assert (user.display_name, user.time_zone) == (person.name, person.time_zone)
        assert user.check_password(data.PASSWORD)


def test_riya_is_in_both_workspaces_with_different_roles():
    demo()
    assert sorted(
        Member.objects.filter(user__email="riya@northwind.example").values_list(
            "workspace__slug", "role"
        )
    ) == [("globex", "admin"), ("northwind", "recruiter")]


def test_demo_invites_the_listed_people():
    demo()
    northwind = Workspace.objects.get(slug="northwind")
    assert sorted(
        Invitation.objects.pending().filter(workspace=northwind).values_list("email", "role")
    ) == sorted(data.NORTHWIND_INVITED)
    invitation = Invitation.objects.get()
    assert invitation.invited_by.user.email == "admin@northwind.example"


def test_demo_records_each_member_in_the_audit_log():
    demo()
    assert AuditEntry.objects.filter(action="member.added").count() == Member.objects.count()
    assert AuditEntry.objects.filter(action="invitation.created").count() == 1
    assert not AuditEntry.objects.filter(action="member.added", actor__isnull=False).exists()


def test_demo_completes_a_partly_built_demo():
    demo()
    # Omar has no history: a member with scorecards or reviews can't be deleted (PROTECT).
    Member.objects.filter(user__email="omar@northwind.example").delete()
    User.objects.filter(email="jules@globex.example").delete()

    demo()

    assert Member.objects.filter(user__email="omar@northwind.example").count() == 1
    assert Member.objects.get(user__email="jules@globex.example").workspace.slug == "globex"
    assert (User.objects.count(), Member.objects.count()) == (10, 11)


def test_demo_prints_how_to_sign_in():
    out = demo()
    assert "Demo workspaces ready: Northwind Labs, Globex Search Partners" in out
    assert "with password 'accord-demo'" in out
    for person in data.logins():
        assert person.email in out
    assert out.count("riya@northwind.example") == 1


def test_a_demo_account_can_sign_in():
    demo()
    client = Client()
    response = client.post(
        "/login/", {"username": "hannah@northwind.example", "password": data.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/w/northwind/").status_code == 200
    assert client.get("/w/globex/").status_code == 404


# --- requisitions and briefs -------------------------------------------------------------------


def test_demo_has_requisitions_at_every_stage():
    demo()
    assert set(
        Requisition.objects.filter(workspace__slug="northwind").values_list("status", flat=True)
    ) == set(Status.values)
    assert not Requisition.objects.filter(workspace__slug="globex").exists()
    assert requisition(hiring.DATA_ANALYST).status == Status.DRAFT
    assert not requisition(hiring.DATA_ANALYST).brief_versions.exists()


def test_exactly_one_brief_is_signed_in_two_versions():
    demo()
    signed = Requisition.objects.annotate(
        n=Count("brief_versions", filter=Q(brief_versions__signed_at__isnull=False))
    )
    assert [r.title for r in signed.filter(n__gte=2)] == [hiring.SENIOR_BACKEND.title]

    role = requisition(hiring.SENIOR_BACKEND)
    v1, v2 = role.brief_versions.order_by("number")
    assert (role.status, v1.number, v2.number) == (Status.OPEN, 1, 2)
    assert briefs.in_force(role) == v2
    for version in (v1, v2):
        assert version.is_signed
        assert sorted(
            version.signatures.values_list("member__user__email", "side", "revision")
        ) == [
            (hiring.HANNAH, "manager", version.revision),
            (hiring.RIYA, "recruiter", version.revision),
        ]
    assert v2.reason == hiring.SENIOR_BACKEND_REVISION.reason
    moved = hiring.SENIOR_BACKEND_REVISION.to_nice
    assert (v1.criteria.get(name=moved).kind, v1.criteria.get(name=moved).weight) == (
        Kind.MUST,
        None,
    )
    assert (v2.criteria.get(name=moved).kind, v2.criteria.get(name=moved).weight) == (
        Kind.NICE,
        hiring.SENIOR_BACKEND_REVISION.weight,
    )
    assert v1.alternative_personas != v2.alternative_personas
    assert v1.carried_over["from"] == hiring.FILLED[2].role.title
    assert v1.signed_at < v2.created_at < v2.signed_at < timezone.now()
    assert role.milestones.count() == 6
    assert role.kickoffs.get().starts_at < v1.signed_at


def test_the_open_briefs_have_nothing_left_to_align():
    demo()
    for role in (hiring.SENIOR_BACKEND, hiring.PRODUCT_DESIGNER):
        for version in requisition(role).brief_versions.all():
            assert findings_for(version) == []


def test_expected_time_to_fill_has_demo_history():
    demo()
    estimate = plan.expected_time_to_fill(requisition(hiring.SENIOR_BACKEND))
    assert not estimate.is_default
    # Backend Engineer 41, (Integrations) 35, Senior (Payments) 52: the title family's median.
    assert (estimate.days, estimate.sample_size) == (41, 3)

    now = timezone.now()
    for filled in hiring.FILLED:
        role = requisition(filled.role)
        assert (role.status, role.days_to_fill) == (Status.FILLED, filled.days_to_fill)
        assert (now - role.closed_at).days == filled.closed_days_ago
        assert role.brief_versions.signed().count() == 1
    payments = requisition(hiring.FILLED[2].role)
    assert payments.time_on_hold.days == 10
    assert payments.events.filter(to_status=Status.ON_HOLD).get().reason


def test_the_intake_sent_to_the_manager_has_a_live_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demo()
    role = requisition(hiring.CS_LEAD)
    assert role.status == Status.INTAKE
    link = BriefLink.objects.get(requisition=role, revoked_at__isnull=True)
    assert link.member.user.email == hiring.SOFIA
    assert link.expires_at > timezone.now()
    token = briefs.link_token(link)
    assert briefs.link_from_token(token) == link
    assert any(
        reverse("briefs:link", args=[token]) in message.body
        for message in mailoutbox
        if message.to == [hiring.SOFIA]
    )
    version = role.brief_versions.get()
    assert version.why_now
    assert version.past_misstep
    assert not version.selling_points
    assert not version.criteria.exists()
    assert version.field_edits["why_now"]["by"] == "Sofia Alvarez"


def test_the_brief_awaiting_sign_off_raises_alignment_checks():
    demo()
    role = requisition(hiring.PLATFORM_EM)
    version = role.brief_versions.get()
    assert role.status == Status.INTAKE
    assert version.sign_off_requested_at is not None
    assert not version.signatures.exists()
    assert role.kickoffs.get().starts_at > timezone.now()
    assert version.criteria.filter(kind=Kind.MUST).count() >= 7

    findings = findings_for(version)
    codes = {f.code for f in findings}
    assert {"years_vs_age", "unicorn", "vague_term"} <= codes
    assert "Kubernetes" in next(f.title for f in findings if f.code == "years_vs_age")
    vague = {f.title for f in findings if f.code == "vague_term"}
    assert "“Strategic thinker” has no agreed definition" in vague
    assert "“Scrappy” has no agreed definition" in vague  # the workspace's own term
    # The Engineering team's glossary defines it; the Platform team hasn't agreed one yet.
    assert GlossaryTerm.objects.get(term="strategic thinker").team == "Engineering"


def test_on_hold_and_cancelled_say_why():
    demo()
    on_hold = requisition(hiring.PRODUCT_DESIGNER)
    cancelled = requisition(hiring.SDR)
    assert (on_hold.status, cancelled.status) == (Status.ON_HOLD, Status.CANCELLED)
    assert on_hold.events.first().reason == hiring.PRODUCT_DESIGNER_HOLD
    assert cancelled.events.first().reason == hiring.SDR_CANCELLED
    assert on_hold.days_open() == 18


def test_demo_history_is_in_the_past_and_the_log_follows_it():
    demo()
    now = timezone.now()
    assert not Requisition.objects.filter(created_at__gt=now).exists()
    assert not AuditEntry.objects.filter(created_at__gt=now).exists()
    filled = AuditEntry.objects.filter(
        action="requisition.status_changed", object_repr=hiring.FILLED[0].role.title
    ).first()
    assert filled is not None
    assert filled.created_at < now - timedelta(days=hiring.FILLED[0].closed_days_ago - 1)


def test_demo_brings_back_a_deleted_requisition():
    demo()
    requisition(hiring.SENIOR_BACKEND).delete()
    others = state()["requisitions"]

    demo()

    role = requisition(hiring.SENIOR_BACKEND)
    assert role.brief_versions.signed().count() == 2
    assert Requisition.objects.count() == 6 + len(hiring.FILLED)
    assert [r for r in state()["requisitions"] if r[0] != role.title] == others


def test_the_pool_has_resumes_in_every_format_and_candidates_at_every_stage(settings):
    demo()
    northwind = Workspace.objects.get(slug="northwind")
    candidates = Candidate.objects.filter(workspace=northwind)
    # Two typed-in duplicates, and the people hired into the filled roles (demo/hires.py).
    assert candidates.count() == settings.DEMO_POOL_SIZE + 2 + len(HIRES)
    assert set(Resume.objects.values_list("kind", flat=True)) == {"pdf", "docx", "txt"}
    assert not Resume.objects.filter(text="").exists()
    assert CandidateSkill.objects.filter(candidate__workspace=northwind).exists()
    backend = requisition(hiring.SENIOR_BACKEND)
    categories = set(
        Application.objects.filter(requisition=backend).values_list("stage__category", flat=True)
    )
    assert categories == set(Category.values) - {Category.HIRED}  # the search is still open
    # Moves are history: who moved whom when, rejections with a reason.
    closed = Application.objects.filter(requisition=backend, stage__category="rejected")
    assert closed.exists()
    assert not closed.filter(reason="").exists()
    # Screened against the signed brief: suggestions everywhere, confirmed further along.
    assert Assessment.objects.filter(application__requisition=backend).exists()
    assert Assessment.objects.filter(
        application__requisition=backend, assessed_by__isnull=False
    ).exists()
    assert not Application.objects.filter(requisition=backend, must_total__isnull=True).exists()
    assert SavedSearch.objects.filter(owner__user__email=hiring.RIYA).count() == 2
    # The duplicates the candidate page offers to merge.
    riya = Member.objects.get(workspace=northwind, user__email=hiring.RIYA)
    typed = candidates.filter(source_detail="Met at a meetup")
    assert typed.count() == 2
    for candidate in typed:
        assert candidate_services.find_duplicates(
            northwind, name=candidate.name, exclude=candidate
        ), riya
