"""Passcode hashing, checking and throttling."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from closer.passcode import hash_passcode, passcode_problem, verify_passcode, wait_before_next_try


def test_hash_is_salted_and_verifies():
    first, second = hash_passcode("tulip 42"), hash_passcode("tulip 42")
    assert first != second  # a fresh salt each time
    assert "tulip" not in first
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
        ("1234", "1234", None),
        ("123", "123", "Use at least 4 characters."),
        ("x" * 65, "x" * 65, "Use at most 64 characters."),
        ("1234", "1235", "The two entries don't match. Type the same passcode twice."),
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
