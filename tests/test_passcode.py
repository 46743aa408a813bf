"""Passcode hashing, checking and throttling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from closer.passcode import (
    hash_passcode,
    passcode_problem,
    read_count,
    read_moment,
    verify_passcode,
    wait_before_next_try,
    wrong_passcode_message,
)


def test_hash_is_salted_and_verifies():
    first, second = hash_passcode("tulip 42"), hash_passcode("tulip 42")
    assert first != second  # a fresh salt each time
    assert "tulip 42" not in first
    assert first.startswith("scrypt$16384$8$1$")
    assert verify_passcode("tulip 42", first)
    assert verify_passcode("tulip 42", second)


@pytest.mark.parametrize("wrong", ["tulip 43", "Tulip 42", "", "tulip 42 "])
def test_wrong_passcodes_do_not_verify(wrong):
    assert not verify_passcode(wrong, hash_passcode("tulip 42"))


def test_unicode_forms_of_the_same_passcode_match():
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert verify_passcode(decomposed, hash_passcode(composed))


@pytest.mark.parametrize("stored", ["", "plain", "md5$1$2$3$aa$bb", "scrypt$x$8$1$aa$bb"])
def test_malformed_stored_values_never_verify(stored):
    assert not verify_passcode("anything", stored)


@pytest.mark.parametrize(
    ("passcode", "repeated", "problem"),
    [
        ("123456", "123456", None),
        # A 4- or 5-digit PIN is refused: from a copied file it falls in hours (README).
        ("1234", "1234", "Use at least 6 characters."),
        ("12345", "12345", "Use at least 6 characters."),
        ("x" * 65, "x" * 65, "Use at most 64 characters."),
        ("123456", "123457", "The two entries don't match. Type the same passcode twice."),
    ],
)
def test_passcode_problem(passcode, repeated, problem):
    assert passcode_problem(passcode, repeated) == problem


NOW = datetime(2026, 11, 22, 20, 0, 0)


@pytest.mark.parametrize(
    ("failed", "seconds_ago", "wait"),
    [
        (0, 0, 0),
        (4, 0, 0),  # four wrong tries: still no wait
        (5, 0, 30),  # the fifth wrong try starts a 30 s wait
        (5, 10, 20),
        (5, 30, 0),
        (6, 0, 60),  # then it doubles
        (7, 0, 120),
        (20, 0, 900),  # capped at 15 minutes
    ],
)
def test_wait_before_next_try(failed, seconds_ago, wait):
    last = NOW - timedelta(seconds=seconds_ago)
    assert wait_before_next_try(failed, last, NOW) == timedelta(seconds=wait)


def test_a_runaway_count_waits_the_longest_wait_and_no_more():
    assert wait_before_next_try(10**12, NOW, NOW) == timedelta(minutes=15)


AWARE = datetime(2026, 11, 22, 20, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("garbage", None),
        (12345, None),
        ("2026-11-22T19:59:00+00:00", datetime(2026, 11, 22, 19, 59, tzinfo=UTC)),
        ("2026-11-22T20:59:00+01:00", datetime(2026, 11, 22, 19, 59, tzinfo=UTC)),
        ("2026-11-22T19:59:00", datetime(2026, 11, 22, 19, 59, tzinfo=UTC)),  # no zone: UTC
        ("9999-12-31T23:59:59+00:00", AWARE),  # never later than now
        ("2026-11-22T20:00:01+00:00", AWARE),
    ],
)
def test_read_moment(raw, expected):
    assert read_moment(raw, AWARE) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(0, 0), (7, 7), (None, 0), ("lots", 0), (-4, 0), (2.5, 0), (True, 0)],
)
def test_read_count(raw, expected):
    assert read_count(raw) == expected


@pytest.mark.parametrize(
    ("failed", "message"),
    [
        (1, "That passcode isn't right."),
        (2, "That passcode isn't right."),
        (
            3,
            "That passcode isn't right. After 2 more wrong tries, Closer asks you to wait "
            "before the next one: 30 seconds at first, longer after each wrong try.",
        ),
        (
            4,
            "That passcode isn't right. After 1 more wrong try, Closer asks you to wait "
            "before the next one: 30 seconds at first, longer after each wrong try.",
        ),
        (
            5,
            "That passcode isn't right. The next try opens in 30 seconds; each wrong try "
            "from now on doubles the wait, up to 15 minutes.",
        ),
        (
            6,
            "That passcode isn't right. The next try opens in 1 minute; each wrong try "
            "from now on doubles the wait, up to 15 minutes.",
        ),
        (
            40,
            "That passcode isn't right. The next try opens in 15 minutes; each wrong try "
            "from now on doubles the wait, up to 15 minutes.",
        ),
    ],
)
def test_wrong_passcode_message_matches_the_waits(failed, message):
    assert wrong_passcode_message(failed) == message
    # The words and the rule agree: a wait is promised exactly when one starts.
    waits = wait_before_next_try(failed, NOW, NOW) > timedelta(0)
    assert ("next try opens" in message) == waits
