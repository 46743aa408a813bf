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


def week_label(week: date) -> str:
    """A short human name for a week, such as '16–22 Nov 2026' or '28 Dec – 3 Jan 2027'."""
    end = week + timedelta(days=6)
    if week.month == end.month:
        return f"{week.day}–{end.day} {end:%b %Y}"
    if week.year == end.year:
        return f"{week.day} {week:%b} – {end.day} {end:%b %Y}"
    return f"{week.day} {week:%b %Y} – {end.day} {end:%b %Y}"


def relative_week_label(week: date, today: date) -> str:
    """'This week', 'Last week', or the week's dates for anything older."""
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
