"""`accord report`: one report on demand as JSON, HTML or PDF, from real requisitions, and a
clear refusal for each way of asking wrongly."""

import io
import json
import os
import pty
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from django.core.management import CommandError, call_command

from accord.pipeline.models import Application, Category, Reason, StageMove
from accord.pipeline.services import application_move
from accord.reports.services import note_save, report_send
from accord.requisitions.models import Requisition, Status
from accord.workspaces.models import Member, Role
from tests.factories import MemberFactory, RequisitionFactory, WorkspaceFactory
from tests.reviews.conftest import Scene, build_scene

NARRATIVE = "Strong week: two candidates went to Hugo. Café Ünïcode stays as typed."
NEXT_STEPS = "Book the first interviews by Thursday."


def run(**options: Any) -> str:
    out = io.StringIO()
    call_command("report", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def refused(**options: Any) -> str:
    with pytest.raises(CommandError) as caught:
        run(**options)
    return str(caught.value)


def staged(recruiter: Member, manager: Member, title: str) -> Scene:
    """Five candidates screened; two sent on to the manager, one rejected, two left at screen."""
    scene = build_scene(recruiter, manager)
    Requisition.objects.filter(pk=scene.requisition.pk).update(title=title, status=Status.OPEN)
    scene.requisition.refresh_from_db()
    screen = scene.stages[Category.SCREEN]
    # The factory places applications without the first move application_create records.
    StageMove.objects.bulk_create(
        StageMove(application=a, to_stage=screen, actor=recruiter, at=a.created_at)
        for a in scene.applications
    )
    first, second, third = scene.applications[:3]
    for application in (first, second):
        application_move(
            actor=recruiter, application=application, to_stage=scene.stages[Category.SUBMITTED]
        )
    application_move(
        actor=recruiter,
        application=third,
        to_stage=scene.stages[Category.REJECTED],
        reason=Reason.EXPERIENCE,
    )
    return scene


@pytest.fixture
def scene(recruiter: Member, hiring_manager: Member) -> Scene:
    scene = staged(recruiter, hiring_manager, "Senior Backend Engineer")
    note_save(
        actor=recruiter,
        requisition=scene.requisition,
        narrative=NARRATIVE,
        next_steps=NEXT_STEPS,
        revision=0,
    )
    return scene


def funnel_of(data: dict[str, Any]) -> dict[str, tuple[int, int, float | None]]:
    return {row["label"]: (row["reached"], row["now"], row["conversion"]) for row in data["funnel"]}


# --- JSON -------------------------------------------------------------------------------------


def test_json_of_a_requisition_has_its_figures_and_the_recruiters_words(scene: Scene) -> None:
    data = json.loads(run(requisition=str(scene.requisition.public_id), format="json"))

    assert data["requisition"]["title"] == "Senior Backend Engineer"
    assert data["requisition"]["id"] == str(scene.requisition.public_id)
    assert data["requisition"]["managers"] == ["Hugo Manager"]
    funnel = funnel_of(data)
    assert funnel["Sourced"] == (5, 0, 1.0)
    assert funnel["Screen"] == (5, 2, 0.4)
    assert funnel["Submitted to manager"] == (2, 2, 0.0)
    assert funnel["Hired"] == (0, 0, None)
    assert data["totals"] == {
        "candidates": 5,
        "active": 4,
        "hired": 0,
        "rejected": 1,
        "withdrawn": 0,
    }
    activity = {row["key"]: row["now"] for row in data["activity"]}
    assert activity["sourced"] == 5
    assert activity["submitted"] == 2
    assert data["period"]["days"] == 7
    assert data["narrative"] == NARRATIVE
    assert data["next_steps"] == NEXT_STEPS
    assert data["changes"] == []  # nothing sent before


def test_a_requisition_report_says_what_changed_since_the_last_one_sent(
    scene: Scene, recruiter: Member
) -> None:
    report_send(actor=recruiter, requisition=scene.requisition)
    application_move(
        actor=recruiter,
        application=scene.applications[3],
        to_stage=scene.stages[Category.SUBMITTED],
    )

    data = json.loads(run(requisition=str(scene.requisition.public_id), format="json"))
    html = run(requisition=str(scene.requisition.public_id), format="html")

    assert "Submitted to manager: 2 → 3 candidates" in data["changes"]
    assert "Screen: 2 → 1 candidates" in data["changes"]
    assert "Submitted to manager: 2 → 3 candidates" in html


def test_json_is_pretty_printed_utf8(scene: Scene, tmp_path: Path) -> None:
    output = tmp_path / "report.json"
    run(requisition=str(scene.requisition.public_id), format="json", output=output)

    raw = output.read_bytes()
    assert "Café Ünïcode".encode() in raw  # not \u escapes
    assert raw.startswith(b'{\n  "')
    assert json.loads(raw)["narrative"] == NARRATIVE


def test_json_of_a_managers_roll_up_covers_each_running_search(
    scene: Scene, recruiter: Member, hiring_manager: Member
) -> None:
    other = staged(recruiter, hiring_manager, "Data Engineer")
    closed = RequisitionFactory(
        workspace=recruiter.workspace,
        recruiter=recruiter,
        hiring_managers=[hiring_manager],
        title="Filled long ago",
        status=Status.FILLED,
    )

    # Emails are matched whatever their case.
    data = json.loads(run(manager=hiring_manager.user.email.upper(), format="json"))

    assert data["manager"] == {"id": str(hiring_manager.public_id), "name": "Hugo Manager"}
    assert [row["title"] for row in data["rows"]] == ["Senior Backend Engineer", "Data Engineer"]
    assert [row["active"] for row in data["rows"]] == [4, 4]
    parts = data["requisitions"]
    assert [part["requisition"]["id"] for part in parts] == [
        str(scene.requisition.public_id),
        str(other.requisition.public_id),
    ]
    assert str(closed.public_id) not in json.dumps(data)
    assert funnel_of(parts[1])["Submitted to manager"] == (2, 2, 0.0)
    assert parts[0]["narrative"] == NARRATIVE
    assert parts[1]["narrative"] == ""


# --- HTML -------------------------------------------------------------------------------------


VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "wbr", "source"}


