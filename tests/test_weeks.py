"""Week arithmetic, worked out on a calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from closer.weeks import (
    checkin_week,
    day_in_current_week,
    next_checkin,
    relative_week_label,
    week_choices,
    week_in_words,
    week_label,
    week_start,
)


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 11, 16), date(2026, 11, 16)),  # a Monday is its own week start
        (date(2026, 11, 22), date(2026, 11, 16)),  # Sunday night belongs to the same week
        (date(2027, 1, 1), date(2026, 12, 28)),  # across a year boundary
    ],
)
def test_week_start(day, monday):
    assert week_start(day) == monday


def test_week_choices_are_this_week_then_last_week():
    assert week_choices(date(2026, 11, 21)) == [date(2026, 11, 16), date(2026, 11, 9)]


@pytest.mark.parametrize(
    ("week", "label"),
    [
        (date(2026, 11, 16), "16–22 Nov 2026"),
        (date(2026, 11, 30), "30 Nov – 6 Dec 2026"),
        (date(2026, 12, 28), "28 Dec 2026 – 3 Jan 2027"),
    ],
)
def test_week_label(week, label):
    assert week_label(week) == label


def test_relative_week_label():
    today = date(2026, 11, 21)
    assert relative_week_label(date(2026, 11, 16), today) == "This week (16–22 Nov 2026)"
    assert relative_week_label(date(2026, 11, 9), today) == "Last week (9–15 Nov 2026)"
    assert relative_week_label(date(2026, 11, 2), today) == "2–8 Nov 2026"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 11, 21, 12, 0), datetime(2026, 11, 22, 20, 0)),  # Saturday → Sunday
        (datetime(2026, 11, 22, 19, 59), datetime(2026, 11, 22, 20, 0)),  # just before
        (datetime(2026, 11, 22, 20, 0), datetime(2026, 11, 22, 20, 0)),  # right on time
        (datetime(2026, 11, 22, 20, 1), datetime(2026, 11, 29, 20, 0)),  # just missed it
    ],
)
def test_next_checkin_sunday_eight(now, expected):
    assert next_checkin(now, 6, time(20, 0)) == expected


BERLIN = ZoneInfo("Europe/Berlin")
SUNDAY_EIGHT = (6, time(20, 0))


@pytest.mark.parametrize(
    ("moment", "week"),
    [
        # Sunday 29 Nov 2026 evening and the small hours after: the week of 23–29 Nov.
        (datetime(2026, 11, 29, 20, 0), date(2026, 11, 23)),
        (datetime(2026, 11, 29, 23, 50), date(2026, 11, 23)),
        (datetime(2026, 11, 30, 0, 0), date(2026, 11, 23)),
        (datetime(2026, 11, 30, 0, 30), date(2026, 11, 23)),
        (datetime(2026, 11, 30, 11, 59), date(2026, 11, 23)),
        # From Monday noon the new week has begun.
        (datetime(2026, 11, 30, 12, 0), date(2026, 11, 30)),
        (datetime(2026, 12, 2, 9, 0), date(2026, 11, 30)),
        (datetime(2026, 12, 6, 23, 59), date(2026, 11, 30)),
        # New Year: Thursday 31 Dec 2026 and Friday 1 Jan 2027 share the week of 28 Dec.
        (datetime(2026, 12, 31, 23, 30), date(2026, 12, 28)),
        (datetime(2027, 1, 1, 0, 30), date(2026, 12, 28)),
        (datetime(2027, 1, 4, 0, 30), date(2026, 12, 28)),  # Monday small hours of 2027
        (datetime(2027, 1, 4, 12, 0), date(2027, 1, 4)),
        # Summer time ends in Berlin at 03:00 on Sunday 25 Oct 2026; starts Sunday 29 Mar 2026.
        (datetime(2026, 10, 25, 23, 50, tzinfo=BERLIN), date(2026, 10, 19)),
        (datetime(2026, 10, 26, 0, 30, tzinfo=BERLIN), date(2026, 10, 19)),
        (datetime(2026, 10, 26, 11, 59, tzinfo=BERLIN), date(2026, 10, 19)),
        (datetime(2026, 10, 26, 12, 0, tzinfo=BERLIN), date(2026, 10, 26)),
        (datetime(2026, 3, 29, 23, 50, tzinfo=BERLIN), date(2026, 3, 23)),
        (datetime(2026, 3, 30, 0, 30, tzinfo=BERLIN), date(2026, 3, 23)),
        (datetime(2026, 3, 30, 12, 0, tzinfo=BERLIN), date(2026, 3, 30)),
        # The same instant in UTC and in Berlin reads each one's own wall clock.
        (datetime(2026, 11, 29, 23, 30, tzinfo=UTC), date(2026, 11, 23)),
        (datetime(2026, 11, 29, 23, 30, tzinfo=UTC).astimezone(BERLIN), date(2026, 11, 23)),
    ],
)
def test_checkin_week_for_a_sunday_evening_slot(moment, week):
    assert checkin_week(moment, *SUNDAY_EIGHT) == week


def test_both_sides_of_midnight_land_in_the_same_week_under_summer_time_changes():
    for sunday in (date(2026, 3, 29), date(2026, 10, 25), date(2026, 11, 29)):
        before = datetime.combine(sunday, time(23, 50), tzinfo=BERLIN)
        after = before + timedelta(minutes=40)  # real elapsed time, across midnight
        assert checkin_week(before, *SUNDAY_EIGHT) == checkin_week(after, *SUNDAY_EIGHT)


# Worked out by hand for a check-in in the week of Monday 23 Nov 2026 (days 23–29) and
# the Monday after (30 Nov): every weekday a couple can choose, at a few times.
LAST, THIS, NEXT = date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30)


@pytest.mark.parametrize("weekday", range(1, 7))
@pytest.mark.parametrize("slot", [time(0, 0), time(8, 30), time(20, 0), time(23, 45)])
def test_slots_tuesday_to_sunday_change_week_at_monday_noon(weekday, slot):
    assert checkin_week(datetime(2026, 11, 23, 11, 59), weekday, slot) == LAST
    assert checkin_week(datetime(2026, 11, 23, 12, 0), weekday, slot) == THIS
    # The slot's own moment and the hours after it stay in the slot's week.
    moment = datetime.combine(THIS + timedelta(days=weekday), slot)
    assert checkin_week(moment, weekday, slot) == THIS
    assert checkin_week(moment + timedelta(hours=5), weekday, slot) == THIS
    assert checkin_week(datetime(2026, 11, 30, 11, 59), weekday, slot) == THIS
    assert checkin_week(datetime(2026, 11, 30, 12, 0), weekday, slot) == NEXT


@pytest.mark.parametrize(
    ("slot", "last_moment_of_old_week"),
    [
        (time(0, 0), datetime(2026, 11, 30, 11, 59)),
        (time(8, 30), datetime(2026, 11, 30, 20, 29)),
        (time(20, 0), datetime(2026, 12, 1, 7, 59)),
        (time(23, 45), datetime(2026, 12, 1, 11, 44)),
    ],
)
def test_a_monday_slot_reviews_the_week_just_ended_until_twelve_hours_after_it(
    slot, last_moment_of_old_week
):
    monday_slot = datetime.combine(date(2026, 11, 30), slot)
    assert checkin_week(monday_slot, 0, slot) == THIS
    assert checkin_week(monday_slot - timedelta(hours=3), 0, slot) == THIS  # early, Sunday
    assert checkin_week(last_moment_of_old_week, 0, slot) == THIS
    assert checkin_week(last_moment_of_old_week + timedelta(minutes=1), 0, slot) == NEXT


@pytest.mark.parametrize(
    ("week", "today", "words"),
    [
        (date(2026, 11, 23), date(2026, 11, 25), "this week"),  # a Wednesday
        (date(2026, 11, 23), date(2026, 11, 29), "the week just ending"),  # its Sunday
        (date(2026, 11, 23), date(2026, 11, 30), "the week just ending"),  # Monday, small hours
        (date(2026, 11, 16), date(2026, 11, 25), "last week"),
        (date(2026, 11, 16), date(2026, 11, 30), "the week before"),
        (date(2026, 11, 9), date(2026, 11, 25), "the week of 9–15 Nov 2026"),
    ],
)
def test_week_in_words(week, today, words):
    assert week_in_words(week, date(2026, 11, 23), today) == words


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 30, 0, 30), date(2026, 11, 29)),  # Monday just after midnight
        (datetime(2026, 11, 30, 11, 59), date(2026, 11, 29)),
        (datetime(2026, 11, 30, 12, 0), date(2026, 11, 30)),
        (datetime(2026, 12, 31, 23, 30), date(2026, 12, 31)),  # a Thursday: today
    ],
)
def test_charts_run_up_to_a_day_in_the_week_the_pages_call_current(moment, expected):
    assert day_in_current_week(moment, 6, time(20, 0)) == expected
