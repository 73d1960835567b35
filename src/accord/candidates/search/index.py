"""`Candidate.search_text`: what full-text search reads, rebuilt from the candidate's rows."""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import OuterRef, Subquery

from accord.candidates.models import Candidate, CandidateSkill, Resume
from accord.candidates.search.schema import SEPARATOR

# A resume longer than this is indexed by its start: search stays fast and the index small,
# and the first pages of a resume say what the person does.
BODY_LIMIT = 30_000
PROFILE_LIMIT = 4_000
CHUNK = 500

# Control characters never reach the index: SEPARATOR splits profile from body, and the
# snippet markers (\x02, \x03) must not occur in the text they mark.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def search_text(
    candidate: Candidate, *, skills: Iterable[str], tags: Iterable[str], resume_text: str
) -> str:
    """The profile lines, SEPARATOR, then the resume text."""
    lines = [
        candidate.name,
        candidate.email,
        candidate.headline,
        candidate.current_employer,
        candidate.location,
        ", ".join(skills),
        ", ".join(tags),
    ]
    profile = "\n".join(clean(line) for line in lines if line and clean(line))
    body = _BLANK_LINES.sub("\n\n", clean(resume_text))
    return f"{profile[:PROFILE_LIMIT]}\n{SEPARATOR}\n{body[:BODY_LIMIT]}"


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    iterator = iter(sorted(set(ids)))
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def index_candidates(ids: Iterable[int]) -> None:
    """Rebuild `search_text` for these candidates; the database updates its index from it.

    Call it after any write that changes what a candidate's search finds (profile fields,
    skills, tags, a new resume, a merge, an erasure), inside the same transaction. Four queries
    per 500 candidates whatever their size; ids that no longer exist are skipped (a deleted
    candidate's index entry goes with its row).
    """
    for chunk in _chunks(ids):
        _index_chunk(chunk)


def _index_chunk(ids: list[int]) -> None:
    latest_resume = Resume.objects.filter(candidate=OuterRef("pk")).order_by("-created_at", "-id")
    candidates = list(
        Candidate.objects.filter(pk__in=ids)
        .only("name", "email", "headline", "current_employer", "location", "search_text")
        .annotate(resume_text=Subquery(latest_resume.values("text")[:1]))
        .order_by()
    )
    if not candidates:
        return
    skills: dict[int, list[str]] = defaultdict(list)
    rows = CandidateSkill.objects.filter(candidate__in=ids).order_by("candidate", "label")
    for candidate_id, label in rows.values_list("candidate", "label"):
        skills[candidate_id].append(label)
    tags: dict[int, list[str]] = defaultdict(list)
    links = Candidate.tags.through.objects.filter(candidate__in=ids).order_by("tag__name")
    for candidate_id, name in links.values_list("candidate", "tag__name"):
        tags[candidate_id].append(name)
    changed = []
    for candidate in candidates:
        text = search_text(
            candidate,
            skills=skills[candidate.pk],
            tags=tags[candidate.pk],
            resume_text=candidate.resume_text or "",  # type: ignore[attr-defined]
        )
        if text != candidate.search_text:
            candidate.search_text = text
            changed.append(candidate)
    Candidate.objects.bulk_update(changed, ["search_text"], batch_size=100)
