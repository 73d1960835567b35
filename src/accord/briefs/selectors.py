"""Reads of briefs: which version is in force or in draft, and the definitions that apply."""

from django.db.models import Q

from accord.briefs.models import BriefVersion, GlossaryTerm
from accord.briefs.sections import QUESTIONS
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member

GLOSSARY_LIMIT = 500


def draft_of(requisition: Requisition) -> BriefVersion | None:
    return requisition.brief_versions.drafts().first()


def in_force(requisition: Requisition) -> BriefVersion | None:
    return requisition.brief_versions.signed().order_by("-number").first()


def versions_of(requisition: Requisition) -> list[BriefVersion]:
    """Every version, newest first, without the answers (lists and headers don't show them)."""
    return list(
        BriefVersion.objects.filter(requisition=requisition)
        .defer(*QUESTIONS, "field_edits", "carried_over")
        .order_by("-number")
    )


def in_force_and_draft(
    versions: list[BriefVersion],
) -> tuple[BriefVersion | None, BriefVersion | None]:
    """From `versions_of`: the signed version in force and the draft, either possibly absent."""
    return (
        next((v for v in versions if v.signed_at), None),
        next((v for v in versions if not v.signed_at), None),
    )


def glossary_for(requisition: Requisition) -> dict[str, GlossaryTerm]:
    """Agreed definitions that apply to this role, by lowercased term: the team's own definition
    wins over the workspace-wide one."""
    entries = (
        GlossaryTerm.objects.filter(workspace_id=requisition.workspace_id)
        .filter(Q(team="") | Q(team__iexact=requisition.team))
        .order_by("team")[:GLOSSARY_LIMIT]  # workspace-wide ("") first, overridden by the team's
    )
    return {entry.term.strip().lower(): entry for entry in entries}


def earlier_intakes(member: Member, requisition: Requisition) -> list[BriefVersion]:
    """The same managers' signed briefs for other roles the member may see, to start from."""
    managers = Requisition.hiring_managers.through.objects.filter(requisition=requisition)
    roles = Requisition.hiring_managers.through.objects.filter(
        member__in=managers.values("member")
    ).values("requisition")
    return list(
        BriefVersion.objects.signed()
        .filter(requisition__in=roles)
        .filter(requisition__in=Requisition.objects.visible_to(member).values("pk"))
        .exclude(requisition=requisition)
        .select_related("requisition")
        .only("public_id", "number", "requisition__title", "signed_at")
        .order_by("-signed_at")[:5]
    )
