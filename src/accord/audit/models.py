from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accord.workspaces.models import Member

# Every action a service records, as people read it in the log.
ACTION_LABELS = {
    "workspace.created": _("Workspace created"),
    "workspace.updated": _("Workspace settings changed"),
    "member.added": _("Member added"),
    "member.role_changed": _("Role changed"),
    "member.deactivated": _("Member deactivated"),
    "member.reactivated": _("Member reactivated"),
    "invitation.created": _("Invitation sent"),
    "invitation.resent": _("Invitation resent"),
    "invitation.revoked": _("Invitation withdrawn"),
    "invitation.accepted": _("Invitation accepted"),
    "user.profile_updated": _("Profile updated"),
    "requisition.created": _("Requisition created"),
    "requisition.updated": _("Requisition changed"),
    "requisition.status_changed": _("Requisition status changed"),
    "plan.created": _("Plan laid out"),
    "milestone.updated": _("Milestone changed"),
    "kickoff.scheduled": _("Kickoff scheduled"),
    "kickoff.moved": _("Kickoff moved"),
    "brief.started": _("Intake started"),
    "brief.answers_saved": _("Intake answers saved"),
    "brief.signatures_withdrawn": _("Signatures withdrawn by a change"),
    "brief.signed": _("Brief signed"),
    "brief.in_force": _("Brief version in force"),
    "brief.revised": _("New brief version started"),
    "brief.sign_off_requested": _("Sign-off requested"),
    "intake.sent": _("Intake sent to the manager"),
    "criterion.added": _("Criterion added"),
    "criterion.updated": _("Criterion changed"),
    "criterion.removed": _("Criterion removed"),
    "stage.added": _("Interview stage added"),
    "stage.removed": _("Interview stage removed"),
    "glossary.saved": _("Glossary definition saved"),
    "glossary.removed": _("Glossary definition removed"),
    "lexicon.added": _("Vague term added"),
    "lexicon.removed": _("Vague term removed"),
    "candidate.created": _("Candidate added"),
    "candidate.updated": _("Candidate changed"),
    "candidate.resume_added": _("Resume added"),
    "candidate.merged": _("Duplicate candidates merged"),
    "candidate.exported": _("Candidate data exported"),
    "candidate.erased": _("Candidate data erased"),
    "import.started": _("Import started"),
    "saved_search.create": _("Search saved"),
    "saved_search.update": _("Saved search replaced"),
    "saved_search.delete": _("Saved search removed"),
    "application.created": _("Candidate added to a requisition"),
    "application.moved": _("Candidate moved"),
    "applications.moved": _("Candidates moved in bulk"),
    "applications.tagged": _("Candidates tagged in bulk"),
    "assessment.saved": _("Screening verdict saved"),
    "pipeline.stages_changed": _("Pipeline stages changed"),
    "stage_template.created": _("Stage template created"),
    "stage_template.updated": _("Stage template changed"),
    "stage_template.deleted": _("Stage template removed"),
    "skill.added": _("Workspace skill added"),
    "skill.updated": _("Workspace skill changed"),
    "skill.removed": _("Workspace skill removed"),
    "scorecard.requested": _("Scorecard requested"),
    "scorecard.submitted": _("Scorecard submitted"),
    "scorecard.cancelled": _("Scorecard request withdrawn"),
    "shortlist.sent": _("Shortlist sent to a manager"),
    "shortlist.resent": _("Shortlist link sent again"),
    "shortlist.withdrawn": _("Shortlist withdrawn"),
    "review.submitted": _("Manager decided on a candidate"),
    "contact.updated": _("Notification preferences changed"),
    "nudge_policy.updated": _("Reminder rules changed"),
    "report.sent": _("Status report sent"),
    "report_note.updated": _("Status report narrative edited"),
    "report_schedule.updated": _("Status report schedule changed"),
    "share_link.created": _("Status report shared by link"),
    "share_link.revoked": _("Status report link revoked"),
    "partnership.updated": _("Manager profile changed"),
    "touchpoint.logged": _("Touchpoint with a manager logged"),
    "touchpoint.updated": _("Touchpoint with a manager corrected"),
    "touchpoint.deleted": _("Touchpoint with a manager deleted"),
    "lesson.added": _("Lesson kept"),
    "lesson.retired": _("Lesson retired"),
    "lesson.restored": _("Lesson restored"),
    "lesson.carried": _("Lesson carried into a brief"),
    "hire.recorded": _("Hire recorded"),
    "hire.cancelled": _("Hire cancelled"),
    "hire.restored": _("Hire restored"),
    "hire.start_changed": _("Hire start date changed"),
    "hire.surveys_added": _("Post-hire surveys added for a manager new to the role"),
    "hire_policy.updated": _("Post-hire survey schedule changed"),
    "survey.sent": _("Post-hire survey sent"),
    "survey.reminded": _("Post-hire survey reminder sent"),
    "survey.link_resent": _("Post-hire survey link resent"),
    "survey.answered": _("Post-hire survey answered"),
    "survey.cancelled": _("Post-hire survey cancelled: its manager can’t answer"),
    "survey.reminders_stopped": _("Post-hire survey reminders stopped: manager can’t answer"),
}


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def readable_by(self, member: "Member") -> "AuditEntryQuerySet":
        """The entries of the member's workspace they may read: all but those about them."""
        return self.filter(workspace=member.workspace_id).exclude(about=member)


class AuditEntry(models.Model):
    """One write made through a service: who did what to which object, and what changed.

    Entries are append-only. The actor's name is copied so the log stays readable after the
    person's account is erased; the object is named by its public id, not a foreign key, so an
    entry outlives the object it describes.
    """

    workspace = models.ForeignKey(
        "workspaces.Workspace",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(max_length=120, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)
    # The member an entry's notes are about, who doesn't read it in the log: the recruiting
    # team's notes on a hiring manager's partnership stay the team's, also when that manager is
    # an admin.
    about = models.ForeignKey(
        "workspaces.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "-created_at"], name="audit_ws_created"),
            models.Index(fields=["workspace", "action", "-created_at"], name="audit_ws_action"),
            models.Index(fields=["workspace", "actor", "-created_at"], name="audit_ws_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name or 'System'} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))
