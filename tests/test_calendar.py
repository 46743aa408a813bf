"""The check-in calendar file, read back the way a calendar app reads it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar, Event

from closer.calendar import checkin_calendar

SATURDAY = date(2026, 11, 21)
APP_URL = "http://localhost:8501"


def _event(data: bytes) -> Event:
    (event,) = Calendar.from_ical(data).events
    return event


@pytest.mark.parametrize(
    ("weekday", "at", "today", "first", "byday"),
    [
        (6, time(20, 0), SATURDAY, datetime(2026, 11, 22, 20, 0), "SU"),
        (0, time(7, 30), SATURDAY, datetime(2026, 11, 23, 7, 30), "MO"),
        # The check-in day itself counts, whatever the hour the file is made.
        (5, time(19, 0), SATURDAY, datetime(2026, 11, 21, 19, 0), "SA"),
        (4, time(18, 15), SATURDAY, datetime(2026, 11, 27, 18, 15), "FR"),
        (3, time(21, 0), date(2026, 12, 29), datetime(2026, 12, 31, 21, 0), "TH"),
        (0, time(9, 0), date(2026, 12, 31), datetime(2027, 1, 4, 9, 0), "MO"),
    ],
)
def test_the_event_repeats_weekly_from_the_next_checkin(weekday, at, today, first, byday):
    data = checkin_calendar(weekday, at, APP_URL, ["Alex", "Sam"], today)
    event = _event(data)
    assert event.start == first
    assert event.start.tzinfo is None  # floating: the couple's own clock
    assert f"DTSTART:{first:%Y%m%dT%H%M%S}\r\n".encode() in data
    assert event["RRULE"].to_ical() == f"FREQ=WEEKLY;BYDAY={byday}".encode()
    assert event.duration == timedelta(minutes=30)
    assert event.end == first + timedelta(minutes=30)


def test_sunday_evenings_expand_to_the_next_three_sundays():
    event = _event(checkin_calendar(6, time(20, 0), APP_URL, ["Alex", "Sam"], SATURDAY))
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.start)
    assert list(rule[:3]) == [
        datetime(2026, 11, 22, 20, 0),
        datetime(2026, 11, 29, 20, 0),
        datetime(2026, 12, 6, 20, 0),
    ]


def test_a_reminder_pops_up_fifteen_minutes_before():
    event = _event(checkin_calendar(6, time(20, 0), APP_URL, ["Alex", "Sam"], SATURDAY))
    (alarm,) = event.walk("VALARM")
    assert alarm.ACTION == "DISPLAY"
    assert alarm.TRIGGER == timedelta(minutes=-15)
    assert alarm["DESCRIPTION"] == "Your Closer check-in starts in 15 minutes."
    assert [t.trigger for t in event.alarms.times] == [datetime(2026, 11, 22, 19, 45)]


def test_the_event_names_closer_and_links_back_to_the_app():
    data = checkin_calendar(6, time(20, 0), APP_URL, ["Alex", "Sam"], SATURDAY)
    calendar = Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Closer//Weekly check-in//EN"
    event = _event(data)
    assert event["SUMMARY"] == "Closer: our weekly check-in"
    assert event["UID"] == "closer-weekly-checkin@localhost"
    assert event["URL"] == APP_URL
    assert event["DTSTAMP"].dt.isoformat() == "2026-11-21T00:00:00+00:00"
    assert event["DESCRIPTION"] == (
        "Time for your weekly check-in, Alex and Sam.\n\n"
        "Take a few quiet minutes each to answer, then sit together and talk about what "
        "you see. There is nothing to get right: it is a chance to notice each other.\n\n"
        "Open Closer: http://localhost:8501"
    )


def test_the_file_is_valid_icalendar_text():
    data = checkin_calendar(6, time(20, 0), APP_URL, ["Alex", "Sam"], SATURDAY)
    lines = data.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-2:] == [b"END:VCALENDAR", b""]
    assert b"\n" not in b"".join(lines)  # every line ends CRLF
    assert max(len(line) for line in lines) <= 75  # long lines folded, as RFC 5545 asks
    assert data == checkin_calendar(6, time(20, 0), APP_URL, ["Alex", "Sam"], SATURDAY)


@pytest.mark.parametrize(
    "names",
    [
        ["Zoë", "Mateo"],
        ['Sam; O\'Brien, \\ the "boss"', "<b>Kim</b>"],
        # Names are validated, but the file must stay one event whatever the text.
        ["Sam\r\nATTENDEE:mailto:x@example.com\r\nEND:VEVENT", "Kim"],
    ],
    ids=["unicode", "punctuation", "line-breaks"],
)
def test_names_appear_only_in_the_description_as_plain_text(names):
    data = checkin_calendar(6, time(20, 0), APP_URL, names, SATURDAY)
    event = _event(data)
    one_line = [" ".join(name.split()) for name in names]
    assert f"{one_line[0]} and {one_line[1]}." in str(event["DESCRIPTION"])
    assert "ATTENDEE" not in event
    for component in Calendar.from_ical(data).walk():
        for key, value in component.property_items(recursive=False):
            if key != "DESCRIPTION" or component.name != "VEVENT":
                assert not any(name in str(value) for name in names), key
    # Who the couple are changes nothing but the words.
    plain = _event(checkin_calendar(6, time(20, 0), APP_URL, ["Alex", "Sam"], SATURDAY))
    assert event["UID"] == plain["UID"]
    assert event["SUMMARY"] == plain["SUMMARY"]


def test_without_names_the_greeting_is_still_warm():
    event = _event(checkin_calendar(6, time(20, 0), APP_URL, [" ", ""], SATURDAY))
    assert str(event["DESCRIPTION"]).startswith("Time for your weekly check-in.\n\n")


@pytest.mark.parametrize(
    ("weekday", "app_url"),
    [(7, APP_URL), (-1, APP_URL), (6, "javascript:alert(1)"), (6, "localhost:8501")],
)
def test_impossible_days_and_addresses_are_refused(weekday, app_url):
    with pytest.raises(ValueError):
        checkin_calendar(weekday, time(20, 0), app_url, ["Alex", "Sam"], SATURDAY)
