"""What a person types in the search box, parsed once and rendered safely for each database.

The syntax is a search engine's: words (all required), "quoted phrases", OR between two terms,
-word to exclude, and the last word as a prefix while it is being typed ("kube" finds
Kubernetes). Nothing a person types reaches FTS5 MATCH or to_tsquery as syntax: FTS5 gets
every term as a quoted string built from letters and digits only, PostgreSQL gets each term as
a bound parameter of phraseto_tsquery (or `word:*` for the prefix, again letters and digits
only).

English stop words are dropped on both databases (PostgreSQL would ignore them anyway), so a
query of only "the" or "it" is no text query at all, on both.
"""

import re
from dataclasses import dataclass
from typing import Final

from accord.candidates.search.schema import PG_CONFIG

MAX_LENGTH: Final = 200
MAX_TERMS: Final = 12
PREFIX_MIN: Final = 3  # "p*" would read every word starting with p: not worth the wait

# PostgreSQL's english.stop (Snowball), lower case.
STOP_WORDS: Final = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which who
    whom this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now""".split()  # noqa: SIM905 (reads as the list it is)
)

_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    raw: str  # as typed (PostgreSQL parses it the way it parsed the documents)
    words: tuple[str, ...]  # letters and digits only (what FTS5 receives)
    phrase: bool = False
    prefix: bool = False

    def fts5(self) -> str:
        quoted = '"' + " ".join(self.words) + '"'
        return quoted + " *" if self.prefix else quoted

    def tsquery(self) -> tuple[str, list[str]]:
        if self.prefix:
            return f"to_tsquery('{PG_CONFIG}', %s)", [self.words[0] + ":*"]
        return f"phraseto_tsquery('{PG_CONFIG}', %s)", [self.raw]


Clause = tuple[Term, ...]  # alternatives: any one matches


@dataclass(frozen=True)
class TextQuery:
    include: tuple[Clause, ...] = ()  # all required
    exclude: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.include)

    @property
    def words(self) -> list[str]:
        return [w for clause in self.include for term in clause for w in term.words]

    def fts5(self) -> str:
        """An FTS5 MATCH expression; only quoted strings, parentheses, AND, OR, NOT and *."""
        parts = []
        for clause in self.include:
            alternatives = [term.fts5() for term in clause]
            parts.append(alternatives[0] if len(clause) == 1 else f"({' OR '.join(alternatives)})")
        expression = " AND ".join(parts)
        if self.exclude:
            excluded = " OR ".join(term.fts5() for term in self.exclude)
            expression = f"({expression}) NOT ({excluded})"
        return expression

    def tsquery(self) -> tuple[str, list[str]]:
        """A tsquery expression in SQL with its parameters."""
        params: list[str] = []

        def render(term: Term) -> str:
            sql, values = term.tsquery()
            params.extend(values)
            return sql

        parts = []
        for clause in self.include:
            alternatives = [render(term) for term in clause]
            parts.append(alternatives[0] if len(clause) == 1 else f"({' || '.join(alternatives)})")
        expression = " && ".join(parts)
        if self.exclude:
            excluded = " || ".join(render(term) for term in self.exclude)
            expression = f"({expression}) && !!({excluded})"
        return expression, params


def _term(raw: str, *, phrase: bool) -> Term | None:
    words = tuple(_WORD.findall(raw))
    if not words or all(w.lower() in STOP_WORDS for w in words):
        return None
    return Term(raw=raw, words=words, phrase=phrase or len(words) > 1)


def parse(text: str) -> TextQuery:
    """Parse the search box. Never raises; what can't be understood is left out."""
    text = _CONTROL.sub(" ", text[:MAX_LENGTH])  # PostgreSQL refuses NUL in any text
    include: list[list[Term]] = []
    exclude: list[Term] = []
    join_next = False
    last: Term | None = None
    for match in _CHUNK.finditer(text):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        last = None  # only a term from the final chunk may become a prefix
        if bare == "OR":
            join_next = bool(include)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        term = _term(quoted if quoted is not None else bare, phrase=quoted is not None)
        if term is None:
            join_next = False
            continue
        if negated:
            exclude.append(term)
        elif join_next:
            include[-1].append(term)
            last = term
        else:
            include.append([term])
            last = term
        join_next = False
        if len(include) + len(exclude) >= MAX_TERMS:
            break
    # The last word, still being typed, matches as a prefix.
    still_typing = text and not text[-1].isspace() and text[-1] != '"'
    if still_typing and last is not None and not last.phrase and include and last in include[-1]:
        word = last.words[0]
        if len(word) >= PREFIX_MIN and last.raw == word:
            include[-1][include[-1].index(last)] = Term(raw=word, words=(word,), prefix=True)
    return TextQuery(include=tuple(tuple(c) for c in include), exclude=tuple(exclude))
