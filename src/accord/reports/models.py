import uuid
from datetime import datetime, time

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.requisitions.models import Requisition
from accord.workspaces.models import Member, Workspace

NARRATIVE_LIMIT = 4000
NEXT_STEPS_LIMIT = 2000


class ReportNote(models.Model):
    """The recruiter's own words for a requisition's next report, edited in place on the live
    page: they go into every report sent until someone changes them."""

    requisition = models.OneToOneField(
        Requisition, on_delete=models.CASCADE, related_name="report_note"
    )
    narrative = models.TextField(_("narrative"), max_length=NARRATIVE_LIMIT, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=NEXT_STEPS_LIMIT, blank=True)
    updated_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: a save based on an older revision is a conflict, not an overwrite.
    revision = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Report note for {self.requisition}"


class Scope(models.TextChoices):
    REQUISITION = "requisition", _("Requisition")
    MANAGER = "manager", _("Hiring manager’s roll-up")


class StatusReport(models.Model):
    """One report as it was sent: the figures, the recruiter's words and the PDF, never changed.

    A manager's roll-up is a report whose `parts` are the requisition reports sent inside it; a
    requisition's "since the last report" compares with its latest report of either kind."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=12, choices=Scope.choices)
    requisition = models.ForeignKey(
        Requisition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="status_reports",
    )
    # The manager a roll-up (or a scheduled requisition report) was written for.
    manager = models.ForeignKey(
        Member, on_delete=models.CASCADE, null=True, blank=True, related_name="status_reports"
    )
    rollup = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="parts"
    )
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    data = models.JSONField(default=dict)
    narrative = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The scheduled delivery this report answers (the manager's local due time, in UTC): one
    # report per slot, whatever number of workers race for it.
    slot = models.DateTimeField(null=True, blank=True)
    # [{"name": ..., "channel": ...}] — who it went to.
    recipients = models.JSONField(default=list, blank=True)
    pdf = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    # Set when the PDF, the charts and the messages are made (by the worker, once).
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["requisition", "-sent_at"], name="report_by_requisition"),
            models.Index(fields=["manager", "-sent_at"], name="report_by_manager"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "slot"],
                condition=models.Q(slot__isnull=False),
                name="report_once_per_slot",
            ),
            models.CheckConstraint(
                condition=models.Q(scope="requisition", requisition__isnull=False)
                | models.Q(scope="manager", manager__isnull=False, requisition__isnull=True),
                name="report_scope_matches",
            ),
        ]

    def __str__(self) -> str:
        return f"Status report {self.sent_at:%Y-%m-%d} ({self.scope})"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    BIWEEKLY = "biweekly", _("Every two weeks")
    DAILY = "daily", _("Every working day")
    OFF = "off", _("Don’t send")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ReportSchedule(models.Model):
    """When a hiring manager gets their status report: how often, which day and what time in
    their time zone. The channel is their contact preference (Your notifications)."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="report_schedule")
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("day"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    at = models.TimeField(_("time"), default=time(9, 0))
    time_zone = models.CharField(_("time zone"), max_length=64)
    # The next delivery, in UTC; claimed with a conditional update so it happens once.
    next_due_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    # The slot whose recruiters were asked for their narrative (once per slot).
    reminded_for = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["next_due_at"], name="report_schedule_due")]

    def __str__(self) -> str:
        return f"Report schedule of {self.member}"


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    def live(self, now: datetime | None = None) -> "ShareLinkQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ShareLink(models.Model):
    """A read-only link to a live report for someone without an account (a manager's own boss):
    signed, expiring and revocable."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, null=True, blank=True, related_name="share_links"
    )
    manager = models.ForeignKey(
        Member, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    label = models.CharField(_("for whom"), max_length=120)
    created_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    opened_count = models.PositiveIntegerField(default=0)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requisition__isnull=False, manager__isnull=True)
                | models.Q(requisition__isnull=True, manager__isnull=False),
                name="share_link_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"Share link for {self.label}"

    def is_live(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())
