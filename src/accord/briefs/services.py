"""Every write to intakes, briefs, criteria, signatures, links and the glossary."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import available_timezones

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.audit.services import apply_changes, audit_record
from accord.briefs.models import (
    DEFINITION_LIMIT,
    WEIGHT_MAX,
    WEIGHT_MIN,
    AssessedAt,
    BriefLink,
    BriefVersion,
    Channel,
    Criterion,
    Frequency,
    GlossaryTerm,
    InterviewStage,
    Kind,
    Side,
    Signature,
    VagueTerm,
)
from accord.briefs.sections import CARRYABLE_FIELDS, QUESTIONS, SUCCESS_FIELDS, TEXT_LIMIT
from accord.briefs.selectors import draft_of, in_force
from accord.lib.conflicts import Conflict
from accord.lib.links import LinkProblem
from accord.lib.mail import send_templated_email
from accord.matching.services import refresh_later
from accord.requisitions.models import MilestoneKind, Requisition, Status
from accord.requisitions.selectors import can_edit_brief, is_manager_of
from accord.requisitions.services import milestone_mark_done, requisition_transition
from accord.skills.extract import link_skills
from accord.workspaces.access import (
    MANAGE_GLOSSARY,
    MANAGE_REQUISITIONS,
    MANAGE_WORKSPACE,
    require,
)
from accord.workspaces.models import Member

LINK_SALT = "accord.briefs.link"
LINE_LIMIT = 300
DAYS_LIMIT = 60


# --- who may do what -------------------------------------------------------------------------


def _require_brief_editor(actor: Member, requisition: Requisition) -> None:
    if actor.workspace_id != requisition.workspace_id or not can_edit_brief(actor, requisition):
        raise ValidationError(
            _("Only this role’s recruiter and hiring managers can change its brief.")
        )


def _require_editor(actor: Member, version: BriefVersion) -> None:
    _require_brief_editor(actor, version.requisition)
    if version.is_signed:
        raise ValidationError(
            _("Version %(n)s is signed and can’t change. Start a new version with a reason.")
            % {"n": version.number}
        )


def _editable_draft(actor: Member, version_id: int) -> BriefVersion:
    """The draft, locked for this change, once the actor is known to be allowed to change it."""
    version = (
        BriefVersion.objects.select_for_update().select_related("requisition").get(pk=version_id)
    )
    _require_editor(actor, version)
    return version


def side_of(member: Member, requisition: Requisition) -> str | None:
    if requisition.recruiter_id == member.pk:
        return Side.RECRUITER
    if is_manager_of(member, requisition):
        return Side.MANAGER
    return None


def _touch(version: BriefVersion, actor: Member, fields: list[str] | None = None) -> None:
    """Record a change to the draft. Signatures cover one revision, so a change withdraws them."""
    version.revision += 1
    version.updated_at = timezone.now()
    version.save(update_fields=[*(fields or []), "revision", "updated_at"])
    withdrawn = version.signatures.filter(revision__lt=version.revision)
    if withdrawn.exists():
        names = [str(s.member) for s in withdrawn.select_related("member__user")]
        withdrawn.delete()
        audit_record(
            actor=actor.user,
            workspace=actor.workspace,
            action="brief.signatures_withdrawn",
            obj=version,
            changes={"signed_by": [names, []]},
        )


# --- starting the intake ---------------------------------------------------------------------


@transaction.atomic
def brief_start(
    *, actor: Member, requisition: Requisition, carry_from: BriefVersion | None = None
) -> BriefVersion:
    """Create version 1 (the intake), optionally starting from the manager's earlier intake."""
    _require_brief_editor(actor, requisition)
    existing = requisition.brief_versions.order_by("-number").first()
    if existing is not None:
        return existing
    # Carried answers (a past misstep, deal-breakers…) are as private as the role they come from.
    if (
        carry_from is not None
        and not Requisition.objects.visible_to(actor).filter(pk=carry_from.requisition_id).exists()
    ):
        raise ValidationError(_("Choose an earlier intake of a role you can see."))
    version = BriefVersion.objects.create(requisition=requisition, number=1, created_by=actor)
    if carry_from is not None:
        carried = [f for f in CARRYABLE_FIELDS if getattr(carry_from, f) not in ("", None)]
        for name in carried:
            setattr(version, name, getattr(carry_from, name))
        version.carried_over = {
            "from": str(carry_from.requisition),
            "version": str(carry_from.public_id),
            "fields": carried,
        }
        version.save(update_fields=[*carried, "carried_over"])
        _copy_stages(carry_from, version)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="brief.started",
        obj=version,
        changes={"carried_from": [None, str(carry_from)]} if carry_from else {},
    )
    return version


