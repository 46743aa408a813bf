"""A calendar file for the weekly check-in, so the couple's own calendar reminds them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event, vRecur

from closer.weeks import next_checkin

PRODID = "-//Closer//Weekly check-in//EN"
# Fixed and impersonal: a calendar app can tell a re-imported file is the same event, and
# the identifier says nothing about the couple.
EVENT_UID = "closer-weekly-checkin@localhost"
SUMMARY = "Closer: our weekly check-in"
LENGTH = timedelta(minutes=30)
REMINDER_BEFORE = timedelta(minutes=15)
ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _description(names: list[str], app_url: str) -> str:
    """The event's words: warm, plain text, with the way back to the app."""
    # A name is one line of text: any line break in it becomes a space.
    who = " and ".join(" ".join(name.split()) for name in names if name.strip())
    greeting = f"Time for your weekly check-in, {who}." if who else "Time for your weekly check-in."
    return (
        f"{greeting}\n\n"
        "Take a few quiet minutes each to answer, then sit together and talk about what "
        "you see. There is nothing to get right: it is a chance to notice each other.\n\n"
        f"Open Closer: {app_url}"
    )


def checkin_calendar(weekday: int, at: time, app_url: str, names: list[str], today: date) -> bytes:
    """An .ics file holding the weekly check-in as a recurring event with a reminder."""
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    if not app_url.startswith(("http://", "https://")):
        raise ValueError(f"the app's address must be an http(s) URL, not {app_url!r}")
    # Floating time (no timezone): the check-in is at 20:00 on the couple's own clock,
    # wherever they are and across daylight-saving changes.
    start = next_checkin(datetime.combine(today, time.min), weekday, at.replace(tzinfo=None))
    event = Event.new(
        summary=SUMMARY,
        description=_description(names, app_url),
        uid=EVENT_UID,
        start=start,
        url=app_url,
        # Stamped from today, not the clock, so the same settings always give the same file.
        stamp=datetime.combine(today, time.min, tzinfo=UTC),
    )
    event.DURATION = LENGTH
    event.add("rrule", vRecur(freq="WEEKLY", byday=ICAL_WEEKDAYS[weekday]))
    minutes = int(REMINDER_BEFORE.total_seconds() // 60)
    reminder = Alarm.new(description=f"Your Closer check-in starts in {minutes} minutes.")
    reminder.ACTION = "DISPLAY"
    reminder.TRIGGER = -REMINDER_BEFORE
    event.add_component(reminder)
    calendar = Calendar()
    calendar.prodid = PRODID
    calendar.version = "2.0"
    calendar.add_component(event)
    return calendar.to_ical()
