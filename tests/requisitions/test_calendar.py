"""The kickoff invite, read back the way a calendar client reads it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from accord.requisitions.calendar import kickoff_ics
from accord.requisitions.models import Kickoff, Requisition
from accord.workspaces.models import Member
from tests.factories import RequisitionFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://accord.example.com"
REQUISITION_PATH = "/w/acme/requisitions/abc/"


@pytest.fixture
def requisition(recruiter: Member, hiring_manager: Member) -> Requisition:
    return RequisitionFactory(
        workspace=recruiter.workspace,
        recruiter=recruiter,
        hiring_managers=[hiring_manager],
        title="Senior Backend Engineer",
    )


@pytest.fixture
def kickoff(requisition: Requisition, recruiter: Member) -> Kickoff:
    return Kickoff.objects.create(
        requisition=requisition,
        # 10:00 in London in summer is 09:00 UTC.
        starts_at=datetime(2026, 6, 2, 10, 0, tzinfo=ZoneInfo("Europe/London")),
        duration_minutes=45,
        where="Room 4, 2nd floor; or https://meet.example.com/abc",
        organizer=recruiter,
        sequence=2,
    )


def invite(
    kickoff: Kickoff,
    method: str = "REQUEST",
    *,
    attendees: list[tuple[str, str]] | None = None,
    organizer_name: str = "Rita Recruiter",
    site_url: str = SITE_URL,
    url: str = REQUISITION_PATH,
) -> bytes:
    if attendees is None:
        attendees = [("hugo@example.com", "Hugo Manager"), ("rita@example.com", "Rita")]
    return kickoff_ics(
        kickoff,
        requisition=kickoff.requisition,
        organizer_email="rita@example.com",
        organizer_name=organizer_name,
        attendees=attendees,
        site_url=site_url,
        url=url,
        method=method,
    )


def parse(ics: bytes) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_request_carries_the_meeting(kickoff: Kickoff) -> None:
    ics = invite(kickoff)
    calendar, event = parse(ics)

    assert str(calendar["PRODID"]) == "-//Accord//Kickoff//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"kickoff-{kickoff.public_id}@accord"
    assert str(event["SUMMARY"]) == "Kickoff: Senior Backend Engineer"
    assert str(event["LOCATION"]) == "Room 4, 2nd floor; or https://meet.example.com/abc"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("SEQUENCE") == 2
    assert str(event["URL"]) == f"{SITE_URL}{REQUISITION_PATH}"


def test_times_are_in_utc(kickoff: Kickoff) -> None:
    ics = invite(kickoff)
    _, event = parse(ics)

    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == kickoff.starts_at
    assert start.utcoffset() == timedelta(0)
    assert (start.year, start.month, start.day, start.hour) == (2026, 6, 2, 9)
    assert end == kickoff.starts_at + timedelta(minutes=45)
    assert b"DTSTART:20260602T090000Z" in ics
    assert b"DTEND:20260602T094500Z" in ics
    stamp = event.decoded("DTSTAMP")
    assert stamp.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=1)


def test_people_are_addressed_by_mailto_with_their_names(kickoff: Kickoff) -> None:
    _, event = parse(invite(kickoff))

    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:rita@example.com"
    assert organizer.params["CN"] == "Rita Recruiter"
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:hugo@example.com", "mailto:rita@example.com"]
    assert [a.params["CN"] for a in attendees] == ["Hugo Manager", "Rita"]
    for attendee in attendees:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"


def test_an_attendee_listed_twice_is_invited_once(kickoff: Kickoff) -> None:
    attendees = [("hugo@example.com", "Hugo"), ("HUGO@example.com", "Hugo again")]

    _, event = parse(invite(kickoff, attendees=attendees))

    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:hugo@example.com"


def test_description_holds_the_agenda_and_the_link(kickoff: Kickoff) -> None:
    _, event = parse(invite(kickoff))

    description = str(event["DESCRIPTION"])
    for item in (
        "Why this role, and why now",
        "What success looks like",
        "A past hire that didn't work out",
        "must-haves and nice-to-haves",
        "Timeline and commitments",
        "how often you want to hear from us",
    ):
        assert item in description
    assert description.endswith(f"{SITE_URL}{REQUISITION_PATH}")


def test_an_absolute_url_is_used_as_given(kickoff: Kickoff) -> None:
    _, event = parse(invite(kickoff, url="https://other.example/r/1", site_url=SITE_URL + "/"))

    assert str(event["URL"]) == "https://other.example/r/1"


def test_awkward_text_round_trips_intact(kickoff: Kickoff) -> None:
    title = 'Engineer, Payments; EU\nLondon "core" \\ team'
    kickoff.requisition.title = title
    kickoff.where = "Room 1; floor 2, \\ left\nby the lifts"
    names = [("ann@example.com", 'Ann "Annie" O\'Neil, PhD; Eng:Lead')]

    _, event = parse(invite(kickoff, attendees=names, organizer_name="Smith, Rita; Talent"))

    assert str(event["SUMMARY"]) == f"Kickoff: {title}"
    assert title in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == kickoff.where
    assert event["ATTENDEE"].params["CN"] == 'Ann "Annie" O\'Neil, PhD; Eng:Lead'
    assert event["ORGANIZER"].params["CN"] == "Smith, Rita; Talent"


def test_cancel_variant(kickoff: Kickoff) -> None:
    kickoff.sequence = 3

    calendar, event = parse(invite(kickoff, method="CANCEL"))

    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"kickoff-{kickoff.public_id}@accord"
    assert event.decoded("SEQUENCE") == 3


def test_unknown_method_is_refused(kickoff: Kickoff) -> None:
    with pytest.raises(ValueError, match="PUBLISH"):
        invite(kickoff, method="PUBLISH")