# --- autosaving answers, with conflict detection -----------------------------------------------


@dataclass(frozen=True)
class FieldConflict:
    field: str
    label: str
    mine: str
    theirs: str
    by: str
    at: str


@dataclass
class SaveResult:
    saved: dict[str, str] = field(default_factory=dict)
    conflicts: list[FieldConflict] = field(default_factory=list)


def as_text(value: Any) -> str:
    """The form representation of an answer; bases and conflicts compare these."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _parse(name: str, raw: str) -> Any:
    question = QUESTIONS[name]
    raw = raw.replace("\r\n", "\n")
    if question.kind == "text":
        if len(raw) > TEXT_LIMIT:
            raise ValidationError(
                _("Keep this answer under %(n)s characters (it has %(len)s).")
                % {"n": TEXT_LIMIT, "len": len(raw)}
            )
        return raw
    if question.kind == "line":
        if len(raw) > LINE_LIMIT:
            raise ValidationError(_("Keep this answer under %(n)s characters.") % {"n": LINE_LIMIT})
        return raw.strip()
    raw = raw.strip()
    if not raw:
        return "" if question.kind == "choice" else None
    if question.kind == "date":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(_("Enter a date like 2027-03-01.")) from None
    if question.kind == "days":
        if not raw.isdecimal() or not 0 < int(raw) <= DAYS_LIMIT:
            raise ValidationError(
                _("Enter a number of business days from 1 to %(n)s.") % {"n": DAYS_LIMIT}
            )
        return int(raw)
    allowed = {
        "update_channel": Channel.values,
        "update_frequency": Frequency.values,
        "update_time_zone": available_timezones(),
    }[name]
    if raw not in allowed:
        raise ValidationError(_("Choose one of the listed options."))
    return raw


@transaction.atomic
def brief_save_answers(
    *, actor: Member, version: BriefVersion, values: dict[str, str], bases: dict[str, str]
) -> SaveResult:
    """Save the answers that changed since `bases` (what the person's page last showed).

    An answer someone else changed in the meantime is not overwritten: it comes back as a
    conflict with both texts, and the person chooses. Invalid input saves nothing.
    """
    version = _editable_draft(actor, version.pk)
    errors: dict[str, list[str]] = {}
    parsed: dict[str, Any] = {}
    for name, raw in values.items():
        if name not in QUESTIONS:
            continue
        try:
            parsed[name] = _parse(name, raw)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    result = SaveResult()
    changed: dict[str, list[Any]] = {}
    now = timezone.now()
    for name, value in parsed.items():
        current = as_text(getattr(version, name))
        mine = as_text(value)
        base = bases.get(name)
        if base is not None:
            base = base.replace("\r\n", "\n")
        # The editor posts a whole section: a field the person didn't touch (still their base)
        # is not a change of theirs, even if someone else has changed it since.
        if mine in (current, base):
            continue
        if base is not None and base != current:
            edit = version.field_edits.get(name, {})
            result.conflicts.append(
                FieldConflict(
                    field=name,
                    label=str(QUESTIONS[name].label),
                    mine=mine,
                    theirs=current,
                    by=edit.get("by", _("someone")),
                    at=edit.get("at", ""),
                )
            )
            continue
        changed[name] = [current, mine]
        setattr(version, name, value)
        version.field_edits[name] = {"by": str(actor.user), "at": now.isoformat()}
        result.saved[name] = mine
    if changed:
        carried = version.carried_over.get("fields", [])
        if carried:
            version.carried_over["fields"] = [f for f in carried if f not in changed]
        _touch(version, actor, [*changed, "field_edits", "carried_over"])
        audit_record(
            actor=actor.user,
            workspace=actor.workspace,
            action="brief.answers_saved",
            obj=version,
            changes={name: [_short(a), _short(b)] for name, (a, b) in changed.items()},
        )
    return result


def _short(text: str) -> str:
    return text if len(text) <= 200 else text[:199] + "…"


# --- criteria and stages ---------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionInput:
    name: str
    kind: str = Kind.MUST
    weight: int | None = None
    definition: str = ""
    assessed_at: str = ""
    stage: InterviewStage | None = None
    skills: tuple[dict[str, Any], ...] = ()


def _clean_criterion(version: BriefVersion, data: CriterionInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = _("Name the criterion, e.g. “Has run payroll for 500+ people”.")
    elif len(name) > 160:
        errors["name"] = _("Keep the name under 160 characters; put detail in the definition.")
    if data.kind not in Kind.values:
        errors["kind"] = _("Choose must-have or nice-to-have.")
    weight = data.weight
    if data.kind == Kind.NICE:
        if weight is None:
            weight = 3
        elif not WEIGHT_MIN <= weight <= WEIGHT_MAX:
            errors["weight"] = _(
                "A weight goes from %(min)s (a bonus) to %(max)s (almost a must)."
            ) % {
                "min": WEIGHT_MIN,
                "max": WEIGHT_MAX,
            }
    else:
        weight = None
    definition = data.definition.replace("\r\n", "\n").strip()
    if len(definition) > DEFINITION_LIMIT:
        errors["definition"] = _(
            "Keep the definition under %(n)s characters (it has %(len)s): one observable piece "
            "of evidence is easier to assess than a paragraph."
        ) % {"n": DEFINITION_LIMIT, "len": len(definition)}
    if data.assessed_at and data.assessed_at not in AssessedAt.values:
        errors["assessed_at"] = _("Choose where this is assessed.")
    stage = data.stage if data.assessed_at == AssessedAt.INTERVIEW else None
    if stage is not None and stage.version_id != version.pk:
        errors["stage"] = _("Choose a stage of this brief.")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "kind": data.kind,
        "weight": weight,
        "definition": definition,
        "assessed_at": data.assessed_at,
        "stage": stage,
        "skills": list(data.skills),
    }


@transaction.atomic
def criterion_add(*, actor: Member, version: BriefVersion, data: CriterionInput) -> Criterion:
    version = _editable_draft(actor, version.pk)
    values = _clean_criterion(version, data)
    values["skills"] = link_skills(values["skills"], actor.workspace)
    position = (version.criteria.aggregate(m=Max("position"))["m"] or 0) + 1
    criterion = Criterion.objects.create(version=version, position=position, **values)
    _touch(version, actor)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="criterion.added",
        obj=version,
        changes={"criterion": [None, f"{criterion.name} ({criterion.get_kind_display()})"]},
    )
    return criterion


@transaction.atomic
def criterion_update(
    *, actor: Member, criterion: Criterion, revision: int, data: CriterionInput
) -> Criterion:
    """Save one criterion; an edit based on an older revision raises Conflict."""
    version = _editable_draft(actor, criterion.version_id)
    current = Criterion.objects.select_related("stage").get(pk=criterion.pk)
    values = _clean_criterion(version, data)
    values["skills"] = link_skills(values["skills"], actor.workspace)
    if current.revision != revision:
        raise Conflict(current)
    # Every criterion write holds the draft's row lock (_editable_draft), so the revision
    # checked above can't move before this save.
    changes = apply_changes(current, **values)
    if not changes:
        return current
    current.revision += 1
    current.save(update_fields=[*changes, "revision"])
    _touch(version, actor)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="criterion.updated",
        obj=version,
        changes=changes,
        object_repr=f"{version} · {values['name']}",
    )
    return current


@transaction.atomic
def criterion_delete(*, actor: Member, criterion: Criterion) -> None:
    version = _editable_draft(actor, criterion.version_id)
    name = criterion.name
    criterion.delete()
    _touch(version, actor)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="criterion.removed",
        obj=version,
        changes={"criterion": [name, None]},
    )


def _clean_stage(name: str, interviewers: str, assesses: str) -> dict[str, str]:
    errors = {}
    if not name.strip():
        errors["name"] = _("Name the stage, e.g. “Technical interview”.")
    if len(name) > 120:
        errors["name"] = _("Keep the stage name under 120 characters.")
    if len(interviewers) > LINE_LIMIT or len(assesses) > 500:
        errors["assesses"] = _("Keep these short; the criteria hold the detail.")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name.strip(),
        "interviewers": interviewers.strip(),
        "assesses": assesses.strip(),
    }


@transaction.atomic
def stage_add(
    *, actor: Member, version: BriefVersion, name: str, interviewers: str = "", assesses: str = ""
) -> InterviewStage:
    version = _editable_draft(actor, version.pk)
    values = _clean_stage(name, interviewers, assesses)
    position = (version.stages.aggregate(m=Max("position"))["m"] or 0) + 1
    stage = InterviewStage.objects.create(version=version, position=position, **values)
    _touch(version, actor)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="stage.added",
        obj=version,
        changes={"stage": [None, stage.name]},
    )
    return stage


@transaction.atomic
def stage_delete(*, actor: Member, stage: InterviewStage) -> None:
    version = _editable_draft(actor, stage.version_id)
    name = stage.name
    stage.delete()  # its criteria keep their place: "interview" with no stage is a flagged gap
    _touch(version, actor)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="stage.removed",
        obj=version,
        changes={"stage": [name, None]},
    )


# --- sign-off --------------------------------------------------------------------------------


def sign_off_problems(version: BriefVersion, criteria: list[Criterion]) -> list[str]:
    """What must be filled in before anyone can sign: the brief is what the search is held to."""
    problems = []
    if not version.why_now.strip():
        problems.append(_("Say why this role is needed now."))
    if not any(getattr(version, f).strip() for f in SUCCESS_FIELDS):
        problems.append(
            _("Describe what success looks like at 30, 60 or 90 days, or after a year.")
        )
    if not any(c.kind == Kind.MUST for c in criteria):
        problems.append(_("Agree at least one must-have criterion."))
    undefined = [c.name for c in criteria if not c.definition.strip()]
    if undefined:
        problems.append(
            _("Write an agreed definition for: %(names)s.") % {"names": ", ".join(undefined)}
        )
    if version.review_days is None or version.decision_days is None:
        problems.append(_("Agree the manager’s turnarounds: shortlist review and decision time."))
    if not (version.update_channel and version.update_frequency):
        problems.append(_("Agree how and how often you keep each other informed."))
    return problems


@transaction.atomic
def brief_sign(
    *, actor: Member, version: BriefVersion, revision: int, via_link: bool = False
) -> bool:
    """Sign the version as it stands at `revision`. Returns True when this completes sign-off.

    The version is signed (and immutable) once the recruiter and a hiring manager have signed
    the same revision.
    """
    version = (
        BriefVersion.objects.select_for_update()
        .select_related("requisition__workspace")
        .get(pk=version.pk)
    )
    requisition = version.requisition
    side = side_of(actor, requisition) if actor.workspace_id == requisition.workspace_id else None
    if side is None:
        raise ValidationError(_("Only this role’s recruiter and hiring managers sign its brief."))
    if version.is_signed:
        raise ValidationError(_("This version is already signed by both of you."))
    if revision != version.revision:
        raise ValidationError(
            _("The brief changed while you were reading it. Read the latest and sign again.")
        )
    problems = sign_off_problems(version, list(version.criteria.all()))
    if problems:
        raise ValidationError(problems)
    Signature.objects.get_or_create(
        version=version,
        member=actor,
        defaults={"side": side, "revision": version.revision, "via_link": via_link},
    )
    audit_record(
        actor=actor.user,
        workspace=requisition.workspace,
        action="brief.signed",
        obj=version,
        changes={"side": [None, side], "revision": [None, version.revision]},
    )
    sides = set(version.signatures.filter(revision=version.revision).values_list("side", flat=True))
    if sides != {Side.RECRUITER, Side.MANAGER}:
        return False
    version.signed_at = timezone.now()
    version.save(update_fields=["signed_at"])
    milestone_mark_done(requisition=requisition, kind=MilestoneKind.INTAKE_DONE)
    audit_record(
        actor=actor.user,
        workspace=requisition.workspace,
        action="brief.in_force",
        obj=version,
        changes={"version": [None, version.number]},
    )
    # Every applicant is screened again against the criteria now in force.
    refresh_later(requisition.applications.values_list("pk", flat=True))
    return True


# --- new versions ----------------------------------------------------------------------------


def _copy_stages(source: BriefVersion, target: BriefVersion) -> dict[int, InterviewStage]:
    """Copy the interview stages, keeping their lineage; returns {source stage pk: copy}."""
    stages = list(source.stages.all())
    copies = InterviewStage.objects.bulk_create(
        InterviewStage(
            version=target,
            position=s.position,
            name=s.name,
            interviewers=s.interviewers,
            assesses=s.assesses,
            lineage=s.lineage,
        )
        for s in stages
    )
    return {s.pk: copy for s, copy in zip(stages, copies, strict=True)}


COPIED_FIELDS = tuple(QUESTIONS)


@transaction.atomic
def brief_revise(*, actor: Member, requisition: Requisition, reason: str) -> BriefVersion:
    """Start the next version from the one in force; both sides will sign it again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what changes and why; both of you will see it.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    _require_brief_editor(actor, requisition)
    if draft_of(requisition) is not None:
        raise ValidationError(_("A new version is already in progress; change that one."))
    source = in_force(requisition)
    if source is None:
        raise ValidationError(_("There is no signed brief yet; keep editing the draft."))
    version = BriefVersion.objects.create(
        requisition=requisition,
        number=source.number + 1,
        reason=reason,
        created_by=actor,
        **{f: getattr(source, f) for f in COPIED_FIELDS},
    )
    stage_map = _copy_stages(source, version)
    Criterion.objects.bulk_create(
        Criterion(
            version=version,
            position=c.position,
            name=c.name,
            kind=c.kind,
            weight=c.weight,
            definition=c.definition,
            assessed_at=c.assessed_at,
            stage=stage_map.get(c.stage_id) if c.stage_id else None,
            skills=c.skills,
            lineage=c.lineage,
        )
        for c in source.criteria.all()
    )
    audit_record(
        actor=actor.user,
        workspace=requisition.workspace,
        action="brief.revised",
        obj=version,
        changes={"version": [source.number, version.number], "reason": [None, reason]},
    )
    return version


# --- links for managers, and asking for answers and signatures ------------------------------


def link_token(link: BriefLink) -> str:
    return signing.Signer(salt=LINK_SALT).sign_object({"l": str(link.public_id)})


def link_from_token(token: str) -> BriefLink | LinkProblem:
    """The live link a token names, or why it can't be used (forged, withdrawn, expired)."""
    try:
        data = signing.Signer(salt=LINK_SALT).unsign_object(token)
        link = BriefLink.objects.select_related(
            "requisition__workspace", "member__user", "member__workspace"
        ).get(public_id=data["l"])
    except (signing.BadSignature, BriefLink.DoesNotExist, KeyError, TypeError, ValueError):
        return LinkProblem.broken(
            _(
                "It may have been copied incompletely. Open it again from the email, or ask "
                "your recruiter for a new one."
            )
        )
    if link.revoked_at or not link.member.is_active:
        return LinkProblem(
            _("This link was withdrawn"), _("Your recruiter has sent a newer link; use that one.")
        )
    if link.expires_at <= timezone.now():
        return LinkProblem(
            _("This link has expired"),
            _(
                "For your security, links work for %(days)s days. Ask your recruiter to send "
                "a new one."
            )
            % {"days": settings.BRIEF_LINK_TTL_DAYS},
        )
    if link.requisition.is_closed:
        return LinkProblem(_("This role is closed"), _("There is nothing left to fill in or sign."))
    return link


def link_used(link: BriefLink) -> None:
    """Note when a manager last opened their link, so support can tell an unopened link from a
    refused one (a read, so no audit entry)."""
    BriefLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())


