"""A person's contact preference, the test message that proves it, and the workspace's
escalation policy: pages, services, validation, and that a refusal changes nothing."""

import re
from datetime import time

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from accord.audit.models import AuditEntry
from accord.nudges import preferences
from accord.nudges.models import ContactPreference, Message, MessageKind, NudgePolicy
from accord.workspaces.models import Member, Role
from conftest import client_for
from tests.factories import MemberFactory
from tests.receivers import Receiver

GOOD = {
    "channel": "email",
    "webhook_url": "",
    "phone": "",
    "quiet_start": "21:00",
    "quiet_end": "07:30",
    "quiet_weekends": "on",
    "min_gap_hours": "2",
}


def contact_url(member: Member) -> str:
    return reverse("nudges:contact", args=[member.workspace.slug])


def policy_url(member: Member) -> str:
    return reverse("nudges:policy", args=[member.workspace.slug])


def snapshot() -> dict[str, object]:
    """Everything a refused change must leave as it was."""
    return {
        "contacts": sorted(
            ContactPreference.objects.values_list(
                "member",
                "channel",
                "webhook_url",
                "phone",
                "quiet_start",
                "quiet_end",
                "quiet_weekends",
                "min_gap_hours",
                "chosen",
                "updated_at",
            )
        ),
        "policies": sorted(
            NudgePolicy.objects.values_list(
                "workspace",
                "remind_before_hours",
                "escalate_after_days",
                "contact",
                "contact_after_days",
            )
        ),
        "messages": Message.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def flashed(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


# --- the contact page ---------------------------------------------------------------------------


def test_page_shows_defaults_time_zone_and_link_to_profile(hiring_manager: Member) -> None:
    response = client_for(hiring_manager).get(contact_url(hiring_manager))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'name="channel" value="email"[^>]* checked', html)
    assert re.search(r'value="4" selected', html)
    assert 'value="20:00"' in html
    assert 'value="08:00"' in html
    assert "Quiet hours are in your time zone, Europe/London." in html
    assert reverse("people:account") in html
    assert 'data-testid="not-chosen"' in html
    assert not ContactPreference.objects.exists()  # GET saved nothing


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER]
)
def test_every_member_saves_their_own(workspace: object, role: str) -> None:
    member = MemberFactory(workspace=workspace, role=role)

    response = client_for(member).post(contact_url(member), GOOD)

    assert response.status_code == 302
    assert response["Location"] == contact_url(member)
    preference = ContactPreference.objects.get(member=member)
    assert preference.channel == "email"
    assert (preference.quiet_start, preference.quiet_end) == (time(21, 0), time(7, 30))
    assert preference.quiet_weekends is True
    assert preference.min_gap_hours == 2
    assert preference.chosen is True
    entry = AuditEntry.objects.get(action="contact.updated")
    assert entry.actor == member.user
    assert entry.object_id == str(member.public_id)
    assert entry.changes["min_gap_hours"] == [4, 2]
    assert entry.changes["chosen"] == [False, True]


