"""Which notices are due when: every weekday and slot, midnight, summer time, New Year."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from closer import nudges
from closer.nudges import Event, Notice
from closer.survey import dimension_keys

ALEX, SAM = 1, 2


def due(now: datetime, weekday: int = 6, at: time = time(20, 0), checked_in=()) -> list[Notice]:
    return nudges.timed_notices(now, weekday, at, [ALEX, SAM], checked_in)[1]


def test_sunday_evening_slot_by_hand():
    # Week of Monday 16 Nov 2026; Sunday 22 Nov at 20:00 is check-in time.
    week = date(2026, 11, 16)
    assert due(datetime(2026, 11, 22, 19, 59)) == []
    assert due(datetime(2026, 11, 22, 20, 0)) == [
        Notice(Event.CHECKIN_TIME, week, ALEX),
        Notice(Event.CHECKIN_TIME, week, SAM),
    ]
    # Past midnight it is still that week's check-in time, until the morning reminder.
    assert due(datetime(2026, 11, 23, 0, 30), checked_in=[ALEX]) == [
        Notice(Event.CHECKIN_TIME, week, SAM)
    ]
    assert due(datetime(2026, 11, 23, 9, 0), checked_in=[ALEX]) == [
        Notice(Event.MORNING_REMINDER, week, SAM)
    ]
    assert due(datetime(2026, 11, 23, 11, 59), checked_in=[SAM]) == [
        Notice(Event.MORNING_REMINDER, week, ALEX)
    ]
    # Monday 12:00: the week has changed, and nothing is due until next Sunday.
    assert due(datetime(2026, 11, 23, 12, 0)) == []
    assert due(datetime(2026, 11, 29, 19, 59)) == []
    # Both checked in: nothing timed to say.
    assert due(datetime(2026, 11, 22, 21, 0), checked_in=[ALEX, SAM]) == []


def test_monday_evening_slot_reminds_before_the_week_changes():
    # A Monday 20:00 slot: the week changes Tuesday 08:00, so the reminder comes at 07:00.
    moments = nudges.week_moments(date(2026, 11, 16), 0, time(20, 0))
    assert moments.slot == datetime(2026, 11, 23, 20, 0)
    assert moments.reminder == datetime(2026, 11, 24, 7, 0)
    assert moments.end == datetime(2026, 11, 24, 8, 0)
    assert due(datetime(2026, 11, 23, 20, 0), weekday=0) == [
        Notice(Event.CHECKIN_TIME, date(2026, 11, 16), ALEX),
        Notice(Event.CHECKIN_TIME, date(2026, 11, 16), SAM),
    ]


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("at", [time(0, 0), time(7, 30), time(11, 59), time(12, 0), time(23, 59)])
def test_every_weekday_and_slot_once_each_minute_by_minute(weekday: int, at: time):
    """Walk nine days a minute at a time, with a log: each notice goes out exactly once."""
    start = datetime(2026, 11, 16, 0, 0)
    sent: dict[str, datetime] = {}
    moment = start
    while moment < start + timedelta(days=9):
        for notice in due(moment, weekday, at):
            sent.setdefault(notice.key, moment)
        moment += timedelta(minutes=1)
    # The week of 16 Nov: the check-in falls on `weekday` at `at` (a Monday slot on the next
    # Monday); the reminder comes the next morning at 09:00 or an hour before the week
    # changes, whichever is first, and always after the slot.
    week = "2026-11-16"
    slot = sent[f"checkin-time:{week}:{ALEX}"]
    reminder = sent[f"morning-reminder:{week}:{ALEX}"]
    assert slot == datetime.combine(date(2026, 11, 16) + timedelta(days=weekday or 7), at)
    assert slot < reminder <= datetime.combine(slot.date() + timedelta(days=1), time(9, 0))
    assert sent[f"checkin-time:{week}:{SAM}"] == slot
    # One notice per partner, event and week, never more (the log keys are the proof).
    per_week: dict[tuple[str, str], int] = {}
    for key in sent:
        event, week_of, _ = key.split(":")
        per_week[(event, week_of)] = per_week.get((event, week_of), 0) + 1
    assert set(per_week.values()) == {2}


def test_across_new_year():
    # Week of Monday 28 Dec 2026, slot Sunday 3 Jan 2027 20:00.
    week = date(2026, 12, 28)
    assert due(datetime(2026, 12, 31, 23, 59)) == []
    assert due(datetime(2027, 1, 3, 20, 0))[0] == Notice(Event.CHECKIN_TIME, week, ALEX)
    assert due(datetime(2027, 1, 4, 9, 0))[0] == Notice(Event.MORNING_REMINDER, week, ALEX)
    # A Thursday slot on New Year's Eve, 23:30: the reminder on 1 January at 09:00.
    moments = nudges.week_moments(date(2026, 12, 28), 3, time(23, 30))
    assert moments.slot == datetime(2026, 12, 31, 23, 30)
    assert moments.reminder == datetime(2027, 1, 1, 9, 0)


@pytest.mark.parametrize(
    ("changes_at", "slot"),
    [
        # Berlin: clocks go forward at 02:00 on 29 March 2026 (02:30 never happens)...
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), time(2, 30)),
        # ...and back at 03:00 on 25 October 2026 (02:30 happens twice).
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), time(2, 30)),
    ],
)
def test_summer_time_changes_send_each_notice_once(changes_at: datetime, slot: time):
    """The wall clock as the computer shows it, a minute at a time, across the change."""
    berlin = ZoneInfo("Europe/Berlin")
    sent: dict[str, datetime] = {}
    instant = changes_at - timedelta(hours=6)
    while instant < changes_at + timedelta(days=2):
        wall = instant.astimezone(berlin).replace(tzinfo=None)
        for notice in due(wall, weekday=6, at=slot):
            sent.setdefault(notice.key, wall)
        instant += timedelta(minutes=1)
    week = (changes_at.date() - timedelta(days=6)).isoformat()
    assert sorted(sent) == [
        f"checkin-time:{week}:{ALEX}",
        f"checkin-time:{week}:{SAM}",
        f"morning-reminder:{week}:{ALEX}",
        f"morning-reminder:{week}:{SAM}",
    ]
    # Forward: first due at 03:00, the first wall time at or after 02:30. Back: at 02:30.
    first = sent[f"checkin-time:{week}:{ALEX}"]
    assert first.time() in (time(2, 30), time(3, 0))


def test_after_a_checkin():
    week = date(2026, 11, 16)
    names = {ALEX: "Alex", SAM: "Sam"}
    assert nudges.after_checkin(week, ALEX, names, checked_in=[ALEX]) == [
        Notice(Event.PARTNER_CHECKED_IN, week, SAM, about="Alex")
    ]
    assert nudges.after_checkin(week, SAM, names, checked_in=[ALEX, SAM]) == [
        Notice(Event.WEEK_READY, week, ALEX),
        Notice(Event.WEEK_READY, week, SAM),
    ]
    # Alone (the second partner not set up yet): nobody to tell.
    assert nudges.after_checkin(week, ALEX, {ALEX: "Alex"}, checked_in=[ALEX]) == []


def test_the_same_notice_has_the_same_key():
    week = date(2026, 11, 16)
    assert Notice(Event.WEEK_READY, week, SAM).key == "week-ready:2026-11-16:2"
    assert Notice(Event.PARTNER_CHECKED_IN, week, SAM, about="Alex").key == (
        Notice(Event.PARTNER_CHECKED_IN, week, SAM, about="Renamed").key
    )


@pytest.mark.parametrize("event", list(Event))
def test_what_a_notice_says_is_the_event_only(event: Event):
    body = nudges.body_for(event, "Kai")
    assert nudges.TITLE == "Closer"
    assert len(body) < 100
    assert not any(ch.isdigit() for ch in body)  # no score, no date
    assert not any(d in body.lower() for d in dimension_keys())
    assert ("Kai" in body) == (event is Event.PARTNER_CHECKED_IN)


def test_checkin_time_runs_from_the_slot_until_the_week_changes():
    sunday_eight = (6, time(20, 0))
    assert not nudges.is_checkin_time(datetime(2026, 11, 22, 19, 59), *sunday_eight)
    assert nudges.is_checkin_time(datetime(2026, 11, 22, 20, 0), *sunday_eight)
    assert nudges.is_checkin_time(datetime(2026, 11, 23, 11, 59), *sunday_eight)
    assert not nudges.is_checkin_time(datetime(2026, 11, 23, 12, 0), *sunday_eight)
    assert not nudges.is_checkin_time(datetime(2026, 11, 20, 21, 0), *sunday_eight)


def test_the_plan_being_lived_is_this_weeks_or_last_weeks():
    this, last = date(2026, 11, 16), date(2026, 11, 9)
    assert nudges.plan_week(this, {last, this}) == this
    assert nudges.plan_week(this, {last}) == last
    assert nudges.plan_week(this, {date(2026, 11, 2)}) is None
