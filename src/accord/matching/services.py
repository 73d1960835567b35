"""Screening against the brief: suggestions from the resume, the recruiter's verdicts, and the
explainable match cached on each application for sorting."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.audit.services import audit_record
from accord.briefs.models import BriefVersion, Criterion
from accord.candidates.models import CandidateSkill, Resume
from accord.candidates.parsing.result import ParsedResume
from accord.lib.conflicts import Conflict
from accord.matching import engine
from accord.matching.skills import TaxonomyFinder
from accord.pipeline.models import Application, Assessment, Verdict
from accord.requisitions.models import Requisition
from accord.workspaces.access import MANAGE_CANDIDATES, require
from accord.workspaces.models import Member

EVIDENCE_LIMIT = 1000
BATCH = 200  # applications judged per round of queries


# --- from models to the engine ----------------------------------------------------------------


def criterion_spec(criterion: Criterion) -> engine.CriterionSpec:
    return engine.CriterionSpec(
        key=str(criterion.pk),
        name=criterion.name,
        kind=criterion.kind,
        weight=criterion.weight,
        skills=tuple(
            engine.SkillNeed(
                label=str(s.get("label") or ""),
                ref=str(s.get("ref") or ""),
                min_years=float(s["min_years"]) if s.get("min_years") else None,
            )
            for s in criterion.skills
            if s.get("label")
        ),
        definition=criterion.definition,
    )


def known_skill(row: CandidateSkill) -> engine.Known:
    return engine.Known(
        ref=row.ref,
        label=row.label,
        years=float(row.years) if row.years is not None else None,
        evidence=row.evidence,
    )


def profile_from(
    *,
    resume: Resume | None,
    skills: Iterable[CandidateSkill],
    years: Decimal | float | None,
    finder: engine.SkillFinder | None,
) -> engine.Profile:
    """The engine's view of a candidate: the latest resume's text and work history, plus the
    stored skills (a recruiter's additions count as evidence too)."""
    work: Sequence[Any] = ()
    parsed_years: float | None = None
    if resume is not None and resume.parsed:
        try:
            parsed = ParsedResume.from_dict(resume.parsed)
        except (KeyError, TypeError, ValueError):
            parsed = None  # an older or partial parse: the text alone still serves
        if parsed is not None:
            work = parsed.work
            parsed_years = parsed.years_experience
    total = parsed_years if parsed_years is not None else (float(years) if years else None)
    return engine.build_profile(
        text=resume.text if resume else "",
        work=work,
        finder=finder,
        known=[known_skill(s) for s in skills],
        years_total=total,
    )


def effective_verdict(assessment: Assessment) -> str:
    """The recruiter's verdict once they gave one, else the system's suggestion."""
    return assessment.verdict if assessment.assessed_by_id else assessment.suggested_verdict


def match_for(criteria: Sequence[Criterion], assessments: Iterable[Assessment]) -> engine.Match:
    by_criterion = {a.criterion_id: effective_verdict(a) for a in assessments}
    specs = [criterion_spec(c) for c in criteria]
    return engine.explain(
        specs, {str(c.pk): by_criterion.get(c.pk, Verdict.UNKNOWN) for c in criteria}
    )


def _match_fields(match: engine.Match) -> dict[str, Any]:
    return {
        "must_met": match.must_met,
        "must_total": match.must_total,
        "nice_score": match.nice_score,
        "match_score": match.score,
        "matched_at": timezone.now(),
    }


def _cache_match(application: Application, match: engine.Match) -> None:
    # An UPDATE of the match columns only: a concurrent stage move (which bumps the
    # application's revision) is neither overwritten nor made to conflict.
    fields = _match_fields(match)
    Application.objects.filter(pk=application.pk).update(**fields)
    for name, value in fields.items():
        setattr(application, name, value)


# --- suggestions ------------------------------------------------------------------------------


def _latest_resumes(candidate_ids: Iterable[int]) -> dict[int, Resume]:
    latest: dict[int, Resume] = {}
    rows = Resume.objects.filter(candidate_id__in=list(candidate_ids)).order_by(
        "candidate_id", "-created_at", "-id"
    )
    for resume in rows.defer("file"):
        latest.setdefault(resume.candidate_id, resume)
    return latest


def refresh_suggestions(application_ids: Iterable[int]) -> int:
    """Suggest a verdict for every criterion of the brief in force for each application, from
    the candidate's latest resume and stored skills, and cache the match. A recruiter's own
    verdicts are kept; only the suggestions change. Returns how many applications were judged.

    Safe to run twice: each run rewrites the same suggestions."""
    ids = list(dict.fromkeys(application_ids))
    done = 0
    for start in range(0, len(ids), BATCH):
        done += _refresh_batch(ids[start : start + BATCH])
    return done


def _refresh_batch(ids: list[int]) -> int:
    applications = list(
        Application.objects.filter(pk__in=ids, candidate__erased_at__isnull=True).select_related(
            "candidate", "requisition__workspace"
        )
    )
    by_requisition: dict[int, list[Application]] = defaultdict(list)
    for application in applications:
        by_requisition[application.requisition_id].append(application)
    candidate_ids = {a.candidate_id for a in applications}
    resumes = _latest_resumes(candidate_ids)
    skills: dict[int, list[CandidateSkill]] = defaultdict(list)
    for row in CandidateSkill.objects.filter(candidate_id__in=candidate_ids):
        skills[row.candidate_id].append(row)
    done = 0
    for group in by_requisition.values():
        requisition = group[0].requisition
        version = _in_force(requisition)
        if version is None:
            continue
        criteria = list(version.criteria.all())
        finder = TaxonomyFinder(requisition.workspace)
        specs = [engine.prepare(criterion_spec(c), finder) for c in criteria]
        for application in group:
            candidate = application.candidate
            profile = profile_from(
                resume=resumes.get(candidate.pk),
                skills=skills.get(candidate.pk, []),
                years=candidate.years_experience,
                finder=finder,
            )
            suggestions = {
                c.pk: engine.suggest(spec, profile) for c, spec in zip(criteria, specs, strict=True)
            }
            _store(application, criteria, suggestions)
            done += 1
    return done


def _in_force(requisition: Requisition) -> BriefVersion | None:
    from accord.briefs.selectors import in_force

    return in_force(requisition)


@transaction.atomic
def _store(
    application: Application,
    criteria: Sequence[Criterion],
    suggestions: dict[int, engine.Suggestion],
) -> None:
    existing = {
        a.criterion_id: a
        for a in Assessment.objects.select_for_update().filter(
            application=application, criterion__in=criteria
        )
    }
    new, changed = [], []
    for criterion in criteria:
        suggestion = suggestions[criterion.pk]
        evidence = suggestion.evidence[:EVIDENCE_LIMIT]
        row = existing.get(criterion.pk)
        if row is None:
            row = Assessment(
                application=application,
                criterion=criterion,
                suggested_verdict=suggestion.verdict,
                suggested_evidence=evidence,
            )
            new.append(row)
            existing[criterion.pk] = row
        elif (row.suggested_verdict, row.suggested_evidence) != (suggestion.verdict, evidence):
            row.suggested_verdict, row.suggested_evidence = suggestion.verdict, evidence
            changed.append(row)
    Assessment.objects.bulk_create(new)
    Assessment.objects.bulk_update(changed, ["suggested_verdict", "suggested_evidence"])
    _cache_match(application, match_for(criteria, existing.values()))


@task()
def refresh_suggestions_task(application_ids: list[int]) -> int:
    """The worker's run of refresh_suggestions; enqueue it after the commit that made the
    applications, resumes or brief it should see."""
    return refresh_suggestions(application_ids)


def refresh_later(application_ids: Iterable[int]) -> None:
    """Queue suggestions for these applications once the current transaction commits."""
    ids = [int(i) for i in application_ids]
    if ids:
        transaction.on_commit(lambda: refresh_suggestions_task.enqueue(ids))


# --- the recruiter's verdicts -----------------------------------------------------------------


@transaction.atomic
def assessment_save(
    *,
    actor: Member,
    application: Application,
    criterion: Criterion,
    verdict: str,
    evidence: str,
    revision: int,
) -> Assessment:
    """The recruiter's verdict on one criterion, with their evidence. `revision` is the one the
    form showed (0 when no assessment existed yet); a stale one raises Conflict unchanged."""
    require(actor, MANAGE_CANDIDATES, application.workspace_id)
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose met, partly, not met or unknown.")})
    evidence = evidence.strip()
    if len(evidence) > EVIDENCE_LIMIT:
        raise ValidationError(
            {"evidence": _("Keep the evidence under %(n)s characters.") % {"n": EVIDENCE_LIMIT}}
        )
    version = _in_force(application.requisition)
    if version is None or criterion.version_id != version.pk:
        raise ValidationError(
            _("This criterion is not in the brief in force any more. Reload the screen.")
        )
    # Lock the application so two first saves of the same criterion can't both insert.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    current = Assessment.objects.filter(application=application, criterion=criterion).first()
    before = (current.verdict, current.evidence) if current and current.assessed_by_id else None
    if current is None:
        current = Assessment(application=application, criterion=criterion, revision=0)
    elif current.assessed_by_id and current.revision != revision:
        # Only a person's save conflicts: fresh suggestions never make a recruiter retype.
        raise Conflict(current)
    current.verdict = verdict
    current.evidence = evidence
    current.assessed_by = actor
    current.assessed_at = timezone.now()
    current.revision += 1
    if current.pk is None:
        current.save()
    else:
        current.save(
            update_fields=["verdict", "evidence", "assessed_by", "assessed_at", "revision"]
        )
    after = (verdict, evidence)
    if before != after:
        audit_record(
            actor=actor.user,
            workspace=application.workspace,
            action="assessment.saved",
            obj=application,
            changes={
                criterion.name[:80]: [
                    before[0] if before else None,
                    verdict,
                ]
            },
            # No candidate name: the audit log outlives an erasure.
            object_repr=f"{application.requisition.title} — {criterion.name}",
        )
    criteria = list(version.criteria.all())
    assessments = Assessment.objects.filter(application=application, criterion__in=criteria)
    _cache_match(application, match_for(criteria, assessments))
    return current
