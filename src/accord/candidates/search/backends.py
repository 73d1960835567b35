"""Full-text matching, ranking and snippets: the only code that knows which database it is on.

Both backends take the scoped, filtered candidate queryset and a parsed TextQuery, and answer
the same three questions; `engine` does everything else with the ORM.

Ranking: a match in the profile (name, headline, employer, location, skills, tags) counts ten
times a match in the resume body. SQLite: bm25() with column weights 10 and 1 over the FTS5
columns. PostgreSQL: ts_rank() over setweight A (profile) and D (body), with weights
{D=0.1, C=0.2, B=0.4, A=1.0}.
"""

from typing import Any, Final, Protocol

from django.db import connection
from django.db.models import BooleanField, CharField, F, FloatField, Func, Lookup, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Contains, IContains

from accord.candidates.models import Candidate
from accord.candidates.search.query import TextQuery
from accord.candidates.search.schema import FTS_TABLE, PG_BODY, PG_CONFIG, PG_PROFILE

MARK_START: Final = "\x02"
MARK_END: Final = "\x03"
SNIPPET_TOKENS: Final = 24


class Backend(Protocol):
    def contains(self, field: str, value: str) -> Lookup[Any]:
        """`field` contains `value`, ignoring case in any alphabet (not only A-Z)."""

    def matches(self, text: TextQuery) -> RawSQL:
        """A condition on candidates_candidate: the row matches the text."""

    def ranked(
        self, base: QuerySet[Candidate], text: TextQuery, *, offset: int, limit: int
    ) -> list[int]:
        """Ids of the matching candidates of `base`, best first."""

    def snippets(self, text: TextQuery, ids: list[int]) -> dict[int, str]:
        """A short passage per candidate with matches between MARK_START and MARK_END."""


def _preferred(body: str | None, profile: str | None) -> str:
    """The resume passage that matched, else the profile's: the page already shows the name,
    headline and skills, so a passage from the resume says more."""
    return body if body and MARK_START in body else (profile or "")


def _casefold(value: str | None) -> str | None:
    return value.casefold() if value is not None else None


class SQLiteBackend:
    def __init__(self) -> None:
        # SQLite's LIKE and lower() fold A-Z only; a Python function folds "ZÜR" to "zür" as
        # PostgreSQL's ILIKE does. Registering is cheap and idempotent, per connection.
        connection.ensure_connection()
        raw = connection.connection
        if raw is not None:
            raw.create_function("accord_casefold", 1, _casefold, deterministic=True)

    def contains(self, field: str, value: str) -> Lookup[Any]:
        if value.isascii():
            # LIKE folds A-Z itself, in C; an ASCII pattern can't match other letters anyway.
            return IContains(F(field), value)
        folded = Func(F(field), function="accord_casefold", output_field=CharField())
        return Contains(folded, value.casefold())

    def matches(self, text: TextQuery) -> RawSQL:
        return RawSQL(  # noqa: S611 (constants; the query is a parameter)
            f'"candidates_candidate"."id" IN (SELECT rowid FROM {FTS_TABLE} '  # noqa: S608 (constants only)
            f"WHERE {FTS_TABLE} MATCH %s)",
            [text.fts5()],
            output_field=BooleanField(),
        )

    def ranked(
        self, base: QuerySet[Candidate], text: TextQuery, *, offset: int, limit: int
    ) -> list[int]:
        # FTS5 drives: it finds the matches and scores them with bm25(), which needs the
        # MATCH's own cursor; the scope and filters come in as a set of allowed ids. The "+"
        # keeps that set from reaching FTS5 as a rowid constraint: FTS5 would then run the
        # whole query once per allowed id (seconds on a large pool) instead of once.
        scope, params = base.order_by().values("pk").query.sql_with_params()
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608 (constants and the ORM's own SQL)
            f"AND +rowid IN ({scope}) "
            f"ORDER BY bm25({FTS_TABLE}, 10.0, 1.0), rowid DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [text.fts5(), *params, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def snippets(self, text: TextQuery, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT rowid, snippet({FTS_TABLE}, 1, %s, %s, %s, %s), "  # noqa: S608 (constants and placeholders)
            f"snippet({FTS_TABLE}, 0, %s, %s, %s, %s) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})"
        )
        args: list[str | int] = [MARK_START, MARK_END, "…", SNIPPET_TOKENS]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*args, *args, text.fts5(), *ids])
            return {row[0]: _preferred(row[1], row[2]) for row in cursor.fetchall()}


class PostgreSQLBackend:
    def contains(self, field: str, value: str) -> Lookup[Any]:
        return IContains(F(field), value)

    def matches(self, text: TextQuery) -> RawSQL:
        tsquery, params = text.tsquery()
        return RawSQL(  # noqa: S611 (constants; the query is a parameter)
            f'"candidates_candidate"."search_document" @@ ({tsquery})',
            params,
            output_field=BooleanField(),
        )

    def ranked(
        self, base: QuerySet[Candidate], text: TextQuery, *, offset: int, limit: int
    ) -> list[int]:
        tsquery, params = text.tsquery()
        score = RawSQL(  # noqa: S611 (constants; the query's terms are parameters)
            "ts_rank('{0.1, 0.2, 0.4, 1.0}', "
            f'"candidates_candidate"."search_document", ({tsquery}))',
            params,
            output_field=FloatField(),
        )
        ordered = (
            base.filter(self.matches(text))
            .annotate(score=score)
            .order_by("-score", "-pk")
            .values_list("pk", flat=True)
        )
        return list(ordered[offset : offset + limit])

    def snippets(self, text: TextQuery, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        tsquery, params = text.tsquery()
        options = (
            f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords={SNIPPET_TOKENS}, '
            'MinWords=8, MaxFragments=2, FragmentDelimiter=" … "'
        )

        def headline(part: str) -> RawSQL:
            return RawSQL(  # noqa: S611 (constants; the query's terms are parameters)
                f"ts_headline('{PG_CONFIG}', {part}, ({tsquery}), %s)", [*params, options]
            )

        rows = Candidate.objects.filter(pk__in=ids).annotate(
            body_snippet=headline(PG_BODY), profile_snippet=headline(PG_PROFILE)
        )
        return {
            pk: _preferred(body, profile)
            for pk, body, profile in rows.values_list("pk", "body_snippet", "profile_snippet")
        }


def backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    return SQLiteBackend()