class Tree(HTMLParser):
    """Fails on a closing tag that doesn't close the element open, and keeps what tests read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.seen: list[str] = []
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open[-1] == tag, f"</{tag}> closes <{self.open[-1]}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open[-2:] == ["head", "title"]:  # the document's, not a chart's
            self.title += data


def parsed(html: str) -> Tree:
    tree = Tree()
    tree.feed(html)
    tree.close()
    assert tree.open == [], f"left open: {tree.open}"
    return tree


def test_html_of_a_requisition_is_a_standalone_document_with_its_charts(scene: Scene) -> None:
    html = run(requisition=str(scene.requisition.public_id), format="html")

    assert html.startswith("<!DOCTYPE html>")
    tree = parsed(html)
    assert tree.title.strip() == "Hiring status: Senior Backend Engineer"
    assert tree.seen.count("svg") == 3  # funnel, time in stage, feedback turnaround
    assert "<script" not in html
    assert "<link" not in html  # nothing fetched: styles inline
    assert "Café Ünïcode stays as typed." in html
    assert NEXT_STEPS in html


def test_html_of_a_roll_up_has_a_section_per_requisition(
    scene: Scene, recruiter: Member, hiring_manager: Member
) -> None:
    staged(recruiter, hiring_manager, "Data Engineer")

    html = run(manager=hiring_manager.user.email, format="html")

    tree = parsed(html)
    assert tree.title.strip() == "Hiring status for Hugo Manager"
    assert html.count('data-testid="report-section"') == 2
    assert tree.seen.count("svg") == 6
    assert "Senior Backend Engineer" in html
    assert "Data Engineer" in html


# --- PDF --------------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def test_pdf_to_a_file(scene: Scene, tmp_path: Path) -> None:
    output = tmp_path / "status.pdf"
    errors = io.StringIO()

    call_command(
        "report",
        requisition=str(scene.requisition.public_id),
        format="pdf",
        output=output,
        stdout=io.StringIO(),
        stderr=errors,
    )

    pdf = output.read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "Hiring status: Senior Backend Engineer" in text
    assert "Book the first interviews by Thursday." in text
    assert str(output) in errors.getvalue()


def test_pdf_through_a_pipe(scene: Scene, recruiter: Member, hiring_manager: Member) -> None:
    staged(recruiter, hiring_manager, "Data Engineer")
    pipe = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")

    call_command("report", manager=hiring_manager.user.email, format="pdf", stdout=pipe)

    pdf = pipe.buffer.getvalue()  # type: ignore[attr-defined]
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "Hiring status for Hugo Manager" in text
    assert "Data Engineer" in text


def test_pdf_is_refused_on_a_terminal(scene: Scene) -> None:
    controller, terminal_fd = pty.openpty()
    try:
        with (
            os.fdopen(terminal_fd, "w", closefd=False) as terminal,
            pytest.raises(CommandError, match="--output FILE"),
        ):
            call_command(
                "report",
                requisition=str(scene.requisition.public_id),
                format="pdf",
                stdout=terminal,
            )
    finally:
        os.close(terminal_fd)
        os.close(controller)


def test_pdf_into_a_text_only_stream_is_refused(scene: Scene) -> None:
    message = refused(requisition=str(scene.requisition.public_id), format="pdf")
    assert "--output FILE" in message


# --- refusals ---------------------------------------------------------------------------------


def test_neither_or_both_subjects_are_refused(scene: Scene, hiring_manager: Member) -> None:
    for options in (
        {"format": "json"},
        {
            "requisition": str(scene.requisition.public_id),
            "manager": hiring_manager.user.email,
            "format": "json",
        },
    ):
        message = refused(**options)
        assert "--requisition ID" in message
        assert "--manager EMAIL" in message


def test_an_unknown_format_is_refused(scene: Scene) -> None:
    message = refused(requisition=str(scene.requisition.public_id), format="docx")
    assert "“docx”" in message
    assert "html, pdf or json" in message


def test_a_requisition_id_that_is_no_uuid_is_refused(db: None) -> None:
    message = refused(requisition="42", format="json")
    assert "“42” is not a requisition id" in message
    assert "UUID" in message


def test_an_unknown_requisition_is_refused(db: None) -> None:
    message = refused(requisition="6f1c2a9e-0000-4000-8000-000000000000", format="json")
    assert "No requisition has the id 6f1c2a9e-0000-4000-8000-000000000000" in message


def test_a_requisition_of_another_workspace_is_refused(scene: Scene, outsider: Member) -> None:
    message = refused(
        requisition=str(scene.requisition.public_id),
        workspace=outsider.workspace.slug,
        format="json",
    )
    assert "No requisition has the id" in message
    assert "“other”" in message


def test_an_unknown_workspace_is_refused(scene: Scene) -> None:
    message = refused(
        requisition=str(scene.requisition.public_id), workspace="nowhere", format="json"
    )
    assert "No workspace has the slug “nowhere”" in message


def test_an_unknown_email_is_refused(db: None) -> None:
    message = refused(manager="nobody@example.com", format="json")
    assert "Nobody in Accord has the email nobody@example.com" in message


def test_someone_who_is_no_longer_a_member_is_refused(scene: Scene, admin: Member) -> None:
    gone = MemberFactory(workspace=admin.workspace, role=Role.HIRING_MANAGER, is_active=False)

    message = refused(manager=gone.user.email, format="json")

    assert f"{gone.user.email} has an account but is not an active member" in message


def test_a_member_without_a_running_search_is_refused(interviewer: Member) -> None:
    message = refused(manager=interviewer.user.email, format="json")
    assert "Ivy Interviewer manages no running search in “acme”" in message


def test_a_member_of_several_workspaces_must_say_which(
    scene: Scene, hiring_manager: Member
) -> None:
    elsewhere = WorkspaceFactory(name="Beta Labs", slug="beta")
    MemberFactory(workspace=elsewhere, user=hiring_manager.user, role=Role.HIRING_MANAGER)

    message = refused(manager=hiring_manager.user.email, format="json")
    assert "member of several workspaces (acme, beta)" in message
    assert "--workspace SLUG" in message

    other = WorkspaceFactory(name="Gamma", slug="gamma")
    message = refused(manager=hiring_manager.user.email, workspace=other.slug, format="json")
    assert "not a member of the workspace “gamma”" in message
    assert "acme, beta" in message

    data = json.loads(run(manager=hiring_manager.user.email, workspace="acme", format="json"))
    assert [row["title"] for row in data["rows"]] == ["Senior Backend Engineer"]


def test_an_output_that_cant_be_written_is_refused(scene: Scene, tmp_path: Path) -> None:
    message = refused(
        requisition=str(scene.requisition.public_id),
        format="json",
        output=tmp_path / "missing" / "report.json",
    )
    assert "Can't write" in message
    assert not (tmp_path / "missing").exists()


def test_the_report_changes_nothing(scene: Scene, hiring_manager: Member, tmp_path: Path) -> None:
    from accord.audit.models import AuditEntry
    from accord.reports.models import StatusReport

    audit_before = AuditEntry.objects.count()
    moves_before = StageMove.objects.count()

    run(requisition=str(scene.requisition.public_id), format="json")
    run(manager=hiring_manager.user.email, format="html")

    assert not StatusReport.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert StageMove.objects.count() == moves_before
    assert Application.objects.filter(requisition=scene.requisition).count() == 5
