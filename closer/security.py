"""Passcodes as whole operations: unlock, set, change, remove, recover, and a partner's consent.

Each is written once here and called by every page (and the admin command) that needs it, so
the order that keeps a promise (count the try before checking it, check by unwrapping the
key, seal the automatic backups too) cannot drift between copies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from closer import files, store, vault
from closer.backup import automatic
from closer.passcode import (
    KEY_VERIFIED,
    passcode_problem,
    verify_passcode,
    wrong_passcode_message,
)
from closer.words import plural


class PasscodeRefused(Exception):
    """A passcode try that did not go through, with what to tell the person at the screen."""

    def __init__(self, message: str, wait: timedelta = timedelta(0)) -> None:
        super().__init__(message)
        self.wait = wait


class WrongPasscode(PasscodeRefused):
    """The passcode typed is not the right one (counted as a wrong try)."""


@dataclass(frozen=True)
class Opened:
    """A passcode that checked out: the partner's data key, and what setting up a key did.

    ``recovery_code`` is set only when this step made a new key (a first passcode, or the
    first unlock of a passcode from before notes were sealed): it is shown once, to its owner.
    """

    key: bytes | None
    recovery_code: str | None = None
    sealed_copies: int = 0


def _refuse_wait(wait: timedelta) -> PasscodeRefused:
    seconds = math.ceil(wait.total_seconds())
    return PasscodeRefused(
        f"Please wait {plural(seconds, 'more second')} before trying again.", wait
    )


def _check(db_path: Path, partner_id: int, passcode: str, now: datetime) -> bytes | None:
    """Count a try, then check the passcode; the data key (None for an older, keyless one)."""
    # The try is counted before the passcode is checked, in one transaction: however many
    # tabs press Unlock at once, one is checked and the others are told to wait.
    with store.open_db(db_path) as db:
        reservation = store.reserve_unlock_attempt(db, partner_id, now)
        wrapped = store.load_wrapped_keys(db, partner_id)
    if reservation.wait:
        raise _refuse_wait(reservation.wait)
    key: bytes | None = None
    if wrapped.by_passcode:
        # The one verifier: only the right passcode unwraps the key. A wrapped key that was
        # swapped or damaged in the file reads the same as a wrong passcode: locked, calmly.
        try:
            key = vault.unwrap_key(wrapped.by_passcode, passcode, "passcode")
        except vault.VaultError:
            raise WrongPasscode(wrong_passcode_message(reservation.failed_unlocks)) from None
    elif reservation.passcode_hash in (None, KEY_VERIFIED) or not verify_passcode(
        passcode, reservation.passcode_hash
    ):
        # KEY_VERIFIED without a key to unwrap (an edited file) can't be checked: locked.
        raise WrongPasscode(wrong_passcode_message(reservation.failed_unlocks))
    with store.open_db(db_path) as db:
        store.record_unlock(db, partner_id, success=True)
    return key


def unlock(
    db_path: Path, partner_id: int, passcode: str, now: datetime, backups: Path | None
) -> Opened:
    """Open a partner's view: check the passcode, then finish any sealing left unfinished.

    ``backups`` is the automatic backups folder to keep sealed (None for the sample data).
    A passcode from before private notes were sealed gets its key here, with a recovery code.
    """
    key = _check(db_path, partner_id, passcode, now)
    if key is None:
        return _give_key(db_path, partner_id, passcode, backups)
    return Opened(key, sealed_copies=finish_sealing_backups(db_path, partner_id, key, backups))


def consent(db_path: Path, partner_id: int, passcode: str, now: datetime) -> bytes | None:
    """A partner agreeing to one change by typing their passcode; their data key, if any.

    Counted like a try at the passcode screen. Nothing about their key is changed here: the
    person at the screen is the other partner, who must never see a recovery code.
    """
    return _check(db_path, partner_id, passcode, now)


def set_passcode(
    db_path: Path, partner_id: int, passcode: str, repeated: str, backups: Path | None
) -> Opened:
    """Give a partner without one a passcode: a new key, their notes sealed, backups too."""
    if problem := passcode_problem(passcode, repeated):
        raise PasscodeRefused(problem)
    with store.open_db(db_path) as db:
        if store.load_unlock_state(db, partner_id).passcode_hash is not None:
            raise PasscodeRefused("You have a passcode already: change it instead.")
    return _give_key(db_path, partner_id, passcode, backups)


def change_passcode(
    db_path: Path,
    partner_id: int,
    current: str,
    new: str,
    repeated: str,
    now: datetime,
    backups: Path | None,
) -> Opened:
    """A new passcode for the same key (nothing re-encrypted, the recovery code unchanged)."""
    if problem := passcode_problem(new, repeated):
        raise PasscodeRefused(problem)
    key = _check(db_path, partner_id, current, now)
    if key is None:
        return _give_key(db_path, partner_id, new, backups)
    new_passcode_for_key(db_path, partner_id, key, new, repeated)
    return Opened(key)


def remove_passcode(
    db_path: Path, partner_id: int, current: str, now: datetime, backups: Path | None
) -> None:
    """Take a partner's passcode away, opening their sealed notes (and backups) into plain text."""
    key = _check(db_path, partner_id, current, now)
    with store.open_db(db_path) as db:
        partner = _partner(db, partner_id)
        store.remove_passcode(db, partner_id, key)
    if key is not None and backups is not None:
        _sealing_marker(backups, partner_id).unlink(missing_ok=True)
        for copy in automatic.list_backups(backups):
            store.apply_passcode_to_copy(copy.path, partner, key, seal=False)


