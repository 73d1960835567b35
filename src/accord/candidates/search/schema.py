"""The full-text index, kept by the database itself in step with `Candidate.search_text`.

`search_text` is a short profile (name, email, headline, employer, location, skills, tags), the
separator SEPARATOR, then the body (the latest resume's text); `index.index_candidates` writes it.
Whatever writes the column (that function, a bulk import, an erasure), the database derives the
index from it:

- SQLite: the FTS5 table `candidates_search(profile, body)` (rowid = candidate id), filled by
  triggers on the candidate table. Porter stemming, diacritics folded.
- PostgreSQL: the stored generated column `candidates_candidate.search_document` (profile weight
  A, body weight D) with a GIN index, in the text search configuration `accord_search` (english
  stemming, accents folded with `unaccent` when the extension can be created), and a trigram
  index on UPPER(location) for "location contains" when `pg_trgm` can be created.

Neither is a Django field: the ORM never reads or writes them, only `backends` queries them.

SQLite drops a table's triggers, and the indexes Django doesn't know of, when Django rebuilds
the table (most AlterField/AddField operations on SQLite do). A migration that rebuilds
`candidates_candidate` must end with
`migrations.RunPython(schema.reinstall, migrations.RunPython.noop)`;
tests/candidates/test_search_index.py fails until it does.
"""

from typing import Final

from django.db import DatabaseError, OperationalError, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SEPARATOR: Final = "\x1e"  # ASCII record separator; index.clean strips it from every part
FTS_TABLE: Final = "candidates_search"  # the SQL below spells it out
PG_CONFIG: Final = "accord_search"

# Profile and body of search_text, as SQL: substr(x, 1, instr(x, char(30)) - 1) and
# substr(x, instr(x, char(30)) + 1). Without a separator the whole text is body, on both
# databases.
_SQLITE_TRIGGERS: Final = (
    """CREATE TRIGGER candidates_search_insert AFTER INSERT ON candidates_candidate BEGIN
        INSERT INTO candidates_search(rowid, profile, body) VALUES (
            new.id,
            substr(new.search_text, 1, instr(new.search_text, char(30)) - 1),
            substr(new.search_text, instr(new.search_text, char(30)) + 1));
    END""",
    """CREATE TRIGGER candidates_search_update AFTER UPDATE OF search_text ON candidates_candidate
    WHEN old.search_text IS NOT new.search_text BEGIN
        DELETE FROM candidates_search WHERE rowid = old.id;
        INSERT INTO candidates_search(rowid, profile, body) VALUES (
            new.id,
            substr(new.search_text, 1, instr(new.search_text, char(30)) - 1),
            substr(new.search_text, instr(new.search_text, char(30)) + 1));
    END""",
    """CREATE TRIGGER candidates_search_delete AFTER DELETE ON candidates_candidate BEGIN
        DELETE FROM candidates_search WHERE rowid = old.id;
    END""",
)
_SQLITE_FILL: Final = """
    INSERT INTO candidates_search(rowid, profile, body)
    SELECT id,
        substr(search_text, 1, instr(search_text, char(30)) - 1),
        substr(search_text, instr(search_text, char(30)) + 1)
    FROM candidates_candidate"""
# SQLite keeps a row's text inline, so a candidate row with its search_text fills a page and
# any scan of the table reads them all (0.4-0.6 s for 100,000 candidates). This partial index
# holds a workspace's live candidates in id order with the small filter columns, so the scope
# and the location, years and source filters are read from it alone, and FTS5's set of allowed
# ids is built in order (three times faster than from an index in another order).
_SQLITE_INDEXES: Final = {
    "candidates_live": "CREATE INDEX candidates_live ON candidates_candidate "
    "(workspace_id, id, location, years_experience, source) WHERE erased_at IS NULL",
}
SQLITE_INDEX_NAMES: Final = tuple(_SQLITE_INDEXES)
SQLITE_TRIGGER_NAMES: Final = (
    "candidates_search_insert",
    "candidates_search_update",
    "candidates_search_delete",
)

