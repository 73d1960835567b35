"""Status reports in the demo: weeks of them sent, so the pages show trends, what changed since
the last report, and the reports as they were sent.

Told through the services on the review loop's `Timeline` (demo/reviews.py), after that loop, since
the figures of a report are read from the history up to its moment. Riya writes her narrative on
Monday mornings and sends the Senior Backend report at 09:00, Hannah's time; after a few weeks
Hannah asks for one weekly report for both of her searches, and the last Mondays bring her a
scheduled roll-up instead. The worker's part (drawing the PDF and the charts, queueing the
messages, the dispatcher sending them) happens at the same moment, so everything sent is sent
and nothing old goes out again when the worker starts. The other managers get their schedules
at the end, due from now on.
"""

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accord.demo import data, hiring
from accord.demo.reviews import Step, Timeline, quietly
from accord.nudges.services import time_zone_of
from accord.reports import services as reports
from accord.reports.models import (
    Frequency,
    ReportNote,
    ReportSchedule,
    ShareLink,
    StatusReport,
    Weekday,
)
from accord.reports.schedule import next_slot
from accord.reports.selectors import REPORTED_STATUSES
from accord.requisitions.models import Requisition, Status
from accord.workspaces.models import Member, Workspace


@dataclass(frozen=True)
class Note:
    narrative: str
    next_steps: str


# Riya's words for the Senior Backend report, oldest first; the last weeks of them are sent (the
# requisition is four weeks old, so four or, across a clock change, five Mondays). They follow
# demo/stories.py: intake, then open on the signed brief, the first shortlist, version 2.
BACKEND_NOTES: Final = (
    Note(
        "Hannah needs a senior backend engineer to take the order pipeline from nightly batches "
        "to events. The intake starts from what we agreed for the Payments role.",
        "Hannah: answer the intake questions from the emailed link.",
    ),
    Note(
        "Intake: Hannah and I are agreeing the brief, starting from what worked for the Payments "
        "role. The open question is how much to insist on Kafka: engineers who have run it in "
        "production are scarce in London.",
        "Hannah: sign the brief after the kick-off.\n"
        "Riya: open the search and start sourcing the day it is signed.",
    ),
    Note(
        "The brief is signed and the search is open. Sourcing started with referrals from the "
        "engineering team, the London Python meetup and a LinkedIn search; the first screens are "
        "booked this week.",
        "Riya: first shortlist to Hannah by Friday.\n"
        "Hannah: keep half an hour on Monday and Thursday mornings for shortlists.",
    ),
    Note(
        "Hannah has seen the first shortlist. Her read, and mine from the screens: the Kafka "
        "must-have turns away strong people from RabbitMQ and SQS shops, when what matters is how "
        "they design for duplicates and ordering. We propose a version 2 of the brief with Kafka "
        "as a nice-to-have.",
        "Hannah: review the changes in version 2 and sign it.\n"
        "Riya: screen again the people turned away for Kafka alone.",
    ),
    Note(
        "Version 2 of the brief is signed: Kafka is a nice-to-have, and more candidates meet "
        "every must-have. Hannah has the first shortlists screened against it; those she "
        "advances go straight to the technical interview with Tom and Grace.",
        "Hannah: decide the candidates still waiting on your shortlists.\n"
        "Tom and Grace: scorecards within a day of each interview.\n"
        "Riya: the next shortlist comes from the candidates screened again.",
    ),
)
DESIGNER_NOTE: Final = Note(
    "Sofia and Hannah have seen the first candidates for the technician app redesign: one "
    "advanced to the portfolio review, and a late applicant with a strong mobile portfolio is "
    "with Sofia now.",
    "Sofia: decide on the late applicant.\nRiya: book the portfolio review.",
)
DESIGNER_PAUSED: Final = Note(
    "Paused: the redesign moves to the second quarter, and its budget with it. Both candidates "
    "in process heard it from us personally; we keep in touch until we revisit in January.",
    "Riya: call both candidates in the first week of January.",
)

