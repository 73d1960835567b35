"""Weekly status reports for 500 requisitions and 250 hiring managers, made by the worker.

Builds a scratch database (never the one Accord runs on) with one workspace: N open requisitions
(default 500), each with the Standard stages, a signed brief with four criteria, a plan of
milestones, the recruiter's narrative, about 40 applications whose stage moves span six weeks,
shortlists with the managers' reviews, interview scorecards, the commitments those made (some
late, some still open), and last week's reports as they were sent; N/2 hiring managers with two
requisitions each and a weekly schedule. Then:

1. per report, in this process: the figures, the charts (SVG for the PDF, PNG for the email) and
   the PDF drawn separately, and the whole send and delivery of a roll-up (rolled back);
2. queries per roll-up for a manager with 2 and with 20 requisitions (must not grow);
3. one weekly round as the worker does it: every schedule due now, `deliver_due` claims them and
   queues `send_scheduled`, and 1 (then 2) real `accord worker` processes (django-tasks-db) run
   everything that follows — figures, snapshot rows, PDF, chart PNGs, one email per manager —
   until the queue is empty. The emails go over SMTP to a sink on loopback that counts them.

    .venv/bin/python bench/reports.py sqlite   [--requisitions 500] [--workers 1 2] [--rebuild]
    .venv/bin/python bench/reports.py postgres [--requisitions 500] [--workers 1 2] [--rebuild]

SQLite: /tmp/reports-bench/bench-N.sqlite3. PostgreSQL: the database accord_bench_reports on
$BENCH_PG (default postgres://postgres@127.0.0.1:5432), created if missing. A database holding
the same number of requisitions is reused; --rebuild starts again. Results go to
/tmp/reports-bench/results-DB-N.json.
"""

import argparse
import cProfile
import io
import json
import logging
import os
import pstats
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
from bench.reports_data import DAY, populate, quiet_weekday  # noqa: E402 (after the path is set)
from bench.scratch import ScratchDatabase, analyzed  # noqa: E402 (after the path is set)

SCRATCH = Path("/tmp/reports-bench")  # noqa: S108 (a throwaway benchmark folder, by design)
SCRATCH_DB = ScratchDatabase(SCRATCH, "accord_bench_reports")


# --- per report, in this process ---------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "mean": statistics.fmean(values),
        "p50": percentile(values, 0.5),
        "p95": percentile(values, 0.95),
    }


def hiring_managers(workspace: Any) -> list[Any]:
    from accord.workspaces.models import Member, Role

    return list(
        Member.objects.filter(workspace=workspace, role=Role.HIRING_MANAGER)
        .select_related("user", "workspace")
        .order_by("pk")
    )


