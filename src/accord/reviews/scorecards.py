"""Interview scorecards: the recruiter requests them, each interviewer submits theirs once.

A scorecard is owed from the interview: it is due `SCORECARD_DUE_HOURS` later (weekends not
counted, in the interviewer's time zone) and carries a SCORECARD commitment, so nudges follow.
When the last scorecard of the final interview stage is in, the hiring managers owe a decision
within the brief's agreed decision time.

Interviewers judge independently: the content of others' scorecards stays hidden from them until
their own is in (`scorecards_visible_to`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accord.audit.services import audit_record
from accord.briefs.models import AssessedAt, BriefVersion, Criterion, InterviewStage
from accord.briefs.selectors import in_force
from accord.matching.engine import ordered_criteria
from accord.nudges import clock
from accord.nudges.models import Commitment, CommitmentKind, MessageKind
from accord.nudges.services import (
    commitment_open,
    commitments_done,
    message_queue,
    render,
    time_zone_of,
)
from accord.pipeline.models import Application, Category, Stage
from accord.requisitions.models import Requisition
from accord.reviews.links import link_for, links_revoke, url_of
from accord.reviews.models import Judgement, Recommendation, Scorecard, ScorecardRating
from accord.workspaces.access import MANAGE_REVIEWS, SUBMIT_SCORECARDS, require
from accord.workspaces.models import Member, Role

EVIDENCE_LIMIT = 3000
NOTE_LIMIT = 500
DEFAULT_DECISION_DAYS = 3


# --- reads -------------------------------------------------------------------------------------


def criteria_for(scorecard: Scorecard) -> list[Criterion]:
    """The criteria this scorecard assesses: those the brief assigns to its interview stage, or,
    with no brief stage, every criterion of the brief in force assessed at interview."""
    if scorecard.brief_stage_id:
        criteria: Iterable[Criterion] = Criterion.objects.filter(stage=scorecard.brief_stage_id)
    else:
        version = in_force(scorecard.application.requisition)
        if version is None:
            return []
        criteria = version.criteria.filter(assessed_at=AssessedAt.INTERVIEW)
    return ordered_criteria(criteria, lambda c: c.kind)


def interview_stages(application: Application) -> list[Stage]:
    return list(
        Stage.objects.filter(requisition=application.requisition_id, category=Category.INTERVIEW)
    )


def _team(requisition: Requisition) -> Q:
    """Who may be asked for a scorecard: the requisition's hiring team and hiring managers."""
    team = Requisition.hiring_team.through.objects.filter(requisition=requisition)
    managers = Requisition.hiring_managers.through.objects.filter(requisition=requisition)
    return Q(pk__in=team.values("member")) | Q(pk__in=managers.values("member"))


def interviewer_choices(application: Application) -> list[Member]:
    requisition = application.requisition
    return list(
        Member.objects.active()
        .filter(_team(requisition), workspace=requisition.workspace_id)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )


def default_brief_stage(
    stage: Stage | None, stages: Sequence[Stage], brief_stages: Sequence[InterviewStage]
) -> InterviewStage | None:
    """The brief's interview stage that matches a pipeline interview stage: the same name, or
    else the same place among the interview stages."""
    if stage is None or not brief_stages:
        return None
    name = stage.name.strip().casefold()
    for brief_stage in brief_stages:
        if brief_stage.name.strip().casefold() == name:
            return brief_stage
    place = next((n for n, s in enumerate(stages) if s.pk == stage.pk), None)
    if place is not None and place < len(brief_stages):
        return brief_stages[place]
    return None


@dataclass
class Entry:
    """One scorecard as a given member may see it: always who, which stage and when; the
    content only when `visible`."""

    scorecard: Scorecard
    visible: bool
    mine: bool
    ratings: list[ScorecardRating] = field(default_factory=list)

    @property
    def late(self) -> bool:
        if self.scorecard.submitted_at is not None:
            return bool(self.scorecard.was_late)
        return self.scorecard.due_at < timezone.now()

    @property
    def recommendation(self) -> str:
        return self.scorecard.get_recommendation_display() if self.visible else ""

    @property
    def evidence(self) -> str:
        return self.scorecard.evidence if self.visible else ""


