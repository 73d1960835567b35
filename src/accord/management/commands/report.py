"""`accord report`: one status report on demand, as of now, for a requisition or for a hiring
manager's roll-up, as JSON (the figures), a standalone HTML document or a PDF.

It reads what the live report page reads (the same selectors, figures and templates) and sends
or stores nothing: a report sent from Accord is kept as a snapshot; this one only prints.
"""

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.people.models import User
from accord.reports import render
from accord.reports.selectors import (
    live_report,
    live_rollup,
    managed_by,
    with_people,
)
from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Workspace

FORMATS = ("html", "pdf", "json")


class Command(BaseCommand):
    help = (
        "Print one status report as of now: a requisition's (--requisition ID) or a hiring "
        "manager's roll-up (--manager EMAIL), as HTML, PDF or JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--requisition",
            metavar="ID",
            help="The requisition's id, as in its web address (a UUID).",
        )
        parser.add_argument(
            "--manager", metavar="EMAIL", help="The hiring manager's email: their roll-up."
        )
        parser.add_argument(
            "--workspace",
            metavar="SLUG",
            help="The workspace, when the manager is a member of more than one.",
        )
        parser.add_argument("--format", metavar="{html,pdf,json}", required=True)
        parser.add_argument(
            "--output",
            metavar="FILE",
            type=Path,
            help="Write the report to FILE instead of standard output.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        form = options["format"]
        if form not in FORMATS:
            raise CommandError(
                _("Unknown format “%(format)s”: use --format html, pdf or json.") % {"format": form}
            )
        requisition_id, email = options["requisition"], options["manager"]
        if bool(requisition_id) == bool(email):
            raise CommandError(
                _(
                    "Say which report: --requisition ID for one requisition, or --manager EMAIL "
                    "for a hiring manager's roll-up (one of them, not both)."
                )
            )
        output: Path | None = options["output"]
        # Checked before the report is made: a PDF takes seconds to draw.
        if form == "pdf" and output is None:
            self._check_binary_stdout()
        workspace = _workspace(options["workspace"])
        now = timezone.now()
        if requisition_id:
            json_data, context = _requisition_report(requisition_id, workspace, now)
        else:
            json_data, context = _manager_report(email, workspace, now)
        if form == "json":
            content = json.dumps(json_data, indent=2, ensure_ascii=False).encode() + b"\n"
        elif form == "html":
            content = render_to_string("reports/pdf.html", context).encode()
        else:
            content = render.pdf_of(context)
        self._write(content, output, binary=form == "pdf")

    def _write(self, content: bytes, output: Path | None, *, binary: bool) -> None:
        if output is not None:
            try:
                output.write_bytes(content)
            except OSError as error:
                raise CommandError(
                    _("Can't write %(file)s (%(error)s): give a file in a folder you can write to.")
                    % {"file": output, "error": error.strerror or error}
                ) from None
            self.stderr.write(
                _("Report written to %(file)s (%(size)s bytes).")
                % {"file": output, "size": f"{len(content):,}"}
            )
            return
        if not binary:
            self.stdout.write(content.decode(), ending="")
            return
        buffer = self._check_binary_stdout()
        self.stdout.flush()
        buffer.write(content)
        buffer.flush()

    def _check_binary_stdout(self) -> Any:
        """The byte stream under standard output, unless PDF bytes can't or shouldn't go there."""
        if self.stdout.isatty():
            raise CommandError(
                _(
                    "A PDF is binary and would garble your terminal: add --output FILE, or pipe "
                    "the output into a file or a program."
                )
            )
        buffer = getattr(self.stdout, "buffer", None)
        if buffer is None:
            raise CommandError(_("This output takes text only: write the PDF with --output FILE."))
        return buffer


def _workspace(slug: str | None) -> Workspace | None:
    if slug is None:
        return None
    workspace = Workspace.objects.filter(slug=slug).first()
    if workspace is None:
        raise CommandError(
            _("No workspace has the slug “%(slug)s”: use the name in its web address (/w/SLUG/).")
            % {"slug": slug}
        )
    return workspace


def _requisition_report(
    public_id: str, workspace: Workspace | None, now: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        uuid = UUID(public_id)
    except ValueError:
        raise CommandError(
            _(
                "“%(id)s” is not a requisition id: copy the UUID from the requisition's web "
                "address (…/requisitions/<id>/)."
            )
            % {"id": public_id}
        ) from None
    found = with_people(Requisition.objects.filter(public_id=uuid))
    if workspace is not None:
        found = found.filter(workspace=workspace)
    requisition = found.first()
    if requisition is None:
        where = (
            _("in the workspace “%(slug)s”") % {"slug": workspace.slug}
            if workspace
            else _("in Accord")
        )
        raise CommandError(
            _("No requisition has the id %(id)s %(where)s: check the id in its web address.")
            % {"id": uuid, "where": where}
        )
    live = live_report(requisition, now)
    json_data = {
        **live.data,
        "narrative": live.note.narrative,
        "next_steps": live.note.next_steps,
        "changes": live.changes,
    }
    return json_data, {"sections": [live.section()], "rollup": None, "report": None}


def _member(email: str, workspace: Workspace | None) -> Member:
    members = list(
        Member.objects.filter(user__email__iexact=email.strip(), is_active=True)
        .select_related("user", "workspace")
        .order_by("workspace__slug")
    )
    if not members:
        if User.objects.filter(email__iexact=email.strip()).exists():
            raise CommandError(
                _(
                    "%(email)s has an account but is not an active member of any workspace, so "
                    "there is no roll-up to make. Check the email, or invite them first."
                )
                % {"email": email}
            )
        raise CommandError(
            _("Nobody in Accord has the email %(email)s: check the spelling.") % {"email": email}
        )
    if workspace is not None:
        here = [m for m in members if m.workspace_id == workspace.pk]
        if not here:
            raise CommandError(
                _(
                    "%(email)s is not a member of the workspace “%(slug)s”; they are in: "
                    "%(slugs)s. Pass one of those to --workspace."
                )
                % {
                    "email": email,
                    "slug": workspace.slug,
                    "slugs": ", ".join(m.workspace.slug for m in members),
                }
            )
        return here[0]
    if len(members) > 1:
        raise CommandError(
            _(
                "%(email)s is a member of several workspaces (%(slugs)s): say which with "
                "--workspace SLUG."
            )
            % {"email": email, "slugs": ", ".join(m.workspace.slug for m in members)}
        )
    return members[0]


def _manager_report(
    email: str, workspace: Workspace | None, now: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    manager = _member(email, workspace)
    if not managed_by(manager).exists():
        raise CommandError(
            _(
                "%(name)s manages no running search in “%(slug)s” (in intake, open or on hold), "
                "so there is no roll-up to make. For a closed requisition use --requisition ID."
            )
            % {"name": manager.user.display_name or email, "slug": manager.workspace.slug}
        )
    summary, sections = live_rollup(manager, now)
    json_data = {
        **summary,
        "requisitions": [
            {**section.data, "narrative": section.narrative, "next_steps": section.next_steps}
            for section in sections
        ],
    }
    return json_data, {"sections": sections, "rollup": summary, "report": None}
