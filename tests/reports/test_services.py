"""Writing, sending and sharing status reports."""

import json
from datetime import timedelta
from pathlib import Path

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.audit.models import AuditEntry
from accord.candidates.models import Candidate
from accord.candidates.services import candidate_erase
from accord.lib.conflicts import Conflict
from accord.lib.links import LinkProblem
from accord.nudges.models import ContactPreference, Message, MessageKind, MessageStatus
from accord.reports import services
from accord.reports.models import ReportNote, ShareLink, StatusReport
from accord.workspaces.models import Member
from tests.factories import RequisitionFactory
from tests.reports.conftest import History, build_history

pytestmark = pytest.mark.django_db


def test_note_save_keeps_the_words_and_refuses_a_stale_revision(
    history: History, recruiter: Member, admin: Member
) -> None:
    note = services.note_save(
        actor=recruiter,
        requisition=history.requisition,
        narrative="Two strong finalists.",
        next_steps="Offer to A by Friday.",
        revision=0,
    )
    assert (note.revision, note.updated_by) == (1, recruiter)
    assert AuditEntry.objects.filter(action="report_note.updated").count() == 1

    with pytest.raises(Conflict) as conflict:
        services.note_save(
            actor=admin,
            requisition=history.requisition,
            narrative="Overwrite",
            next_steps="",
            revision=0,
        )
    assert conflict.value.current.narrative == "Two strong finalists."
    assert ReportNote.objects.get().narrative == "Two strong finalists."


def test_note_save_refuses_a_manager_and_text_too_long(
    history: History, recruiter: Member, hiring_manager: Member
) -> None:
    with pytest.raises(ValidationError, match="Your role does not allow this"):
        services.note_save(
            actor=hiring_manager,
            requisition=history.requisition,
            narrative="x",
            next_steps="",
            revision=0,
        )
    with pytest.raises(ValidationError, match="under 4000 characters"):
        services.note_save(
            actor=recruiter,
            requisition=history.requisition,
            narrative="x" * 4001,
            next_steps="",
            revision=0,
        )
    assert not ReportNote.objects.exists()


def test_report_send_keeps_what_was_told_and_the_narrative_of_that_moment(
    history: History, recruiter: Member
) -> None:
    services.note_save(
        actor=recruiter,
        requisition=history.requisition,
        narrative="Week 3: offer declined on pay.",
        next_steps="",
        revision=0,
    )
    report = services.report_send(actor=recruiter, requisition=history.requisition)
    services.note_save(
        actor=recruiter,
        requisition=history.requisition,
        narrative="Week 4",
        next_steps="",
        revision=1,
    )

    report.refresh_from_db()
    assert report.narrative == "Week 3: offer declined on pay."
    assert report.recipients == [{"name": "Hugo Manager", "channel": "email"}]
    assert report.data["requisition"]["title"] == "Platform Engineer"
    assert report.sent_by == recruiter
    assert AuditEntry.objects.filter(action="report.sent").count() == 1


def test_report_send_needs_a_manager_and_changes_nothing_without(recruiter: Member) -> None:
    requisition = RequisitionFactory(workspace=recruiter.workspace, recruiter=recruiter)
    requisition.hiring_managers.clear()
    with pytest.raises(ValidationError, match="no active hiring manager"):
        services.report_send(actor=recruiter, requisition=requisition)
    assert not StatusReport.objects.exists()


def test_share_link_opens_until_revoked_or_expired(history: History, recruiter: Member) -> None:
    link = services.share_link_create(
        actor=recruiter, label="Dana Ruiz, VP Engineering", requisition=history.requisition
    )
    token = services.share_token(link)

    opened = services.share_link_open(token)
    assert isinstance(opened, ShareLink)
    assert opened.pk == link.pk
    assert ShareLink.objects.get().opened_count == 1

    later = timezone.now() + timedelta(days=15)
    expired = services.share_link_open(token, now=later)
    assert isinstance(expired, LinkProblem)
    assert expired.title == "This link has expired"

    assert services.share_link_revoke(actor=recruiter, link=link)
    revoked = services.share_link_open(token)
    assert isinstance(revoked, LinkProblem)
    assert revoked.title == "This link was revoked"

    forged = services.share_link_open(token[:-3] + "abc")
    assert isinstance(forged, LinkProblem)
    assert forged.title == "This link doesn’t work"


def test_share_link_needs_a_label_and_a_sane_lifetime(history: History, recruiter: Member) -> None:
    with pytest.raises(ValidationError, match="Say who the link is for"):
        services.share_link_create(actor=recruiter, label="  ", requisition=history.requisition)
    with pytest.raises(ValidationError, match="1 to 90 days"):
        services.share_link_create(
            actor=recruiter, label="Dana", days=365, requisition=history.requisition
        )
    assert not ShareLink.objects.exists()


