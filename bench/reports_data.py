"""The data of bench/reports.py: one workspace of open requisitions with six weeks of history,
built in bulk (a few seconds for 500 requisitions) into a scratch database."""

import random
import time
from datetime import datetime, timedelta
from typing import Any

SLUG = "bench-reports"
DAY = timedelta(days=1)
HISTORY = timedelta(weeks=6)
APPLICATIONS = (25, 55)  # per requisition, uniform: about 40
RECRUITERS = 10
INTERVIEWERS = 40
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"]
TITLES = [
    "Backend Engineer",
    "Data Engineer",
    "Product Designer",
    "Site Reliability Engineer",
    "Account Executive",
    "Customer Success Manager",
    "Frontend Engineer",
    "Data Scientist",
    "Engineering Manager",
    "Financial Analyst",
]
FIRST = "Ada Alan Amara Bruno Camille Chen Dev Elena Emeka Grace Hana Ivan Jana Kai Lea Maya Omar"
LAST = "Abbott Bauer Costa Dubois Eriksson Fischer Haddad Ito Kumar Lopez Novak Okafor Patel Rossi"
# Share of candidates in each forward stage who go on to the next (sourced → … → hired).
GO_ON = [0.75, 0.5, 0.95, 0.55, 0.6, 0.45, 0.7]
# Of those who don't go on, the share whose application ends (rejected or withdrawn).
ENDS = 0.75
REJECTION_REASONS = ["missing_must", "experience", "compensation", "location", "stronger"]
CHIPS = ["too_junior", "compensation", "location", "communication", "industry"]
MILESTONES = [  # kind, owner, days after opening
    ("first_shortlist", "recruiter", 10),
    ("first_interviews", "manager", 21),
    ("offer", "manager", 40),
    ("start_date", "manager", 75),
]
NARRATIVE = (
    "Sourcing is steady; the manager's reviews came back on time this week. Two candidates are "
    "in final interviews and one has a competing offer, so we are moving quickly."
)
NEXT_STEPS = "Book the final interviews for Thursday; send the next shortlist on Monday."


# --- the data ----------------------------------------------------------------------------------


def _people(workspace: Any, role: str, prefix: str, n: int, rng: random.Random) -> list[Any]:
    from accord.people.models import User
    from accord.workspaces.models import Member

    first, last = FIRST.split(), LAST.split()
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}{i}@bench.example",
            display_name=f"{rng.choice(first)} {rng.choice(last)}",
            time_zone=rng.choice(ZONES),
            password="!",  # noqa: S106 (an unusable hash: nobody signs in to a benchmark)
        )
        for i in range(n)
    )
    return Member.objects.bulk_create(Member(workspace=workspace, user=u, role=role) for u in users)


def _path(created: datetime, now: datetime, rng: random.Random) -> list[tuple[int, datetime, str]]:
    """An application's moves as (forward stage index or -1 rejected / -2 withdrawn, at, reason):
    into Sourced, then on through the stages, stopping or ending on the way."""
    moves = [(0, created, "")]
    at, i = created, 0
    while i < len(GO_ON):
        at = at + timedelta(hours=rng.uniform(8, 24 * 6))
        if at > now:
            break
        if rng.random() < GO_ON[i]:
            i += 1
            moves.append((i, at, ""))
            continue
        if rng.random() < ENDS:
            declined = rng.random() < (0.5 if i == 6 else 0.15)
            if declined:
                reason = rng.choice(["other_offer", "compensation", "not_interested"])
                moves.append((-2, at, reason))
            else:
                reason = "manager_declined" if i == 3 else rng.choice(REJECTION_REASONS)
                moves.append((-1, at, reason))
        break
    return moves


