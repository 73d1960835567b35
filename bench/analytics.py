"""The analytics page, its CSV and the records behind a figure, at 1,000 and 5,000 requisitions.

Builds a scratch database (never the one Accord runs on) with one workspace: N requisitions
opened over the last 400 days, about 60 % filled, each with 1–2 of 50 hiring managers, one of
10 recruiters and 7 teams, about 20 applications moving through the pipeline, review
commitments and, for each hire, an answered post-hire survey (bench/analytics_data.py). Then,
signed in as a recruiter through Django's test client (the whole request: middleware, session,
templates, charts), times each page over the last 12 months:

- the figures alone (`analytics_for`), per manager;
- the page for everyone by month, per manager, per team by quarter;
- the CSV per recruiter;
- the records behind one figure (everyone's submitted → interview over the range).

    .venv/bin/python bench/analytics.py sqlite   [--requisitions 1000] [--repeat 7] [--rebuild]
    .venv/bin/python bench/analytics.py postgres [--requisitions 1000] [--repeat 7] [--rebuild]

SQLite: /tmp/analytics-bench/bench-N.sqlite3. PostgreSQL: the database accord_bench_analytics_N
on $BENCH_PG (default postgres://postgres@127.0.0.1:5432), created if missing. A database
holding the same number of requisitions is reused; --rebuild starts again. Results go to
/tmp/analytics-bench/results-DB-N.json.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
from bench.analytics_data import build  # noqa: E402 (after the path is set)
from bench.scratch import ScratchDatabase, analyzed  # noqa: E402 (after the path is set)

SCRATCH = Path("/tmp/analytics-bench")  # noqa: S108 (a throwaway benchmark folder, by design)
SLUG = "bench-analytics"
RECRUITERS = 10
MANAGERS = 50
APPLICATIONS = (14, 26)


def populate(size: int) -> Any:
    from django.db import transaction
    from django.utils import timezone

    from accord.people.models import User
    from accord.requisitions.models import Requisition
    from accord.workspaces.models import Member, Role, Workspace

    existing = Workspace.objects.filter(slug=SLUG).first()
    if existing is not None:
        count = Requisition.objects.filter(workspace=existing).count()
        if count != size:
            raise SystemExit(f"the scratch database holds {count} requisitions: use --rebuild")
        print(f"reusing the workspace with {count} requisitions")
        return existing
    started = time.perf_counter()
    with transaction.atomic():
        workspace = Workspace.objects.create(
            name="Bench Analytics", slug=SLUG, time_zone="Europe/Berlin"
        )

        def people(role: str, prefix: str, n: int) -> list[Member]:
            users = User.objects.bulk_create(
                User(
                    email=f"{prefix}{i}@bench.example",
                    display_name=f"{prefix.title()} {i}",
                    password="!",  # noqa: S106 (an unusable hash; the bench signs in by session)
                )
                for i in range(n)
            )
            return Member.objects.bulk_create(
                Member(workspace=workspace, user=u, role=role) for u in users
            )

        recruiters = people(Role.RECRUITER, "recruiter", RECRUITERS)
        managers = people(Role.HIRING_MANAGER, "manager", MANAGERS)
        build(workspace, recruiters, managers, size, applications=APPLICATIONS, now=timezone.now())
    print(f"built {size} requisitions in {time.perf_counter() - started:.1f} s")
    return workspace


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "min_ms": round(ordered[0] * 1000, 1),
    }


def measure(workspace: Any, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from accord.analytics.figures import Filters, analytics_for
    from accord.workspaces.models import Member, Role

    today = timezone.localdate()
    start = (today - timedelta(days=365)).replace(day=1)
    query = f"start={start}&end={today}"
    recruiter = Member.objects.filter(workspace=workspace, role=Role.RECRUITER).first()
    assert recruiter is not None  # noqa: S101 (populate made ten)
    client = Client()
    client.force_login(recruiter.user)
    index = reverse("analytics:index", args=[workspace.slug])
    pages = {
        "page, everyone by month": f"{index}?{query}",
        "page, per manager": f"{index}?{query}&by=manager",
        "page, per team by quarter": f"{index}?{query}&by=team&grain=quarter",
        "CSV, per recruiter": reverse("analytics:export", args=[workspace.slug])
        + f"?{query}&by=recruiter",
        "records, submitted → interview": reverse("analytics:records", args=[workspace.slug])
        + f"?{query}&figure=submit&group=all&period=all",
    }
    results: dict[str, Any] = {}
    filters = Filters(start=start, end=today, by="manager")
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        analytics = analytics_for(workspace, filters)
        timings.append(time.perf_counter() - began)
    total = analytics.cell(analytics.groups[0].key, "all")
    with CaptureQueriesContext(connection) as captured:
        analytics_for(workspace, filters)
    results["figures per manager"] = {
        **summary(timings),
        "queries": len(captured.captured_queries),
        "groups": len(analytics.groups),
        "first group filled": total.filled,
    }
    print("figures per manager", results["figures per manager"])
    for name, url in pages.items():
        client.get(url)  # warm: matplotlib's import and font cache, the session
        timings = []
        for _ in range(repeat):
            began = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - began)
            assert response.status_code == 200, (url, response.status_code)  # noqa: S101
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        results[name] = {
            **summary(timings),
            "queries": len(captured.captured_queries),
            "bytes": len(response.content),
        }
        print(name, results[name])
    return results


def counts(workspace: Any) -> dict[str, int]:
    from accord.nudges.models import Commitment
    from accord.partnerships.models import Survey
    from accord.pipeline.models import Application, StageMove
    from accord.requisitions.models import Requisition

    return {
        "requisitions": Requisition.objects.filter(workspace=workspace).count(),
        "filled": Requisition.objects.filter(workspace=workspace, status="filled").count(),
        "applications": Application.objects.filter(workspace=workspace).count(),
        "stage moves": StageMove.objects.filter(application__workspace=workspace).count(),
        "commitments": Commitment.objects.filter(workspace=workspace).count(),
        "surveys": Survey.objects.filter(workspace=workspace).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("database", choices=["sqlite", "postgres"])
    parser.add_argument("--requisitions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    scratch = ScratchDatabase(SCRATCH, f"accord_bench_analytics_{args.requisitions}")
    scratch.configure(args.database, args.requisitions)
    if args.rebuild:
        scratch.reset(args.database, args.requisitions)
    if args.database == "postgres":
        scratch.ensure_pg_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages name hashed files
    workspace = populate(args.requisitions)
    version = analyzed()
    print(f"{args.database} {version}, {args.requisitions} requisitions")
    results: dict[str, Any] = {
        "database": f"{args.database} {version}",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_before": os.getloadavg(),
        "data": counts(workspace),
    }
    print(results["data"])
    results["timings"] = measure(workspace, args.repeat)
    results["load_after"] = os.getloadavg()
    out = SCRATCH / f"results-{args.database}-{args.requisitions}.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"results in {out}")


if __name__ == "__main__":
    main()
