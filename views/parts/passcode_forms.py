"""The passcode part of Settings: set, change or remove it, and the recovery code shown once."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import streamlit as st

from closer import backup_files, store, vault
from closer.markdown import escape_markdown
from closer.passcode import (
    hash_passcode,
    passcode_problem,
    verify_passcode,
    wrong_passcode_message,
)
from closer.words import plural
from views.parts.components import Couple, current_db_path, forget_key, remember_unlock
from views.parts.notices import flash, show_flash, showing_store_errors

RECOVERY_CODE = "recovery-code-to-show"
FLASH = "passcode-flash"
FIELDS = ("passcode-current", "passcode-new", "passcode-repeat")


def show_new_recovery_code() -> None:
    """The recovery code of a passcode just set, until its owner says it is written down."""
    code = st.session_state.get(RECOVERY_CODE)
    if not code:
        return
    with st.container(border=True):
        st.markdown("**Your recovery code**")
        st.code(code, language=None)
        st.markdown(
            "Write this down and keep it somewhere safe, away from this computer. It is the "
            "only way back to your private notes if you forget your passcode. Closer shows it "
            "this once and never again."
        )
        st.button(
            "I've written it down",
            type="primary",
            key="recovery-code-done",
            on_click=lambda: st.session_state.pop(RECOVERY_CODE, None),
        )


def show_passcode_section(couple: Couple) -> None:
    """What a passcode does for this person now, and the form to set, change or remove it."""
    with store.open_db(couple.db_path) as db:
        state = store.load_unlock_state(db, couple.me.id)
        wrapped = store.load_wrapped_keys(db, couple.me.id)
    show_flash(FLASH)
    if st.session_state.get(RECOVERY_CODE):
        show_new_recovery_code()
        return  # the form comes back once the code is written down
    partner = escape_markdown(couple.partner.name) if couple.partner else "anyone else"
    if wrapped.by_passcode:
        st.caption(
            "Your passcode keeps your view yours in the app, and your private notes are sealed "
            "in the file: only your passcode, or your recovery code, opens them."
        )
    elif state.passcode_hash:
        st.caption(
            "You have a passcode, but your private notes are not yet sealed in the file. Change "
            "your passcode (typing the same one again is fine) to seal them."
        )
    else:
        st.caption(
            f"You haven't set one. Your private notes are hidden from {partner} in the app, but "
            "anyone who can open files on this computer could read them. A passcode seals them "
            "in the file too, and is asked once each time Closer is opened in a browser."
        )
    has_passcode = state.passcode_hash is not None
    with st.form("passcode", clear_on_submit=False):
        current = (
            st.text_input("Current passcode", type="password", key="passcode-current")
            if has_passcode
            else ""
        )
        new = st.text_input("New passcode", type="password", key="passcode-new")
        repeated = st.text_input("New passcode again", type="password", key="passcode-repeat")
        message = st.empty()
        left, right = st.columns(2)
        set_it = left.form_submit_button("Change passcode" if has_passcode else "Set passcode")
        remove_it = has_passcode and right.form_submit_button("Remove passcode")
    if not (set_it or remove_it):
        return
    if has_passcode and not _current_passcode_is_right(couple, current, message):
        return
    key = _own_key(wrapped, current)
    with showing_store_errors(message):
        if remove_it:
            _remove(couple, key)
            return
        if problem := passcode_problem(new, repeated):
            message.error(problem, icon=":material/error:")
            return
        if key is not None:
            with store.open_db(couple.db_path) as db:
                store.change_passcode(
                    db, couple.me.id, hash_passcode(new), vault.wrap_key(key, new, "passcode")
                )
            _done("Passcode changed. Your recovery code stays the same.")
        else:
            _set(couple, new)


def _current_passcode_is_right(couple: Couple, current: str, message) -> bool:
    """Check the current passcode, with the same wait after wrong tries as the unlock."""
    with store.open_db(couple.db_path) as db:
        reservation = store.reserve_unlock_attempt(db, couple.me.id, datetime.now(UTC))
    if reservation.wait:
        message.warning(
            f"Please wait {_seconds(reservation.wait)} more seconds before trying again.",
            icon=":material/timer:",
        )
        return False
    if not verify_passcode(current, reservation.passcode_hash or ""):
        message.error("Your current passcode isn't right.", icon=":material/error:")
        return False
    with store.open_db(couple.db_path) as db:
        store.record_unlock(db, couple.me.id, success=True)
    return True


def _own_key(wrapped: store.WrappedKeys, current: str) -> bytes | None:
    if not wrapped.by_passcode:
        return None
    # The hash was checked just before, so the same passcode opens the key.
    return vault.unwrap_key(wrapped.by_passcode, current, "passcode")


def _seal_with_new_key(db_path: Path, partner: store.Partner, passcode: str) -> tuple[bytes, int]:
    """Give a partner a data key under this passcode and seal their notes (backups too).

    Returns the key and how many automatic backups were sealed; the recovery code waits in
    this session until its owner says it is written down.
    """
    key, code = vault.new_data_key(), vault.new_recovery_code()
    new = store.NewPasscode(
        hash_passcode(passcode),
        vault.wrap_key(key, passcode, "passcode"),
        vault.wrap_key(key, code, "recovery"),
    )
    with st.spinner("Sealing your private notes…"):
        with store.open_db(db_path) as db:
            store.set_passcode(db, partner.id, new, key)
        copies = _apply_to_backups(db_path, partner, key, seal=True)
    remember_unlock(db_path, partner.id, key)
    st.session_state[RECOVERY_CODE] = code
    return key, copies


def _upgrade_to_sealed_notes(db_path: Path, partner_id: int, passcode: str) -> bytes:
    """At the first unlock since sealing arrived: seal this partner's notes under a new key."""
    with store.open_db(db_path) as db:
        partner = next(p for p in store.list_partners(db) if p.id == partner_id)
    key, _ = _seal_with_new_key(db_path, partner, passcode)
    return key