def _link_for(actor: Member, requisition: Requisition, manager: Member) -> BriefLink:
    now = timezone.now()
    BriefLink.objects.filter(
        requisition=requisition, member=manager, revoked_at__isnull=True
    ).update(revoked_at=now)
    return BriefLink.objects.create(
        requisition=requisition,
        member=manager,
        created_by=actor,
        expires_at=now + timedelta(days=settings.BRIEF_LINK_TTL_DAYS),
    )


def _link_url(link: BriefLink) -> str:
    return settings.SITE_URL + reverse("briefs:link", args=[link_token(link)])


def _brief_url(requisition: Requisition) -> str:
    return settings.SITE_URL + reverse(
        "briefs:edit", args=[requisition.workspace.slug, requisition.public_id]
    )


@transaction.atomic
def intake_send(*, actor: Member, requisition: Requisition, message: str = "") -> list[BriefLink]:
    """Email each hiring manager a link to fill the intake first, no password needed."""
    require(actor, MANAGE_REQUISITIONS, requisition.workspace_id)
    if requisition.is_closed:
        raise ValidationError(_("This requisition is closed."))
    version = draft_of(requisition) or brief_start(actor=actor, requisition=requisition)
    if version.is_signed:  # no draft: brief_start returned the signed version in force
        raise ValidationError(_("The brief is signed; start a new version to change it."))
    if len(message) > 1000:
        raise ValidationError({"message": _("Keep the note under 1000 characters.")})
    managers = list(requisition.hiring_managers.select_related("user"))
    if not managers:
        raise ValidationError(
            _("Add a hiring manager to the requisition first: the intake goes to them.")
        )
    links = []
    for manager in managers:
        link = _link_for(actor, requisition, manager)
        links.append(link)
        send_templated_email(
            to=manager.user.email,
            template="briefs/email/intake",
            context={
                "requisition": requisition,
                "recruiter": actor,
                "manager": manager,
                "message": message.strip(),
                "url": _link_url(link),
                "expires_at": link.expires_at,
            },
        )
    # The caller's copy may be stale (an earlier send, a concurrent one): read the locked row.
    if Requisition.objects.select_for_update().get(pk=requisition.pk).status == Status.DRAFT:
        requisition_transition(
            actor=actor, requisition=requisition, to_status=Status.INTAKE, reason=_("Intake sent")
        )
    audit_record(
        actor=actor.user,
        workspace=requisition.workspace,
        action="intake.sent",
        obj=requisition,
        changes={"to": [None, [str(link.member) for link in links]]},
    )
    return links