def test_chat_with_a_good_webhook_and_text_with_a_number(recruiter: Member) -> None:
    client = client_for(recruiter)
    client.post(
        contact_url(recruiter),
        {**GOOD, "channel": "chat", "webhook_url": " https://hooks.slack.com/services/T0/B0/x "},
    )
    preference = ContactPreference.objects.get(member=recruiter)
    assert preference.channel == "chat"
    assert preference.webhook_url == "https://hooks.slack.com/services/T0/B0/x"
    # The audit log shows that the address changed, not the address (it is a credential).
    entry = AuditEntry.objects.get(action="contact.updated")
    assert entry.changes["webhook_url"] == ["", "https://hooks.slack.com/…"]

    client.post(
        contact_url(recruiter),
        {
            **GOOD,
            "channel": "sms",
            "phone": "+44 7700 900123",
            "webhook_url": preference.webhook_url,  # as the form shows it
        },
    )
    preference.refresh_from_db()
    assert preference.channel == "sms"
    assert preference.phone == "+447700900123"  # stored in E.164
    assert preference.webhook_url == "https://hooks.slack.com/services/T0/B0/x"  # kept
    entry = AuditEntry.objects.filter(action="contact.updated").order_by("-pk").first()
    assert entry is not None
    assert entry.changes["phone"] == ["", "…123"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"channel": "chat", "webhook_url": "http://hooks.slack.com/services/x"},
            "webhook_url",
            "Use the https:// address that Slack, Teams or your chat tool gave you.",
        ),
        (
            {"channel": "chat", "webhook_url": "https://127.0.0.1/hook"},
            "webhook_url",
            "This address points to a local or private network",
        ),
        (
            {"channel": "chat", "webhook_url": ""},
            "webhook_url",
            "Paste your chat’s incoming webhook address, or choose another channel.",
        ),
        (
            {"channel": "sms", "phone": "07700 900123"},
            "phone",
            "Write the number with its country code, e.g. +44 7700 900123.",
        ),
        (
            {"channel": "sms", "phone": "+44 12"},
            "phone",
            "is not a phone number: check the digits and the country code.",
        ),
        (
            {"channel": "sms", "phone": ""},
            "phone",
            "Enter your mobile number with its country code, or choose another channel.",
        ),
        ({"min_gap_hours": "3"}, "min_gap_hours", "Select a valid choice."),
        ({"quiet_start": "late"}, "quiet_start", "Enter a valid time."),
        ({"channel": "pigeon"}, "channel", "Select a valid choice."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    recruiter: Member, data: dict[str, str], field: str, message: str
) -> None:
    # An earlier choice that must survive the refused change untouched.
    preferences.contact_update(actor=recruiter, member=recruiter, min_gap_hours=8)
    before = snapshot()

    response = client_for(recruiter).post(contact_url(recruiter), {**GOOD, **data})

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert message in response.content.decode()
    assert snapshot() == before


def test_a_bad_number_is_reported_even_when_not_the_chosen_channel(recruiter: Member) -> None:
    before = snapshot()
    response = client_for(recruiter).post(
        contact_url(recruiter), {**GOOD, "channel": "email", "phone": "7700 900123"}
    )
    assert response.status_code == 422
    assert "country code" in " ".join(response.context["form"].errors["phone"])
    assert snapshot() == before


def test_saving_unchanged_values_writes_no_audit_entry(recruiter: Member) -> None:
    client = client_for(recruiter)
    client.post(contact_url(recruiter), GOOD)
    client.post(contact_url(recruiter), GOOD)
    assert AuditEntry.objects.filter(action="contact.updated").count() == 1


def test_outsider_gets_404_and_changes_nothing(outsider: Member, recruiter: Member) -> None:
    before = snapshot()
    client = client_for(outsider)
    assert client.get(contact_url(recruiter)).status_code == 404
    assert client.post(contact_url(recruiter), GOOD).status_code == 404
    url = reverse("nudges:contact-test", args=[recruiter.workspace.slug])
    assert client.post(url).status_code == 404
    assert snapshot() == before


# --- the service, beyond the page -----------------------------------------------------------------


def test_a_recruiter_may_set_a_managers_preference(
    recruiter: Member, hiring_manager: Member
) -> None:
    preferences.contact_update(
        actor=recruiter, member=hiring_manager, channel="sms", phone="+1 415 555 0100"
    )
    preference = ContactPreference.objects.get(member=hiring_manager)
    assert (preference.channel, preference.phone, preference.chosen) == (
        "sms",
        "+14155550100",
        True,
    )
    assert AuditEntry.objects.get(action="contact.updated").actor == recruiter.user


