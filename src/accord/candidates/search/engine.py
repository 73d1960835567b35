"""search_candidates: one page of the member's candidates for a text query and filters."""

import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Final
from urllib.parse import urlencode
from uuid import UUID

from django.db.models import Count, Prefetch, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accord.candidates.models import Candidate, CandidateQuerySet, CandidateSkill
from accord.candidates.search.backends import MARK_END, MARK_START, backend
from accord.candidates.search.query import TextQuery, parse
from accord.pipeline.models import Application
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member

PAGE_SIZE: Final = 25
MAX_PAGES: Final = 40  # 1,000 results: past that, a narrower search serves better than paging
COUNT_LIMIT: Final = 10_000  # counted exactly up to here, then "10,000+"
TOP_SKILLS: Final = 6


class Sort:
    RELEVANCE: Final = "relevance"
    NEWEST: Final = "newest"


@dataclass(frozen=True)
class SearchParams:
    """What to look for. Every field is optional; the defaults find every visible candidate."""

    q: str = ""
    skills: tuple[str, ...] = ()  # taxonomy refs or typed labels; all required
    location: str = ""  # contained in the candidate's location, any case
    years_min: Decimal | None = None
    years_max: Decimal | None = None
    requisition: UUID | None = None  # has an application in it
    stage: UUID | None = None  # an application in this stage (of `requisition`, if given)
    category: str = ""  # an application in a stage of this pipeline Category
    tags: tuple[str, ...] = ()  # tag names; all required
    source: str = ""  # a candidates.Source value
    sort: str = ""  # "" → relevance with a text query, newest without; or Sort.NEWEST
    page: int = 1

    def querystring(self, **changes: object) -> str:
        """These parameters as the search page's query string (without "?"), page 1 unless
        `page` is among the changes."""
        params = replace(self, **{"page": 1, **changes})  # type: ignore[arg-type]
        pairs: list[tuple[str, str]] = []
        if params.q:
            pairs.append(("q", params.q))
        if params.skills:
            pairs.append(("skills", ", ".join(params.skills)))
        if params.location:
            pairs.append(("location", params.location))
        if params.years_min is not None:
            pairs.append(("years_min", str(params.years_min)))
        if params.years_max is not None:
            pairs.append(("years_max", str(params.years_max)))
        if params.requisition:
            pairs.append(("requisition", str(params.requisition)))
        if params.stage or params.category:
            pairs.append(("stage", str(params.stage or params.category)))
        if params.tags:
            pairs.append(("tags", ", ".join(params.tags)))
        if params.source:
            pairs.append(("source", params.source))
        if params.sort:
            pairs.append(("sort", params.sort))
        if params.page > 1:
            pairs.append(("page", str(params.page)))
        return urlencode(pairs)

    @property
    def has_filters(self) -> bool:
        return bool(
            self.skills
            or self.location
            or self.years_min is not None
            or self.years_max is not None
            or self.requisition
            or self.stage
            or self.category
            or self.tags
            or self.source
        )


@dataclass(frozen=True)
class Hit:
    candidate: Candidate
    snippet: SafeString  # matched words in <mark>, the rest escaped; "" without a text query
    top_skills: list[CandidateSkill]
    applications: list[Application]  # only in requisitions the member may see


