"""A benchmark's own database: a SQLite file in its scratch folder, or a PostgreSQL database of
its own, selected through Accord's environment variables before Django starts."""

import os
from dataclasses import dataclass
from pathlib import Path

PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


@dataclass(frozen=True)
class ScratchDatabase:
    folder: Path
    pg_name: str

    def sqlite_file(self, size: int) -> Path:
        return self.folder / f"bench-{size}.sqlite3"

    def configure(self, db: str, size: int) -> None:
        """Point Accord's settings at the scratch database, with production-like settings."""
        self.folder.mkdir(exist_ok=True)
        url = f"sqlite:///{self.sqlite_file(size)}" if db == "sqlite" else self.pg_url
        os.environ["DATABASE_URL"] = url
        os.environ["ACCORD_VAR_DIR"] = str(self.folder / "var")
        os.environ["DJANGO_SETTINGS_MODULE"] = "accord.settings"
        os.environ["DEBUG"] = "false"  # DEBUG would keep every query in memory
        os.environ.setdefault(
            "SECRET_KEY", "bench-only-not-secret-0123456789-0123456789-0123456789"
        )
        os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
        os.environ["TASK_BACKEND"] = "immediate"
        os.environ.setdefault("EMAIL_HOST", "127.0.0.1")  # required with DEBUG off; none sent

    @property
    def pg_url(self) -> str:
        return f"{PG_SERVER}/{self.pg_name}"

    def reset(self, db: str, size: int) -> None:
        """Start from nothing: delete the SQLite file, or drop the PostgreSQL database."""
        if db == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_file(size)}{suffix}").unlink(missing_ok=True)
            return
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.pg_name}")

    def ensure_pg_database(self) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.pg_name]
            ).fetchone()
            if not found:
                conn.execute(f"CREATE DATABASE {self.pg_name}")


def analyzed(*, vacuum: bool = False) -> str:
    """Fresh planner statistics after a bulk load, and the database server's version. `vacuum`:
    on PostgreSQL, VACUUM too, the steady state autovacuum reaches within a minute of a load
    (visibility maps set), rather than the minute after it. Call once Django is set up."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0])
