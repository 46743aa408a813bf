"""Consent: changing or removing a partner's data needs that partner's passcode, if they have one.

Replacing everything, going back to an automatic backup, deleting everything and a merge that
adds to the other partner's check-ins all reach into the other partner's data. The page asks
for their passcode; the functions that change data refuse without it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from closer import store
from closer.passcode import verify_passcode, wait_before_next_try


class ConsentNeeded(Exception):
    """The change reaches into the data of partners with a passcode who have not agreed."""

    def __init__(self, partners: list[store.Partner]) -> None:
        self.partners = partners
        names = " and ".join(p.name for p in partners)
        super().__init__(
            f"This changes {names}'s data, so it needs {names}'s passcode. Nothing was changed."
        )


def needing_consent(
    db: Database, partner_ids: Iterable[int], consented: Collection[int]
) -> list[store.Partner]:
    """The partners among partner_ids who have a passcode and have not agreed, in joining order."""
    wanted = set(partner_ids) - set(consented)
    return [
        p
        for p in store.list_partners(db)
        if p.id in wanted and store.load_unlock_state(db, p.id).passcode_hash is not None
    ]


def require_consent(db: Database, partner_ids: Iterable[int], consented: Collection[int]) -> None:
    """Raise ConsentNeeded unless every partner with a passcode among partner_ids agreed."""
    missing = needing_consent(db, partner_ids, consented)
    if missing:
        raise ConsentNeeded(missing)


@dataclass(frozen=True)
class PasscodeCheck:
    """The outcome of a typed passcode: agreed, or why not (and how long to wait)."""

    agreed: bool
    problem: str | None = None
    wait: timedelta = timedelta(0)


def check_passcode(state: store.UnlockState, typed: str, now: datetime, name: str) -> PasscodeCheck:
    """Whether a typed passcode is the partner's, honouring the wait after wrong tries.

    A wrong try here is one like any other: the caller records it (store.record_unlock), so
    this box gives no more guesses than the passcode screen.
    """
    if state.passcode_hash is None:
        return PasscodeCheck(agreed=True)
    if not typed:
        return PasscodeCheck(
            False,
            f"This also changes {name}'s data, so it needs {name}'s passcode. Ask {name} to "
            "type it above.",
        )
    wait = wait_before_next_try(state.failed_unlocks, _moment(state.last_failed_unlock), now)
    if wait:
        seconds = math.ceil(wait.total_seconds())
        return PasscodeCheck(
            False,
            f"Too many wrong tries: wait {seconds} seconds before {name} types it again.",
            wait,
        )
    if verify_passcode(typed, state.passcode_hash):
        return PasscodeCheck(agreed=True)
    return PasscodeCheck(False, f"That isn't {name}'s passcode. Nothing was changed.")


def _moment(value: str | None) -> datetime | None:
    """A stored moment, or None when it is missing or not a date and time at all."""
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    # A moment without a zone is UTC, as Closer writes them; comparing needs a zone.
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment
