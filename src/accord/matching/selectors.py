"""Reads for screening and ranking, scoped to what the member may see, in bounded queries."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.http import Http404

from accord.briefs.models import BriefVersion, Criterion
from accord.candidates.models import Candidate, CandidateSkill
from accord.matching import engine
from accord.matching.services import criterion_spec, effective_verdict, known_skill
from accord.matching.skills import TaxonomyFinder
from accord.pipeline.models import Application, Assessment
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member

APPLICANTS_SHOWN = 200
POOL_PREFILTER = 2000
POOL_SHOWN = 50


def application_get_for_member(member: Member, public_id: Any) -> Application:
    """One application of a requisition the member may see, or 404 (another workspace's too)."""
    requisitions = Requisition.objects.visible_to(member).values("pk")
    try:
        return (
            Application.objects.filter(workspace=member.workspace_id, requisition__in=requisitions)
            .select_related("candidate", "requisition", "stage", "workspace")
            .get(public_id=public_id, candidate__erased_at__isnull=True)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def criteria_of(version: BriefVersion) -> list[Criterion]:
    """Must-haves first, then nice-to-haves, each in the brief's order."""
    criteria = list(version.criteria.select_related("stage"))
    return engine.ordered_criteria(criteria, lambda c: c.kind)


@dataclass
class Row:
    """One criterion on the screen: the agreed definition, the suggestion, the verdict."""

    criterion: Criterion
    assessment: Assessment | None

    @property
    def verdict(self) -> str:
        return effective_verdict(self.assessment) if self.assessment else "unknown"

    @property
    def assessed(self) -> bool:
        return bool(self.assessment and self.assessment.assessed_by_id)

    @property
    def evidence(self) -> str:
        if self.assessment is None:
            return ""
        if self.assessed:
            return self.assessment.evidence
        return self.assessment.suggested_evidence

    @property
    def revision(self) -> int:
        return self.assessment.revision if self.assessment else 0


def screen_rows(application: Application, criteria: list[Criterion]) -> list[Row]:
    assessments = {
        a.criterion_id: a
        for a in Assessment.objects.filter(
            application=application, criterion__in=criteria
        ).select_related("assessed_by__user")
    }
    return [Row(c, assessments.get(c.pk)) for c in criteria]


@dataclass
class Ranked:
    application: Application
    match: engine.Match | None


def ranked_applicants(
    requisition: Requisition, criteria: list[Criterion]
) -> tuple[list[Ranked], int]:
    """The requisition's applications, best match first, with each one's explanation rebuilt
    from its assessments (two queries whatever the number); and how many there are in all."""
    applications = list(
        Application.objects.filter(requisition=requisition, candidate__erased_at__isnull=True)
        .select_related("candidate", "stage")
        .order_by(F("match_score").desc(nulls_last=True), "-created_at", "-id")[:APPLICANTS_SHOWN]
    )
    total = (
        len(applications)
        if len(applications) < APPLICANTS_SHOWN
        else Application.objects.filter(
            requisition=requisition, candidate__erased_at__isnull=True
        ).count()
    )
    by_application: dict[int, list[Assessment]] = defaultdict(list)
    if criteria:
        for a in Assessment.objects.filter(
            application__in=[a.pk for a in applications], criterion__in=criteria
        ).only("application_id", "criterion_id", "verdict", "suggested_verdict", "assessed_by_id"):
            by_application[a.application_id].append(a)
    specs = [criterion_spec(c) for c in criteria]
    ranked = []
    for application in applications:
        match = None
        if criteria and application.matched_at:
            verdicts = {
                str(a.criterion_id): effective_verdict(a) for a in by_application[application.pk]
            }
            match = engine.explain(specs, verdicts)
        ranked.append(Ranked(application, match))
    return ranked, total


def stale_applications(requisition: Requisition, version: BriefVersion) -> list[int]:
    """Applications whose cached match predates the brief in force (or was never computed)."""
    return list(
        Application.objects.filter(requisition=requisition, candidate__erased_at__isnull=True)
        .filter(Q(matched_at__isnull=True) | Q(matched_at__lt=version.signed_at))
        .values_list("pk", flat=True)
    )


@dataclass
class PoolMatch:
    candidate: Candidate
    match: engine.Match
    overlap: int


@dataclass
class Pool:
    matches: list[PoolMatch]
    skills: list[str]  # the brief's skills the pool was narrowed by
    considered: int  # candidates scored
    capped: bool  # more candidates had one of the skills than were scored
    unjudged: list[str]  # criteria the pool can't judge (no linked or named skills)


def pool_ranking(member: Member, requisition: Requisition, criteria: list[Criterion]) -> Pool:
    """Candidates of the workspace not yet in this requisition, ranked against its brief.

    Bounded: SQL narrows the pool to candidates with at least one of the brief's skills, the
    POOL_PREFILTER with the most of them; those are judged in Python from their stored skills
    (not their resumes: the stored skills already hold the years and the evidence)."""
    finder = TaxonomyFinder(requisition.workspace)
    specs = [engine.prepare(criterion_spec(c), finder) for c in criteria]
    refs: dict[str, str] = {}
    unjudged = []
    for spec in specs:
        needs = spec.skills or spec.terms
        if not needs:
            unjudged.append(spec.name)
        for need in needs:
            if need.ref:
                refs.setdefault(need.ref, need.label)
    if not refs:
        return Pool([], [], 0, False, unjudged)
    applied = Application.objects.filter(requisition=requisition).values("candidate")
    visible = Candidate.objects.visible_to(member).live().exclude(pk__in=applied)
    overlaps = list(
        CandidateSkill.objects.filter(ref__in=list(refs), candidate__in=visible.values("pk"))
        .values("candidate")
        .annotate(n=Count("ref"))
        .order_by("-n", "candidate")[: POOL_PREFILTER + 1]
    )
    capped = len(overlaps) > POOL_PREFILTER
    overlaps = overlaps[:POOL_PREFILTER]
    overlap = {row["candidate"]: row["n"] for row in overlaps}
    known: dict[int, list[CandidateSkill]] = defaultdict(list)
    for row in CandidateSkill.objects.filter(ref__in=list(refs), candidate__in=list(overlap)):
        known[row.candidate_id].append(row)
    years = dict(
        Candidate.objects.filter(pk__in=list(overlap)).values_list("pk", "years_experience")
    )
    scored = []
    for candidate_id, rows in known.items():
        value = years.get(candidate_id)
        profile = engine.Profile(
            known={r.ref: known_skill(r) for r in rows},
            years_total=float(value) if value is not None else None,
        )
        result = engine.judge(specs, profile)
        scored.append((result.match.score, overlap[candidate_id], -candidate_id, result.match))
    scored.sort(reverse=True)
    top = scored[:POOL_SHOWN]
    people = Candidate.objects.in_bulk([-cid for _, _, cid, _ in top])
    matches = [PoolMatch(people[-cid], match, n) for _, n, cid, match in top if -cid in people]
    return Pool(matches, list(refs.values()), len(overlap), capped, unjudged)
