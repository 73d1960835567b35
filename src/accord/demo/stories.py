"""How each demo requisition got where it is, told through the services.

The services stamp everything with the current time, but a demo needs history: roles filled
months ago, a brief signed three weeks ago and revised last week. So a story calls the services
in order and, between steps, `Story.rewind` moves everything recorded about its requisition back
in time, as if those days had passed. Audit entries move with it, so the log reads in the same
order as the story. Rewinds are in whole weeks once a kickoff or a plan exists, so meetings and
due dates stay on working days.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max, Model
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.briefs import selectors as brief_selectors
from accord.briefs import services as briefs
from accord.briefs.models import (
    AssessedAt,
    BriefLink,
    BriefVersion,
    InterviewStage,
    Kind,
    Signature,
)
from accord.briefs.sections import SECTIONS
from accord.demo import hiring
from accord.requisitions import services as requisitions
from accord.requisitions.models import (
    Kickoff,
    Milestone,
    MilestoneKind,
    Requisition,
    RequisitionEvent,
    Status,
)
from accord.requisitions.plan import business_days_after
from accord.workspaces.models import Member

# The questions the manager answers before the meeting (from the emailed link); the recruiter
# completes the rest with them at the kickoff.
MANAGER_FIELDS = frozenset(
    q.field for s in SECTIONS if s.key in ("why", "success", "people") for q in s.questions
)

# Every timestamp and date that belongs to one requisition: (model, path to it, fields).
DATED: tuple[tuple[type[Model], str, tuple[str, ...]], ...] = (
    (Requisition, "pk", ("created_at", "status_changed_at", "opened_at", "closed_at")),
    (RequisitionEvent, "requisition", ("created_at",)),
    (Milestone, "requisition", ("due_on", "done_on")),
    (Kickoff, "requisition", ("starts_at", "created_at")),
    (
        BriefVersion,
        "requisition",
        ("created_at", "updated_at", "signed_at", "sign_off_requested_at"),
    ),
    (Signature, "version__requisition", ("signed_at",)),
    (BriefLink, "requisition", ("created_at", "expires_at", "last_used_at", "revoked_at")),
)

Cast = Mapping[str, Member]


@dataclass
class Story:
    cast: Cast
    role: hiring.Role
    requisition: Requisition
    audit_mark: int  # the last audit entry before this story began

    @property
    def recruiter(self) -> Member:
        return self.cast[self.role.recruiter]

    @property
    def manager(self) -> Member:
        return self.cast[self.role.managers[0]]

    def rewind(self, days: int) -> None:
        """Move everything recorded so far `days` into the past."""
        delta = timedelta(days=days)
        for model, path, fields in DATED:
            rows = model._default_manager.filter(**{path: self.requisition.pk})
            for row in list(rows.values("pk", *fields)):
                pk = row.pop("pk")
                moved = {name: value - delta for name, value in row.items() if value is not None}
                if moved:
                    model._default_manager.filter(pk=pk).update(**moved)
        for pk, created_at in list(
            AuditEntry.objects.filter(pk__gt=self.audit_mark).values_list("pk", "created_at")
        ):
            AuditEntry.objects.filter(pk=pk).update(created_at=created_at - delta)

    def move(self, to_status: str, reason: str = "") -> None:
        self.requisition = requisitions.requisition_transition(
            actor=self.recruiter, requisition=self.requisition, to_status=to_status, reason=reason
        )


def tell(cast: Cast, role: hiring.Role, plot: Callable[[Story], None]) -> None:
    """Create the role's requisition and play its story, unless it already exists."""
    recruiter = cast[role.recruiter]
    if Requisition.objects.filter(workspace=recruiter.workspace, title=role.title).exists():
        return
    mark = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    requisition = requisitions.requisition_create(
        actor=recruiter,
        recruiter=recruiter,
        hiring_managers=[cast[email] for email in role.managers],
        hiring_team=[cast[email] for email in role.interviewers],
        **role.details(),
    )
    plot(Story(cast, role, requisition, mark))


def lexicon(cast: Cast) -> None:
    """The glossary's agreed definitions and the workspace's own vague terms."""
    recruiter, admin = cast[hiring.RIYA], cast[hiring.ADA]
    glossary = recruiter.workspace.glossary
    for term, definition, team in hiring.GLOSSARY:
        if not glossary.filter(term__iexact=term, team=team).exists():
            briefs.glossary_term_save(actor=recruiter, term=term, definition=definition, team=team)
    for term, ask in hiring.VAGUE_TERMS:
        if not admin.workspace.vague_terms.filter(term__iexact=term).exists():
            briefs.vague_term_add(actor=admin, term=term, ask=ask)


