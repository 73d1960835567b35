"""Applications: a candidate entering a requisition's pipeline, and every move along it."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.audit.services import audit_record
from accord.candidates.models import Candidate, CandidateEvent, Source
from accord.candidates.services import tags_get_or_create
from accord.lib.conflicts import Conflict
from accord.matching.services import refresh_later
from accord.nudges.models import Commitment, CommitmentKind
from accord.nudges.services import commitments_done
from accord.pipeline.models import (
    REJECTION_REASONS,
    WITHDRAWAL_REASONS,
    Application,
    Category,
    Stage,
    StageMove,
)
from accord.pipeline.services.stages import stages_for
from accord.requisitions.models import MilestoneKind, Requisition
from accord.requisitions.services import milestone_mark_done
from accord.workspaces.access import MANAGE_CANDIDATES, require
from accord.workspaces.models import Member

NOTE_LIMIT = 300
BULK_LIMIT = 500
TAG_LIMIT = 40
TAGS_PER_ACTION = 10

# The plan's milestones that the first application reaching a stage of this kind completes.
MILESTONES = {
    Category.SUBMITTED: MilestoneKind.FIRST_SHORTLIST,
    Category.INTERVIEW: MilestoneKind.FIRST_INTERVIEWS,
    Category.OFFER: MilestoneKind.OFFER,
}


def _mark_milestone(requisition: Requisition, stage: Stage) -> None:
    kind = MILESTONES.get(Category(stage.category))
    if kind is not None:
        milestone_mark_done(requisition=requisition, kind=kind)


def _reason_for(stage: Stage, reason: str, note: str) -> tuple[str, str]:
    """The (reason, note) a move into `stage` records, or a refusal. Every move keeps its note
    (the "why" of the history); only closing moves carry a reason, and only they keep the
    note on the application itself (see _kept_on_application)."""
    note = " ".join(note.split())
    if len(note) > NOTE_LIMIT:
        raise ValidationError(
            {"note": _("Keep the note to %(n)s characters or fewer.") % {"n": NOTE_LIMIT}}
        )
    if stage.category == Category.REJECTED:
        if reason not in REJECTION_REASONS:
            raise ValidationError(
                {"reason": _("Choose why the candidate is rejected: it is recorded with the move.")}
            )
        return reason, note
    if stage.category == Category.WITHDRAWN:
        if reason not in WITHDRAWAL_REASONS:
            raise ValidationError(
                {"reason": _("Choose why the candidate withdrew: it is recorded with the move.")}
            )
        return reason, note
    return "", note


def _kept_on_application(reason: str, note: str) -> tuple[str, str]:
    """What the application shows as why it ended: set by a closing move, cleared by reopening."""
    return (reason, note) if reason else ("", "")


def _lock_stage(stage: Stage) -> None:
    # Pipeline edits lock the stage rows before removing one, so this move either lands before
    # the edit counts applications or finds the stage gone.
    if not Stage.objects.select_for_update().filter(pk=stage.pk).values_list("pk").first():
        raise ValidationError(_("That stage was removed meanwhile. Reload the page."))


@transaction.atomic
def application_create(
    *,
    actor: Member,
    candidate: Candidate,
    requisition: Requisition,
    stage: Stage | None = None,
    source: str | None = None,
) -> Application:
    """Put a candidate in a requisition's pipeline (its first open stage unless told)."""
    require(actor, MANAGE_CANDIDATES, requisition.workspace_id)
    if candidate.workspace_id != actor.workspace_id:
        raise ValidationError(_("Choose a candidate from this workspace."))
    if candidate.erased_at is not None:
        raise ValidationError(_("This candidate’s data was erased; they can’t be added."))
    if requisition.is_closed:
        raise ValidationError(
            _("%(title)s is closed; it takes no new candidates.") % {"title": requisition.title}
        )
    stages = stages_for(requisition)
    if stage is None:
        stage = next(s for s in stages if not s.is_closed)
    elif stage.requisition_id != requisition.pk:
        raise ValidationError(_("Choose a stage of this requisition."))
    source = source or candidate.source
    if source not in Source.values:
        raise ValidationError({"source": _("Choose a source from the list.")})
    already = _("%(name)s is already in the pipeline of %(title)s.") % {
        "name": candidate.name,
        "title": requisition.title,
    }
    if Application.objects.filter(candidate=candidate, requisition=requisition).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                workspace_id=requisition.workspace_id,
                candidate=candidate,
                requisition=requisition,
                stage=stage,
                source=source,
                created_by=actor,
            )
    except IntegrityError:  # the same candidate added by a concurrent request
        raise ValidationError(already) from None
    StageMove.objects.create(application=application, from_stage=None, to_stage=stage, actor=actor)
    CandidateEvent.objects.create(
        candidate=candidate,
        actor=actor,
        kind=CandidateEvent.Kind.APPLIED,
        summary=_("Added to %(title)s in %(stage)s")
        % {"title": requisition.title, "stage": stage.name},
        details={"requisition": str(requisition.public_id), "stage": stage.name},
    )
    _mark_milestone(requisition, stage)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="application.created",
        obj=application,
        object_repr=f"{candidate.name} · {requisition.title}",
        changes={"stage": [None, stage.name], "source": [None, source]},
    )
    refresh_later([application.pk])  # screen suggestions from the resume, in the worker
    return application


