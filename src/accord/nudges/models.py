import uuid
from datetime import datetime, time

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accord.nudges.channels import Channel
from accord.pipeline.models import Application
from accord.requisitions.models import Requisition
from accord.reviews.models import Scorecard, Shortlist
from accord.workspaces.models import Member, Workspace


class ContactPreference(models.Model):
    """How and how often Accord may contact one member: their agreed channel, quiet hours and
    the least time between two messages (more nudges than that wait and go out as a digest)."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="contact")
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    webhook_url = models.URLField(_("chat webhook address"), max_length=500, blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    quiet_start = models.TimeField(_("quiet from"), default=time(20, 0))
    quiet_end = models.TimeField(_("quiet until"), default=time(8, 0))
    quiet_weekends = models.BooleanField(_("quiet at weekends"), default=True)
    min_gap_hours = models.PositiveSmallIntegerField(
        _("at most one message every (hours)"), default=4
    )
    # False while the preference only echoes a brief's communication agreement; set once the
    # person (or their recruiter for them) chooses, so a later brief doesn't overwrite it.
    chosen = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.member}: {self.channel}"


class NudgePolicy(models.Model):
    """A workspace's escalation rules: who hears about an overdue action, and when."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="+")
    remind_before_hours = models.PositiveSmallIntegerField(
        _("first reminder (hours before due)"), default=4
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("tell the recruiter after (business days overdue)"), default=1
    )
    contact = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalation contact"),
    )
    contact_after_days = models.PositiveSmallIntegerField(
        _("tell the escalation contact after (business days overdue)"), default=2
    )

    def __str__(self) -> str:
        return f"Nudge policy of {self.workspace}"


class CommitmentKind(models.TextChoices):
    REVIEW = "review", _("Review a shortlist")
    SCORECARD = "scorecard", _("Submit a scorecard")
    DECISION = "decision", _("Decide after the final interview")


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def pending(self) -> "CommitmentQuerySet":
        return self.filter(done_at__isnull=True, cancelled_at__isnull=True)


class Commitment(models.Model):
    """An action someone owes, with the due time that follows from what was agreed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    requisition = models.ForeignKey(
        Requisition, on_delete=models.CASCADE, related_name="commitments"
    )
    kind = models.CharField(max_length=10, choices=CommitmentKind.choices)
    owner = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="commitments")
    shortlist = models.OneToOneField(
        Shortlist, on_delete=models.CASCADE, null=True, blank=True, related_name="commitment"
    )
    scorecard = models.OneToOneField(
        Scorecard, on_delete=models.CASCADE, null=True, blank=True, related_name="commitment"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="commitments"
    )
    started_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    # Where the due time comes from, shown beside it: "2 business days, agreed in the brief".
    basis = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["workspace", "done_at", "due_at"], name="commitment_owed"),
            models.Index(fields=["owner", "done_at"], name="commitment_by_owner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CommitmentKind.values), name="commitment_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.owner}"

    @property
    def is_pending(self) -> bool:
        return self.done_at is None and self.cancelled_at is None

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.is_pending and self.due_at < (now or timezone.now())

    @property
    def on_time(self) -> bool | None:
        return None if self.done_at is None else self.done_at <= self.due_at


class NudgeKind(models.TextChoices):
    BEFORE = "before", _("Reminder before the due time")
    DUE = "due", _("Reminder at the due time")
    ESCALATE_RECRUITER = "recruiter", _("Escalation to the recruiter")
    ESCALATE_CONTACT = "contact", _("Escalation to the escalation contact")


class NudgeStatus(models.TextChoices):
    PENDING = "pending", _("Planned")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Not needed")


class Nudge(models.Model):
    """A planned reminder or escalation about one commitment. The dispatcher turns due nudges
    into messages, several for one person at once into one digest."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="nudges")
    kind = models.CharField(max_length=10, choices=NudgeKind.choices)
    recipient = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="nudges")
    send_after = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=NudgeStatus.choices, default=NudgeStatus.PENDING
    )
    message = models.ForeignKey(
        "Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="nudges"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["send_after", "id"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "kind"], name="nudge_once_per_kind"),
        ]
        indexes = [models.Index(fields=["status", "send_after"], name="nudge_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient}"


class MessageKind(models.TextChoices):
    NUDGE = "nudge", _("Reminder")
    DIGEST = "digest", _("Digest of reminders")
    NOTICE = "notice", _("Notice")
    REPORT = "report", _("Status report")
    SURVEY = "survey", _("Post-hire survey")
    CHECKIN = "checkin", _("Check-in reminder")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRY = "retry", _("Waiting to retry")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    """One message to one person on one channel, rendered when queued and sent as it is.

    A send claims the row with a conditional update; a claim older than the lease is taken over
    (the worker died), and the message keeps its `public_id` as the Message-ID / Idempotency-Key
    on every attempt."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="messages")
    requisition = models.ForeignKey(
        Requisition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    destination = models.CharField(max_length=500)  # the address, webhook or number used
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    links = models.JSONField(default=list, blank=True)  # [[label, url], ...]
    # Files in default_storage, read at each attempt (email only; chat and SMS carry links):
    # [{"path", "filename", "mimetype", "inline_id"}, ...]; an inline_id is the Content-ID of
    # an image the HTML part shows as <img src="cid:…">.
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_ref = models.CharField(max_length=200, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_to_send"),
            models.Index(fields=["recipient", "-created_at"], name="message_by_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"
