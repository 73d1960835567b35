"""The pipeline board and list of a requisition with 5,000 applications: p50/p95 and queries.

Builds a scratch database (never the one Accord runs on) with a workspace whose requisition under
test has N applications (default 5,000) spread over the Standard stages like a real funnel (most
sourced, screened or rejected; a few at offer), a third of the candidates tagged, most with a
cached match, plus five other requisitions of 2,000 applications each so the tables aren't
trivially small. Every page then runs RUNS times through Django's test client, as a browser
would call it (middleware, session, templates); the query count of each is taken once.

    .venv/bin/python bench/board.py sqlite   [--applications 5000] [--runs 50] [--rebuild]
    .venv/bin/python bench/board.py postgres [--applications 5000] [--runs 50] [--rebuild]

SQLite: /tmp/board-bench/bench-N.sqlite3. PostgreSQL: the database accord_bench_board on
$BENCH_PG (default postgres://postgres@127.0.0.1:5432), created if missing. A database already
holding the same data is reused; --rebuild starts again. Static files are collected once into
/tmp/board-bench/var so the pages render with the production storage (DEBUG off).
"""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
from bench.scratch import ScratchDatabase, analyzed  # noqa: E402 (after the path is set)

SCRATCH = Path("/tmp/board-bench")  # noqa: S108 (a throwaway benchmark folder, by design)
PG_NAME = "accord_bench_board"
OTHER_REQUISITIONS = 5
OTHER_SIZE = 2_000

# Share of applications per stage of the Standard template, like a funnel part-way through.
FUNNEL = [30, 15, 5, 4, 4, 2, 1, 0.2, 35, 3.8]
FIRST = "Ada Alan Amara Bruno Camille Chen Dev Elena Emeka Grace Hana Ivan Jana Kai Lea Maya Omar"
LAST = "Abbott Bauer Costa Dubois Eriksson Fischer Haddad Ito Kumar Lopez Novak Okafor Patel Rossi"
TAGS = ["Silver medallist", "Referral", "Relocating", "Python", "Visa needed"]


SCRATCH_DB = ScratchDatabase(SCRATCH, PG_NAME)


def fill(requisition: Any, n: int, tags: list[Any], rng: random.Random) -> None:
    """n applications of new candidates over the requisition's stages, in bulk."""
    from django.utils import timezone

    from accord.candidates.models import Candidate
    from accord.pipeline.models import Application
    from accord.pipeline.services import stages_for

    stages = stages_for(requisition)
    now = timezone.now()
    first, last = FIRST.split(), LAST.split()
    for start in range(0, n, 2_000):
        count = min(2_000, n - start)
        candidates = Candidate.objects.bulk_create(
            Candidate(
                workspace=requisition.workspace,
                name=f"{rng.choice(first)} {rng.choice(last)}",
                headline=rng.choice(["Backend Engineer", "Data Engineer", "SRE", "Tech Lead"]),
            )
            for _ in range(count)
        )
        applications = []
        for candidate in candidates:
            stage = rng.choices(stages, weights=FUNNEL)[0]
            matched = rng.random() < 0.7
            met = rng.randrange(5)
            applications.append(
                Application(
                    workspace=requisition.workspace,
                    candidate=candidate,
                    requisition=requisition,
                    stage=stage,
                    stage_entered_at=now - timedelta(minutes=rng.randrange(90 * 24 * 60)),
                    reason="experience" if stage.category == "rejected" else "",
                    must_met=met if matched else None,
                    must_total=4 if matched else None,
                    nice_score=rng.random() if matched else None,
                    match_score=(met + rng.random()) / 5 if matched else None,
                )
            )
        Application.objects.bulk_create(applications)
        through = Candidate.tags.through
        through.objects.bulk_create(
            through(candidate_id=c.pk, tag_id=rng.choice(tags).pk)
            for c in candidates
            if rng.random() < 1 / 3
        )


def populate(size: int) -> dict[str, Any]:
    from accord.candidates.models import Tag
    from accord.pipeline.models import Application
    from accord.requisitions.models import Requisition
    from accord.workspaces.models import Member, Role, Workspace
    from tests.factories import MemberFactory, RequisitionFactory, WorkspaceFactory

    existing = Workspace.objects.filter(slug="bench").first()
    if existing is not None:
        requisition = Requisition.objects.get(workspace=existing, title="Board under test")
        count = Application.objects.filter(requisition=requisition).count()
        if count != size:
            raise SystemExit(f"the scratch database holds {count:,} applications: use --rebuild")
        print(f"reusing the requisition with {count:,} applications")
        return {
            "requisition": requisition,
            "recruiter": Member.objects.get(workspace=existing, role=Role.RECRUITER),
            "manager": Member.objects.get(workspace=existing, role=Role.HIRING_MANAGER),
        }
    rng = random.Random(20261122)  # noqa: S311 (reproducible fake data, not secrets)
    workspace = WorkspaceFactory(name="Bench", slug="bench")
    recruiter = MemberFactory(workspace=workspace, role=Role.RECRUITER)
    manager = MemberFactory(workspace=workspace, role=Role.HIRING_MANAGER)
    tags = [Tag.objects.create(workspace=workspace, name=name) for name in TAGS]
    requisition = RequisitionFactory(
        workspace=workspace,
        recruiter=recruiter,
        hiring_managers=[manager],
        title="Board under test",
    )
    started = time.perf_counter()
    fill(requisition, size, tags, rng)
    for n in range(OTHER_REQUISITIONS):
        other = RequisitionFactory(workspace=workspace, recruiter=recruiter, title=f"Other {n}")
        fill(other, OTHER_SIZE, tags, rng)
    print(f"built in {time.perf_counter() - started:.1f} s")
    return {"requisition": requisition, "recruiter": recruiter, "manager": manager}


