"""Reads of pipelines: the board's columns, the list, one application, move histories.

Every read here runs a fixed number of queries however many applications a requisition has:
the board's counts come from one aggregate, and its first page of every column from one
windowed query.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict
from uuid import UUID

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_stubs_ext import WithAnnotations

from accord.candidates.models import Tag
from accord.pipeline.models import Application, Stage, StageMove, StageTemplate, TemplateStage
from accord.requisitions.models import Requisition
from accord.requisitions.selectors import requisitions_for
from accord.workspaces.access import scoped_get
from accord.workspaces.models import Member, Workspace

PAGE_SIZE = 30  # cards per column on the board, and per "Show more"
LIST_PAGE_SIZE = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

# Cards are shown oldest in stage first: the people who have waited longest need a decision
# first. The public id breaks ties (bulk moves give many the same time) without exposing pks.
CARD_ORDER = (F("stage_entered_at").asc(), F("public_id").asc())

LIST_ORDERS: dict[str, tuple[Any, ...]] = {
    "time": CARD_ORDER,
    "-time": (F("stage_entered_at").desc(), F("public_id").desc()),
    "match": (F("match_score").desc(nulls_last=True), *CARD_ORDER),
    "name": (Lower("candidate__name"), F("public_id").asc()),
}


class _Counted(TypedDict):
    n: int


type CountedStage = WithAnnotations[Stage, _Counted]


@dataclass
class Column:
    stage: Stage
    count: int
    cards: list[Application]
    loaded: bool  # closed columns start collapsed and unloaded
    more: bool

    @property
    def cursor(self) -> str:
        return cursor_of(self.cards[-1]) if self.cards else ""


def cursor_of(application: Application) -> str:
    """Where a column page ends: the last card's time in stage and public id."""
    micros = (application.stage_entered_at - _EPOCH) // _MICROSECOND
    return f"{micros}~{application.public_id}"


def parse_cursor(value: str) -> tuple[datetime, UUID] | None:
    micros, _sep, public_id = value.partition("~")
    try:
        return _EPOCH + int(micros) * _MICROSECOND, UUID(public_id)
    except (ValueError, OverflowError):
        return None


# What a card shows; loading only these keeps a board of hundreds of cards cheap to build.
CARD_FIELDS = (
    "public_id",
    "requisition_id",
    "stage_id",
    "stage_entered_at",
    "revision",
    "reason",
    "must_met",
    "must_total",
    "match_score",
    "candidate__public_id",
    "candidate__name",
    "candidate__headline",
)


