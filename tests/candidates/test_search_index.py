"""index_candidates and the database objects that keep the full-text index in step."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accord.candidates.models import Candidate, CandidateSkill, Resume, Tag
from accord.candidates.search import SearchParams, index_candidates, search_candidates
from accord.candidates.search.index import BODY_LIMIT
from accord.candidates.search.schema import (
    SEPARATOR,
    SQLITE_INDEX_NAMES,
    SQLITE_TRIGGER_NAMES,
)
from accord.workspaces.models import Member, Workspace
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def resume(candidate: Candidate, text: str, *, days_ago: int = 0) -> Resume:
    return Resume.objects.create(
        candidate=candidate,
        original_name="cv.txt",
        kind="txt",
        size=len(text),
        sha256="0" * 64,
        text=text,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def found(member: Member, query: str) -> list[str]:
    return [h.candidate.name for h in search_candidates(member, SearchParams(q=query)).hits]


def test_search_text_is_the_profile_then_the_latest_resume(workspace: Workspace) -> None:
    candidate = CandidateFactory(
        workspace=workspace,
        name="Ana García",
        email="ana@example.com",
        headline="Site Reliability Engineer",
        current_employer="Acme",
        location="Madrid",
    )
    CandidateSkill.objects.create(candidate=candidate, ref="onet:terraform", label="Terraform")
    CandidateSkill.objects.create(candidate=candidate, ref="onet:go", label="Go")
    candidate.tags.add(Tag.objects.create(workspace=workspace, name="Silver medallist"))
    resume(candidate, "Old resume about COBOL.", days_ago=30)
    resume(candidate, "Current resume:\n\n\n\nrunning Kubernetes at scale.")
    index_candidates([candidate.pk])
    candidate.refresh_from_db()
    profile, body = candidate.search_text.split(SEPARATOR)
    assert profile.split("\n")[:-1] == [
        "Ana García",
        "ana@example.com",
        "Site Reliability Engineer",
        "Acme",
        "Madrid",
        "Go, Terraform",
        "Silver medallist",
    ]
    assert body.strip() == "Current resume:\n\nrunning Kubernetes at scale."


def test_control_characters_cannot_move_text_between_profile_and_body(
    workspace: Workspace, recruiter: Member
) -> None:
    candidate = CandidateFactory(workspace=workspace, name=f"Mallory{SEPARATOR}\x02Evil\x03")
    resume(candidate, f"body{SEPARATOR}more\x01text")
    index_candidates([candidate.pk])
    candidate.refresh_from_db()
    assert candidate.search_text.count(SEPARATOR) == 1
    assert "\x02" not in candidate.search_text
    assert "\x01" not in candidate.search_text
    [hit] = search_candidates(recruiter, SearchParams(q="evil ")).hits
    assert "<mark>Evil</mark>" in hit.snippet


def test_a_long_resume_is_indexed_by_its_start(workspace: Workspace) -> None:
    candidate = CandidateFactory(workspace=workspace)
    resume(candidate, "word " * BODY_LIMIT)
    index_candidates([candidate.pk])
    candidate.refresh_from_db()
    assert len(candidate.search_text.split(SEPARATOR)[1]) <= BODY_LIMIT + 1


def test_queries_are_bounded_and_unchanged_rows_are_not_written(
    workspace: Workspace, django_assert_num_queries
) -> None:
    candidates = CandidateFactory.create_batch(60, workspace=workspace)
    for candidate in candidates:
        CandidateSkill.objects.create(candidate=candidate, ref="onet:python", label="Python")
        resume(candidate, "Python developer")
    ids = [c.pk for c in candidates]
    with django_assert_num_queries(4):  # candidates with resume text, skills, tags, one UPDATE
        index_candidates(ids)
    with django_assert_num_queries(3):  # nothing changed: nothing written
        index_candidates(ids)
    with django_assert_num_queries(0):
        index_candidates([])
    with django_assert_num_queries(1):  # ids that no longer exist are skipped
        index_candidates([10**9])


def test_the_database_keeps_the_index_in_step_with_search_text(
    workspace: Workspace, recruiter: Member
) -> None:
    candidate = CandidateFactory(workspace=workspace, name="Zed Zebra")
    resume(candidate, "Kubernetes operator")
    index_candidates([candidate.pk])
    assert found(recruiter, "kubernetes ") == ["Zed Zebra"]
    # Any writer of search_text (an erasure clears it with an UPDATE) moves the index along.
    Candidate.objects.filter(pk=candidate.pk).update(search_text=f"Zed\n{SEPARATOR}\nlions")
    assert found(recruiter, "kubernetes ") == []
    assert found(recruiter, "lion ") == ["Zed Zebra"]
    # Indexing again restores it from the rows.
    index_candidates([candidate.pk])
    assert found(recruiter, "kubernetes ") == ["Zed Zebra"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 triggers are SQLite's")
def test_sqlite_index_rows_follow_inserts_and_deletes(workspace: Workspace) -> None:
    def rows() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM candidates_search")
            return int(cursor.fetchone()[0])

    before = rows()
    candidate = CandidateFactory(workspace=workspace)
    assert rows() == before + 1
    candidate.delete()
    assert rows() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 triggers are SQLite's")
def test_sqlite_triggers_and_indexes_survive_every_migration(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index')")
        present = {row[0] for row in cursor.fetchall()}
    missing = {*SQLITE_TRIGGER_NAMES, *SQLITE_INDEX_NAMES} - present
    assert not missing, (
        f"{sorted(missing)} are gone: a migration rebuilt candidates_candidate on "
        "SQLite. End that migration with "
        "migrations.RunPython(schema.reinstall, migrations.RunPython.noop) "
        "(accord.candidates.search.schema)."
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector is PostgreSQL's")
def test_postgresql_document_is_weighted_and_indexed(workspace: Workspace) -> None:
    candidate = CandidateFactory(workspace=workspace, name="Ana García")
    resume(candidate, "Kubernetes")
    index_candidates([candidate.pk])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_document::text FROM candidates_candidate WHERE id = %s", [candidate.pk]
        )
        document = cursor.fetchone()[0]
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'candidate_search_document'"
        )
        [indexdef] = cursor.fetchone()
        # "Location contains" (UPPER(location) LIKE …) can be answered by a trigram index (a
        # table this small would be scanned, so scans are ruled out to show the index fits).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM candidates_candidate WHERE UPPER(location::text) LIKE %s",
            ["%LISBON%"],
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "'garcia':2A" in document  # accents folded, profile weighted A
    assert re.search(r"'kubernet':\d+(?![A-D])", document)  # body: weight D, printed bare
    assert "gin (search_document)" in indexdef
    assert "candidate_location_trgm" in plan


@pytest.mark.django_db(transaction=True)
def test_the_migration_reverses_and_reapplies(workspace: Workspace, recruiter: Member) -> None:
    candidate = CandidateFactory(workspace=workspace, name="Kept Through Migrations")
    index_candidates([candidate.pk])
    call_command("migrate", "candidates", "0001", verbosity=0)
    call_command("migrate", "candidates", verbosity=0)
    # Existing rows are indexed when the migration runs.
    assert found(recruiter, "migrations ") == ["Kept Through Migrations"]