@transaction.atomic
def application_move(
    *,
    actor: Member,
    application: Application,
    to_stage: Stage,
    reason: str = "",
    note: str = "",
    revision: int | None = None,
) -> Application:
    """Move one application, recording who, when, from where and why.

    With `revision`, a move based on an older state of the application (someone moved it
    meanwhile) raises Conflict and changes nothing.
    """
    require(actor, MANAGE_CANDIDATES, application.workspace_id)
    return application_advance(
        actor=actor,
        application=application,
        to_stage=to_stage,
        reason=reason,
        note=note,
        revision=revision,
    )


# Moving into these settles what a manager still had to decide after the final interview.
DECIDED_CATEGORIES = (Category.OFFER, Category.HIRED, Category.REJECTED, Category.WITHDRAWN)


@transaction.atomic
def application_advance(
    *,
    actor: Member,
    application: Application,
    to_stage: Stage,
    reason: str = "",
    note: str = "",
    revision: int | None = None,
) -> Application:
    """`application_move` without the role check, for moves another service has authorised
    on its own terms (a hiring manager's decision on a shortlist)."""
    if to_stage.requisition_id != application.requisition_id:
        raise ValidationError(
            _("That stage belongs to another requisition. Move candidates within one pipeline.")
        )
    current = Application.objects.select_for_update().get(pk=application.pk)
    if revision is not None and current.revision != revision:
        raise Conflict(current)
    if current.stage_id == to_stage.pk:
        raise ValidationError(_("Already in %(stage)s.") % {"stage": to_stage.name})
    reason, note = _reason_for(to_stage, reason, note)
    _lock_stage(to_stage)
    from_stage_id = current.stage_id
    current.stage = to_stage
    current.stage_entered_at = timezone.now()
    current.reason, current.reason_note = _kept_on_application(reason, note)
    current.revision += 1
    current.save(update_fields=["stage", "stage_entered_at", "reason", "reason_note", "revision"])
    StageMove.objects.create(
        application=current,
        from_stage_id=from_stage_id,
        to_stage=to_stage,
        actor=actor,
        reason=reason,
        note=note,
        at=current.stage_entered_at,
    )
    _mark_milestone(application.requisition, to_stage)
    if to_stage.category in DECIDED_CATEGORIES:
        commitments_done(
            Commitment.objects.filter(application=current, kind=CommitmentKind.DECISION)
        )
    from_name = Stage.objects.filter(pk=from_stage_id).values_list("name", flat=True).first()
    changes: dict[str, list[object]] = {"stage": [from_name, to_stage.name]}
    if reason:
        changes["reason"] = [None, reason]
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="application.moved",
        obj=current,
        object_repr=f"{application.candidate.name} · {application.requisition.title}",
        changes=changes,
    )
    _hires_follow(actor, [current], to_stage)
    return current


@dataclass
class BulkResult:
    """What a bulk action did to each application: done, or skipped with the reason."""

    verb: str  # "moved to Screen", "tagged"
    done: list[Application] = field(default_factory=list)
    skipped: list[tuple[Application, str]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        parts = [
            ngettext("%(n)s application %(verb)s.", "%(n)s applications %(verb)s.", len(self.done))
            % {"n": len(self.done), "verb": self.verb}
        ]
        if self.skipped:
            counts = Counter(why for _app, why in self.skipped)
            parts.append(
                _("Skipped: %(list)s.")
                % {"list": ", ".join(f"{n} {why}" for why, n in counts.items())}
            )
        return " ".join(parts)


def _bulk_rows(
    actor: Member, applications: Sequence[Application], requisition_id: int
) -> tuple[list[Application], list[tuple[Application, str]]]:
    """The selected applications, locked, and those refused because they aren't this
    requisition's."""
    if len(applications) > BULK_LIMIT:
        raise ValidationError(_("Select at most %(n)s applications at a time.") % {"n": BULK_LIMIT})
    if not applications:
        raise ValidationError(_("Select at least one application first."))
    locked = {
        a.pk: a
        for a in Application.objects.select_for_update()
        .filter(pk__in=[a.pk for a in applications], workspace=actor.workspace_id)
        .order_by("pk")  # one lock order, so two bulk actions can't deadlock
    }
    rows: list[Application] = []
    refused: list[tuple[Application, str]] = []
    seen: set[int] = set()
    for app in applications:
        if app.pk in seen:
            continue
        seen.add(app.pk)
        row = locked.get(app.pk)
        if row is None or row.requisition_id != requisition_id:
            refused.append((app, str(_("not in this requisition"))))
            continue
        app.stage_id, app.revision = row.stage_id, row.revision
        rows.append(app)
    return rows, refused


@transaction.atomic
def applications_move(
    *,
    actor: Member,
    applications: Sequence[Application],
    to_stage: Stage,
    reason: str = "",
    note: str = "",
) -> BulkResult:
    """Move many applications of one requisition to a stage; those already there are skipped.

    Either every eligible application moves or, on a refusal (no reason for a rejection, a
    stage of another workspace), none does.
    """
    requisition = to_stage.requisition
    require(actor, MANAGE_CANDIDATES, requisition.workspace_id)
    reason, note = _reason_for(to_stage, reason, note)
    rows, skipped = _bulk_rows(actor, applications, requisition.pk)
    result = BulkResult(verb=_("moved to %(stage)s") % {"stage": to_stage.name}, skipped=skipped)
    for app in rows:
        if app.stage_id == to_stage.pk:
            result.skipped.append((app, _("already in %(stage)s") % {"stage": to_stage.name}))
        else:
            result.done.append(app)
    if not result.done:
        return result
    _lock_stage(to_stage)
    now = timezone.now()
    kept_reason, kept_note = _kept_on_application(reason, note)
    Application.objects.filter(pk__in=[a.pk for a in result.done]).update(
        stage=to_stage,
        stage_entered_at=now,
        reason=kept_reason,
        reason_note=kept_note,
        revision=F("revision") + 1,
    )
    StageMove.objects.bulk_create(
        StageMove(
            application=app,
            from_stage_id=app.stage_id,
            to_stage=to_stage,
            actor=actor,
            reason=reason,
            note=note,
            at=now,
        )
        for app in result.done
    )
    for app in result.done:
        app.stage, app.stage_entered_at = to_stage, now
        app.reason, app.reason_note = kept_reason, kept_note
        app.revision += 1
    _mark_milestone(requisition, to_stage)
    if to_stage.category in DECIDED_CATEGORIES:
        commitments_done(
            Commitment.objects.filter(
                application__in=[a.pk for a in result.done], kind=CommitmentKind.DECISION
            )
        )
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="applications.moved",
        obj=requisition,
        changes={
            "applications": [None, [str(a.public_id) for a in result.done]],
            "stage": [None, to_stage.name],
            **({"reason": [None, reason]} if reason else {}),
        },
    )
    _hires_follow(actor, result.done, to_stage)
    return result