@transaction.atomic
def sign_off_request(*, actor: Member, version: BriefVersion) -> int:
    """Ask the recruiter and every hiring manager to sign; managers get one-tap links."""
    version = (
        BriefVersion.objects.select_for_update()
        .select_related("requisition__workspace")
        .get(pk=version.pk)
    )
    requisition = version.requisition
    allowed = side_of(actor, requisition) is not None or actor.can(MANAGE_REQUISITIONS)
    if actor.workspace_id != requisition.workspace_id or not allowed:
        raise ValidationError(_("Only this role’s recruiter and hiring managers ask for sign-off."))
    if version.is_signed:
        raise ValidationError(_("This version is already signed."))
    problems = sign_off_problems(version, list(version.criteria.all()))
    if problems:
        raise ValidationError(problems)
    signed = set(
        version.signatures.filter(revision=version.revision).values_list("member", flat=True)
    )
    people = [requisition.recruiter, *requisition.hiring_managers.select_related("user")]
    sent = 0
    for person in {p.pk: p for p in people}.values():
        if person.pk in signed:
            continue
        is_manager = person.pk != requisition.recruiter_id
        url = (
            _link_url(_link_for(actor, requisition, person))
            if is_manager
            else _brief_url(requisition)
        )
        send_templated_email(
            to=person.user.email,
            template="briefs/email/sign_off",
            context={"requisition": requisition, "version": version, "actor": actor, "url": url},
        )
        sent += 1
    version.sign_off_requested_at = timezone.now()
    version.save(update_fields=["sign_off_requested_at"])
    audit_record(
        actor=actor.user,
        workspace=requisition.workspace,
        action="brief.sign_off_requested",
        obj=version,
        changes={"recipients": [None, sent]},
    )
    return sent