def sees_everything(member: Member, own: Sequence[Scorecard]) -> bool:
    """The hiding rule. Recruiters and admins see every scorecard. Anyone with a scorecard of
    their own still to submit for this application sees no one else's, so their judgement stays
    their own; once all theirs are in, they see all. Managers with none see all (they decide);
    interviewers with none see none (they are not part of this candidate's panel)."""
    if member.role in (Role.ADMIN, Role.RECRUITER):
        return True
    if own:
        return all(s.submitted_at is not None for s in own)
    return member.role == Role.HIRING_MANAGER


def scorecards_visible_to(member: Member, application: Application) -> list[Entry]:
    """Every scorecard of the application (two queries), with what `member` may see of each."""
    scorecards = list(
        Scorecard.objects.filter(application=application)
        .select_related("interviewer__user", "stage", "brief_stage")
        .order_by("interview_at", "id")
    )
    own = [s for s in scorecards if s.interviewer_id == member.pk]
    everything = sees_everything(member, own)
    entries = [
        Entry(
            scorecard=s,
            mine=s.interviewer_id == member.pk,
            visible=s.submitted_at is not None and (everything or s.interviewer_id == member.pk),
        )
        for s in scorecards
    ]
    shown = {e.scorecard.pk: e for e in entries if e.visible}
    if shown:
        ratings = ScorecardRating.objects.filter(scorecard__in=list(shown)).select_related(
            "criterion"
        )
        for rating in sorted(ratings, key=lambda r: (r.criterion.position, r.criterion.pk)):
            shown[rating.scorecard_id].ratings.append(rating)
    return entries


# --- writes ------------------------------------------------------------------------------------


def _names(members: Iterable[Member]) -> str:
    return ", ".join(str(m.user) for m in members)