SENT_AT: Final = time(9, 0)  # Monday, in the manager's time zone
WRITTEN_BEFORE: Final = timedelta(minutes=30)  # Riya's note, before the report goes out
SCHEDULED_WEEKS: Final = 2  # the last Mondays bring Hannah's scheduled roll-up
SHARED_DAYS: Final = 14
DANA: Final = "Dana Ruiz, VP Engineering"
REVOKED: Final = "Sam Ortiz, Finance business partner"
# The other managers' schedules, set when the demo is built: (who, set by, frequency, weekday, at).
SCHEDULES: Final = (
    (hiring.DAVID, hiring.RIYA, Frequency.DAILY, Weekday.MONDAY, time(9, 0)),
    (hiring.SOFIA, hiring.SOFIA, Frequency.BIWEEKLY, Weekday.THURSDAY, time(16, 0)),
)


def _mondays(after: datetime, until: datetime, time_zone: str) -> list[datetime]:
    """Mondays at SENT_AT in `time_zone` within (after, until], oldest first."""
    zone = ZoneInfo(time_zone)
    day = until.astimezone(zone).date()
    day -= timedelta(days=day.weekday())
    found = []
    while (at := _wall(day, SENT_AT, zone)) > after:
        if at <= until:
            found.append(at)
        day -= timedelta(weeks=1)
    return found[::-1]