# --- writing and signing briefs ----------------------------------------------------------------


def _monday_after(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def _at(day: date, hour: int, time_zone: str) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(time_zone))


def answer(story: Story, version: BriefVersion, answers: Mapping[str, str]) -> None:
    """The manager's answers first (as from the emailed link), then the recruiter's."""
    theirs = {k: v for k, v in answers.items() if k in MANAGER_FIELDS}
    ours = {k: v for k, v in answers.items() if k not in MANAGER_FIELDS}
    for actor, values in ((story.manager, theirs), (story.recruiter, ours)):
        if values:
            briefs.brief_save_answers(actor=actor, version=version, values=values, bases={})


def criterion_input(
    criterion: hiring.Criterion, stages: Mapping[str, InterviewStage]
) -> briefs.CriterionInput:
    at_stage = criterion.where not in (AssessedAt.RESUME, AssessedAt.PHONE)
    return briefs.CriterionInput(
        name=criterion.name,
        kind=Kind.NICE if criterion.weight else Kind.MUST,
        weight=criterion.weight,
        definition=criterion.definition,
        assessed_at=AssessedAt.INTERVIEW if at_stage else criterion.where,
        stage=stages[criterion.where] if at_stage else None,
        skills=tuple(
            {"label": label, "ref": "", "min_years": years, "level": ""}
            for label, years in criterion.skills
        ),
    )


def write(story: Story, version: BriefVersion, brief: hiring.Brief) -> None:
    answers = dict(brief.answers)
    if brief.start_in_days is not None:
        start = _monday_after(timezone.localdate() + timedelta(days=brief.start_in_days))
        answers["target_start"] = start.isoformat()
    answer(story, version, answers)
    stages = {s.name: s for s in version.stages.all()}  # carried over from an earlier intake
    for stage in brief.stages:
        if stage.name not in stages:
            stages[stage.name] = briefs.stage_add(
                actor=story.recruiter,
                version=version,
                name=stage.name,
                interviewers=stage.interviewers,
                assesses=stage.assesses,
            )
    for criterion in brief.criteria:
        briefs.criterion_add(
            actor=story.recruiter, version=version, data=criterion_input(criterion, stages)
        )


def sign(story: Story, version: BriefVersion) -> None:
    """The recruiter and the (first) hiring manager sign the version as it stands."""
    version.refresh_from_db(fields=["revision"])
    for actor in (story.recruiter, story.manager):
        briefs.brief_sign(actor=actor, version=version, revision=version.revision)


def _milestone_done(story: Story, kind: str) -> None:
    milestone = story.requisition.milestones.get(kind=kind)
    requisitions.milestone_update(
        actor=story.recruiter,
        milestone=milestone,
        owner=milestone.owner,
        due_on=milestone.due_on,
        done_on=timezone.localdate(),
    )


# --- the plots ---------------------------------------------------------------------------------


def draft(story: Story) -> None:
    story.rewind(1)


def intake(story: Story) -> None:
    """Sent to the manager, who has answered the first questions from the link."""
    briefs.intake_send(
        actor=story.recruiter,
        requisition=story.requisition,
        message=(
            "Could you answer the first three sections before we meet? We’ll do the rest together."
        ),
    )
    story.rewind(2)
    # The intake the email started (brief_start returns it).
    version = briefs.brief_start(actor=story.manager, requisition=story.requisition)
    answer(story, version, hiring.CS_LEAD_ANSWERS)
    story.rewind(1)


def awaiting_sign_off(story: Story) -> None:
    """A complete intake whose checks need talking through: sign-off asked, kickoff booked."""
    briefs.intake_send(actor=story.recruiter, requisition=story.requisition)
    story.rewind(4)
    version = briefs.brief_start(actor=story.manager, requisition=story.requisition)
    write(story, version, hiring.platform_em_brief(timezone.localdate().year))
    briefs.sign_off_request(actor=story.recruiter, version=version)
    story.rewind(1)
    requisitions.kickoff_schedule(
        actor=story.recruiter,
        requisition=story.requisition,
        starts_at=_at(business_days_after(timezone.localdate(), 2), 15, "Europe/Berlin"),
        duration_minutes=60,
        where="Berlin office, room Spree, and Google Meet",
    )