@dataclass(frozen=True)
class SearchResult:
    params: SearchParams
    text: TextQuery
    hits: list[Hit]
    total: int  # at most COUNT_LIMIT + 1
    page: int
    pages: int
    page_size: int = PAGE_SIZE
    sort: str = Sort.NEWEST

    @property
    def total_is_exact(self) -> bool:
        return self.total <= COUNT_LIMIT

    @property
    def first(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.hits else 0

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1 if self.hits else 0


def filtered(member: Member, params: SearchParams) -> CandidateQuerySet:
    """The member's live candidates that pass every filter of `params` (text aside)."""
    candidates = Candidate.objects.visible_to(member).live()
    engine = backend()
    if params.skills:
        refs, labels = _resolve_skills(member, params.skills)
        if refs:
            # One grouped subquery for all the known skills: the planners read the (ref,
            # candidate) index once instead of joining once per skill.
            having_all = (
                CandidateSkill.objects.filter(ref__in=refs)
                .values("candidate")
                .annotate(n=Count("ref", distinct=True))
                .filter(n=len(refs))
                .values("candidate")
            )
            candidates = candidates.filter(pk__in=having_all)
        for label in labels:
            named = CandidateSkill.objects.filter(Q(ref=label) | Q(label__iexact=label))
            candidates = candidates.filter(pk__in=named.values("candidate"))
    if params.location:
        candidates = candidates.filter(engine.contains("location", params.location))
    if params.years_min is not None:
        candidates = candidates.filter(years_experience__gte=params.years_min)
    if params.years_max is not None:
        candidates = candidates.filter(years_experience__lte=params.years_max)
    if params.requisition or params.stage or params.category:
        # Only applications the member may see count: a manager filtering on "Offer" must not
        # learn where a candidate stands in someone else's requisition.
        visible = Requisition.objects.visible_to(member).values("pk")
        applications = Application.objects.filter(requisition__in=visible)
        if params.requisition:
            applications = applications.filter(requisition__public_id=params.requisition)
        if params.stage:
            applications = applications.filter(stage__public_id=params.stage)
        if params.category:
            applications = applications.filter(stage__category=params.category)
        candidates = candidates.filter(pk__in=applications.values("candidate"))
    for tag in params.tags:
        tagged = Candidate.tags.through.objects.filter(
            tag__workspace=member.workspace_id, tag__name__iexact=tag
        ).values("candidate")
        candidates = candidates.filter(pk__in=tagged)
    if params.source:
        candidates = candidates.filter(source=params.source)
    return candidates


def _resolve_skills(member: Member, values: tuple[str, ...]) -> tuple[set[str], list[str]]:
    """Typed labels as taxonomy (or workspace) refs; labels nobody knows match by name."""
    from accord.skills.extract import matcher_for

    matcher = matcher_for(member.workspace)
    refs, unknown = set(), []
    for value in values:
        skill = matcher.get(value) or matcher.resolve(value)
        if skill is not None:
            refs.add(skill.ref)
        else:
            unknown.append(value)
    return refs, unknown


def search_candidates(member: Member, params: SearchParams) -> SearchResult:
    """A page of the candidates `member` may see that match `params`, best first.

    With text, ranked by relevance (profile matches above resume-only matches) with a snippet
    per hit; without, newest first. A bounded number of queries whatever the pool's size.
    """
    engine = backend()
    text = parse(params.q)
    candidates = filtered(member, params)
    sort = params.sort if text and params.sort == Sort.NEWEST else Sort.RELEVANCE
    if not text:
        sort = Sort.NEWEST
    matching = candidates.filter(engine.matches(text)) if text else candidates
    total = matching.order_by().values("pk")[: COUNT_LIMIT + 1].count()
    pages = max(1, min(MAX_PAGES, math.ceil(total / PAGE_SIZE)))
    page = min(max(1, params.page), pages)
    offset = (page - 1) * PAGE_SIZE
    if sort == Sort.RELEVANCE:
        ids = engine.ranked(candidates, text, offset=offset, limit=PAGE_SIZE) if total else []
    else:
        newest = matching.order_by("-created_at", "-pk").values_list("pk", flat=True)
        ids = list(newest[offset : offset + PAGE_SIZE])
    snippets = engine.snippets(text, ids) if text else {}
    loaded = {c.pk: c for c in _page(member, ids)}
    hits = [
        Hit(
            candidate=loaded[pk],
            snippet=highlight(snippets.get(pk, "")),
            top_skills=_top_skills(loaded[pk]),
            applications=loaded[pk].visible_applications,  # type: ignore[attr-defined]
        )
        for pk in ids
        if pk in loaded
    ]
    return SearchResult(
        params=params, text=text, hits=hits, total=total, page=page, pages=pages, sort=sort
    )


def _page(member: Member, ids: list[int]) -> list[Candidate]:
    if not ids:
        return []
    visible = Requisition.objects.visible_to(member).values("pk")
    applications = (
        Application.objects.filter(requisition__in=visible)
        .select_related("requisition", "stage")
        .order_by("-created_at")
    )
    return list(
        Candidate.objects.filter(pk__in=ids)
        .defer("search_text")
        .prefetch_related(
            "skills",
            "tags",
            Prefetch("applications", queryset=applications, to_attr="visible_applications"),
        )
    )


def _top_skills(candidate: Candidate) -> list[CandidateSkill]:
    """The skills with the most years first, then as the resume listed them."""
    skills = list(candidate.skills.all())
    skills.sort(key=lambda s: -(s.years or 0))
    return skills[:TOP_SKILLS]


_SPACES = re.compile(r"\s+")


_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")


def highlight(snippet: str) -> SafeString:
    """Escape the database's snippet, then turn its markers into <mark> elements.

    The markers are control characters that index.clean keeps out of every indexed text, so
    they can only come from the database; everything else is escaped, and a marker without
    its pair is dropped."""
    text = _SPACES.sub(" ", snippet.replace("\x1e", " ")).strip()
    marked = _MARKED.sub(r"<mark>\1</mark>", str(escape(text)))
    return mark_safe(  # noqa: S308 (escaped above; only paired markers become tags)
        marked.replace(MARK_START, "").replace(MARK_END, "")
    )
