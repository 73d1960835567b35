"""Calendar invites (iCalendar, RFC 5545 / iTIP RFC 5546) for the kickoff meeting."""

from datetime import UTC

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress
from icalendar.enums import STATUS

from accord.requisitions.models import Kickoff, Requisition

PRODID = "-//Accord//Kickoff//EN"
METHODS = ("REQUEST", "CANCEL")


def kickoff_uid(kickoff: Kickoff) -> str:
    # Stable across updates and the cancellation: calendars match them to the first invite by UID.
    return f"kickoff-{kickoff.public_id}@accord"


def kickoff_agenda(requisition: Requisition, link: str) -> str:
    # The kickoff agenda follows good practice: start with what hasn't worked, define success,
    # agree criteria, a realistic timeline with the manager's commitments, and how to keep in touch.
    items = [
        _("Why this role, and why now"),
        _("What success looks like at 30, 60 and 90 days; who thrives on the team"),
        _("A past hire that didn't work out, and why"),
        _("Criteria: must-haves and nice-to-haves, with what each one means"),
        _("Timeline and commitments: milestones and feedback turnarounds"),
        _("Communication: how and how often you want to hear from us"),
    ]
    lines = [_("Kickoff for %(title)s") % {"title": requisition.title}, "", _("Agenda:")]
    lines += [f"{number}. {item}" for number, item in enumerate(items, start=1)]
    lines += ["", _("Requisition: %(link)s") % {"link": link}]
    return "\n".join(lines)


def kickoff_ics(
    kickoff: Kickoff,
    *,
    requisition: Requisition,
    organizer_email: str,
    organizer_name: str,
    attendees: list[tuple[str, str]],
    site_url: str,
    url: str,
    method: str = "REQUEST",
) -> bytes:
    """The invite (or its cancellation) as a one-event VCALENDAR.

    `url` is the requisition's address, absolute or a path joined to `site_url`. For an update or
    a cancellation the caller bumps `kickoff.sequence` first, so calendars replace the old event.
    """
    if method not in METHODS:
        raise ValueError(f"Unsupported iTIP method: {method!r}")
    link = url if "://" in url else f"{site_url.rstrip('/')}/{url.lstrip('/')}"

    people: list[vCalAddress] = []
    seen: set[str] = set()
    for email, name in attendees:
        if not email or email.lower() in seen:
            continue
        seen.add(email.lower())
        people.append(
            vCalAddress.new(
                email, cn=name or None, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=True
            )
        )

    event = Event.new(
        uid=kickoff_uid(kickoff),
        stamp=timezone.now().astimezone(UTC),
        start=kickoff.starts_at.astimezone(UTC),
        end=kickoff.ends_at.astimezone(UTC),
        summary=_("Kickoff: %(title)s") % {"title": requisition.title},
        description=kickoff_agenda(requisition, link),
        location=kickoff.where or None,
        url=link,
        organizer=vCalAddress.new(organizer_email, cn=organizer_name or None),
        attendees=people,
        sequence=kickoff.sequence,
        status=STATUS.CONFIRMED if method == "REQUEST" else STATUS.CANCELLED,
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()  # icalendar leaves to_ical() unannotated
    return ical