def open_with_two_versions(story: Story) -> None:
    """Started from the manager's last intake; v1 signed and the search open; after the first
    shortlist review, v2 moves a must-have to the nice-to-haves and both sign again."""
    previous = Requisition.objects.filter(
        workspace=story.requisition.workspace_id, title=hiring.FILLED[2].role.title
    ).first()
    version = briefs.brief_start(
        actor=story.recruiter,
        requisition=story.requisition,
        carry_from=brief_selectors.in_force(previous) if previous else None,
    )
    briefs.intake_send(
        actor=story.recruiter,
        requisition=story.requisition,
        message="I’ve carried over what we agreed for the payments role; change anything.",
    )
    requisitions.kickoff_schedule(
        actor=story.recruiter,
        requisition=story.requisition,
        starts_at=_at(business_days_after(timezone.localdate(), 2), 14, "Europe/London"),
        duration_minutes=45,
        where="Shoreditch office, room Lovelace",
    )
    story.rewind(7)
    write(story, version, hiring.SENIOR_BACKEND_BRIEF)
    requisitions.plan_create(actor=story.recruiter, requisition=story.requisition)
    briefs.sign_off_request(actor=story.recruiter, version=version)
    sign(story, version)
    story.move(Status.OPEN)
    story.rewind(7)
    _milestone_done(story, MilestoneKind.FIRST_SHORTLIST)
    story.rewind(7)
    change = hiring.SENIOR_BACKEND_REVISION
    revised = briefs.brief_revise(
        actor=story.manager, requisition=story.requisition, reason=change.reason
    )
    criterion = revised.criteria.select_related("stage").get(name=change.to_nice)
    source = next(c for c in hiring.SENIOR_BACKEND_BRIEF.criteria if c.name == change.to_nice)
    stages = {criterion.stage.name: criterion.stage} if criterion.stage else {}
    briefs.criterion_update(
        actor=story.manager,
        criterion=criterion,
        revision=criterion.revision,
        data=replace(criterion_input(source, stages), kind=Kind.NICE, weight=change.weight),
    )
    answer(story, revised, change.answers)
    _milestone_done(story, MilestoneKind.FIRST_INTERVIEWS)
    briefs.sign_off_request(actor=story.manager, version=revised)
    sign(story, revised)
    story.rewind(7)


def on_hold(story: Story) -> None:
    story.move(Status.INTAKE)
    version = briefs.brief_start(actor=story.recruiter, requisition=story.requisition)
    write(story, version, hiring.PRODUCT_DESIGNER_BRIEF)
    sign(story, version)
    story.rewind(4)
    story.move(Status.OPEN)
    story.rewind(18)
    story.move(Status.ON_HOLD, hiring.PRODUCT_DESIGNER_HOLD)
    story.rewind(6)


def cancelled(story: Story) -> None:
    briefs.intake_send(actor=story.recruiter, requisition=story.requisition)
    story.rewind(3)
    version = briefs.brief_start(actor=story.manager, requisition=story.requisition)
    answer(story, version, hiring.SDR_ANSWERS)
    story.rewind(5)
    story.move(Status.CANCELLED, hiring.SDR_CANCELLED)
    story.rewind(9)


def filled(story: Story, *, filled: hiring.Filled) -> None:
    """Agreed, open, (perhaps paused,) filled after `days_to_fill` days, closed long ago."""
    story.move(Status.INTAKE)
    version = briefs.brief_start(actor=story.recruiter, requisition=story.requisition)
    write(story, version, filled.brief)
    # The plan it was held to (analytics compares time to fill with it), laid out at the intake.
    requisitions.plan_create(actor=story.recruiter, requisition=story.requisition)
    sign(story, version)
    story.rewind(5)
    story.move(Status.OPEN)
    days = filled.days_to_fill
    if filled.hold is not None:
        before, paused, reason = filled.hold
        story.rewind(before)
        story.move(Status.ON_HOLD, reason)
        story.rewind(paused)
        story.move(Status.OPEN)
        days -= before
    # The milestones on the way, done about when such searches reach them.
    shortlist, interviews = round(days * 0.3), round(days * 0.6)
    story.rewind(shortlist)
    _milestone_done(story, MilestoneKind.FIRST_SHORTLIST)
    story.rewind(interviews - shortlist)
    _milestone_done(story, MilestoneKind.FIRST_INTERVIEWS)
    story.rewind(days - interviews)
    _milestone_done(story, MilestoneKind.OFFER)
    story.move(Status.FILLED)
    story.rewind(filled.closed_days_ago)
