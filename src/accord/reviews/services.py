"""Shortlists and the manager's decisions on them.

The recruiter sends screened candidates to one hiring manager; the manager decides advance,
hold or reject for each, always with a reason: judgements on the brief's criteria, common
reasons (chips) and free text. Reasons that aren't criteria of the brief mark the review as
"outside the brief". Decisions move the candidates along the pipeline; the last decision
completes the shortlist, keeps the manager's commitment and tells the recruiter.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.audit.services import audit_record
from accord.briefs.selectors import in_force
from accord.nudges import clock
from accord.nudges.models import Commitment, CommitmentKind, MessageKind
from accord.nudges.services import (
    commitment_open,
    commitments_cancel,
    commitments_done,
    message_queue,
    render,
    time_zone_of,
)
from accord.pipeline.models import Application, Category, Reason, Stage
from accord.pipeline.services import application_advance, stages_for
from accord.requisitions.models import Requisition
from accord.reviews.links import link_for, links_revoke, url_of
from accord.reviews.models import (
    Decision,
    Judgement,
    ReasonChip,
    Review,
    ReviewJudgement,
    Shortlist,
    ShortlistItem,
)
from accord.reviews.selectors import SHORTLISTABLE
from accord.workspaces.access import DECIDE_SHORTLISTS, MANAGE_REVIEWS, require
from accord.workspaces.models import Member

SHORTLIST_LIMIT = 25
NOTE_LIMIT = 2000
HIGHLIGHTS_LIMIT = 1000
WHY_LIMIT = 1000
DEFAULT_REVIEW_DAYS = 2


def _review_due(manager: Member, version_days: int | None) -> tuple[datetime, str]:
    days = version_days or DEFAULT_REVIEW_DAYS
    due = clock.add_business_days(timezone.now(), days, time_zone_of(manager))
    basis = (
        ngettext(
            "%(n)s business day, agreed in the brief",
            "%(n)s business days, agreed in the brief",
            days,
        )
        if version_days
        else ngettext(
            "%(n)s business day (the default: the brief names no review time)",
            "%(n)s business days (the default: the brief names no review time)",
            days,
        )
    ) % {"n": days}
    return due, basis


def _first_stage(stages: Sequence[Stage], category: str, after: int = -1) -> Stage | None:
    return next((s for s in stages if s.category == category and s.position > after), None)


def _check_applications(requisition: Requisition, applications: Sequence[Application]) -> None:
    if not applications:
        raise ValidationError(_("Choose at least one candidate to send."))
    if len(applications) > SHORTLIST_LIMIT:
        raise ValidationError(
            _("Send at most %(n)s candidates at once: a manager decides a short list faster.")
            % {"n": SHORTLIST_LIMIT}
        )
    problems = []
    waiting = set(
        ShortlistItem.objects.waiting()
        .filter(application__in=applications)
        .values_list("application_id", flat=True)
    )
    for application in applications:
        name = application.candidate.name
        if application.requisition_id != requisition.pk:
            problems.append(_("%(name)s is not in this requisition.") % {"name": name})
        elif application.stage.category not in SHORTLISTABLE:
            problems.append(
                _("%(name)s is in %(stage)s, past the manager’s review.")
                % {"name": name, "stage": application.stage.name}
            )
        elif application.pk in waiting:
            problems.append(
                _("%(name)s is already on a shortlist waiting for a decision.") % {"name": name}
            )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def shortlist_send(
    *,
    actor: Member,
    requisition: Requisition,
    manager: Member,
    applications: Sequence[Application],
    note: str = "",
    highlights: Mapping[int, str] | None = None,
) -> Shortlist:
    """Send candidates to a hiring manager to decide on, by the brief's review time."""
    require(actor, MANAGE_REVIEWS, requisition.workspace_id)
    if requisition.is_closed:
        raise ValidationError(_("This requisition is closed."))
    if not requisition.hiring_managers.filter(pk=manager.pk, is_active=True).exists():
        raise ValidationError({"manager": _("Choose one of this requisition’s hiring managers.")})
    version = in_force(requisition)
    if version is None:
        raise ValidationError(
            _(
                "Sign the brief first: the manager decides against its criteria, and the "
                "review time comes from it."
            )
        )
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        raise ValidationError({"note": _("Keep the note to %(n)s characters.") % {"n": NOTE_LIMIT}})
    highlights = highlights or {}
    if any(len(text) > HIGHLIGHTS_LIMIT for text in highlights.values()):
        raise ValidationError(
            {"highlights": _("Keep each highlight to %(n)s characters.") % {"n": HIGHLIGHTS_LIMIT}}
        )
    _check_applications(requisition, applications)
    shortlist = Shortlist.objects.create(
        workspace_id=requisition.workspace_id,
        requisition=requisition,
        manager=manager,
        sent_by=actor,
        brief_version=version,
        note=note,
    )
    ShortlistItem.objects.bulk_create(
        ShortlistItem(
            shortlist=shortlist,
            application=application,
            position=position,
            highlights=highlights.get(application.pk, "").strip(),
        )
        for position, application in enumerate(applications)
    )
    stages = stages_for(requisition)
    submitted = _first_stage(stages, Category.SUBMITTED)
    for application in applications:
        if submitted and application.stage.position < submitted.position:
            application_advance(
                actor=actor,
                application=application,
                to_stage=submitted,
                note=_("Sent to %(manager)s on a shortlist") % {"manager": manager.display_name},
            )
    due, basis = _review_due(manager, version.review_days)
    commitment_open(
        requisition=requisition,
        kind=CommitmentKind.REVIEW,
        owner=manager,
        due_at=due,
        basis=basis,
        started_at=shortlist.sent_at,
        shortlist=shortlist,
    )
    _ask(shortlist, manager, due)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="shortlist.sent",
        obj=shortlist,
        object_repr=requisition.title,
        changes={
            "manager": [None, manager.display_name],
            "candidates": [None, [a.candidate.name for a in applications]],
        },
    )
    return shortlist