# Profile and body of search_text on PostgreSQL (the same split as SQLite's triggers).
PG_PROFILE: Final = (
    "CASE WHEN strpos(search_text, E'\\x1e') > 0 "
    "THEN left(search_text, strpos(search_text, E'\\x1e') - 1) ELSE '' END"
)
PG_BODY: Final = "substr(search_text, strpos(search_text, E'\\x1e') + 1)"


def _sqlite_install(schema_editor: BaseDatabaseSchemaEditor) -> None:
    try:
        schema_editor.execute(
            "CREATE VIRTUAL TABLE candidates_search USING fts5(profile, body, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
    except OperationalError as error:
        raise RuntimeError(
            "This SQLite has no FTS5, which candidate search needs. Use a Python whose sqlite3 "
            "module includes FTS5 (the python.org, Debian and Ubuntu builds do)."
        ) from error
    _sqlite_triggers(schema_editor)
    _sqlite_fill(schema_editor)


def _sqlite_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    for name in SQLITE_TRIGGER_NAMES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in _SQLITE_TRIGGERS:
        schema_editor.execute(statement)
    for name, statement in _SQLITE_INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(statement)


def _sqlite_fill(schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute("DELETE FROM candidates_search")
    schema_editor.execute(_SQLITE_FILL)


def _try_extension(schema_editor: BaseDatabaseSchemaEditor, name: str) -> bool:
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
    except DatabaseError:  # not installed, or not allowed: the caller carries on without
        return False
    return True


def _pg_install(schema_editor: BaseDatabaseSchemaEditor) -> None:
    # unaccent folds "José" to "jose" as SQLite's remove_diacritics does. It is a trusted
    # extension (a database owner may create it); without it search still works, accents kept.
    if _try_extension(schema_editor, "unaccent"):
        dictionaries = "unaccent, english_stem"
    else:
        dictionaries = "english_stem"
    schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = english)")
    schema_editor.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} "
        f"ALTER MAPPING FOR hword, hword_part, word WITH {dictionaries}"
    )
    schema_editor.execute(
        "ALTER TABLE candidates_candidate ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ("
        f"setweight(to_tsvector('{PG_CONFIG}'::regconfig, {PG_PROFILE}), 'A') || "
        f"setweight(to_tsvector('{PG_CONFIG}'::regconfig, {PG_BODY}), 'D')"
        ") STORED"
    )
    schema_editor.execute(
        "CREATE INDEX candidate_search_document ON candidates_candidate USING gin (search_document)"
    )
    # "Location contains" is UPPER(location) LIKE '%…%' (Django's icontains): a trigram index
    # answers it from the index (16 ms instead of a 200 ms scan of 100,000 candidates).
    # pg_trgm is trusted like unaccent; without it the filter still works, by scanning.
    if _try_extension(schema_editor, "pg_trgm"):
        schema_editor.execute(
            "CREATE INDEX candidate_location_trgm ON candidates_candidate "
            "USING gin (upper(location::text) gin_trgm_ops)"
        )


def install(schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _sqlite_install(schema_editor)
    elif vendor == "postgresql":
        _pg_install(schema_editor)


def uninstall(schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in SQLITE_TRIGGER_NAMES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for name in _SQLITE_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS candidates_search")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS candidate_location_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS candidate_search_document")
        schema_editor.execute(
            "ALTER TABLE candidates_candidate DROP COLUMN IF EXISTS search_document"
        )
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}")


def reinstall(apps: object, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """For a migration that rebuilt the candidate table on SQLite: triggers and indexes back,
    the full-text index refilled.

    A no-op on PostgreSQL, where the generated column survives ALTER TABLE."""
    if schema_editor.connection.vendor == "sqlite":
        _sqlite_triggers(schema_editor)
        _sqlite_fill(schema_editor)
