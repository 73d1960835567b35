"""The demo's status reports (demo/reports.py): weeks of reports on the Senior Backend search, sent
as they were at the time, each manager's schedule, and share links."""

from datetime import time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.demo import hiring
from accord.demo.reports import BACKEND_NOTES, DANA, REVOKED, SHARED_DAYS
from accord.lib.links import LinkProblem
from accord.nudges.models import Message, MessageStatus
from accord.reports import services
from accord.reports.models import (
    Frequency,
    ReportNote,
    ReportSchedule,
    Scope,
    ShareLink,
    StatusReport,
    Weekday,
)
from accord.reports.selectors import changes
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Role

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def demo() -> None:
    call_command("demo", stdout=StringIO())


def backend() -> Requisition:
    return Requisition.objects.get(workspace__slug="northwind", title=hiring.SENIOR_BACKEND.title)


def test_the_open_search_has_a_report_every_monday_each_sent_as_it_was():
    demo()
    now = timezone.now()
    sent = list(
        StatusReport.objects.filter(requisition=backend(), scope=Scope.REQUISITION)
        .select_related("rollup")
        .order_by("sent_at")
    )

    # One a week, Monday 09:00 in Hannah's time zone, each with Riya's words of that week.
    assert len(sent) >= 4
    assert len({report.sent_at.isocalendar()[:2] for report in sent}) == len(sent)
    for report in sent:
        local = report.sent_at.astimezone(LONDON)
        assert (local.weekday(), local.time()) == (Weekday.MONDAY, time(9, 0))
        assert report.sent_at < now
    assert [r.narrative for r in sent] == [n.narrative for n in BACKEND_NOTES[-len(sent) :]]
    assert [r.next_steps for r in sent] == [n.next_steps for n in BACKEND_NOTES[-len(sent) :]]
    assert ReportNote.objects.get(requisition=backend()).narrative == sent[-1].narrative
    # The figures are those of each Monday, so the latest report has news since the last.
    assert changes(sent[-2].data, sent[-1].data)
    assert sent[0].data["as_of"] != sent[-1].data["as_of"]

    # Riya sent the first ones herself; the last ones went in Hannah's weekly roll-up of both
    # her searches, on her schedule's slots.
    by_hand = [r for r in sent if r.rollup is None]
    rolled_up = [r.rollup for r in sent if r.rollup is not None]
    assert by_hand
    assert rolled_up
    assert all(r.sent_by is not None and r.sent_by.user.email == hiring.RIYA for r in by_hand)
    for rollup in rolled_up:
        assert (rollup.scope, rollup.slot, rollup.sent_by) == (Scope.MANAGER, rollup.sent_at, None)
        assert rollup.manager.user.email == hiring.HANNAH
        assert set(rollup.parts.values_list("requisition__title", flat=True)) == {
            hiring.SENIOR_BACKEND.title,
            hiring.PRODUCT_DESIGNER.title,
        }

    # Each delivered at its moment: its PDF on disk, and a message to Hannah sent then.
    delivered = by_hand + rolled_up
    # Only reports carry attachments (the PDF first, then the charts).
    notices = Message.objects.filter(recipient__user__email=hiring.HANNAH).exclude(attachments=[])
    assert notices.count() == len(delivered)
    for report in delivered:
        assert report.delivered_at == report.sent_at
        assert report.recipients == [{"name": "Hannah Okafor", "channel": "sms"}]
        with default_storage.open(report.pdf.name) as pdf:
            assert pdf.read(5) == b"%PDF-"
        soon = (report.sent_at, report.sent_at + timedelta(minutes=5))
        message = notices.get(created_at__range=soon)
        assert message.status == MessageStatus.SENT
        assert soon[0] <= message.sent_at < soon[1]
        assert message.attachments[0]["path"] == report.pdf.name
        for attachment in message.attachments:
            assert default_storage.exists(attachment["path"])
    # Nothing the demo made waits for the worker: it would send weeks-old reports again.
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert not StatusReport.objects.filter(delivered_at__isnull=True, rollup__isnull=True)


def test_managers_have_schedules_and_the_report_is_shared():
    now = timezone.now()  # before the demo sets the schedules: one may fall due while it runs
    demo()
    managers = Member.objects.filter(
        workspace__slug="northwind", role=Role.HIRING_MANAGER, is_active=True
    )
    schedules = {s.member.user.email: s for s in ReportSchedule.objects.filter(member__in=managers)}
    assert set(schedules) == set(managers.values_list("user__email", flat=True))
    assert all(s.next_due_at is not None and s.next_due_at > now for s in schedules.values())
    assert {s.frequency for s in schedules.values()} == {
        Frequency.WEEKLY,
        Frequency.BIWEEKLY,
        Frequency.DAILY,
    }
    hannah = schedules[hiring.HANNAH]
    assert (hannah.frequency, hannah.weekday, hannah.at) == (
        Frequency.WEEKLY,
        Weekday.MONDAY,
        time(9, 0),
    )
    rollup = StatusReport.objects.filter(scope=Scope.MANAGER).latest("sent_at")
    assert hannah.last_sent_at == rollup.slot
    # Nothing is due when the demo starts: the worker's first round sends nothing.
    assert services.deliver_due(now) == 0

    dana = ShareLink.objects.get(label=DANA)
    assert (dana.requisition, dana.expires_at - dana.created_at) == (
        backend(),
        timedelta(days=SHARED_DAYS),
    )
    assert dana.opened_count == 2
    opened = services.share_link_open(services.share_token(dana))
    assert isinstance(opened, ShareLink)
    assert opened.pk == dana.pk
    revoked = ShareLink.objects.get(label=REVOKED)
    assert revoked.created_at < revoked.revoked_at < revoked.expires_at
    assert isinstance(services.share_link_open(services.share_token(revoked)), LinkProblem)
    page = Client().get(reverse("reports:shared", args=[services.share_token(dana)]))
    assert page.status_code == 200
    assert BACKEND_NOTES[-1].narrative.split(":")[0] in page.content.decode()

    # Riya sees the live report, the reports sent and one as it was.
    client = Client()
    riya = Member.objects.get(user__email=hiring.RIYA, workspace__slug="northwind")
    client.force_login(riya.user)
    page = client.get(reverse("reports:requisition", args=["northwind", backend().public_id]))
    assert page.status_code == 200
    first = StatusReport.objects.filter(requisition=backend()).earliest("sent_at")
    page = client.get(reverse("reports:snapshot", args=["northwind", first.public_id]))
    assert page.status_code == 200
    assert first.narrative.split(",")[0] in page.content.decode()

    def state() -> list[list[tuple[object, ...]]]:
        return [
            list(rows.order_by("pk").values_list(*fields))
            for rows, fields in (
                (StatusReport.objects, ("sent_at", "delivered_at", "pdf")),
                (ReportSchedule.objects, ("member", "next_due_at", "updated_at")),
                (ShareLink.objects, ("label", "created_at", "revoked_at", "opened_count")),
                (ReportNote.objects, ("requisition", "revision", "updated_at")),
                (Message.objects, ("created_at", "status")),
            )
        ]

    before = state()
    demo()
    assert state() == before