def _ask(shortlist: Shortlist, manager: Member, due: datetime | None) -> None:
    url = url_of(link_for(manager, shortlist=shortlist))
    count = shortlist.items.count()
    label = ngettext("Review %(n)s candidate", "Review %(n)s candidates", count) % {"n": count}
    message_queue(
        recipient=manager,
        kind=MessageKind.NOTICE,
        requisition=shortlist.requisition,
        content=render(
            "reviews/messages/shortlist_sent",
            {
                "shortlist": shortlist,
                "manager": manager,
                "count": count,
                "due": due,
                "time_zone": time_zone_of(manager),
                "url": url,
                "candidates": [
                    i.application.candidate.name
                    for i in shortlist.items.select_related("application__candidate")
                ],
                "links": [(label, url)],
            },
        ),
    )


@transaction.atomic
def shortlist_resend(*, actor: Member, shortlist: Shortlist) -> Shortlist:
    """Send the manager a fresh link (the old one stops working), e.g. after it expired."""
    require(actor, MANAGE_REVIEWS, shortlist.workspace_id)
    if not shortlist.is_open:
        raise ValidationError(_("This shortlist is finished; there is nothing to decide."))
    links_revoke(shortlist=shortlist)
    commitment = Commitment.objects.filter(shortlist=shortlist).first()
    _ask(shortlist, shortlist.manager, commitment.due_at if commitment else None)
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="shortlist.resent",
        obj=shortlist,
        object_repr=shortlist.requisition.title,
    )
    return shortlist


@transaction.atomic
def shortlist_withdraw(*, actor: Member, shortlist: Shortlist) -> Shortlist:
    """Take back an unfinished shortlist: its link stops working and nobody is nudged."""
    require(actor, MANAGE_REVIEWS, shortlist.workspace_id)
    locked = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    if not locked.is_open:
        raise ValidationError(_("This shortlist is already finished or withdrawn."))
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at"])
    links_revoke(shortlist=locked)
    commitments_cancel(Commitment.objects.filter(shortlist=locked))
    audit_record(
        actor=actor.user,
        workspace=actor.workspace,
        action="shortlist.withdrawn",
        obj=locked,
        object_repr=locked.requisition.title,
    )
    return locked


# --- the manager's decision ---------------------------------------------------------------------


def _clean_reasons(
    shortlist: Shortlist,
    judgements: Mapping[int, str],
    chips: Sequence[str],
    note: str,
) -> tuple[dict[int, str], list[str], str]:
    criteria = set(
        shortlist.brief_version.criteria.values_list("pk", flat=True)
        if shortlist.brief_version
        else []
    )
    cleaned = {pk: value for pk, value in judgements.items() if value}
    if set(cleaned) - criteria:
        raise ValidationError(_("Judge only the criteria of the brief you were sent."))
    if any(value not in Judgement.values for value in cleaned.values()):
        raise ValidationError(_("Judge each criterion as meets, doesn’t meet or can’t tell."))
    chips = list(dict.fromkeys(chips))
    if any(code not in ReasonChip.values for code in chips):
        raise ValidationError(_("Choose reasons from the list, or write your own."))
    note = note.strip()
    if len(note) > WHY_LIMIT:
        raise ValidationError({"note": _("Keep it to %(n)s characters.") % {"n": WHY_LIMIT}})
    if not (cleaned or chips or note):
        raise ValidationError(
            _(
                "Say why: mark at least one criterion, choose a reason or write a few words. "
                "Your reasons tell the recruiter who to look for next."
            )
        )
    return cleaned, chips, note


def _already_decided(review: Review) -> ValidationError:
    return ValidationError(
        _("%(name)s was already decided (%(decision)s, %(when)s). Nothing changed.")
        % {
            "name": review.application.candidate.name,
            "decision": review.get_decision_display(),
            "when": date_format(timezone.localtime(review.decided_at), "j M, H:i"),
        }
    )


