"""Literal builders for tests: check-in answers from short tuples."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlite_utils import Database

from closer import store, vault
from closer.checkin import Answers, Reflection
from closer.passcode import hash_passcode

MONDAY = date(2026, 11, 16)  # the week of 16–22 Nov 2026


def answers(
    scores: dict[str, int | None] | None = None,
    more: tuple[str, ...] = (),
    **reflections: tuple[str, bool],
) -> Answers:
    """Build answers from literals: answers({'physical': 7}, working=('hugs', True))."""
    return Answers(
        scores=scores if scores is not None else {"emotional": 7},
        wants_more=frozenset(more),
        reflections={k: Reflection(text, shared) for k, (text, shared) in reflections.items()},
    )


def give_passcode(db_path: Path, partner_id: int, passcode: str = "1234") -> tuple[bytes, str]:
    """Set a passcode the way Settings does; returns the data key and the recovery code."""
    key, code = vault.new_data_key(), vault.new_recovery_code()
    new = store.NewPasscode(
        hash_passcode(passcode),
        vault.wrap_key(key, passcode, "passcode"),
        vault.wrap_key(key, code, "recovery"),
    )
    with store.open_db(db_path) as db:
        store.set_passcode(db, partner_id, new, key)
    return key, code


def set_passcode_hash(db: Database, partner_id: int, passcode_hash: str | None) -> None:
    """Write only a passcode hash, with no keys and no wrong tries, as an older Closer did."""
    db["partners"].update(
        partner_id,
        {"passcode_hash": passcode_hash, "failed_unlocks": 0, "last_failed_unlock": None},
    )
