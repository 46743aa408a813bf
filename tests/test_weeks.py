"""Week arithmetic, worked out on a calendar."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from closer.weeks import next_checkin, relative_week_label, week_choices, week_label, week_start


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