def _hires_follow(actor: Member, applications: Sequence[Application], to_stage: Stage) -> None:
    """A move into a hired stage records the hire (and plans its post-hire surveys); a move out
    of one cancels it."""
    # Imported here: the partnerships app depends on the pipeline's models.
    from accord.partnerships.hires import hires_on_move

    hires_on_move(actor=actor, applications=applications, to_stage=to_stage)


def _reindex(candidate_ids: list[int]) -> None:
    # Imported here: the search index belongs to candidates, which imports pipeline models.
    from accord.candidates.search import index_candidates

    index_candidates(candidate_ids)


def _clean_tags(tag_names: Sequence[str]) -> list[str]:
    names: dict[str, str] = {}
    for raw in tag_names:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > TAG_LIMIT:
            raise ValidationError(
                {
                    "tags": _("Keep tags to %(n)s characters or fewer: “%(tag)s” is longer.")
                    % {"n": TAG_LIMIT, "tag": name}
                }
            )
        names.setdefault(name.casefold(), name)
    if not names:
        raise ValidationError({"tags": _("Type the tags to add, separated by commas.")})
    if len(names) > TAGS_PER_ACTION:
        raise ValidationError(
            {"tags": _("Add at most %(n)s tags at a time.") % {"n": TAGS_PER_ACTION}}
        )
    return list(names.values())


@transaction.atomic
def applications_tag(
    *, actor: Member, applications: Sequence[Application], tag_names: Sequence[str]
) -> BulkResult:
    """Tag the candidates of these applications (tags belong to the candidate, so they show in
    every requisition); candidates who have all the tags already are skipped."""
    require(actor, MANAGE_CANDIDATES)
    names = _clean_tags(tag_names)
    requisition_id = applications[0].requisition_id if applications else 0
    rows, skipped = _bulk_rows(actor, applications, requisition_id)
    tags = tags_get_or_create(actor.workspace, names)
    result = BulkResult(verb=_("tagged"), skipped=skipped)
    through = Candidate.tags.through
    have = set(
        through.objects.filter(
            candidate__in=[a.candidate_id for a in rows], tag__in=tags
        ).values_list("candidate_id", "tag_id")
    )
    links = []
    for app in rows:
        new = [t for t in tags if (app.candidate_id, t.pk) not in have]
        if not new:
            result.skipped.append((app, _("already tagged")))
            continue
        result.done.append(app)
        links += [through(candidate_id=app.candidate_id, tag_id=t.pk) for t in new]
        have.update((app.candidate_id, t.pk) for t in new)
    if not result.done:
        return result
    through.objects.bulk_create(links, ignore_conflicts=True)
    tagged = [a.candidate_id for a in result.done]
    Candidate.objects.filter(pk__in=tagged).update(updated_at=timezone.now())
    transaction.on_commit(lambda: _reindex(tagged))  # tags are part of the search text
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="applications.tagged",
        obj=Requisition.objects.get(pk=requisition_id),
        changes={
            "applications": [None, [str(a.public_id) for a in result.done]],
            "tags": [None, [t.name for t in tags]],
        },
    )
    return result
