"""Which notices are due, and what they say: short nudges that never carry the couple's content.

Every moment here is a wall-clock time on the computer Closer runs on (naive), the same
clock the couple's slot is set in: a notice due at 20:00 goes out at 20:00 whether or not
summer time began that week. A notice is due over a window, not at one instant, so a
missing hour (clocks forward) or a repeated one (clocks back) moves it by at most that
hour, and the notice log (one row per key) keeps a repeated hour from sending it twice.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from closer.weeks import checkin_week, next_checkin, week_changes_after

TITLE = "Closer"
# The gentle reminder goes out the morning after the slot, at this time, unless the week
# changes first (a Monday-evening slot: the week changes on Tuesday at 08:00).
MORNING = time(9, 0)
BEFORE_CHANGE = timedelta(hours=1)


class Event(StrEnum):
    """What a notice is about."""

    CHECKIN_TIME = "checkin-time"
    PARTNER_CHECKED_IN = "partner-checked-in"
    WEEK_READY = "week-ready"
    MORNING_REMINDER = "morning-reminder"
    TEST = "test"


@dataclass(frozen=True)
class Notice:
    """One notice to one partner about one week; `about` is the other partner's name, if named."""

    event: Event
    week: date
    partner_id: int
    about: str | None = None

    @property
    def key(self) -> str:
        """The notice log's key: the same notice always has the same key, so it goes out once."""
        return f"{self.event}:{self.week.isoformat()}:{self.partner_id}"

    @property
    def title(self) -> str:
        """Always just 'Closer': the lock screen says who is nudging, and nothing more."""
        return TITLE

    @property
    def body(self) -> str:
        """The event in a few words: a name as the couple typed it, never a score or a note."""
        return body_for(self.event, self.about)


def body_for(event: Event, about: str | None = None) -> str:
    """What a notice of this kind says (about: the partner's name, for 'has checked in')."""
    if event is Event.CHECKIN_TIME:
        return "It's check-in time. Open Closer when you're both ready."
    if event is Event.PARTNER_CHECKED_IN:
        return f"{about or 'Your partner'} has checked in. Your turn, whenever you're ready."
    if event is Event.WEEK_READY:
        return "You've both checked in: your week is ready to look at together."
    if event is Event.MORNING_REMINDER:
        return "A gentle nudge: your check-in for this week is still open."
    return "A test from Closer. If you can read this, notices will reach you here."


@dataclass(frozen=True)
class WeekMoments:
    """When, for one week, check-in time starts, the morning reminder is due and the week ends."""

    slot: datetime
    reminder: datetime
    end: datetime


def week_moments(week: date, weekday: int, at: time) -> WeekMoments:
    """The slot, the morning reminder and the change of week for the week starting `week`."""
    change = week_changes_after(weekday, at)
    start = datetime.combine(week, time()) + change
    slot = next_checkin(start, weekday, at)
    end = start + timedelta(weeks=1)
    reminder = min(datetime.combine(slot.date() + timedelta(days=1), MORNING), end - BEFORE_CHANGE)
    return WeekMoments(slot=slot, reminder=reminder, end=end)


def timed_notices(
    now: datetime, weekday: int, at: time, partners: Collection[int], checked_in: Collection[int]
) -> tuple[date, list[Notice]]:
    """The week `now` belongs to, and the timed notices due at `now` (before any log check).

    From the slot until the morning reminder: "it's check-in time" to each partner who
    hasn't checked in; from the reminder until the week changes: the reminder, likewise.
    """
    now = now.replace(tzinfo=None)
    week = checkin_week(now, weekday, at)
    moments = week_moments(week, weekday, at)
    if moments.slot <= now < moments.reminder:
        event = Event.CHECKIN_TIME
    elif moments.reminder <= now < moments.end:
        event = Event.MORNING_REMINDER
    else:
        return week, []
    waiting = [p for p in sorted(partners) if p not in checked_in]
    return week, [Notice(event, week, p) for p in waiting]


def after_checkin(
    week: date, partner_id: int, names: Mapping[int, str], checked_in: Collection[int]
) -> list[Notice]:
    """The notices a saved check-in sets off (checked_in: who has checked in for the week, now).

    The partner still to check in hears "<name> has checked in"; once both have, both hear
    that the week is ready.
    """
    others = [p for p in sorted(names) if p != partner_id]
    if not others:
        return []
    if all(p in checked_in for p in names):
        return [Notice(Event.WEEK_READY, week, p) for p in sorted(names)]
    return [
        Notice(Event.PARTNER_CHECKED_IN, week, p, about=names[partner_id])
        for p in others
        if p not in checked_in
    ]


def is_checkin_time(now: datetime, weekday: int, at: time) -> bool:
    """Whether `now` is on or after this week's slot and before the week changes."""
    now = now.replace(tzinfo=None)
    moments = week_moments(checkin_week(now, weekday, at), weekday, at)
    return moments.slot <= now < moments.end


def plan_week(current: date, weeks_with_a_plan: Collection[date]) -> date | None:
    """The week whose plan the couple is living now: this week's, else last week's, else none."""
    for week in (current, current - timedelta(weeks=1)):
        if week in weeks_with_a_plan:
            return week
    return None