def populate(size: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from accord.briefs.models import BriefVersion, Criterion
    from accord.candidates.models import Candidate
    from accord.nudges.models import Commitment
    from accord.pipeline.models import Application, Stage, StageMove
    from accord.pipeline.services import default_template
    from accord.reports.models import ReportNote, ReportSchedule
    from accord.requisitions.models import Milestone, Requisition, Status
    from accord.reviews.models import Review, ReviewJudgement, Scorecard, Shortlist, ShortlistItem
    from accord.workspaces.models import Role, Workspace

    existing = Workspace.objects.filter(slug=SLUG).first()
    if existing is not None:
        count = Requisition.objects.filter(workspace=existing).count()
        if count != size:
            raise SystemExit(f"the scratch database holds {count} requisitions: use --rebuild")
        print(f"reusing the workspace with {count} requisitions")
        return {"workspace": existing}

    rng = random.Random(20261122)  # noqa: S311 (reproducible fake data, not secrets)
    started = time.perf_counter()
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        workspace = Workspace.objects.create(name="Bench Reports", slug=SLUG)
        recruiters = _people(workspace, Role.RECRUITER, "recruiter", RECRUITERS, rng)
        managers = _people(workspace, Role.HIRING_MANAGER, "manager", size // 2, rng)
        interviewers = _people(workspace, Role.INTERVIEWER, "interviewer", INTERVIEWERS, rng)
        template = list(default_template(workspace).stages.order_by("position"))

        requisitions = []
        for n in range(size):
            opened = now - timedelta(days=rng.uniform(14, 70))
            low = rng.randrange(50, 110) * 1000
            requisitions.append(
                Requisition(
                    workspace=workspace,
                    title=f"{TITLES[n % len(TITLES)]} {n + 1:03d}",
                    team=rng.choice(["Platform", "Growth", "Finance", "Design", "Sales"]),
                    location=rng.choice(["Berlin", "London", "Remote", "New York"]),
                    openings=2 if rng.random() < 0.2 else 1,
                    compensation_min=low,
                    compensation_max=low + 20_000,
                    currency="EUR",
                    recruiter=recruiters[n % RECRUITERS],
                    status=Status.OPEN,
                    status_changed_at=opened,
                    created_at=opened - 3 * DAY,
                    opened_at=opened,
                )
            )
        requisitions = Requisition.objects.bulk_create(requisitions)
        managed = Requisition.hiring_managers.through
        managed.objects.bulk_create(
            managed(requisition_id=r.pk, member_id=managers[n // 2].pk)
            for n, r in enumerate(requisitions)
        )
        team = Requisition.hiring_team.through
        team.objects.bulk_create(
            team(requisition_id=r.pk, member_id=interviewers[(2 * n + k) % INTERVIEWERS].pk)
            for n, r in enumerate(requisitions)
            for k in range(2)
        )
        stages = Stage.objects.bulk_create(
            Stage(requisition=r, name=t.name, category=t.category, position=t.position)
            for r in requisitions
            for t in template
        )
        stages_of = {
            r.pk: stages[i * len(template) : (i + 1) * len(template)]
            for i, r in enumerate(requisitions)
        }
        briefs = BriefVersion.objects.bulk_create(
            BriefVersion(
                requisition=r,
                number=1,
                signed_at=r.opened_at - DAY,
                review_days=2,
                decision_days=3,
                update_frequency="weekly",
                target_start=today + timedelta(days=rng.randrange(30, 90)),
            )
            for r in requisitions
        )
        criteria = Criterion.objects.bulk_create(
            Criterion(
                version=b,
                position=k,
                name=name,
                kind="must" if k < 3 else "nice",
                weight=None if k < 3 else 2,
            )
            for b in briefs
            for k, name in enumerate(["Python in production", "SQL", "On call", "Kubernetes"])
        )
        musts_of = {b.requisition_id: criteria[4 * i : 4 * i + 3] for i, b in enumerate(briefs)}
        Milestone.objects.bulk_create(
            Milestone(
                requisition=r,
                kind=kind,
                owner=owner,
                due_on=(due := timezone.localdate(r.opened_at) + timedelta(days=days)),
                done_on=due + timedelta(days=rng.randrange(-3, 4))
                if due < today and rng.random() < 0.7
                else None,
            )
            for r in requisitions
            for kind, owner, days in MILESTONES
        )
        ReportNote.objects.bulk_create(
            ReportNote(requisition=r, narrative=NARRATIVE, next_steps=NEXT_STEPS, revision=1)
            for r in requisitions
        )

        # Applications and their moves.
        first, last = FIRST.split(), LAST.split()
        plans = []  # (requisition, candidate, path)
        candidates = []
        for r in requisitions:
            for _ in range(rng.randint(*APPLICATIONS)):
                created = max(r.opened_at, now - HISTORY * rng.random())
                candidates.append(
                    Candidate(
                        workspace=workspace,
                        name=f"{rng.choice(first)} {rng.choice(last)}",
                        headline=rng.choice(["Engineer", "Analyst", "Designer", "Lead"]),
                        created_at=created,
                    )
                )
                plans.append((r, _path(created, now, rng)))
        candidates = Candidate.objects.bulk_create(candidates, batch_size=2000)
        applications = []
        for (r, path), candidate in zip(plans, candidates, strict=True):
            stage = _stage(stages_of[r.pk], path[-1][0])
            matched = rng.random() < 0.8
            applications.append(
                Application(
                    workspace=workspace,
                    candidate=candidate,
                    requisition=r,
                    stage=stage,
                    stage_entered_at=path[-1][1],
                    reason=path[-1][2],
                    created_at=path[0][1],
                    must_met=rng.choice([1, 2, 2, 3, 3, 3]) if matched else None,
                    must_total=3 if matched else None,
                )
            )
        applications = Application.objects.bulk_create(applications, batch_size=2000)
        moves = []
        for (r, path), application in zip(plans, applications, strict=True):
            previous = None
            for index, at, reason in path:
                stage = _stage(stages_of[r.pk], index)
                moves.append(
                    StageMove(
                        application=application,
                        from_stage=previous,
                        to_stage=stage,
                        actor=r.recruiter,
                        reason=reason,
                        at=at,
                    )
                )
                previous = stage
        StageMove.objects.bulk_create(moves, batch_size=5000)

        # Shortlists and reviews (manager review is forward stage 3), scorecards (interviews are
        # 4 and 5), and the commitments each made.
        commitments: list[Commitment] = []
        reviews, judgements, items, scorecards = [], [], [], []
        by_requisition: dict[int, list[tuple[Any, list[Any]]]] = {}
        for (r, path), application in zip(plans, applications, strict=True):
            by_requisition.setdefault(r.pk, []).append((application, path))
        briefs_of = {b.requisition_id: b for b in briefs}
        manager_of = {r.pk: managers[n // 2] for n, r in enumerate(requisitions)}
        for n, r in enumerate(requisitions):
            manager = manager_of[r.pk]
            reviewed = []
            for application, path in by_requisition.get(r.pk, []):
                for step, (index, at, _reason) in enumerate(path):
                    if index == 3:
                        after = path[step + 1] if step + 1 < len(path) else None
                        reviewed.append((at, application, after))
                    if index in (4, 5) and at + DAY <= now:
                        interview_at = at + DAY
                        submitted = interview_at + timedelta(hours=rng.uniform(2, 72))
                        scorecards.append(
                            Scorecard(
                                workspace=workspace,
                                application=application,
                                interviewer=interviewers[(2 * n + index) % INTERVIEWERS],
                                stage=_stage(stages_of[r.pk], index),
                                interview_at=interview_at,
                                requested_by=r.recruiter,
                                requested_at=at,
                                due_at=interview_at + DAY,
                                submitted_at=submitted if submitted <= now else None,
                                was_late=(submitted > interview_at + DAY)
                                if submitted <= now
                                else None,
                            )
                        )
            reviewed.sort(key=lambda row: row[0])
            for chunk_start in range(0, len(reviewed), 4):
                chunk = reviewed[chunk_start : chunk_start + 4]
                sent_at = chunk[0][0]
                decided = [after[1] for _at, _a, after in chunk if after is not None]
                shortlist = Shortlist(
                    workspace=workspace,
                    requisition=r,
                    manager=manager,
                    sent_by=r.recruiter,
                    brief_version=briefs_of[r.pk],
                    sent_at=sent_at,
                    completed_at=max(decided) if len(decided) == len(chunk) else None,
                )
                items.append((shortlist, chunk))
        shortlists = Shortlist.objects.bulk_create(s for s, _chunk in items)
        item_rows = ShortlistItem.objects.bulk_create(
            ShortlistItem(shortlist=s, application=a, position=k)
            for s, (_s, chunk) in zip(shortlists, items, strict=True)
            for k, (_at, a, _after) in enumerate(chunk)
        )
        flat = [(s, row) for s, (_s, chunk) in zip(shortlists, items, strict=True) for row in chunk]
        for item, (shortlist, (_at, application, after)) in zip(item_rows, flat, strict=True):
            if after is None:
                continue
            index, decided_at, _reason = after
            rejected = index < 0
            outside = rejected and rng.random() < 0.5
            reviews.append(
                Review(
                    item=item,
                    application=application,
                    reviewer=shortlist.manager,
                    decision="reject" if rejected else "advance",
                    chips=[rng.choice(CHIPS)] if outside else [],
                    note="Asked for more than the range." if outside else "",
                    outside_brief=outside,
                    decided_at=decided_at,
                )
            )
        reviews = Review.objects.bulk_create(reviews)
        for review in reviews:
            if review.decision == "reject" and not review.outside_brief:
                judgements.append(
                    ReviewJudgement(
                        review=review,
                        criterion=rng.choice(musts_of[review.application.requisition_id]),
                        judgement="doesnt",
                    )
                )
        ReviewJudgement.objects.bulk_create(judgements)
        for shortlist in shortlists:
            commitments.append(
                Commitment(
                    workspace=workspace,
                    requisition_id=shortlist.requisition_id,
                    kind="review",
                    owner=shortlist.manager,
                    shortlist=shortlist,
                    started_at=shortlist.sent_at,
                    due_at=shortlist.sent_at + 2 * DAY,
                    basis="2 business days, agreed in the brief",
                    done_at=shortlist.completed_at,
                )
            )
        scorecards = Scorecard.objects.bulk_create(scorecards)
        for scorecard in scorecards:
            commitments.append(
                Commitment(
                    workspace=workspace,
                    requisition_id=scorecard.application.requisition_id,
                    kind="scorecard",
                    owner=scorecard.interviewer,
                    scorecard=scorecard,
                    started_at=scorecard.interview_at,
                    due_at=scorecard.due_at,
                    basis="24 business hours after the interview",
                    done_at=scorecard.submitted_at,
                )
            )
            final = stages_of[scorecard.application.requisition_id][5]
            if scorecard.stage == final and scorecard.submitted_at is not None:
                decided = _left(by_requisition, scorecard.application, 5)
                commitments.append(
                    Commitment(
                        workspace=workspace,
                        requisition_id=scorecard.application.requisition_id,
                        kind="decision",
                        owner=manager_of[scorecard.application.requisition_id],
                        application=scorecard.application,
                        started_at=scorecard.submitted_at,
                        due_at=scorecard.submitted_at + 3 * DAY,
                        basis="3 business days, agreed in the brief",
                        done_at=decided if decided and decided <= now else None,
                    )
                )
        Commitment.objects.bulk_create(commitments, batch_size=2000)
        ReportSchedule.objects.bulk_create(
            ReportSchedule(
                member=m,
                weekday=quiet_weekday(),
                time_zone=m.user.time_zone,
                next_due_at=now + 7 * DAY,  # the round sets it due
            )
            for m in managers
        )
    print(
        f"built in {time.perf_counter() - started:.1f} s: {len(requisitions)} requisitions, "
        f"{len(applications):,} applications, {len(moves):,} stage moves, {len(reviews):,} "
        f"reviews, {len(scorecards):,} scorecards, {len(commitments):,} commitments"
    )
    last_weeks_reports(workspace, now - 7 * DAY)
    return {"workspace": workspace}


def quiet_weekday() -> int:
    """A weekday whose 09:00 is two days away or more in every zone: the schedules' own slots
    never fall due during a benchmark, and nor do the reminders a day before them."""
    from django.utils import timezone

    return (timezone.localdate().weekday() + 3) % 7


def _stage(stages: list[Any], index: int) -> Any:
    """The stage of a path step: forward stages by position; -1 Rejected, -2 Withdrawn."""
    return stages[8] if index == -1 else stages[9] if index == -2 else stages[index]


def _left(by_requisition: dict[int, Any], application: Any, index: int) -> datetime | None:
    """When an application left the forward stage `index`, if it did."""
    for candidate, path in by_requisition[application.requisition_id]:
        if candidate.pk == application.pk:
            for step, (at_index, _at, _reason) in enumerate(path):
                if at_index == index and step + 1 < len(path):
                    return path[step + 1][1]
    return None


def last_weeks_reports(workspace: Any, sent_at: datetime) -> None:
    """Last week's roll-ups as they were sent, so this week's say what changed since."""
    from accord.reports.figures import figures_for
    from accord.reports.models import Scope, StatusReport
    from accord.reports.selectors import managed_by, rollup, with_people
    from accord.requisitions.models import Requisition
    from accord.workspaces.models import Member, Role

    started = time.perf_counter()
    requisitions = list(with_people(Requisition.objects.filter(workspace=workspace)))
    parts = figures_for(requisitions, sent_at, 7 * DAY)
    managers = Member.objects.filter(workspace=workspace, role=Role.HIRING_MANAGER)
    reports, plans = [], []
    for manager in managers.select_related("user"):
        mine = list(managed_by(manager))
        common = {
            "workspace": workspace,
            "period_start": sent_at - 7 * DAY,
            "period_end": sent_at,
            "sent_at": sent_at,
            "delivered_at": sent_at,
        }
        reports.append(
            StatusReport(
                scope=Scope.MANAGER,
                manager=manager,
                data=rollup(manager, mine, parts, sent_at, 7 * DAY),
                slot=sent_at,
                **common,
            )
        )
        plans.append([(r, common) for r in mine])
    reports = StatusReport.objects.bulk_create(reports)
    StatusReport.objects.bulk_create(
        StatusReport(
            scope=Scope.REQUISITION,
            requisition=r,
            manager=report.manager,
            rollup=report,
            data=parts[r.pk],
            narrative=NARRATIVE,
            next_steps=NEXT_STEPS,
            **common,
        )
        for report, mine in zip(reports, plans, strict=True)
        for r, common in mine
    )
    print(f"last week's {len(reports)} roll-ups stored in {time.perf_counter() - started:.1f} s")
