"""The partnership memory in the demo: Northwind's three hiring managers as their recruiters know
them — profiles, months of meetings, calls and notes with their next steps, check-in rhythms
(David's check-in is overdue, so the reminder shows) and lessons kept by hand or from a
touchpoint. David's Data Analyst role has no intake yet and Sofia's Customer Success Lead intake
is in progress, so both show the lessons offered at the next intake.

Told through the services, dated relative to the day the demo is built. A manager who already
has touchpoints is left alone, so a second run changes nothing.
"""

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Final

from django.db import transaction
from django.utils import timezone

from accord.demo import data, hiring
from accord.partnerships import services
from accord.partnerships.models import Cadence, Touchpoint, TouchpointKind
from accord.partnerships.selectors import agreement_of, latest_signed_brief, partnership_of
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Workspace


@dataclass(frozen=True)
class Point:
    days_ago: int
    kind: str
    summary: str
    next_step: str = ""
    next_step_in: int | None = None  # days after the touchpoint
    role: str = ""  # the title of the requisition it is about
    lesson: tuple[str, str] | None = None  # (text, applies_to): kept from this touchpoint
    corrected: str = ""  # the summary as corrected since (the profile shows the correction)


@dataclass(frozen=True)
class Partner:
    manager: str
    recruiter: str
    team: str
    goals: str
    challenges: str
    dynamics: str
    cadence: int
    points: tuple[Point, ...]
    lessons: tuple[tuple[str, str], ...] = ()  # kept by hand: (text, applies_to)
    retired: tuple[str, ...] = ()  # lessons kept once, no longer true


PARTNERS: Final = (
    Partner(
        manager=hiring.HANNAH,
        recruiter=hiring.RIYA,
        team="Engineering (Order Pipeline and Payments)",
        goals=(
            "Move the order pipeline from nightly batches to events by the end of the year, so "
            "field-service customers see jobs and invoices in minutes, not the next morning."
        ),
        challenges=(
            "Two senior engineers left in the spring; the on-call rota is thin and the team is "
            "wary of hiring someone who needs a lot of hand-holding."
        ),
        dynamics=(
            "Seven engineers who pair a lot and review each other's designs in writing. They "
            "value people who ask questions early; loud certainty goes down badly."
        ),
        cadence=Cadence.FORTNIGHTLY,
        points=(
            Point(
                150,
                TouchpointKind.MEETING,
                "Quarterly planning coffee. Hannah expects to hire two backend engineers next "
                "year for the events migration; budget not yet approved.",
                "Share what backend engineers with event-driven experience cost in London",
                7,
                lesson=(
                    "Bring salary data to the first conversation: Hannah sets the pay range "
                    "from it and doesn't revisit it later.",
                    "selling_points",
                ),
            ),
            Point(
                120,
                TouchpointKind.MESSAGE,
                "Sent the London market data for senior backend engineers (median £92k, Kafka "
                "experience +8%).",
                corrected=(
                    "Sent the London market data for senior backend engineers (median £95k, "
                    "Kafka experience +8%; the first figure was last year's)."
                ),
            ),
            Point(
                84,
                TouchpointKind.CALL,
                "Budget approved for the Senior Backend Engineer. She wants to start from what we "
                "agreed for the Payments role.",
                "Send the intake link",
                2,
                role=hiring.SENIOR_BACKEND.title,
            ),
            Point(
                45,
                TouchpointKind.NOTE,
                "Grace mentioned the team found the take-home exercise too long for senior "
                "candidates; two dropped out at that stage in the Payments search.",
                lesson=(
                    "Senior candidates drop out of long take-homes: offer a design conversation "
                    "instead.",
                    "process_notes",
                ),
            ),
            Point(
                33,
                TouchpointKind.MEETING,
                "Shortlist debrief: she turned down two candidates from RabbitMQ shops for Kafka "
                "alone. Agreed to look at how they handle duplicates and ordering instead.",
                "Propose version 2 of the brief with Kafka as a nice-to-have",
                3,
                role=hiring.SENIOR_BACKEND.title,
            ),
            Point(
                5,
                TouchpointKind.CALL,
                "Weekly catch-up: happy with the pace since version 2; she'll keep Monday and "
                "Thursday mornings for shortlists.",
                "Send the next shortlist on Monday",
                4,
                role=hiring.SENIOR_BACKEND.title,
            ),
        ),
        lessons=(
            (
                "Hannah reads shortlists on Monday and Thursday mornings: send them the evening "
                "before.",
                "",
            ),
            (
                "Ask for reasons in her own words: “not senior enough” usually means no "
                "production on-call experience.",
                "who_struggled",
            ),
        ),
        retired=("Hannah prefers email to chat for updates.",),
    ),
    Partner(
        manager=hiring.DAVID,
        recruiter=hiring.RIYA,
        team="Platform and Data",
        goals=(
            "A platform team that owns reliability (99.9% for the dispatch API) and a first "
            "analytics function for customer-facing reports."
        ),
        challenges=(
            "The platform team has no manager since March; David is covering it himself on "
            "top of Data."
        ),
        dynamics=(
            "Berlin-based, direct and fast; decisions are made in the room. Remote candidates "
            "need to be comfortable with that."
        ),
        cadence=Cadence.MONTHLY,
        points=(
            Point(
                130,
                TouchpointKind.MEETING,
                "First meeting since he joined: platform reliability is his priority; a data "
                "analyst later in the year.",
                "Introduce him to the Platform EM candidates we know",
                14,
            ),
            Point(
                95,
                TouchpointKind.CALL,
                "Agreed the Engineering Manager, Platform role. He wants someone who has led "
                "through a migration, not a people manager new to infrastructure.",
                role=hiring.PLATFORM_EM.title,
                lesson=(
                    "David rejects managers who haven't carried a pager themselves: screen for "
                    "hands-on on-call experience first.",
                    "deal_breakers",
                ),
            ),
            Point(
                40,
                TouchpointKind.MEETING,
                "Kick-off prep for the Platform EM; mentioned the Data Analyst role is approved "
                "for next quarter.",
                "Draft the Data Analyst requisition",
                10,
                role=hiring.DATA_ANALYST.title,
            ),
        ),
        lessons=(
            (
                "David signs off faster after a 15-minute call than by email: book the call when "
                "the brief is ready.",
                "",
            ),
            (
                "His analysts work directly with customers: ask about presenting to clients, "
                "not only SQL.",
                "who_thrives",
            ),
        ),
    ),
    Partner(
        manager=hiring.SOFIA,
        recruiter=hiring.MARCUS,
        team="Customer Success and Sales",
        goals="Cut churn among 50-plus-technician customers from 9% to 6% this year.",
        challenges=(
            "Renewals are handled ad hoc; two customer success managers hired this year still "
            "ramping up."
        ),
        dynamics=(
            "Warm, very responsive to customers; the team shares wins in a Friday call. Sofia "
            "hates surprises in a process."
        ),
        cadence=Cadence.MONTHLY,
        points=(
            Point(
                100,
                TouchpointKind.MEETING,
                "Debrief after the SDR search was cancelled: the sales plan changed, not the "
                "candidates.",
                "Keep the two finalists warm for next year",
                30,
                lesson=(
                    "Confirm the sales plan before opening a sales role: the SDR search was "
                    "cancelled when it changed.",
                    "",
                ),
            ),
            Point(
                60,
                TouchpointKind.CALL,
                "Customer Success Lead approved. She wants references from customers, not only "
                "managers.",
                role=hiring.CS_LEAD.title,
            ),
            Point(
                20,
                TouchpointKind.MESSAGE,
                "Sent the intake link for the Customer Success Lead; she answered the first "
                "sections the same day.",
                "Complete the intake together",
                7,
                role=hiring.CS_LEAD.title,
            ),
        ),
        lessons=(
            (
                "Sofia wants the whole process described up front: list every stage and who "
                "candidates meet.",
                "process_notes",
            ),
        ),
    ),
)