@transaction.atomic
def scorecard_request(
    *,
    actor: Member,
    application: Application,
    interviewers: Sequence[Member],
    interview_at: datetime,
    stage: Stage | None,
    brief_stage: InterviewStage | None,
) -> list[Scorecard]:
    """Ask each interviewer for a scorecard on the candidate after an interview: one scorecard,
    one commitment and one message with a one-tap link each."""
    require(actor, MANAGE_REVIEWS, application.workspace_id)
    requisition = application.requisition
    candidate = application.candidate
    if candidate.erased_at is not None:
        raise ValidationError(_("This candidate’s data was erased; there is nothing to assess."))
    if requisition.is_closed:
        raise ValidationError(
            _("%(title)s is closed; it needs no more interviews.") % {"title": requisition.title}
        )
    if application.stage.is_closed:
        raise ValidationError(
            _(
                "%(name)s’s application is closed (%(stage)s). Reopen it before asking for "
                "scorecards."
            )
            % {"name": candidate.name, "stage": application.stage.name}
        )
    if (
        stage is None
        or stage.requisition_id != requisition.pk
        or stage.category != Category.INTERVIEW
    ):
        raise ValidationError({"stage": _("Choose one of this requisition’s interview stages.")})
    if brief_stage is not None:
        version = in_force(requisition)
        if version is None or brief_stage.version_id != version.pk:
            raise ValidationError(
                {"brief_stage": _("Choose an interview stage of the brief in force.")}
            )
    if timezone.is_naive(interview_at):
        raise ValidationError({"interview_at": _("Give the interview time with its time zone.")})
    people = list({m.pk: m for m in interviewers}.values())
    if not people:
        raise ValidationError({"interviewers": _("Choose at least one interviewer.")})
    allowed = set(
        Member.objects.active()
        .filter(_team(requisition), workspace=requisition.workspace_id)
        .values_list("pk", flat=True)
    )
    outsiders = [m for m in people if m.pk not in allowed or not m.can(SUBMIT_SCORECARDS)]
    if outsiders:
        raise ValidationError(
            {
                "interviewers": _(
                    "%(names)s can’t be asked: only active members of the hiring team or the "
                    "hiring managers of %(title)s can. Add them to the requisition first."
                )
                % {"names": _names(outsiders), "title": requisition.title}
            }
        )
    already = Scorecard.objects.filter(application=application, stage=stage, interviewer__in=people)
    if already.exists():
        holders = [m for m in people if m.pk in set(already.values_list("interviewer", flat=True))]
        raise ValidationError(
            {
                "interviewers": _(
                    "%(names)s already have a scorecard for %(stage)s. Leave them out, or choose "
                    "another stage."
                )
                % {"names": _names(holders), "stage": stage.name}
            }
        )
    hours = settings.SCORECARD_DUE_HOURS
    basis = _("within %(hours)s hours of the interview") % {"hours": hours}
    criteria_names = ""
    scorecards = []
    for person in people:
        due_at = clock.add_business_hours(interview_at, hours, time_zone_of(person))
        try:
            with transaction.atomic():
                scorecard = Scorecard.objects.create(
                    workspace_id=application.workspace_id,
                    application=application,
                    interviewer=person,
                    stage=stage,
                    brief_stage=brief_stage,
                    interview_at=interview_at,
                    requested_by=actor,
                    due_at=due_at,
                )
        except IntegrityError:  # the same request made twice at once
            raise ValidationError(
                {
                    "interviewers": _("%(name)s already has a scorecard for %(stage)s.")
                    % {"name": person.user, "stage": stage.name}
                }
            ) from None
        scorecard.application = application
        commitment_open(
            requisition=requisition,
            kind=CommitmentKind.SCORECARD,
            owner=person,
            due_at=due_at,
            basis=basis,
            started_at=interview_at,
            scorecard=scorecard,
            application=application,
        )
        audit_record(
            actor=actor.user,
            workspace=actor.workspace,
            action="scorecard.requested",
            obj=scorecard,
            changes={
                "interviewer": [None, str(person.user)],
                "stage": [None, stage.name],
                "interview_at": [None, interview_at.isoformat()],
                "due_at": [None, due_at.isoformat()],
            },
            object_repr=f"{candidate.name} — {person.user}",
        )
        if not criteria_names:
            criteria_names = ", ".join(c.name for c in criteria_for(scorecard))
        link = link_for(person, scorecard=scorecard)
        url = url_of(link)
        message_queue(
            recipient=person,
            kind=MessageKind.NOTICE,
            content=render(
                "reviews/messages/scorecard_request",
                {
                    "scorecard": scorecard,
                    "interviewer": person,
                    "recruiter": actor,
                    "candidate": candidate,
                    "requisition": requisition,
                    "stage": stage,
                    "criteria": criteria_names,
                    "time_zone": time_zone_of(person),
                    "expires_at": link.expires_at,
                    "url": url,
                    "links": [(_("Fill in the scorecard"), url)],
                },
            ),
            requisition=requisition,
        )
        scorecards.append(scorecard)
    return scorecards


def _ratings(
    criteria: Sequence[Criterion], ratings: dict[int, tuple[str, str]]
) -> dict[int, tuple[str, str]]:
    """The judgements and notes to record, one per criterion, or a refusal saying what's missing."""
    known = {c.pk for c in criteria}
    if set(ratings) - known:
        raise ValidationError(
            {"ratings": _("A criterion on the form is not on this scorecard. Reload the page.")}
        )
    clean: dict[int, tuple[str, str]] = {}
    missing = []
    for criterion in criteria:
        judgement, note = ratings.get(criterion.pk, ("", ""))
        note = note.strip()
        if judgement not in Judgement.values:
            missing.append(criterion.name)
            continue
        if len(note) > NOTE_LIMIT:
            raise ValidationError(
                {
                    "ratings": _("Keep the note on %(name)s to %(n)s characters or fewer.")
                    % {"name": criterion.name, "n": NOTE_LIMIT}
                }
            )
        clean[criterion.pk] = (judgement, note)
    if missing:
        raise ValidationError(
            {
                "ratings": _(
                    "Choose meets, doesn’t meet or can’t tell for: %(names)s. “Can’t tell” is a "
                    "fine answer when the interview didn’t cover it."
                )
                % {"names": ", ".join(missing)}
            }
        )
    return clean