def test_a_rollup_reaches_its_manager_with_every_search_and_one_pdf(
    recruiter: Member,
    hiring_manager: Member,
    django_capture_on_commit_callbacks,
    mailoutbox,
    caplog,
) -> None:
    first = build_history(recruiter, hiring_manager)
    second = build_history(recruiter, hiring_manager)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.rollup_send(actor=recruiter, manager=hiring_manager)

    assert report is not None
    assert report.scope == "manager"
    assert {part.requisition for part in report.parts.all()} == {
        first.requisition,
        second.requisition,
    }
    assert [row["title"] for row in report.data["rows"]] == ["Platform Engineer"] * 2
    report.refresh_from_db()
    pdf = pdfplumber.open(report.pdf.open("rb"))
    text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Hiring status for Hugo Manager" in text
    assert text.count("Funnel") >= 2
    assert not [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= 40]
    [email] = mailoutbox
    assert email.subject == "Hiring status: 2 searches"
    attached = [part.get_content_type() for part in email.message().iter_attachments()]
    assert attached == ["application/pdf"]


def test_a_manager_on_text_messages_gets_the_link_not_the_files(
    history: History, recruiter: Member, hiring_manager: Member, django_capture_on_commit_callbacks
) -> None:
    ContactPreference.objects.create(
        member=hiring_manager, channel="sms", phone="+447700900123", chosen=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_send(actor=recruiter, requisition=history.requisition)

    message = Message.objects.get(kind=MessageKind.REPORT)
    assert (message.channel, message.status) == ("sms", MessageStatus.SENT)
    assert f"/status/reports/{report.public_id}/" in message.text
    assert report.recipients == [{"name": "Hugo Manager", "channel": "sms"}]


def test_delivering_twice_sends_once_and_keeps_one_set_of_files(
    history: History, recruiter: Member, settings
) -> None:
    report = services.report_send(actor=recruiter, requisition=history.requisition)
    manager = history.requisition.hiring_managers.get()

    assert services.report_deliver(report.pk, [manager.pk]) == 1
    assert services.report_deliver(report.pk, [manager.pk]) == 0

    report.refresh_from_db()
    assert report.delivered_at is not None
    message = Message.objects.get(kind=MessageKind.REPORT)
    assert message.attachments[0]["path"] == report.pdf.name
    folder = Path(settings.MEDIA_ROOT) / "reports" / str(report.public_id)
    assert sorted(p.suffix for p in folder.iterdir()) == [".pdf", ".png", ".png", ".png"]


def test_erasing_a_candidate_removes_them_from_the_reports_sent(
    history: History, recruiter: Member, admin: Member, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_send(actor=recruiter, requisition=history.requisition)
    report.refresh_from_db()
    pdf_path = Path(report.pdf.path)
    assert "Cand E" in json.dumps(report.data)

    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(actor=admin, candidate=history.apps["E"].candidate)

    report.refresh_from_db()
    assert "Cand E" not in json.dumps(report.data)
    assert "Erased candidate" in json.dumps(report.data)
    assert not report.pdf
    assert not pdf_path.exists()
    message = Message.objects.get(kind=MessageKind.REPORT)
    assert "Cand E" not in message.text + message.html


def test_erasure_finds_a_name_with_accents_and_an_apostrophe(
    history: History, recruiter: Member, admin: Member, django_capture_on_commit_callbacks
) -> None:
    """The figures are stored as UTF-8 JSON and the messages HTML-escape the name: a search for
    "Zo\\u00eb" or a raw apostrophe would miss it."""
    candidate = history.apps["E"].candidate
    Candidate.objects.filter(pk=candidate.pk).update(name="Zoë O'Brien")
    candidate.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_send(actor=recruiter, requisition=history.requisition)
    report.refresh_from_db()
    assert "Zoë O'Brien" in json.dumps(report.data, ensure_ascii=False)

    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(actor=admin, candidate=candidate)

    report.refresh_from_db()
    stored = json.dumps(report.data, ensure_ascii=False)
    assert "Zoë" not in stored
    assert "Erased candidate" in stored
    for message in Message.objects.filter(kind=MessageKind.REPORT):
        assert "Zoë" not in message.text + message.html
        assert "Brien" not in message.text + message.html


def test_a_rollup_is_sent_in_the_same_queries_however_many_searches(
    recruiter: Member, hiring_manager: Member
) -> None:
    def queries_to_send(searches: int) -> int:
        while hiring_manager.requisitions_managed.count() < searches:
            build_history(recruiter, hiring_manager)
        with CaptureQueriesContext(connection) as queries:
            services.rollup_send(actor=recruiter, manager=hiring_manager)
        return len(queries.captured_queries)

    queries_to_send(2)  # warms the caches a first send fills (content types)
    assert queries_to_send(2) == queries_to_send(5)
