"""What a stored value must be for Closer to read it: weeks, dates and times, answers.

Checked in Python, never by SQLite's own date functions (its date() takes 30 February); the
same checks are given to SQL as functions (closer_week, closer_moment, closer_answers) on
every connection, so queries leave out what Closer can't read.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime
from functools import lru_cache

from closer.checkin import stored_answers_problem

# The weeks Closer can read: real dates (date.fromisoformat, which refuses 30 February, unlike
# SQLite's date() that accepts any day up to 31), Mondays, in the years pandas and the pages
# can hold. Rows outside them (only a damaged file or another program writes them) are left
# out everywhere, so one bad row never stops a page; Your data lists them and can delete them.
READABLE_FIRST = date(1900, 1, 1)
READABLE_LAST = date(2200, 12, 31)


@lru_cache(maxsize=65536)
def readable_week(value: object) -> date | None:
    """The Monday a stored week names, or None when Closer can't read it as one."""
    if not isinstance(value, str):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    # fromisoformat also takes 20261116 and 2026-W47-1: a stored week is written one way only.
    if day.isoformat() != value or day.weekday() != 0:
        return None
    return day if READABLE_FIRST <= day <= READABLE_LAST else None


def checked_week(value: object) -> date:
    """The Monday of a week a query already let through its closer_week check."""
    day = readable_week(value)
    if day is None:  # the query's own check passed it, so this is a bug, not a bad row
        raise ValueError(f"a week the query should have left out: {value!r}")
    return day


@lru_cache(maxsize=65536)
def readable_moment(value: object) -> datetime | None:
    """A stored date and time (saved at, updated at), or None when Closer can't read it."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    # Shown in local time: a year at either end of what datetime holds can't be moved there.
    return moment if READABLE_FIRST.year <= moment.year <= 9998 else None


# Verdicts on answers already checked, by a digest of the value (never the value: it may hold
# a private note): Your data checks every saved version on each visit, and parsing a decade's
# JSON each time would cost more than the rest of the page.
_ANSWERS_SEEN: dict[bytes, str | None] = {}
_ANSWERS_SEEN_MAX = 50_000


def answers_problem(raw: object) -> str | None:
    """Why a stored answers value can't be read (closer.checkin.stored_answers_problem)."""
    if not isinstance(raw, str):
        return stored_answers_problem(raw)
    digest = hashlib.blake2b(raw.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    if digest not in _ANSWERS_SEEN:
        if len(_ANSWERS_SEEN) >= _ANSWERS_SEEN_MAX:
            _ANSWERS_SEEN.clear()
        _ANSWERS_SEEN[digest] = stored_answers_problem(raw)
    return _ANSWERS_SEEN[digest]


def _register_checks(conn: sqlite3.Connection) -> None:
    """Let SQL filter rows with the Python checks above (never with SQLite's own date())."""
    conn.create_function(
        "closer_week", 1, lambda v: readable_week(v) is not None, deterministic=True
    )
    conn.create_function(
        "closer_moment", 1, lambda v: readable_moment(v) is not None, deterministic=True
    )
    conn.create_function(
        "closer_answers", 1, lambda v: answers_problem(v) is None, deterministic=True
    )


def _valid_week(column: str = "week") -> str:
    return f"closer_week({column})"


def _readable_checkin(alias: str = "") -> str:
    """SQL: a check-in row Closer can read (its week, and when it was last saved)."""
    return (
        f"(closer_week({alias}week) AND closer_moment({alias}updated_at) "
        f"AND typeof({alias}revision) = 'integer')"
    )