def measure_parts(workspace: Any, sample: int) -> dict[str, Any]:
    """Each step of one manager's weekly roll-up (two requisitions), timed on its own, then the
    whole send and delivery as the worker runs them (in a transaction rolled back after)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accord.reports import render
    from accord.reports.figures import figures_for
    from accord.reports.selectors import changes, last_sent, managed_by, note_of, rollup
    from accord.reports.services import report_deliver, rollup_send

    steps: dict[str, list[float]] = {
        k: [] for k in ("figures", "charts_svg", "pdf", "charts_png", "send", "deliver", "whole")
    }
    queries: dict[str, list[int]] = {"send": [], "deliver": []}
    sizes, errors = [], []
    period = 7 * DAY
    for manager in hiring_managers(workspace)[:sample]:
        now = timezone.now()
        started = time.perf_counter()
        requisitions = list(managed_by(manager))
        parts = figures_for(requisitions, now, period)
        data = rollup(manager, requisitions, parts, now, period)
        sections = []
        for r in requisitions:
            previous = last_sent(r)
            note = note_of(r)
            sections.append(
                render.Section(
                    data=parts[r.pk],
                    narrative=note.narrative,
                    next_steps=note.next_steps,
                    changes=tuple(changes(previous.data if previous else None, parts[r.pk])),
                )
            )
        figured = time.perf_counter()
        for section in sections:
            for chart in section.charts:
                chart.chart.svg()
        drawn = time.perf_counter()
        pdf = render.pdf_of({"report": None, "sections": sections, "rollup": data})
        printed = time.perf_counter()
        for section in sections:
            for chart in section.charts if len(sections) == 1 else section.charts[:1]:
                chart.chart.png()
        pictured = time.perf_counter()
        steps["figures"].append(figured - started)
        steps["charts_svg"].append(drawn - figured)
        steps["pdf"].append(printed - drawn)
        steps["charts_png"].append(pictured - printed)
        sizes.append(len(pdf))

        with transaction.atomic():
            begun = time.perf_counter()
            with CaptureQueriesContext(connection) as sent_queries:
                report = rollup_send(actor=None, manager=manager, slot=None)
            sent = time.perf_counter()
            try:
                with CaptureQueriesContext(connection) as delivered_queries:
                    report_deliver(report.pk, [manager.pk])  # type: ignore[union-attr]
            except Exception as error:  # reported, not hidden
                errors.append(f"{type(error).__name__}: {error}")
            done = time.perf_counter()
            transaction.set_rollback(True)
        steps["send"].append(sent - begun)
        steps["deliver"].append(done - sent)
        steps["whole"].append(done - begun)
        queries["send"].append(len(sent_queries))
        queries["deliver"].append(len(delivered_queries))
    result = {
        "sample": sample,
        "steps": {k: summary(v) for k, v in steps.items()},
        "queries": {k: sorted(set(v)) for k, v in queries.items()},
        "pdf_bytes": summary([float(s) for s in sizes]),
        "errors": sorted(set(errors)),
    }
    for key, row in result["steps"].items():
        print(
            f"  {key:11} mean {row['mean'] * 1000:7.0f} ms  p50 {row['p50'] * 1000:7.0f} ms  "
            f"p95 {row['p95'] * 1000:7.0f} ms"
        )
    print(f"  queries: send {result['queries']['send']}, deliver {result['queries']['deliver']}")
    if errors:
        print(f"  ERRORS in delivery: {result['errors']}")
    return result


def queries_per_rollup(workspace: Any, counts: tuple[int, ...] = (2, 20)) -> dict[str, Any]:
    """Queries for a manager's roll-up with 2 and with 20 requisitions: the figures, the send
    (figures and snapshot rows) and the delivery (PDF, charts, message). Rolled back after."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accord.people.models import User
    from accord.reports.figures import figures_for
    from accord.reports.selectors import managed_by
    from accord.reports.services import report_deliver, rollup_send
    from accord.requisitions.models import Requisition
    from accord.workspaces.models import Member, Role

    rows: dict[str, Any] = {}
    for n in counts:
        with transaction.atomic():
            user = User.objects.create(
                email=f"probe{n}@bench.example",
                display_name=f"Probe {n}",
                password="!",  # noqa: S106 (an unusable hash)
            )
            probe = Member.objects.create(workspace=workspace, user=user, role=Role.HIRING_MANAGER)
            probe.requisitions_managed.add(
                *Requisition.objects.filter(workspace=workspace).order_by("pk")[:n]
            )
            probe = Member.objects.select_related("user", "workspace").get(pk=probe.pk)
            now = timezone.now()
            with CaptureQueriesContext(connection) as figures:
                figures_for(list(managed_by(probe)), now)
            with CaptureQueriesContext(connection) as send:
                report = rollup_send(actor=None, manager=probe, now=now, slot=now)
            error = ""
            try:
                with CaptureQueriesContext(connection) as deliver:
                    report_deliver(report.pk, [probe.pk])  # type: ignore[union-attr]
            except Exception as failure:  # reported, not hidden
                error = f"{type(failure).__name__}: {failure}"
            rows[str(n)] = {
                "figures": len(figures),
                "send": len(send),
                "deliver": len(deliver),
                "deliver_error": error,
                "send_repeated": _shapes(send.captured_queries),
                "deliver_repeated": _shapes(deliver.captured_queries),
            }
            transaction.set_rollback(True)
        row = rows[str(n)]
        print(
            f"  {n:3} requisitions: figures {row['figures']} queries, send {row['send']}, "
            f"deliver {row['deliver']}" + (f" (stopped: {error})" if error else "")
        )
    return rows


def _shapes(captured: list[dict[str, str]]) -> dict[str, int]:
    """How often each statement's start recurs, to find what repeats per requisition."""
    shapes: dict[str, int] = {}
    for query in captured:
        shape = " ".join(query["sql"].split()[:8])[:120]
        shapes[shape] = shapes.get(shape, 0) + 1
    return {shape: n for shape, n in shapes.items() if n > 1}


