"""Reads of candidates, scoped to what the member may see."""

from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from accord.candidates.models import Candidate, CandidateEvent, CandidateQuerySet, Resume
from accord.requisitions.models import Requisition
from accord.workspaces.access import MANAGE_CANDIDATES
from accord.workspaces.models import Member, Role

HISTORY_LIMIT = 50


def candidates_for(member: Member) -> CandidateQuerySet:
    return Candidate.objects.visible_to(member)


def candidate_get_for_member(member: Member, public_id: Any, *, write: bool = False) -> Candidate:
    """One candidate the member may see (and, with write, change), or 404.

    Another workspace's candidate, or one outside a manager's requisitions, is a 404; so is
    an erased candidate when asked for writing.
    """
    if write and not member.can(MANAGE_CANDIDATES):
        raise Http404
    found = candidates_for(member)
    if write:  # an erased candidate takes no new data: it could never be erased again
        found = found.live()
    try:
        return (
            found.select_related("workspace", "created_by__user")
            .prefetch_related("tags")
            .get(public_id=public_id)
        )
    except Candidate.DoesNotExist:
        raise Http404 from None


def resumes_of(candidate: Candidate) -> list[Resume]:
    """The candidate's resumes, newest first, without their (long) text."""
    return list(candidate.resumes.defer("text").select_related("uploaded_by__user"))


def profile_for_page(candidate: Candidate, member: Member) -> dict[str, Any]:
    """Everything the candidate page shows to the member, in a fixed number of queries."""
    from accord.pipeline.models import Application, StageMove

    applications = list(
        Application.objects.filter(candidate=candidate)
        .select_related("requisition", "stage")
        .prefetch_related(
            Prefetch(
                "moves",
                queryset=StageMove.objects.select_related("from_stage", "to_stage", "actor__user"),
            )
        )
        .order_by("-created_at")
    )
    profile = {
        "applications": applications,
        "resumes": resumes_of(candidate),
        "skills": list(candidate.skills.all()),
        "notes": list(candidate.notes.select_related("author__user")[:HISTORY_LIMIT]),
        "events": list(candidate.events.select_related("actor__user")[:HISTORY_LIMIT]),
    }
    _hide_other_requisitions(member, profile)
    return profile


def _hide_other_requisitions(member: Member, context: dict[str, Any]) -> None:
    """A manager or interviewer sees a candidate through their own requisitions: the others the
    candidate is in are not disclosed, in the pipeline list or in the history."""
    if member.role in (Role.ADMIN, Role.RECRUITER):  # they see every requisition
        return
    ids = {a.requisition_id for a in context["applications"]}
    visible = dict(
        Requisition.objects.visible_to(member).filter(pk__in=ids).values_list("pk", "public_id")
    )
    pks, public_ids = set(visible), {str(public_id) for public_id in visible.values()}
    context["applications"] = [a for a in context["applications"] if a.requisition_id in pks]
    context["events"] = [
        e
        for e in context["events"]
        if e.kind != CandidateEvent.Kind.APPLIED or e.details.get("requisition") in public_ids
    ]