def _wall(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


@dataclass
class Story:
    line: Timeline
    cast: dict[str, Member]
    now: datetime

    @property
    def recruiter(self) -> Member:
        return self.cast[hiring.RIYA]

    def plan(self, at: datetime, step: Step) -> None:
        if at <= self.now:  # a story changed elsewhere must not send anything from the future
            self.line.schedule(at, step)

    def write(self, requisition: Requisition, note: Note, at: datetime) -> None:
        revision = ReportNote.objects.filter(requisition=requisition).values_list(
            "revision", flat=True
        )
        saved = reports.note_save(
            actor=self.recruiter,
            requisition=requisition,
            narrative=note.narrative,
            next_steps=note.next_steps,
            revision=revision.first() or 0,
        )
        # The service stamps the real time; the Timeline moves only what it knows about.
        ReportNote.objects.filter(pk=saved.pk).update(updated_at=at)

    def send(self, requisition: Requisition, at: datetime) -> None:
        """Riya's "Send now"; the worker delivers it at once."""
        report = reports.report_send(actor=self.recruiter, requisition=requisition, now=at)
        managers = requisition.hiring_managers.active()
        self.deliver(report, list(managers.values_list("pk", flat=True)), at)

    def subscribe(self, manager: Member, at: datetime) -> None:
        """The manager asks for a weekly report of all their searches, on Monday at SENT_AT."""
        reports.schedule_update(
            actor=manager,
            member=manager,
            frequency=Frequency.WEEKLY,
            weekday=Weekday.MONDAY,
            at=SENT_AT,
            time_zone=time_zone_of(manager),
            now=at,
        )

    def scheduled(self, manager: Member, at: datetime) -> None:
        """The worker's round at the slot, as `reports.services.deliver_due` and
        `send_scheduled` play it, but with the slot's time where they read the clock."""
        schedule = ReportSchedule.objects.get(member=manager)
        slot = schedule.next_due_at
        if slot is None or slot > at:
            return
        ReportSchedule.objects.filter(pk=schedule.pk, next_due_at=slot).update(
            next_due_at=next_slot(schedule, at), last_sent_at=at
        )
        report = reports.rollup_send(actor=None, manager=manager, now=slot, slot=slot)
        if report is not None:
            self.deliver(report, [manager.pk], at)

    def deliver(self, report: StatusReport, recipients: list[int], at: datetime) -> None:
        """The worker's `deliver_report`, run now rather than after the build commits: the task
        enqueued then finds the report delivered and does nothing."""
        reports.report_deliver(report.pk, recipients)
        StatusReport.objects.filter(pk=report.pk).update(delivered_at=at)

    def share(self, requisition: Requisition, label: str, at: datetime) -> None:
        reports.share_link_create(
            actor=self.recruiter, label=label, days=SHARED_DAYS, requisition=requisition, now=at
        )

    def open(self, label: str, at: datetime) -> None:
        link = ShareLink.objects.get(workspace=self.recruiter.workspace, label=label)
        reports.share_link_open(reports.share_token(link), now=at)

    def revoke(self, label: str, at: datetime) -> None:
        link = ShareLink.objects.get(workspace=self.recruiter.workspace, label=label)
        reports.share_link_revoke(actor=self.recruiter, link=link)
        ShareLink.objects.filter(pk=link.pk).update(revoked_at=at)


def _running(workspace: Workspace, role: hiring.Role) -> Requisition | None:
    return Requisition.objects.filter(
        workspace=workspace, title=role.title, status__in=REPORTED_STATUSES
    ).first()


def _plan(story: Story, backend: Requisition, designer: Requisition | None) -> None:
    hannah = story.cast[hiring.HANNAH]
    weeks = _mondays(backend.created_at, story.now, time_zone_of(hannah))[-len(BACKEND_NOTES) :]
    by_hand, scheduled = weeks[:-SCHEDULED_WEEKS], weeks[-SCHEDULED_WEEKS:]
    for monday, note in zip(weeks, BACKEND_NOTES[-len(weeks) :], strict=True):
        story.plan(monday - WRITTEN_BEFORE, functools.partial(story.write, backend, note))
    for monday in by_hand:
        story.plan(monday, functools.partial(story.send, backend))
    if not scheduled:
        return
    tuesday = scheduled[0] - timedelta(days=6)  # after her last report by hand, at SENT_AT
    story.plan(tuesday + timedelta(hours=2), functools.partial(story.subscribe, hannah))
    for monday in scheduled:
        story.plan(monday, functools.partial(story.scheduled, hannah))
    if designer is not None:  # in the roll-up beside Senior Backend
        first = scheduled[0] - WRITTEN_BEFORE
        paused = designer.status_changed_at if designer.status == Status.ON_HOLD else None
        if paused is not None and paused < first:
            story.plan(first, functools.partial(story.write, designer, DESIGNER_PAUSED))
        else:
            story.plan(first, functools.partial(story.write, designer, DESIGNER_NOTE))
            if paused is not None:
                story.plan(paused, functools.partial(story.write, designer, DESIGNER_PAUSED))

    # Riya stopped sharing a link once Finance had what it needed, and shared the live report
    # with Hannah's boss after the revision (Dana opened it twice).
    story.plan(tuesday + timedelta(hours=5), functools.partial(story.share, backend, REVOKED))
    shared = scheduled[0] + timedelta(days=3, hours=6)  # Thursday 15:00
    story.plan(shared - timedelta(hours=2), functools.partial(story.revoke, REVOKED))
    story.plan(shared, functools.partial(story.share, backend, DANA))
    story.plan(shared + timedelta(hours=1), functools.partial(story.open, DANA))
    story.plan(shared + timedelta(days=1), functools.partial(story.open, DANA))


@transaction.atomic
def build_reports() -> None:
    """Weeks of status reports on the Senior Backend search, the managers' schedules and share
    links. Skipped when Northwind has reports."""
    workspace = Workspace.objects.get(slug=data.NORTHWIND[1])
    backend = _running(workspace, hiring.SENIOR_BACKEND)
    if backend is None or StatusReport.objects.filter(workspace=workspace).exists():
        return
    cast = {
        m.user.email: m
        for m in Member.objects.filter(workspace=workspace).select_related("user", "workspace")
    }
    story = Story(Timeline(workspace), cast, timezone.now())
    _plan(story, backend, _running(workspace, hiring.PRODUCT_DESIGNER))
    with quietly():
        story.line.run()

    # The other managers choose their rhythm now, so nothing is due when the demo starts.
    for email, by, frequency, weekday, at in SCHEDULES:
        manager = cast[email]
        reports.schedule_update(
            actor=cast[by],
            member=manager,
            frequency=frequency,
            weekday=weekday,
            at=at,
            time_zone=time_zone_of(manager),
        )
