"""The plan: expected time to fill from the workspace's own history, and default milestones."""

import math
import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.requisitions.models import MilestoneKind, Owner, Requisition, Status

# A tier needs this many filled roles before its median is trusted over the published average.
MIN_SAMPLE = 3
# The median uses the most recent roles of a tier only: hiring markets move within a few years.
RECENT_SAMPLE = 50
# One bounded query whatever the history's size; tiers are then formed in Python because the
# title family can't be computed in SQL.
HISTORY_LIMIT = 500
# SHRM's benchmark puts average time to fill at 36–44 days; the upper end, because a plan that
# is a little generous is kept, and one that slips on day one is not.
SHRM_DEFAULT_DAYS = 44

SENIORITY_WORDS = frozenset(
    {"senior", "sr", "junior", "jr", "mid", "lead", "staff", "principal", "head", "level"}
    | {"i", "ii", "iii", "iv"}
)
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SEPARATORS = re.compile(r"[\W_]+")
# "2", "10", "L3": level numbers, not part of what the job is.
_LEVEL_NUMBER = re.compile(r"l?\d+")


def title_family(title: str) -> str:
    """The job family of a title: "Senior Backend Engineer (Payments)" → "backend engineer"."""
    tokens = _SEPARATORS.sub(" ", _BRACKETED.sub(" ", title.casefold())).split()
    kept: list[str] = []
    for index, word in enumerate(tokens):
        if word in SENIORITY_WORDS or _LEVEL_NUMBER.fullmatch(word):
            continue
        if word == "of" and index > 0 and tokens[index - 1] == "head":
            continue
        kept.append(word)
    return " ".join(kept)


@dataclass(frozen=True)
class Estimate:
    days: int
    basis: str  # the sentence shown next to the figure, so people can judge it
    sample_size: int
    is_default: bool


class _FilledRole(NamedTuple):
    family: str
    team: str
    level: str
    days: int


HistoryRow = tuple[str, str, str, int | None]  # title, team, level, days_to_fill


def expected_time_to_fill(requisition: Requisition) -> Estimate:
    """Median time to fill of the workspace's similar filled roles, or the documented default."""
    filled = Requisition.objects.filter(
        workspace_id=requisition.workspace_id, status=Status.FILLED, days_to_fill__isnull=False
    )
    if requisition.pk is not None:
        filled = filled.exclude(pk=requisition.pk)
    history = filled.order_by(F("closed_at").desc(nulls_last=True), "-id").values_list(
        "title", "team", "level", "days_to_fill"
    )[:HISTORY_LIMIT]
    return estimate_from_history(
        title=requisition.title, team=requisition.team, level=requisition.level, history=history
    )


def estimate_from_history(
    *, title: str, team: str, level: str, history: Iterable[HistoryRow]
) -> Estimate:
    """The estimate for a role from filled roles given most recent first."""
    family = title_family(title)
    team = team.strip().casefold()
    roles = [
        _FilledRole(title_family(t), tm.strip().casefold(), lv, days)
        for t, tm, lv, days in history
        if days is not None
    ]
    # Most specific first: the same kind of job is the best predictor, then the same team at the
    # same level, then the team (its market and its manager's pace), then the level alone.
    tiers: list[tuple[str, Callable[[_FilledRole], bool]]] = []
    if family:
        tiers.append((_("same title family"), lambda role: role.family == family))
    if team:
        tiers.append(
            (_("same team and level"), lambda role: role.team == team and role.level == level)
        )
        tiers.append((_("same team"), lambda role: role.team == team))
    tiers.append((_("same level"), lambda role: role.level == level))

    largest = 0
    for label, similar in tiers:
        matches = [role.days for role in roles if similar(role)]
        largest = max(largest, len(matches))
        if len(matches) >= MIN_SAMPLE:
            recent = matches[:RECENT_SAMPLE]
            # Round half up: 38.5 days reads as 39, as people would round it.
            days = max(1, math.floor(statistics.median(recent) + 0.5))
            basis = ngettext(
                "Median of %(count)d similar role (%(tier)s): %(duration)s",
                "Median of %(count)d similar roles (%(tier)s): %(duration)s",
                len(recent),
            ) % {"count": len(recent), "tier": label, "duration": _duration(days)}
            return Estimate(days=days, basis=basis, sample_size=len(recent), is_default=False)
    return _default_estimate(largest)


def _default_estimate(similar: int) -> Estimate:
    days = max(1, int(getattr(settings, "EXPECTED_TIME_TO_FILL_DEFAULT_DAYS", SHRM_DEFAULT_DAYS)))
    if similar == 0:
        reason = _("No filled roles like this one yet")
    else:
        reason = ngettext(
            "Only %(count)d filled role like this one so far",
            "Only %(count)d filled roles like this one so far",
            similar,
        ) % {"count": similar}
    if days == SHRM_DEFAULT_DAYS:
        template = _(
            "%(reason)s: %(duration)s, the average time to fill reported by SHRM (36–44 days). "
            "It will use your own history once similar roles are filled."
        )
    else:
        template = _(
            "%(reason)s: %(duration)s, the default set for this installation. "
            "It will use your own history once similar roles are filled."
        )
    basis = template % {"reason": reason, "duration": _duration(days)}
    return Estimate(days=days, basis=basis, sample_size=0, is_default=True)


def _duration(days: int) -> str:
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


def business_days_after(start: date, days: int) -> date:
    """The date `days` business days (Monday to Friday) after `start`."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    while days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _on_business_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


# Shares of the expected time to fill (measured from opening to accepted offer, as SHRM does).
# Sourcing and screening take about the first quarter before a shortlist is worth reviewing;
# reviewing it and scheduling interviews take roughly as long again, so interviews start near
# the middle; the rest goes to further rounds, references and the offer itself.
FIRST_SHORTLIST_SHARE = 0.25
FIRST_INTERVIEWS_SHARE = 0.45
# A typical notice period (one month in the UK and much of Europe; US hires often start sooner).
NOTICE_DAYS = 30


def default_milestones(
    *, start: date, estimate_days: int, target_start: date | None
) -> list[tuple[MilestoneKind, Owner, date]]:
    """A realistic starting plan, in order: (kind, owner, due date)."""
    # The intake needs a meeting to be found in two calendars; sourcing starts the next day.
    intake = business_days_after(start, 2)
    sourcing = business_days_after(start, 3)

    def share(fraction: float, not_before: date) -> date:
        # Never before the previous milestone, even when the estimate is very short.
        due = _on_business_day(start + timedelta(days=round(estimate_days * fraction)))
        return max(due, not_before)

    shortlist = share(FIRST_SHORTLIST_SHARE, sourcing)
    interviews = share(FIRST_INTERVIEWS_SHARE, shortlist)
    offer = share(1, interviews)
    if target_start is not None and target_start > offer:
        first_day = target_start
    else:
        first_day = _on_business_day(offer + timedelta(days=NOTICE_DAYS))
    return [
        (MilestoneKind.INTAKE_DONE, Owner.RECRUITER, intake),
        (MilestoneKind.SOURCING_STARTED, Owner.RECRUITER, sourcing),
        (MilestoneKind.FIRST_SHORTLIST, Owner.RECRUITER, shortlist),
        (MilestoneKind.FIRST_INTERVIEWS, Owner.MANAGER, interviews),
        (MilestoneKind.OFFER, Owner.MANAGER, offer),
        (MilestoneKind.START_DATE, Owner.MANAGER, first_day),
    ]
