"""Reading shortlists: who may see which, and the candidate cards a manager decides on."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accord.briefs.models import Criterion
from accord.candidates.models import Resume
from accord.matching.selectors import criteria_of
from accord.matching.services import effective_verdict
from accord.pipeline.models import Application, Assessment, Category, Verdict
from accord.requisitions.models import Requisition
from accord.reviews.models import Judgement, Review, ReviewJudgement, Shortlist, ShortlistItem
from accord.workspaces.access import MANAGE_REVIEWS
from accord.workspaces.models import Member

# Stages a shortlisted candidate may be in: not yet past the manager's review.
SHORTLISTABLE = (Category.SOURCED, Category.SCREEN, Category.SUBMITTED, Category.REVIEW)

# The recruiter's verdict, read as the manager's judgement when the manager confirms the screen.
SCREEN_TO_JUDGEMENT = {
    Verdict.MET: Judgement.MEETS,
    Verdict.NOT_MET: Judgement.DOESNT,
    Verdict.PARTLY: Judgement.CANT_TELL,
    Verdict.UNKNOWN: Judgement.CANT_TELL,
}


def shortlists_visible_to(member: Member) -> QuerySet[Shortlist]:
    """Recruiters and admins see the workspace's shortlists; a manager those sent to them."""
    mine = Shortlist.objects.filter(workspace=member.workspace_id)
    if member.can(MANAGE_REVIEWS):
        return mine
    return mine.filter(manager=member)


def with_counts(shortlists: QuerySet[Shortlist]) -> QuerySet[Shortlist]:
    return shortlists.select_related(
        "requisition", "manager__user", "sent_by__user", "commitment"
    ).annotate(
        size=Count("items", distinct=True),
        decided=Count("items__review", distinct=True),
        advanced=Count("items__review", filter=Q(items__review__decision="advance"), distinct=True),
        rejected=Count("items__review", filter=Q(items__review__decision="reject"), distinct=True),
    )


def shortlistable(requisition: Requisition) -> QuerySet[Application]:
    """The requisition's candidates a recruiter may put on a new shortlist: not yet past the
    manager's review, and not waiting for a decision on another shortlist (the rule
    `services.shortlist_send` applies)."""
    return Application.objects.filter(
        requisition=requisition, stage__category__in=SHORTLISTABLE
    ).exclude(pk__in=ShortlistItem.objects.waiting().values("application"))


def shortlist_get_for_member(member: Member, public_id: Any) -> Shortlist:
    return get_object_or_404(
        shortlists_visible_to(member).select_related(
            "requisition__workspace", "manager__user", "sent_by__user", "brief_version"
        ),
        public_id=public_id,
    )


def shortlists_of(member: Member, requisition: Requisition) -> list[Shortlist]:
    return list(with_counts(shortlists_visible_to(member).filter(requisition=requisition)))


@dataclass
class CriterionLine:
    criterion: Criterion
    screen: str  # the recruiter's verdict (or the system's suggestion when not yet confirmed)
    screened: bool  # confirmed by a person
    evidence: str
    judgement: str = ""  # the manager's, once decided
    posted: str = ""  # what the manager chose in a submission that was refused


@dataclass
class Card:
    item: ShortlistItem
    lines: list[CriterionLine]
    resume: Resume | None
    review: Review | None
    number: int = 0
    musts: list[CriterionLine] = field(default_factory=list)
    # A refused submission's choices, shown again so nothing typed is lost.
    posted_chips: list[str] = field(default_factory=list)
    posted_note: str = ""

    @property
    def candidate(self) -> Any:
        return self.item.application.candidate

    @property
    def application(self) -> Any:
        return self.item.application


def cards(shortlist: Shortlist, only_item: int | None = None) -> list[Card]:
    """`only_item`: one card, by its position on the shortlist."""
    """The shortlist's candidates with the brief's criteria, the recruiter's screen, the
    manager's decision and judgements, and the latest resume — in a fixed number of queries."""
    criteria = criteria_of(shortlist.brief_version) if shortlist.brief_version else []
    items_qs = shortlist.items.select_related(
        "application__candidate", "application__stage", "review"
    ).prefetch_related(Prefetch("review__judgements", queryset=ReviewJudgement.objects.all()))
    if only_item is not None:
        items_qs = items_qs.filter(position=only_item)
    items = list(items_qs)
    applications = [i.application_id for i in items]
    assessments = {
        (a.application_id, a.criterion_id): a
        for a in Assessment.objects.filter(application__in=applications, criterion__in=criteria)
    }
    candidates = [i.application.candidate_id for i in items]
    resumes: dict[int, Resume] = {}
    for resume in Resume.objects.filter(candidate__in=candidates).order_by("-created_at"):
        resumes.setdefault(resume.candidate_id, resume)
    result = []
    for item in items:
        review = getattr(item, "review", None)
        judged = {j.criterion_id: j.judgement for j in review.judgements.all()} if review else {}
        lines = []
        for criterion in criteria:
            assessment = assessments.get((item.application_id, criterion.pk))
            screened = bool(assessment and assessment.assessed_by_id)
            evidence = ""
            if assessment is not None:
                evidence = assessment.evidence if screened else assessment.suggested_evidence
            lines.append(
                CriterionLine(
                    criterion=criterion,
                    screen=effective_verdict(assessment) if assessment else Verdict.UNKNOWN,
                    screened=screened,
                    evidence=evidence,
                    judgement=judged.get(criterion.pk, ""),
                )
            )
        result.append(
            Card(
                item=item,
                lines=lines,
                resume=resumes.get(item.application.candidate_id),
                review=review,
                number=item.position + 1,
                musts=[line for line in lines if line.criterion.kind == "must"],
            )
        )
    return result


def judgements_as_screened(card: Card) -> dict[int, str]:
    """The manager agreeing with the screen: each must-have judged as the recruiter did."""
    return {line.criterion.pk: SCREEN_TO_JUDGEMENT[Verdict(line.screen)] for line in card.musts}