# --- the glossary and the lexicon ------------------------------------------------------------


@transaction.atomic
def glossary_term_save(
    *, actor: Member, term: str, definition: str, team: str = ""
) -> GlossaryTerm:
    """Add or update an agreed definition (per team, or workspace-wide when team is blank)."""
    require(actor, MANAGE_GLOSSARY)
    term, definition, team = term.strip(), definition.strip(), team.strip()
    errors = {}
    if not term or len(term) > 120:
        errors["term"] = _("Give the term in a few words, e.g. “strategic thinker”.")
    if not definition:
        errors["definition"] = _("Write what the term means as observable evidence.")
    elif len(definition) > DEFINITION_LIMIT:
        errors["definition"] = _("Keep the definition under %(n)s characters.") % {
            "n": DEFINITION_LIMIT
        }
    if errors:
        raise ValidationError(errors)
    entry = GlossaryTerm.objects.filter(
        workspace=actor.workspace, term__iexact=term, team=team
    ).first()
    if entry is None:
        entry = GlossaryTerm.objects.create(
            workspace=actor.workspace, term=term, definition=definition, team=team, updated_by=actor
        )
        changes = {"definition": [None, definition]}
    else:
        changes = {"definition": [entry.definition, definition]}
        entry.definition, entry.updated_by, entry.updated_at = definition, actor, timezone.now()
        entry.save(update_fields=["definition", "updated_by", "updated_at"])
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="glossary.saved",
        obj=entry,
        changes=changes,
    )
    return entry


