"""The search box's parser: what people type never reaches the databases as syntax."""

import re
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.candidates.search import SearchParams, search_candidates
from accord.candidates.search.query import MAX_TERMS, parse
from accord.workspaces.models import Member

# Everything FTS5 may receive: quoted runs of letters and digits, an optional prefix star, and
# the operators we put between them.
FTS5_TOKEN = re.compile(r'"[^\W_]+(?: [^\W_]+)*"(?: \*)?|\(|\)|AND|OR|NOT')


def fts5_tokens(expression: str) -> list[str]:
    return re.findall(r'"[^"]*"(?: \*)?|\(|\)|\S+', expression)


@pytest.fixture(scope="module")
def fts5() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize = 'porter unicode61')")
    db.execute("INSERT INTO t VALUES ('kubernetes python', 'machine learning')")
    return db


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("python", '"python" *'),
        ("python ", '"python"'),
        ("py", '"py"'),  # too short to be a prefix: it would read half the index
        ("go developer", '"go" AND "developer" *'),
        ('"machine learning" kube', '"machine learning" AND "kube" *'),
        ('"machine learning"', '"machine learning"'),
        ('"unterminated phrase', '"unterminated phrase"'),
        ("python OR go ", '("python" OR "go")'),
        ("rust python OR go ", '"rust" AND ("python" OR "go")'),
        ("OR python ", '"python"'),
        ("python OR ", '"python"'),
        ('kubernetes -java -"spring boot" ', '("kubernetes") NOT ("java" OR "spring boot")'),
        ("node.js ", '"node js"'),
        ("c++ ", '"c"'),
        ("the head of engineering ", '"head" AND "engineering"'),
        ('"head of engineering"', '"head of engineering"'),
        ("josé mül", '"josé" AND "mül" *'),
        ("python the", '"python"'),  # the last word typed is a stop word: no prefix
        ('NEAR(a b) ^c name:x "', '"NEAR a" AND "b" AND "c" AND "name x"'),
    ],
)
def test_parse_renders_fts5(typed: str, expected: str) -> None:
    assert parse(typed).fts5() == expected


@pytest.mark.parametrize("typed", ["", "   ", "the", "it is", "OR", "-java", '""', "*", "()"])
def test_nothing_to_search_for(typed: str) -> None:
    assert not parse(typed)


def test_postgresql_gets_each_term_as_a_parameter() -> None:
    sql, params = parse('node.js "machine learning" OR ai -java kube').tsquery()
    phrase, prefix = "phraseto_tsquery('accord_search', %s)", "to_tsquery('accord_search', %s)"
    assert sql == f"({phrase} && ({phrase} || {phrase}) && {prefix}) && !!({phrase})"
    assert params == ["node.js", "machine learning", "ai", "kube:*", "java"]


def test_terms_are_capped() -> None:
    query = parse(" ".join(f"word{n}" for n in range(50)))
    assert len(query.include) == MAX_TERMS


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=120))
def test_any_text_renders_only_quoted_terms_and_our_operators(
    fts5: sqlite3.Connection, typed: str
) -> None:
    query = parse(typed)
    if not query:
        return
    expression = query.fts5()
    assert all(FTS5_TOKEN.fullmatch(token) for token in fts5_tokens(expression)), expression
    fts5.execute("SELECT rowid FROM t WHERE t MATCH ?", [expression]).fetchall()
    _, params = query.tsquery()
    assert all("\x00" not in p for p in params)
    assert all(p.endswith(":*") is False or re.fullmatch(r"[^\W_]+:\*", p) for p in params)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.sampled_from([*"abcé \"()*:-!&|<>^+.'\\\x00 ", "OR", "NOT", "AND", "kube", " "]),
        max_size=16,
    ).map("".join)
)
def test_the_database_accepts_whatever_is_typed(recruiter: Member, typed: str) -> None:
    result = search_candidates(recruiter, SearchParams(q=typed))
    assert result.total == 0