def open_with_recovery_code(db_path: Path, partner_id: int, recovery_code: str) -> bytes:
    """A partner's data key from their recovery code, for replacing a forgotten passcode."""
    with store.open_db(db_path) as db:
        wrapped = store.load_wrapped_keys(db, partner_id)
    try:
        code = vault.normalise_recovery_code(recovery_code)
        return vault.unwrap_key(wrapped.by_recovery or "", code, "recovery")
    except vault.VaultError:
        raise PasscodeRefused(
            "That recovery code doesn't match. Nothing was changed; try again, copying it "
            "exactly as written down."
        ) from None


def new_passcode_for_key(
    db_path: Path, partner_id: int, key: bytes, new: str, repeated: str
) -> None:
    """Wrap a partner's key under a new passcode: nothing re-encrypted, the recovery code kept."""
    if problem := passcode_problem(new, repeated):
        raise PasscodeRefused(f"{problem} Nothing was changed.")
    with store.open_db(db_path) as db:
        store.change_passcode(db, partner_id, KEY_VERIFIED, vault.wrap_key(key, new, "passcode"))


def _partner(db: Database, partner_id: int) -> store.Partner:
    found = next((p for p in store.list_partners(db) if p.id == partner_id), None)
    if found is None:
        raise PasscodeRefused("That partner isn't in this Closer any more. Reload the page.")
    return found


def _give_key(db_path: Path, partner_id: int, passcode: str, backups: Path | None) -> Opened:
    """A new data key under this passcode and a recovery code; every private note sealed."""
    key, code = vault.new_data_key(), vault.new_recovery_code()
    new = store.NewPasscode(
        KEY_VERIFIED,
        vault.wrap_key(key, passcode, "passcode"),
        vault.wrap_key(key, code, "recovery"),
    )
    if backups is not None:
        # Written before the main commit and removed once every backup is sealed: a crash in
        # between leaves it, and the next unlock finishes the job (finish_sealing_backups).
        files.create_private_folder(backups)
        _sealing_marker(backups, partner_id).touch(mode=0o600)
    with store.open_db(db_path) as db:
        store.set_passcode(db, partner_id, new, key)
    copies = finish_sealing_backups(db_path, partner_id, key, backups)
    return Opened(key, code, copies)


def _sealing_marker(backups: Path, partner_id: int) -> Path:
    return backups / f".sealing-partner-{partner_id}"


def finish_sealing_backups(db_path: Path, partner_id: int, key: bytes, backups: Path | None) -> int:
    """Seal this partner's notes in every automatic backup, if a set-passcode left that undone.

    Returns how many backups were sealed now (0 when nothing was left to do).
    """
    if backups is None or not _sealing_marker(backups, partner_id).exists():
        return 0
    with store.open_db(db_path) as db:
        partner = _partner(db, partner_id)
    sealed = 0
    for copy in automatic.list_backups(backups):
        if store.apply_passcode_to_copy(copy.path, partner, key, seal=True):
            sealed += 1
    _sealing_marker(backups, partner_id).unlink(missing_ok=True)
    return sealed


def backups_left_plain(backups: Path | None, partner_id: int) -> bool:
    """Whether a set-passcode was cut short, so some automatic backups may still be plain."""
    return backups is not None and _sealing_marker(backups, partner_id).exists()


def backups_folder(db_path: Path, is_sample: bool) -> Path | None:
    """The automatic backups a passcode change must reach: none for the sample data's file."""
    return None if is_sample else automatic.default_backups_dir(db_path)