def _set(couple: Couple, passcode: str) -> None:
    _, copies = _seal_with_new_key(couple.db_path, couple.me, passcode)
    sealed_copies = ""
    if copies:
        sealed_copies = f" and in {plural(copies, 'automatic backup')}"
    _done(f"Passcode set. Your private notes are now sealed in the file{sealed_copies}.")


def _remove(couple: Couple, key: bytes | None) -> None:
    with st.spinner("Opening your private notes…"):
        with store.open_db(couple.db_path) as db:
            store.remove_passcode(db, couple.me.id, key)
        if key is not None:
            _apply_to_backups(couple.db_path, couple.me, key, seal=False)
    forget_key(couple.db_path, couple.me.id)
    _done(
        "Passcode removed. Your private notes are still hidden in the app, but are plain text "
        "in the file again."
    )


def _apply_to_backups(db_path: Path, partner: store.Partner, key: bytes, *, seal: bool) -> int:
    """Seal (or open) this person's notes in the automatic backups too; returns how many."""
    if st.session_state.get("demo"):
        return 0  # the sample file's backups would be the couple's own folder
    folder = backup_files.default_backups_dir(db_path)
    changed = 0
    for copy in backup_files.list_backups(folder):
        if store.apply_passcode_to_copy(copy.path, partner, key, seal=seal):
            changed += 1
    return changed


def _done(message: str) -> None:
    # Shown beside the form, where the person is looking (a rerun keeps the scroll position).
    flash(FLASH, message)
    for field in FIELDS:
        st.session_state.pop(field, None)  # no passcode left sitting in the boxes
    st.rerun()


def _seconds(wait: timedelta) -> int:
    return math.ceil(wait.total_seconds())


def unlock_form(partner_id: int) -> None:
    """Ask for a partner's passcode; on success remember the unlock for this browser session."""
    db_path = current_db_path()
    with store.open_db(db_path) as db:
        name = next(p.name for p in store.list_partners(db) if p.id == partner_id)
        wait = store.unlock_wait(db, partner_id, datetime.now(UTC))

    st.title("Welcome back")
    st.markdown(
        f"{escape_markdown(name)}'s view is protected with a passcode. Not "
        f"{escape_markdown(name)}? Choose your name in "
        "the sidebar."
    )

    with st.form("unlock", enter_to_submit=True):
        passcode = st.text_input("Passcode", type="password", key=f"passcode-{partner_id}")
        message = st.empty()
        submitted = st.form_submit_button("Unlock", type="primary")

    if wait and not submitted:
        message.warning(
            f"Several wrong tries in a row: the next try opens in {_seconds(wait)} "
            "seconds. Forgotten it? See “Forgotten passcode” in the README.",
            icon=":material/timer:",
        )
    if submitted:
        # The try is counted before the passcode is checked, in one transaction: however
        # many tabs press Unlock at once, one is checked and the others are told to wait.
        with store.open_db(db_path) as db:
            reservation = store.reserve_unlock_attempt(db, partner_id, datetime.now(UTC))
        if reservation.wait:
            message.warning(
                f"Please wait {_seconds(reservation.wait)} more seconds before trying again.",
                icon=":material/timer:",
            )
            return
        if verify_passcode(passcode, reservation.passcode_hash or ""):
            with store.open_db(db_path) as db:
                store.record_unlock(db, partner_id, success=True)
                wrapped = store.load_wrapped_keys(db, partner_id)
            if wrapped.by_passcode:
                key = vault.unwrap_key(wrapped.by_passcode, passcode, "passcode")
            else:
                # A passcode from before notes were sealed: seal them now, with a new key.
                key = _upgrade_to_sealed_notes(db_path, partner_id, passcode)
            remember_unlock(db_path, partner_id, key)
            st.rerun()
        message.error(wrong_passcode_message(reservation.failed_unlocks), icon=":material/lock:")