@transaction.atomic
def glossary_term_delete(*, actor: Member, entry: GlossaryTerm) -> None:
    require(actor, MANAGE_GLOSSARY, entry.workspace_id)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="glossary.removed",
        obj=entry,
        changes={"definition": [entry.definition, None]},
    )
    entry.delete()


_SPACES = re.compile(r"\s+")


@transaction.atomic
def vague_term_add(*, actor: Member, term: str, ask: str = "") -> VagueTerm:
    require(actor, MANAGE_WORKSPACE)
    term = _SPACES.sub(" ", term.strip().lower())
    if not term or len(term) > 80:
        raise ValidationError({"term": _("Give the word or phrase, e.g. “go-getter”.")})
    if len(ask) > 300:
        raise ValidationError({"ask": _("Keep the question under 300 characters.")})
    if VagueTerm.objects.filter(workspace=actor.workspace, term__iexact=term).exists():
        raise ValidationError({"term": _("That term is already on the list.")})
    entry = VagueTerm.objects.create(
        workspace=actor.workspace, term=term, ask=ask.strip(), created_by=actor
    )
    audit_record(actor=actor.user, workspace=actor.workspace, action="lexicon.added", obj=entry)
    return entry


@transaction.atomic
def vague_term_delete(*, actor: Member, entry: VagueTerm) -> None:
    require(actor, MANAGE_WORKSPACE, entry.workspace_id)
    audit_record(actor=actor.user, workspace=actor.workspace, action="lexicon.removed", obj=entry)
    entry.delete()
