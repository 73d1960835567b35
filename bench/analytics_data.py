"""Requisitions with a year of hiring history, built in bulk, for the analytics bench and the
bounded-query test at 1,000 requisitions (tests/analytics/test_scale.py).

Each requisition opened within the last 400 days; about 60% are filled (20–90 days to fill),
most with an offer milestone in their plan; each has 1–2 hiring managers, one of a few teams,
applications that move sourced → screen → submitted → review → interview → offer → hired,
stopping or ending (rejected / withdrawn) on the way; review commitments, most answered (some
late); and for each hire an answered post-hire survey."""

import random
from datetime import datetime, timedelta
from typing import Any

TEAMS = ["Platform", "Data", "Design", "Sales", "Finance", "People", ""]
TITLES = ["Backend Engineer", "Data Engineer", "Product Designer", "Account Executive", "Analyst"]
CATEGORIES = [
    "sourced",
    "screen",
    "submitted",
    "review",
    "interview",
    "offer",
    "hired",
    "rejected",
    "withdrawn",
]
FORWARD = CATEGORIES[:7]
GO_ON = [0.7, 0.6, 0.9, 0.5, 0.45, 0.7]  # share going on from each forward stage


def build(
    workspace: Any,
    recruiters: list[Any],
    managers: list[Any],
    n: int,
    *,
    applications: tuple[int, int] = (2, 4),
    now: datetime,
    seed: int = 7,
) -> None:
    """`n` requisitions with their history in `workspace`, in a fixed number of bulk inserts
    per kind of row."""
    from accord.candidates.models import Candidate
    from accord.nudges.models import Commitment
    from accord.partnerships.models import Hire, Survey
    from accord.pipeline.models import Application, Stage, StageMove
    from accord.requisitions.models import Milestone, Requisition

    rng = random.Random(seed)  # noqa: S311 (reproducible fake data, not secrets)
    day = timedelta(days=1)
    plans: list[tuple[datetime, int | None]] = []
    requisitions = []
    for i in range(n):
        opened = now - day * rng.uniform(30, 400)
        filled = rng.random() < 0.6
        days = rng.randint(20, 90) if filled else None
        closed = opened + day * days if days is not None and opened + day * days < now else None
        requisitions.append(
            Requisition(
                workspace=workspace,
                title=rng.choice(TITLES),
                team=rng.choice(TEAMS),
                recruiter=recruiters[i % len(recruiters)],
                status="filled" if closed else "open",
                opened_at=opened,
                closed_at=closed,
                days_to_fill=days if closed else None,
                created_at=opened - day,
                status_changed_at=closed or opened,
            )
        )
        plans.append((opened, rng.randint(30, 60) if rng.random() < 0.85 else None))
    requisitions = Requisition.objects.bulk_create(requisitions, batch_size=500)
    through = Requisition.hiring_managers.through
    links = []
    for i, requisition in enumerate(requisitions):
        chosen = rng.sample(managers, k=min(len(managers), 1 + (i % 3 == 0)))
        links += [through(requisition=requisition, member=m) for m in chosen]
    through.objects.bulk_create(links, batch_size=1000)
    Milestone.objects.bulk_create(
        (
            Milestone(
                requisition=r,
                kind="offer",
                owner="manager",
                due_on=(opened + day * planned).date(),
            )
            for r, (opened, planned) in zip(requisitions, plans, strict=True)
            if planned is not None
        ),
        batch_size=1000,
    )
    stages = Stage.objects.bulk_create(
        (
            Stage(requisition=r, name=category.title(), category=category, position=p)
            for r in requisitions
            for p, category in enumerate(CATEGORIES)
        ),
        batch_size=1000,
    )
    stage_of = {(s.requisition_id, s.category): s for s in stages}

    paths: list[tuple[Any, list[tuple[str, datetime]]]] = []
    for requisition in requisitions:
        opened_at = requisition.opened_at or now  # always set above
        end = requisition.closed_at or now
        hired = False
        for _ in range(rng.randint(*applications)):
            at = opened_at + (end - opened_at) * rng.uniform(0, 0.5)
            path = [("sourced", at)]
            for step, share in enumerate(GO_ON):
                at = at + day * rng.uniform(0.5, 6)
                if at > end:
                    break
                if rng.random() < share and not (FORWARD[step + 1] == "hired" and hired):
                    path.append((FORWARD[step + 1], at))
                    hired = hired or FORWARD[step + 1] == "hired"
                    continue
                if rng.random() < 0.7:
                    path.append(("withdrawn" if rng.random() < 0.3 else "rejected", at))
                break
            paths.append((requisition, path))
    candidates = Candidate.objects.bulk_create(
        (
            Candidate(workspace=workspace, name=f"Candidate {i}", email=f"c{i}@bench.example")
            for i in range(len(paths))
        ),
        batch_size=1000,
    )
    apps = Application.objects.bulk_create(
        (
            Application(
                workspace=workspace,
                requisition=requisition,
                candidate=candidate,
                stage=stage_of[(requisition.pk, path[-1][0])],
                stage_entered_at=path[-1][1],
                created_at=path[0][1],
            )
            for (requisition, path), candidate in zip(paths, candidates, strict=True)
        ),
        batch_size=1000,
    )
    moves = []
    hires = []
    for application, (requisition, path) in zip(apps, paths, strict=True):
        previous = None
        for category, at in path:
            stage = stage_of[(requisition.pk, category)]
            moves.append(
                StageMove(application=application, from_stage=previous, to_stage=stage, at=at)
            )
            previous = stage
        if path[-1][0] == "hired":
            hires.append(
                Hire(
                    workspace=workspace,
                    application=application,
                    requisition=requisition,
                    hired_at=path[-1][1],
                    start_on=(path[-1][1] + day * 21).date(),
                )
            )
    StageMove.objects.bulk_create(moves, batch_size=2000)
    hires = Hire.objects.bulk_create(hires, batch_size=1000)
    manager_of: dict[int, Any] = {}
    for link in links:
        manager_of.setdefault(link.requisition_id, link.member)
    Survey.objects.bulk_create(
        (
            Survey(
                workspace=workspace,
                hire=hire,
                manager=manager_of[hire.requisition_id],
                checkpoint=7,
                due_at=hire.hired_at + day * 28,
                sent_at=hire.hired_at + day * 28,
                answered_at=hire.hired_at + day * rng.uniform(28, 35),
                process_rating=rng.randint(2, 5),
                hire_rating=rng.randint(2, 5) if rng.random() < 0.9 else None,
            )
            for hire in hires
            if hire.hired_at + day * 35 < now
        ),
        batch_size=1000,
    )
    commitments = []
    for requisition in requisitions:
        for k in range(3):
            started = (requisition.opened_at or now) + day * (7 + 7 * k)
            if started > now:
                break
            due = started + day * 2
            done = started + day * rng.uniform(0.2, 4) if rng.random() < 0.9 else None
            commitments.append(
                Commitment(
                    workspace=workspace,
                    requisition=requisition,
                    kind="review",
                    owner=manager_of[requisition.pk],
                    started_at=started,
                    due_at=due,
                    done_at=done if done is None or done < now else None,
                )
            )
    Commitment.objects.bulk_create(commitments, batch_size=1000)