def profile_figures(workspace: Any) -> dict[str, Any]:
    """figures_for over every requisition at once, profiled: where its time goes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accord.reports.figures import figures_for
    from accord.reports.selectors import with_people
    from accord.requisitions.models import Requisition

    requisitions = list(with_people(Requisition.objects.filter(workspace=workspace)))
    now = timezone.now()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        figures_for(requisitions, now)
    plain = time.perf_counter() - started
    profile = cProfile.Profile()
    profile.enable()
    figures_for(requisitions, now)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(18)
    print(
        f"  figures_for({len(requisitions)} requisitions): {plain:.2f} s, {len(captured)} queries"
    )
    return {
        "requisitions": len(requisitions),
        "seconds": plain,
        "queries": len(captured),
        "profile": out.getvalue(),
    }


# --- the weekly round, by the worker -----------------------------------------------------------


class Sink:
    """An SMTP server on loopback that counts what arrives."""

    def __init__(self) -> None:
        self.count = 0
        self.bytes = 0

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.count += 1
        self.bytes += len(envelope.content)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tasks(path_end: str) -> Any:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path__endswith=path_end)


def _busy() -> int:
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.ready().exclude(task_path__endswith=".nudges_tick").count()
        + DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    )


def _last_error(log: str) -> str:
    lines = [line for line in Path(log).read_text().splitlines() if "Error" in line]
    return lines[-1] if lines else "(no error in the log)"


def reset_round(workspace: Any) -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from accord.audit.models import AuditEntry
    from accord.nudges.models import Message
    from accord.reports.models import ReportSchedule, StatusReport

    now = timezone.now()
    StatusReport.objects.filter(workspace=workspace, sent_at__gt=now - 3 * DAY).delete()
    Message.objects.filter(workspace=workspace).delete()
    AuditEntry.objects.filter(workspace=workspace, action="report.sent").delete()
    DBTaskResult.objects.all().delete()
    ReportSchedule.objects.filter(member__workspace=workspace).update(
        next_due_at=now + 7 * DAY, last_sent_at=None, weekday=quiet_weekday()
    )


def run_round(workspace: Any, workers: int, sink: Sink, port: int) -> dict[str, Any]:
    from django.db.models import Count
    from django.utils import timezone

    from accord.nudges.models import Message
    from accord.reports.models import ReportSchedule, StatusReport
    from accord.reports.services import deliver_due

    reset_round(workspace)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {
        **os.environ,
        "TASK_BACKEND": "database",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "LOG_LEVEL": "warning",
    }
    logs = [(SCRATCH / f"worker-{workers}-{i}.log").open("w") for i in range(workers)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "accord", "worker"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for log in logs
    ]
    try:
        # Wait for the workers' first heartbeat (nothing due yet), so the clock below times the
        # reports only.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            ticks = _tasks(".nudges_tick").filter(status="SUCCESSFUL").count()
            if ticks >= workers and _busy() == 0:
                break
            time.sleep(0.5)
        else:
            raise SystemExit("the workers did not start within 3 minutes; see their logs")
        sink.count = sink.bytes = 0
        now = timezone.now()
        ReportSchedule.objects.filter(member__workspace=workspace).update(
            next_due_at=now - timedelta(minutes=1)
        )
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        queued = deliver_due(now)
        claimed = time.perf_counter() - started
        deadline = time.monotonic() + 3600
        while time.monotonic() < deadline:
            done = _tasks(".send_scheduled").filter(status__in=["SUCCESSFUL", "FAILED"]).count()
            if done >= queued and _busy() == 0:
                break
            stopped = [p for p in processes if p.poll() is not None]
            if len(stopped) == len(processes):
                print(f"  every worker stopped: see their logs in {SCRATCH}")
                break
            time.sleep(0.25)
        total = time.perf_counter() - started
        load_after = os.getloadavg()[0]
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
    # A worker that died mid-round (its last words are in its log) is a result, not noise.
    crashes = [process.returncode not in (0, -signal.SIGTERM) for process in processes]
    last_words = [
        _last_error(log.name) for log, crashed in zip(logs, crashes, strict=True) if crashed
    ]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The workers' CPU from start to stop (their start-up too): the work itself, whatever else
    # the machine was doing meanwhile.
    cpu = (children.ru_utime - children_before.ru_utime) + (
        children.ru_stime - children_before.ru_stime
    )
    tasks = {}
    for name in ("send_scheduled", "deliver_report", "send_message"):
        rows = list(_tasks(f".{name}").values_list("status", "started_at", "finished_at"))
        durations = [(f - s).total_seconds() for _status, s, f in rows if s and f]
        tasks[name] = {
            "count": len(rows),
            "failed": sum(1 for status, _s, _f in rows if status == "FAILED"),
            **(summary(durations) if durations else {}),
        }
    reports = StatusReport.objects.filter(workspace=workspace, sent_at__gte=now)
    result = {
        "workers": workers,
        "queued": queued,
        "claim_seconds": claimed,
        "total_seconds": total,
        "per_rollup_seconds": total / max(queued, 1),
        "worker_cpu_seconds": cpu,
        "load": [load_before, load_after],  # the machine's, 1-minute average
        "workers_crashed": sum(crashes),
        "crash_errors": last_words,
        "rollups": reports.filter(rollup__isnull=True).count(),
        "requisition_snapshots": reports.filter(scope="requisition").count(),
        "delivered": reports.filter(rollup__isnull=True, delivered_at__isnull=False).count(),
        "pdfs": reports.exclude(pdf="").count(),
        # Status reports, and anything else the workers' heartbeat sent meanwhile (the
        # recruiters' reminders to update their narrative before a report, say).
        "messages": {
            f"{kind} {status}": n
            for kind, status, n in Message.objects.filter(workspace=workspace)
            .values_list("kind", "status")
            .annotate(n=Count("id"))
            .order_by()
        },
        "emails_received": sink.count,
        "email_megabytes": round(sink.bytes / 1e6, 1),
        "tasks": tasks,
    }
    print(
        f"  {workers} worker(s): {queued} roll-ups in {total:.1f} s "
        f"({total / max(queued, 1):.2f} s each; claiming {claimed * 1000:.0f} ms; "
        f"workers' CPU {cpu:.0f} s); "
        f"{result['delivered']} delivered, {sink.count} emails received "
        f"({result['email_megabytes']} MB); failed tasks: "
        + ", ".join(f"{k} {v['failed']}" for k, v in tasks.items())
        + (f"; {sum(crashes)} worker(s) crashed: {last_words}" if any(crashes) else "")
    )
    return result


def _commit() -> str:
    """The checkout measured: the commit, and "+changes" when files differ from it."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run(  # noqa: S603 (git on our own checkout)
        [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    dirty = subprocess.run(  # noqa: S603 (git on our own checkout)
        [*git, "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    )
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("database", choices=["sqlite", "postgres"])
    parser.add_argument("--requisitions", type=int, default=500)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--sample", type=int, default=20, help="managers timed in-process")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--rounds-only", action="store_true", help="skip the in-process measurements"
    )
    args = parser.parse_args()

    SCRATCH_DB.configure(args.database, args.requisitions)
    os.environ["TASK_BACKEND"] = "database"  # deliver_due queues for the real workers
    if args.rebuild:
        SCRATCH_DB.reset(args.database, args.requisitions)
    if args.database == "postgres":
        SCRATCH_DB.ensure_pg_database()
    from aiosmtpd.controller import Controller

    sink = Sink()
    port = free_port()
    os.environ["EMAIL_PORT"] = str(port)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    import django

    django.setup()
    # A roll-up's PDF links its rows to sections that have no anchor there: one error per link.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        workspace = populate(args.requisitions)["workspace"]
        version = analyzed()
        print(f"{args.database} {version}, {args.requisitions} requisitions")
        kind = "-rounds" if args.rounds_only else ""
        out = SCRATCH / f"results-{args.database}-{args.requisitions}{kind}.json"
        results: dict[str, Any] = {
            "database": f"{args.database} {version}",
            "requisitions": args.requisitions,
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": _commit(),
            "load_before": os.getloadavg(),
        }
        if not args.rounds_only:
            print("figures for every requisition at once:")
            results["figures_all"] = profile_figures(workspace)
            print("queries per roll-up:")
            results["queries"] = queries_per_rollup(workspace)
            print(f"one roll-up (2 requisitions), step by step, {args.sample} managers:")
            results["per_report"] = measure_parts(workspace, args.sample)
            out.write_text(json.dumps(results, indent=2, default=str))
        results["rounds"] = []
        for workers in args.workers:
            print(f"the weekly round with {workers} worker process(es):")
            results["rounds"].append(run_round(workspace, workers, sink, port))
            out.write_text(json.dumps(results, indent=2, default=str))  # a round takes minutes
        results["load_after"] = os.getloadavg()
    finally:
        controller.stop()
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"results in {out}")


if __name__ == "__main__":
    main()