def check(response: Any, kind: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{kind}: HTTP {response.status_code}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pages(pool: dict[str, Any]) -> list[tuple[str, Any, str, dict[str, Any]]]:
    """(kind, member, url, query) for every page measured."""
    from django.urls import reverse

    from accord.pipeline.selectors import board_columns
    from accord.pipeline.services import stages_for

    requisition = pool["requisition"]
    args = ["bench", requisition.public_id]
    stages = stages_for(requisition)
    sourced = next(c for c in board_columns(requisition, stages) if c.stage.category == "sourced")
    board = reverse("pipeline:board", args=args)
    listed = reverse("pipeline:list", args=args)
    column = reverse("pipeline:column", args=[*args, sourced.stage.public_id])
    recruiter, manager = pool["recruiter"], pool["manager"]
    return [
        ("board", recruiter, board, {}),
        ("board, hiring manager (read-only)", manager, board, {}),
        ("board column: Show more (page 2)", recruiter, column, {"after": sourced.cursor}),
        ("list, longest in stage first", recruiter, listed, {}),
        ("list, best match, tag filter", recruiter, listed, {"sort": "match", "tag": "Python"}),
        ("list, by name, page 40", recruiter, listed, {"sort": "name", "page": 40}),
        ("pipeline settings (stages)", recruiter, reverse("pipeline:stages", args=args), {}),
    ]


def measure(pool: dict[str, Any], runs: int) -> list[dict[str, Any]]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rows = []
    clients: dict[int, Client] = {}
    for kind, member, url, query in pages(pool):
        client = clients.get(member.pk)
        if client is None:
            client = clients[member.pk] = Client()
            client.force_login(member.user)
        reset_queries()  # each request starts the log again; so does the capture
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, query)  # also warms the caches
        queries = len(captured)  # now: the next request empties the log the capture reads
        check(response, kind)
        times, cpu = [], []
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url, query)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            check(response, kind)
        rows.append(
            {
                "kind": kind,
                "p50": percentile(times, 0.5),
                "p95": percentile(times, 0.95),
                "mean": statistics.fmean(times),
                # This process's CPU: Python and, on SQLite, the database; not time spent
                # waiting for a core the other processes on the machine were using.
                "cpu_p50": percentile(cpu, 0.5),
                "queries": queries,
                "bytes": len(response.content),
            }
        )
        row = rows[-1]
        print(
            f"  {kind:36} p50 {row['p50']:7.1f} ms  p95 {row['p95']:7.1f} ms  "
            f"cpu p50 {row['cpu_p50']:6.1f} ms  {row['queries']:3} queries  "
            f"{row['bytes'] / 1024:5.0f} KB"
        )
    rows.append(measure_moves(pool, runs, clients[pool["recruiter"].pk]))
    return rows


def measure_moves(pool: dict[str, Any], runs: int, client: Any) -> dict[str, Any]:
    """One application moved back and forth through the board's htmx POST."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accord.pipeline.models import Application
    from accord.pipeline.services import stages_for

    requisition = pool["requisition"]
    sourced, screen = stages_for(requisition)[:2]
    application = Application.objects.filter(requisition=requisition, stage=sourced).first()
    if application is None:
        raise SystemExit("no application in the first stage to move")
    url = reverse("pipeline:move", args=["bench", requisition.public_id, application.public_id])
    times, cpu, queries = [], [], 0
    for n in range(runs + 1):
        application.refresh_from_db(fields=["revision"])
        target = screen if n % 2 == 0 else sourced
        data = {"to_stage": target.public_id, "revision": application.revision}
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.post(url, data, HTTP_HX_REQUEST="true")
            elapsed = (time.perf_counter() - started) * 1000
            cpu_elapsed = (time.process_time() - cpu_started) * 1000
        check(response, "move")
        if n:  # the first is the warm-up
            times.append(elapsed)
            cpu.append(cpu_elapsed)
        queries = len(captured)
    kind = "move one card (htmx POST)"
    row = {
        "kind": kind,
        "p50": percentile(times, 0.5),
        "p95": percentile(times, 0.95),
        "mean": statistics.fmean(times),
        "cpu_p50": percentile(cpu, 0.5),
        "queries": queries,
        "bytes": len(response.content),
    }
    print(
        f"  {kind:36} p50 {row['p50']:7.1f} ms  p95 {row['p95']:7.1f} ms  "
        f"cpu p50 {row['cpu_p50']:6.1f} ms  {queries:3} queries"
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("database", choices=["sqlite", "postgres"])
    parser.add_argument("--applications", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    SCRATCH_DB.configure(args.database, args.applications)
    if args.rebuild:
        SCRATCH_DB.reset(args.database, args.applications)
    if args.database == "postgres":
        SCRATCH_DB.ensure_pg_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    pool = populate(args.applications)
    version = analyzed()
    print(f"{args.database} {version}, {args.applications:,} applications, {args.runs} runs each")
    rows = measure(pool, args.runs)
    out = SCRATCH / f"results-{args.database}-{args.applications}.json"
    out.write_text(
        json.dumps(
            {
                "database": f"{args.database} {version}",
                "applications": args.applications,
                "runs": args.runs,
                "pages": rows,
            },
            indent=2,
        )
    )
    print(f"results in {out}")


if __name__ == "__main__":
    main()