@pytest.mark.parametrize("who", ["interviewer", "outsider"])
def test_others_may_not_set_someone_elses_preference(
    request: pytest.FixtureRequest, hiring_manager: Member, who: str
) -> None:
    actor = request.getfixturevalue(who)
    before = snapshot()
    with pytest.raises(ValidationError, match="Your role does not allow this"):
        preferences.contact_update(actor=actor, member=hiring_manager, channel="email")
    assert snapshot() == before


def test_unknown_fields_are_a_programming_error(recruiter: Member) -> None:
    with pytest.raises(TypeError, match="chosen"):
        preferences.contact_update(actor=recruiter, member=recruiter, chosen=False)


# --- the test message -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_test_message_arrives_by_email(smtp: object, hiring_manager: Member) -> None:
    url = reverse("nudges:contact-test", args=[hiring_manager.workspace.slug])

    response = client_for(hiring_manager).post(url)

    assert response.status_code == 302
    assert response["Location"] == contact_url(hiring_manager)
    address = hiring_manager.user.email
    assert flashed(response) == [f"Sent — check your email ({address})."]
    (received,) = smtp.messages  # type: ignore[attr-defined]
    assert received["To"].addresses[0].addr_spec == address
    assert received["Subject"] == "Test message from Accord"
    body = smtp.text(received)  # type: ignore[attr-defined]
    assert "This is the test message you asked for in Acme Talent." in body
    assert contact_url(hiring_manager) in body
    message = Message.objects.get()
    assert (message.kind, message.channel, message.status) == (MessageKind.NOTICE, "email", "sent")


@pytest.mark.django_db(transaction=True)
def test_test_message_arrives_at_the_chat_webhook(settings: object, recruiter: Member) -> None:
    settings.NUDGE_WEBHOOK_ALLOW_INSECURE = True  # type: ignore[attr-defined]  # loopback
    client = client_for(recruiter)
    url = reverse("nudges:contact-test", args=[recruiter.workspace.slug])
    with Receiver() as receiver:
        client.post(
            contact_url(recruiter),
            {**GOOD, "channel": "chat", "webhook_url": receiver.url("/hook")},
        )
        response = client.post(url)

    assert flashed(response)[-1] == "Sent — check your chat channel."
    (received,) = receiver.requests
    assert (received.method, received.route) == ("POST", "/hook")
    message = Message.objects.get()
    assert (message.channel, message.status, message.attempts) == ("chat", "sent", 1)
    assert received.headers["Idempotency-Key"] == str(message.public_id)
    payload = received.json
    assert payload["text"].startswith("*Test message from Accord*")
    assert "This is the test message you asked for in Acme Talent." in payload["text"]
    (button,) = payload["blocks"][1]["elements"]
    assert button["text"]["text"] == "Change how Accord reaches you"
    assert button["url"] == django_settings.SITE_URL + contact_url(recruiter)


@pytest.mark.django_db(transaction=True)
def test_test_message_by_text(recruiter: Member) -> None:
    client = client_for(recruiter)
    client.post(contact_url(recruiter), {**GOOD, "channel": "sms", "phone": "+447700900123"})

    response = client.post(reverse("nudges:contact-test", args=[recruiter.workspace.slug]))

    assert flashed(response)[-1] == "Sent — check your phone for a text message."
    message = Message.objects.get()
    assert (message.channel, message.destination, message.status) == (
        "sms",
        "+447700900123",
        "sent",
    )


def test_test_message_is_post_only(hiring_manager: Member) -> None:
    url = reverse("nudges:contact-test", args=[hiring_manager.workspace.slug])
    assert client_for(hiring_manager).get(url).status_code == 405
    assert not Message.objects.exists()


# --- the escalation policy ------------------------------------------------------------------------

POLICY = {
    "remind_before_hours": "6",
    "escalate_after_days": "1",
    "contact": "",
    "contact_after_days": "3",
}