def already_submitted(scorecard: Scorecard) -> ValidationError:
    when = scorecard.submitted_at
    return ValidationError(
        _(
            "This scorecard was already submitted (%(when)s), and a submitted scorecard can’t be "
            "changed. Nothing was changed. Tell your recruiter if something needs correcting."
        )
        % {"when": date_format(timezone.localtime(when), "j M Y, H:i") if when else "?"}
    )


@transaction.atomic
def scorecard_submit(
    *,
    actor: Member,
    scorecard: Scorecard,
    ratings: dict[int, tuple[str, str]],
    recommendation: str,
    evidence: str,
    via_link: bool = False,
) -> Scorecard:
    """Record the interviewer's judgements, recommendation and evidence, once; mark it late if
    it came after the due time; and, if it was the last one owed for the final interview, ask
    the hiring managers for their decision."""
    require(actor, SUBMIT_SCORECARDS, scorecard.workspace_id)
    if scorecard.interviewer_id != actor.pk:
        raise ValidationError(
            _("Only %(name)s can submit this scorecard: each interviewer submits their own.")
            % {"name": scorecard.interviewer.user}
        )
    # Submissions for one application queue up behind this lock, so the last one in sees every
    # other one and opens the decision exactly once.
    Application.objects.select_for_update().filter(pk=scorecard.application_id).exists()
    current = Scorecard.objects.filter(pk=scorecard.pk).values_list("submitted_at", flat=True)
    submitted_at = current.first()
    if submitted_at is not None:
        scorecard.submitted_at = submitted_at
        raise already_submitted(scorecard)
    clean = _ratings(criteria_for(scorecard), ratings)
    if recommendation not in Recommendation.values:
        raise ValidationError(
            {
                "recommendation": _(
                    "Choose your overall recommendation: strong yes, yes, no or strong no."
                )
            }
        )
    evidence = evidence.strip()
    if not evidence:
        raise ValidationError(
            {
                "evidence": _(
                    "Write the evidence behind your recommendation: what the candidate said or "
                    "did that led you to it."
                )
            }
        )
    if len(evidence) > EVIDENCE_LIMIT:
        raise ValidationError(
            {
                "evidence": _("Keep the evidence to %(n)s characters or fewer.")
                % {"n": EVIDENCE_LIMIT}
            }
        )
    now = timezone.now()
    late = now > scorecard.due_at
    claimed = Scorecard.objects.filter(pk=scorecard.pk, submitted_at__isnull=True).update(
        submitted_at=now, was_late=late, recommendation=recommendation, evidence=evidence
    )
    if not claimed:  # pragma: no cover - the lock above already serialises submissions
        raise already_submitted(scorecard)
    scorecard.submitted_at, scorecard.was_late = now, late
    scorecard.recommendation, scorecard.evidence = recommendation, evidence
    ScorecardRating.objects.bulk_create(
        ScorecardRating(scorecard=scorecard, criterion_id=pk, judgement=judgement, note=note)
        for pk, (judgement, note) in clean.items()
    )
    commitments_done(Commitment.objects.filter(scorecard=scorecard), now)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="scorecard.submitted",
        obj=scorecard,
        changes={
            "recommendation": [None, recommendation],
            "was_late": [None, late],
            "via_link": [None, via_link],
        },
        object_repr=f"{scorecard.application.candidate.name} — {actor.user}",
    )
    _when_all_in(scorecard, now)
    return scorecard