def _roles(workspace: Workspace) -> dict[str, Requisition]:
    return {r.title: r for r in Requisition.objects.filter(workspace=workspace)}


@transaction.atomic
def _tell(partner: Partner, cast: dict[str, Member], roles: dict[str, Requisition]) -> None:
    manager, recruiter = cast[partner.manager], cast[partner.recruiter]
    today = timezone.localdate()
    current = partnership_of(manager)
    shown = agreement_of(current, latest_signed_brief(manager))
    services.partnership_save(
        actor=recruiter,
        manager=manager,
        data=services.ProfileInput(
            team=partner.team,
            business_goals=partner.goals,
            challenges=partner.challenges,
            team_dynamics=partner.dynamics,
            **shown.values(),
            checkin_every=partner.cadence,
            next_checkin_on=None,
            recruiter=recruiter,
        ),
        revision=current.revision,
    )
    for point in sorted(partner.points, key=lambda p: -p.days_ago):
        occurred = today - timedelta(days=point.days_ago)
        logged = services.TouchpointInput(
            kind=point.kind,
            occurred_on=occurred,
            summary=point.summary,
            next_step=point.next_step,
            next_step_on=occurred + timedelta(days=point.next_step_in)
            if point.next_step_in is not None
            else None,
            requisition=roles.get(point.role),
        )
        touchpoint = services.touchpoint_log(actor=recruiter, manager=manager, data=logged)
        if point.corrected:
            touchpoint = services.touchpoint_update(
                actor=recruiter,
                touchpoint=touchpoint,
                data=replace(logged, summary=point.corrected),
                revision=touchpoint.revision,
            )
        if point.lesson is not None:
            text, applies_to = point.lesson
            services.lesson_add(
                actor=recruiter,
                manager=manager,
                text=text,
                applies_to=applies_to,
                touchpoint=touchpoint,
            )
    for text, applies_to in partner.lessons:
        services.lesson_add(actor=recruiter, manager=manager, text=text, applies_to=applies_to)
    for text in partner.retired:
        lesson = services.lesson_add(actor=recruiter, manager=manager, text=text)
        services.lesson_retire(actor=recruiter, lesson=lesson)


def build_partnerships() -> None:
    """Northwind's partnerships, once: a manager with touchpoints already is skipped."""
    workspace = Workspace.objects.filter(slug=data.NORTHWIND[1]).first()
    if workspace is None:
        return
    cast = {
        m.user.email: m
        for m in Member.objects.filter(workspace=workspace).select_related("user", "workspace")
    }
    roles = _roles(workspace)
    for partner in PARTNERS:
        manager = cast.get(partner.manager)
        if manager is None or Touchpoint.objects.filter(partnership__manager=manager).exists():
            continue
        _tell(partner, cast, roles)