def _with_card_data(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return (
        queryset.select_related("candidate")
        .only(*CARD_FIELDS)
        .prefetch_related(Prefetch("candidate__tags", queryset=Tag.objects.order_by(Lower("name"))))
    )


def stage_counts(requisition: Requisition) -> dict[int, int]:
    """Applications per stage pk, in one aggregate query."""
    rows = requisition.applications.order_by().values_list("stage").annotate(n=Count("id"))
    return dict(rows)


def _first_pages(requisition: Requisition, stage_ids: list[int]) -> Q:
    """Each stage's first PAGE_SIZE applications, as one condition whose cost doesn't grow
    with the requisition: every stage's page is read off the board index with a LIMIT.

    (A window function ranking every application of the shown stages costs time in proportion
    to them: 56 ms for 50,000 on SQLite, against 0.4 ms this way.)"""
    pages = [
        Application.objects.filter(requisition=requisition, stage=stage_id)
        .order_by(*CARD_ORDER)
        .values("pk")[:PAGE_SIZE]
        for stage_id in stage_ids
    ]
    if connection.features.supports_slicing_ordering_in_compound:  # PostgreSQL
        return Q(pk__in=pages[0].union(*pages[1:], all=True))
    # SQLite can't put a LIMIT inside a UNION, but runs "pk IN (…) OR pk IN (…)" as a
    # multi-index OR over the same per-stage LIMIT subqueries.
    return Q.create([("pk__in", p) for p in pages], connector=Q.OR)


def board_columns(requisition: Requisition, stages: Sequence[Stage]) -> list[Column]:
    """Every stage with its count and, for open stages, the first page of cards (two queries
    and a prefetch of tags). Closed stages (rejected, withdrawn) load when opened."""
    counts = stage_counts(requisition)
    shown = [s.pk for s in stages if not s.is_closed and counts.get(s.pk)]
    by_stage: dict[int, list[Application]] = defaultdict(list)
    if shown:
        page = Application.objects.filter(_first_pages(requisition, shown))
        for application in _with_card_data(page.order_by("stage", *CARD_ORDER)):
            by_stage[application.stage_id].append(application)
    columns = []
    for stage in stages:
        cards = by_stage.get(stage.pk, [])
        for card in cards:
            card.stage, card.requisition = stage, requisition
        count = counts.get(stage.pk, 0)
        loaded = not stage.is_closed
        columns.append(Column(stage, count, cards, loaded, loaded and count > len(cards)))
    return columns


def column_page(stage: Stage, after: str = "") -> Column:
    """The next page of one column after the cursor (the first page without one)."""
    queryset = Application.objects.filter(stage=stage)
    position = parse_cursor(after) if after else None
    if position is not None:
        entered, public_id = position
        queryset = queryset.filter(
            Q(stage_entered_at__gt=entered) | Q(stage_entered_at=entered, public_id__gt=public_id)
        )
    cards = list(_with_card_data(queryset.order_by(*CARD_ORDER))[: PAGE_SIZE + 1])
    for card in cards:
        card.stage, card.requisition = stage, stage.requisition
    return Column(stage, 0, cards[:PAGE_SIZE], True, len(cards) > PAGE_SIZE)


def application_list(
    requisition: Requisition,
    *,
    stage: Stage | None = None,
    tag: Tag | None = None,
    order: str = "time",
) -> QuerySet[Application]:
    """The list view's applications, filtered and sorted (paginate it)."""
    queryset = requisition.applications.select_related("stage")
    if stage is not None:
        queryset = queryset.filter(stage=stage)
    if tag is not None:
        queryset = queryset.filter(candidate__tags=tag)
    return _with_card_data(queryset.order_by(*LIST_ORDERS.get(order, CARD_ORDER)))


def application_get(requisition: Requisition, public_id: Any) -> Application:
    """One application of this requisition, or 404."""
    application = get_object_or_404(
        Application.objects.select_related("candidate", "stage").prefetch_related(
            "candidate__tags"
        ),
        requisition=requisition,
        public_id=public_id,
    )
    application.requisition = requisition
    return application


def applications_in(requisition: Requisition, public_ids: Iterable[UUID]) -> list[Application]:
    """The applications of this requisition among these ids; ids of others are left out."""
    applications = list(
        Application.objects.filter(requisition=requisition, public_id__in=list(public_ids))
        .select_related("candidate")
        .order_by("pk")
    )
    for application in applications:
        application.requisition = requisition
    return applications


def stage_get(requisition: Requisition, public_id: Any) -> Stage:
    stage = get_object_or_404(Stage, requisition=requisition, public_id=public_id)
    stage.requisition = requisition
    return stage


def moves_for(application_ids: Iterable[int]) -> dict[int, list[StageMove]]:
    """Each application's moves, newest first, in one query (for the candidate page)."""
    moves: dict[int, list[StageMove]] = defaultdict(list)
    rows = StageMove.objects.filter(application_id__in=list(application_ids)).select_related(
        "from_stage", "to_stage", "actor__user"
    )
    for move in rows:
        moves[move.application_id].append(move)
    return dict(moves)


def pipeline_summary(requisition: Requisition) -> list[CountedStage]:
    """The requisition's stages, each with `n` applications, in one query; empty until the
    pipeline is first opened (reading never creates stages)."""
    return list(Stage.objects.filter(requisition=requisition).annotate(n=Count("applications")))


def tags_of(workspace: Workspace) -> list[Tag]:
    """The workspace's tags, for the list's filter (a few dozen; one indexed query)."""
    return list(Tag.objects.filter(workspace=workspace))


def templates_for(workspace: Workspace) -> list[StageTemplate]:
    return list(
        StageTemplate.objects.filter(workspace=workspace).prefetch_related(
            Prefetch("stages", queryset=TemplateStage.objects.order_by("position", "id"))
        )
    )


def template_get(workspace: Workspace, public_id: Any) -> StageTemplate:
    return scoped_get(StageTemplate.objects.all(), workspace, public_id=public_id)


def template_stage_get(template: StageTemplate, pk: Any) -> TemplateStage:
    try:
        stage = template.stages.get(pk=int(pk))
    except (TemplateStage.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    stage.template = template
    return stage


def copy_sources(member: Member, requisition: Requisition, limit: int = 100) -> list[Requisition]:
    """Other requisitions the member sees whose pipeline is set up, newest first."""
    has_stages = Exists(Stage.objects.filter(requisition=OuterRef("pk")))
    return list(
        requisitions_for(member)
        .exclude(pk=requisition.pk)
        .filter(has_stages)
        .order_by("-created_at")[:limit]
    )