def _when_all_in(scorecard: Scorecard, now: datetime) -> None:
    """Once every scorecard asked for at this stage is in, tell the recruiter; after the final
    interview stage, the hiring managers also owe a decision within the brief's agreed time."""
    stage = scorecard.stage
    if stage is None:
        return
    application = scorecard.application
    same_stage = Scorecard.objects.filter(application=application, stage=stage)
    if same_stage.filter(submitted_at__isnull=True).exists():
        return
    requisition = application.requisition
    final = (
        Stage.objects.filter(requisition=requisition, category=Category.INTERVIEW)
        .order_by("-position", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    decisions = _decision_open(application, now) if final == stage.pk else []
    recruiter = requisition.recruiter
    if not (recruiter.is_active and recruiter.user.is_active):
        return
    message_queue(
        recipient=recruiter,
        kind=MessageKind.NOTICE,
        content=render(
            "reviews/messages/scorecard_all_in",
            {
                "recruiter": recruiter,
                "candidate": application.candidate,
                "requisition": requisition,
                "stage": stage,
                "scorecards": list(same_stage.select_related("interviewer__user")),
                "final": final == stage.pk,
                "decisions": decisions,
                "time_zone": time_zone_of(recruiter),
                "links": [(_("See the scorecards"), _scorecards_url(application))],
            },
        ),
        requisition=requisition,
    )


def _scorecards_url(application: Application) -> str:
    return settings.SITE_URL + reverse(
        "reviews:scorecards",
        args=[application.requisition.workspace.slug, application.public_id],
    )


def decision_basis(version: BriefVersion | None) -> tuple[int, str]:
    """How many business days the managers have to decide, and where that comes from."""
    if version is not None and version.decision_days:
        return version.decision_days, _(
            "decide within %(n)s business days of the final interview, as agreed in the brief "
            "(version %(v)s)"
        ) % {"n": version.decision_days, "v": version.number}
    return DEFAULT_DECISION_DAYS, _(
        "decide within %(n)s business days of the final interview (the brief agrees no "
        "decision time: Accord’s default)"
    ) % {"n": DEFAULT_DECISION_DAYS}


def _decision_open(application: Application, now: datetime) -> list[Commitment]:
    """Open a DECISION commitment for each hiring manager who doesn't already owe one for this
    candidate, and tell them; return every decision now owed on the candidate."""
    requisition = application.requisition
    days, basis = decision_basis(in_force(requisition))
    managers = requisition.hiring_managers.active()
    pending = Commitment.objects.pending().filter(
        application=application, kind=CommitmentKind.DECISION
    )
    owing = set(pending.values_list("owner", flat=True))
    for manager in managers.exclude(pk__in=owing).select_related("user", "workspace"):
        tz = time_zone_of(manager)
        due_at = clock.add_business_days(now, days, tz)
        commitment_open(
            requisition=requisition,
            kind=CommitmentKind.DECISION,
            owner=manager,
            due_at=due_at,
            basis=basis,
            started_at=now,
            application=application,
        )
        message_queue(
            recipient=manager,
            kind=MessageKind.NOTICE,
            content=render(
                "reviews/messages/scorecard_decision",
                {
                    "manager": manager,
                    "candidate": application.candidate,
                    "requisition": requisition,
                    "due_at": due_at,
                    "basis": basis,
                    "time_zone": tz,
                    "links": [(_("See the scorecards"), _scorecards_url(application))],
                },
            ),
            requisition=requisition,
        )
    return list(pending.select_related("owner__user"))


@transaction.atomic
def scorecard_cancel(*, actor: Member, scorecard: Scorecard) -> None:
    """Withdraw a request that no longer stands (the interview was cancelled or re-planned):
    its link stops working and its commitment goes. A submitted scorecard stays."""
    require(actor, MANAGE_REVIEWS, scorecard.workspace_id)
    if Scorecard.objects.filter(pk=scorecard.pk, submitted_at__isnull=False).exists():
        raise ValidationError(
            _("This scorecard was submitted; it is part of the record and stays.")
        )
    links_revoke(scorecard=scorecard)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="scorecard.cancelled",
        obj=scorecard,
        changes={"interviewer": [str(scorecard.interviewer.user), None]},
        object_repr=f"{scorecard.application.candidate.name} — {scorecard.interviewer.user}",
    )
    # The commitment, its nudges and the links go with the row (CASCADE).
    scorecard.delete()