def test_admin_sets_the_policy(admin: Member, recruiter: Member) -> None:
    client = client_for(admin)
    page = client.get(policy_url(admin))
    assert page.status_code == 200
    assert not NudgePolicy.objects.exists()  # GET saved nothing
    assert 'value="4"' in page.content.decode()  # the default, 4 hours before

    response = client.post(policy_url(admin), {**POLICY, "contact": str(recruiter.public_id)})

    assert response.status_code == 302
    policy = NudgePolicy.objects.get(workspace=admin.workspace)
    assert (
        policy.remind_before_hours,
        policy.escalate_after_days,
        policy.contact,
        policy.contact_after_days,
    ) == (6, 1, recruiter, 3)
    entry = AuditEntry.objects.get(action="nudge_policy.updated")
    assert entry.actor == admin.user
    assert entry.changes["remind_before_hours"] == [4, 6]
    assert entry.changes["contact"] == [None, str(recruiter)]
    assert flashed(response) == ["Saved. Actions opened from now on follow these rules."]


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER])
def test_only_admins_reach_the_policy(workspace: object, role: str) -> None:
    member = MemberFactory(workspace=workspace, role=role)
    before = snapshot()
    client = client_for(member)
    assert client.get(policy_url(member)).status_code == 403
    assert client.post(policy_url(member), POLICY).status_code == 403
    assert snapshot() == before


def test_outsider_cannot_reach_the_policy(outsider: Member, admin: Member) -> None:
    before = snapshot()
    assert client_for(outsider).post(policy_url(admin), POLICY).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"remind_before_hours": "73"}, "remind_before_hours"),
        ({"remind_before_hours": "-1"}, "remind_before_hours"),
        ({"escalate_after_days": "11"}, "escalate_after_days"),
        ({"contact_after_days": "11"}, "contact_after_days"),
        ({"contact": "not-a-member"}, "contact"),
    ],
)
def test_policy_out_of_bounds_is_refused(admin: Member, data: dict[str, str], field: str) -> None:
    before = snapshot()
    response = client_for(admin).post(policy_url(admin), {**POLICY, **data})
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert snapshot() == before


def test_escalation_contact_must_be_an_active_member_here(
    admin: Member, hiring_manager: Member, outsider: Member
) -> None:
    hiring_manager.is_active = False
    hiring_manager.save(update_fields=["is_active"])
    before = snapshot()
    client = client_for(admin)
    for stranger in (hiring_manager, outsider):
        response = client.post(policy_url(admin), {**POLICY, "contact": str(stranger.public_id)})
        assert response.status_code == 422
        assert "Select a valid choice" in " ".join(response.context["form"].errors["contact"])
    # The service holds the same line whatever calls it.
    for stranger in (hiring_manager, outsider):
        with pytest.raises(ValidationError) as refused:
            preferences.policy_update(actor=admin, workspace=admin.workspace, contact=stranger)
        assert refused.value.message_dict["contact"] == [
            "Choose an active member of this workspace, or nobody."
        ]
    assert snapshot() == before


def test_escalation_contact_hears_after_the_recruiter(admin: Member, recruiter: Member) -> None:
    before = snapshot()
    response = client_for(admin).post(
        policy_url(admin),
        {
            **POLICY,
            "escalate_after_days": "3",
            "contact": str(recruiter.public_id),
            "contact_after_days": "2",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["contact_after_days"] == [
        "The escalation contact hears after the recruiter: choose at least as many days as "
        "for the recruiter (3)."
    ]
    assert snapshot() == before


def test_policy_service_rechecks_the_role(recruiter: Member, outsider: Member) -> None:
    before = snapshot()
    with pytest.raises(ValidationError, match="Your role does not allow this"):
        preferences.policy_update(
            actor=recruiter, workspace=recruiter.workspace, remind_before_hours=1
        )
    with pytest.raises(ValidationError, match="Your role does not allow this"):
        preferences.policy_update(
            actor=outsider, workspace=recruiter.workspace, remind_before_hours=1
        )
    assert snapshot() == before