def _summary(review: Review, judgements: Mapping[int, str]) -> str:
    """The "why" kept with the pipeline move: reasons in words, at most 300 characters."""
    parts = list(review.chip_labels)
    if review.note:
        parts.append(review.note)
    if not parts:
        parts.append(
            ngettext("%(n)s criterion judged", "%(n)s criteria judged", len(judgements))
            % {"n": len(judgements)}
        )
    text = "; ".join(str(p) for p in parts)
    return text if len(text) <= 300 else text[:299] + "…"


def _move_for(review: Review, judgements: Mapping[int, str]) -> None:
    application = review.application
    stages = stages_for(application.requisition)
    current = next(s for s in stages if s.pk == application.stage_id)
    if review.decision == Decision.ADVANCE:
        target = _first_stage(stages, Category.INTERVIEW, current.position) or _first_stage(
            stages, Category.OFFER, current.position
        )
        reason = ""
    elif review.decision == Decision.REJECT:
        target, reason = _first_stage(stages, Category.REJECTED), Reason.MANAGER_DECLINED
    else:
        target, reason = _first_stage(stages, Category.REVIEW), ""
    if target is None or target.pk == current.pk:
        return
    application_advance(
        actor=review.reviewer,
        application=application,
        to_stage=target,
        reason=reason,
        note=_summary(review, judgements),
    )


@transaction.atomic
def review_submit(
    *,
    reviewer: Member,
    item: ShortlistItem,
    decision: str,
    judgements: Mapping[int, str] | None = None,
    chips: Sequence[str] = (),
    note: str = "",
    via_link: bool = False,
) -> Review:
    """Record the manager's decision on one shortlisted candidate, with its reasons."""
    require(reviewer, DECIDE_SHORTLISTS, item.shortlist.workspace_id)
    shortlist = Shortlist.objects.select_for_update().get(pk=item.shortlist_id)
    if shortlist.manager_id != reviewer.pk:
        raise ValidationError(
            _("Only %(manager)s can decide on this shortlist. Nothing changed.")
            % {"manager": shortlist.manager.display_name}
        )
    if shortlist.withdrawn_at:
        raise ValidationError(_("The recruiter withdrew this shortlist. Nothing changed."))
    existing = Review.objects.filter(item=item).select_related("application__candidate").first()
    if existing is not None:
        raise _already_decided(existing)
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose advance, hold or reject.")})
    cleaned, chips, note = _clean_reasons(shortlist, judgements or {}, chips, note)
    application = item.application
    try:
        with transaction.atomic():
            review = Review.objects.create(
                item=item,
                application=application,
                reviewer=reviewer,
                decision=decision,
                chips=chips,
                note=note,
                # Anything but the brief's criteria: a common reason, or words with no criterion.
                outside_brief=bool(chips) or not cleaned,
                via_link=via_link,
            )
    except IntegrityError:  # the same decision submitted twice at once
        raise _already_decided(Review.objects.get(item=item)) from None
    ReviewJudgement.objects.bulk_create(
        ReviewJudgement(review=review, criterion_id=pk, judgement=value)
        for pk, value in cleaned.items()
    )
    _move_for(review, cleaned)
    audit_record(
        actor=reviewer.user,
        workspace=reviewer.workspace,
        action="review.submitted",
        obj=review,
        object_repr=f"{application.candidate.name} · {shortlist.requisition.title}",
        changes={
            "decision": [None, decision],
            "reasons": [None, [*review.chip_labels, *([note] if note else [])]],
            "outside_brief": [None, review.outside_brief],
        },
    )
    if not shortlist.items.filter(review__isnull=True).exists():
        _complete(shortlist)
    return review


def _complete(shortlist: Shortlist) -> None:
    now = timezone.now()
    shortlist.completed_at = now
    shortlist.save(update_fields=["completed_at"])
    commitments_done(Commitment.objects.filter(shortlist=shortlist), now)
    decisions = Counter(
        Review.objects.filter(item__shortlist=shortlist).values_list("decision", flat=True)
    )
    recruiter = shortlist.sent_by or shortlist.requisition.recruiter
    if not recruiter.is_active:
        recruiter = shortlist.requisition.recruiter
    url = settings.SITE_URL + reverse(
        "reviews:shortlist", args=[shortlist.workspace.slug, shortlist.public_id]
    )
    message_queue(
        recipient=recruiter,
        kind=MessageKind.NOTICE,
        requisition=shortlist.requisition,
        content=render(
            "reviews/messages/shortlist_done",
            {
                "shortlist": shortlist,
                "manager": shortlist.manager,
                "advanced": decisions.get(Decision.ADVANCE, 0),
                "held": decisions.get(Decision.HOLD, 0),
                "rejected": decisions.get(Decision.REJECT, 0),
                "url": url,
                "links": [(_("See the decisions"), url)],
            },
        ),
    )
