"""A candidate's data as JSON: what a subject access request returns."""

from typing import Any

from django.utils import timezone

from accord.candidates.models import Candidate


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else value


def candidate_data(candidate: Candidate) -> dict[str, Any]:
    """Every field Accord holds about the person, with their resumes, notes, history,
    applications, stage moves and screening verdicts."""
    from accord.pipeline.models import Application

    applications = (
        Application.objects.filter(candidate=candidate)
        .select_related("requisition", "stage")
        .prefetch_related("moves__to_stage", "moves__from_stage", "assessments__criterion")
    )
    return {
        "format": "accord.candidate/1",
        "exported_at": timezone.now().isoformat(),
        "workspace": candidate.workspace.name,
        "candidate": {
            "id": str(candidate.public_id),
            "name": candidate.name,
            "email": candidate.email,
            "phone": candidate.phone,
            "location": candidate.location,
            "links": candidate.links,
            "headline": candidate.headline,
            "current_employer": candidate.current_employer,
            "years_experience": (
                float(candidate.years_experience)
                if candidate.years_experience is not None
                else None
            ),
            "source": candidate.source,
            "source_detail": candidate.source_detail,
            "tags": [tag.name for tag in candidate.tags.all()],
            "consent_given_at": _iso(candidate.consent_given_at),
            "consent_note": candidate.consent_note,
            "retain_until": _iso(candidate.retain_until),
            "created_at": _iso(candidate.created_at),
            "updated_at": _iso(candidate.updated_at),
        },
        "skills": [
            {"skill": s.label, "ref": s.ref, "evidence": s.evidence, "origin": s.origin}
            for s in candidate.skills.all()
        ],
        "resumes": [
            {
                "file_name": r.original_name,
                "kind": r.kind,
                "size": r.size,
                "uploaded_at": _iso(r.created_at),
                "text": r.text,
                "parsed": r.parsed,
            }
            for r in candidate.resumes.all()
        ],
        "notes": [
            {"at": _iso(n.created_at), "author": str(n.author or ""), "note": n.body}
            for n in candidate.notes.select_related("author__user")
        ],
        "history": [
            {"at": _iso(e.at), "event": e.kind, "summary": e.summary}
            for e in candidate.events.all()
        ],
        "applications": [
            {
                "requisition": a.requisition.title,
                "stage": a.stage.name,
                "applied_at": _iso(a.created_at),
                "reason": a.get_reason_display() if a.reason else "",
                "reason_note": a.reason_note,
                "moves": [
                    {
                        "at": _iso(m.at),
                        "from": m.from_stage.name if m.from_stage else None,
                        "to": m.to_stage.name,
                        "reason": m.reason,
                        "note": m.note,
                    }
                    for m in a.moves.all()
                ],
                "screening": [
                    {
                        "criterion": s.criterion.name,
                        "verdict": s.verdict,
                        "evidence": s.evidence,
                    }
                    for s in a.assessments.all()
                ],
            }
            for a in applications
        ],
    }
