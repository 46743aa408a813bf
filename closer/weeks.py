"""Week arithmetic: a check-in belongs to an ISO week, named by its Monday."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def week_start(day: date) -> date:
    """The Monday of the week that contains this day."""
    return day - timedelta(days=day.weekday())


def week_choices(today: date) -> list[date]:
    """Weeks a check-in may be saved for: this week, and last week for a check-in done late."""
    this_week = week_start(today)
    return [this_week, this_week - timedelta(weeks=1)]


# A Sunday-night check-in that runs past midnight still reviews the week just ending.
GRACE = timedelta(hours=12)


def week_changes_after(weekday: int, slot: time) -> timedelta:
    """How long after Monday 00:00 the couple's week changes: 12:00, or 12 h after a Monday slot."""
    if weekday == 0:
        return timedelta(hours=slot.hour, minutes=slot.minute) + GRACE
    return GRACE


def checkin_week(moment: datetime, weekday: int, slot: time) -> date:
    """The Monday of the week a check-in made at this moment is for, given the couple's slot.

    Weeks run Monday to Sunday, but for the couple they change at Monday 12:00 rather than
    at midnight: from Monday 00:00 until 11:59 a check-in is for the week just ending, so
    a Sunday-evening check-in that runs into the small hours lands in the same week as the
    partner's. When the slot itself is on a Monday, the change moves to 12 hours after the
    slot (a Monday 20:00 slot: Tuesday 08:00), so a Monday check-in reviews the full week
    just ended and a partner up to 12 hours late still lands in it. The rule reads the
    wall clock of `moment` (naive or aware), so changes to and from summer time move nothing.
    """
    wall = moment.replace(tzinfo=None)
    return week_start((wall - week_changes_after(weekday, slot)).date())


def day_in_current_week(moment: datetime, weekday: int, slot: time) -> date:
    """Today, or the Sunday of the week just ending while the slot's window keeps it current.

    Charts and sample data that run "up to today" stop here, so on a Monday morning they
    don't draw an empty new week the pages don't yet call "this week".
    """
    return min(moment.date(), checkin_week(moment, weekday, slot) + timedelta(days=6))


def week_in_words(week: date, current: date, today: date) -> str:
    """'this week', 'the week just ending', 'last week' or 'the week before', seen from today."""
    if week == current:
        # From Sunday on, or on a Monday morning still counted in it, the week is ending.
        return "the week just ending" if today >= week + timedelta(days=6) else "this week"
    if week == current - timedelta(weeks=1):
        return "the week before" if today > current + timedelta(days=6) else "last week"
    return f"the week of {week_label(week)}"


def week_label(week: date) -> str:
    """A short human name for a week, such as '16–22 Nov 2026' or '28 Dec – 3 Jan 2027'."""
    end = week + timedelta(days=6)
    if week.month == end.month:
        return f"{week.day}–{end.day} {end:%b %Y}"
    if week.year == end.year:
        return f"{week.day} {week:%b} – {end.day} {end:%b %Y}"
    return f"{week.day} {week:%b %Y} – {end.day} {end:%b %Y}"


def relative_week_label(week: date, today: date) -> str:
    """'This week', 'Last week', or the week's dates for anything older (today: any day of it)."""
    weeks_ago = (week_start(today) - week).days // 7
    if weeks_ago == 0:
        return f"This week ({week_label(week)})"
    if weeks_ago == 1:
        return f"Last week ({week_label(week)})"
    return week_label(week)


def next_checkin(now: datetime, weekday: int, at: time) -> datetime:
    """The next moment of the weekly check-in slot at or after now (weekday 0 is Monday)."""
    days_ahead = (weekday - now.weekday()) % 7
    candidate = datetime.combine(now.date() + timedelta(days=days_ahead), at, tzinfo=now.tzinfo)
    if candidate < now:
        candidate += timedelta(weeks=1)
    return candidate
