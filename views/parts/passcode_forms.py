"""The passcode part of Settings: set, change or remove it, and the recovery code shown once."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from closer import security, store
from closer.markdown import escape_markdown
from closer.words import plural
from views.parts.components import (
    Couple,
    current_db_path,
    forget_key,
    held_by_unlock,
    remember_unlock,
)
from views.parts.notices import flash, show_flash, showing_store_errors

# Choosing a name (a name button, or "I am" in the sidebar) reruns the page and draws the
# passcode box: without this the keyboard stays on the button that is gone, and a keyboard
# or screen-reader user starts again from the top of the page. When a passcode box appears
# and has settled (no faded widgets of the last run left), this gives it focus, unless
# someone is typing in another box. Static script, no user text.
UNLOCK_FOCUS = """<script>
(() => {
  if (window.closerFocusesPasscode) return;
  window.closerFocusesPasscode = true;
  let given = null;
  const look = () => {
    const box = document.querySelector(".st-key-unlock-form input");
    if (!box || box === given || box.disabled) return;
    if (document.querySelector("[data-stale='true']")) return;
    const now = document.activeElement;
    const typing = now && now.matches("textarea, input:not([role='combobox'])");
    if (typing) return;
    given = box;
    box.focus();
  };
  new MutationObserver(look).observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-stale"],
  });
  look();
})();
</script>"""
RECOVERY_CODE = "recovery_code"
FLASH = "passcode-flash"
FIELDS = ("passcode-current", "passcode-new", "passcode-repeat")


def _hand_over(partner_id: int) -> None:
    # As the sidebar's "I am" does: the other partner's own view, their passcode still asked.
    st.session_state["partner_id"] = partner_id


def show_new_recovery_code(partner_id: int, hand_over_to: store.Partner | None = None) -> None:
    """The recovery code of a passcode just set, to its owner only, until it is written down.

    With ``hand_over_to`` (Set up, while the partner has no passcode yet), writing it down and
    handing the computer over are one tap: the code is still seen and acknowledged first.
    """
    # Kept with this partner's unlock, so it is gone the moment "I am" changes to anyone else.
    held = held_by_unlock(current_db_path(), partner_id)
    code = held.get(RECOVERY_CODE)
    if not code:
        return

    def written_down(then_partner_id: int | None = None) -> None:
        held.pop(RECOVERY_CODE, None)
        if then_partner_id is not None:
            _hand_over(then_partner_id)

    with st.container(border=True):
        st.markdown("**Your recovery code**")
        st.code(code, language=None)
        st.markdown(
            "Write this down and keep it somewhere safe, away from this computer. It is the "
            "only way back to your private notes if you forget your passcode. Closer shows it "
            "this once and never again."
        )
        with st.container(horizontal=True):
            if hand_over_to is not None:
                st.button(
                    f"I've written it down: over to {escape_markdown(hand_over_to.name)}",
                    type="primary",
                    key="recovery-code-hand-over",
                    on_click=written_down,
                    args=(hand_over_to.id,),
                    icon=":material/swap_horiz:",
                )
            st.button(
                "I've written it down",
                type="secondary" if hand_over_to is not None else "primary",
                key="recovery-code-done",
                on_click=written_down,
            )


def _backups(couple: Couple):
    return security.backups_folder(couple.db_path, bool(st.session_state.get("demo")))


def show_passcode_section(couple: Couple, hand_over_to: store.Partner | None = None) -> None:
    """What a passcode does for this person now, and the form to set, change or remove it.

    ``hand_over_to``: the partner still without a passcode, offered the computer next (Set up).
    """
    with store.open_db(couple.db_path) as db:
        state = store.load_unlock_state(db, couple.me.id)
        wrapped = store.load_wrapped_keys(db, couple.me.id)
    show_flash(FLASH)
    if held_by_unlock(couple.db_path, couple.me.id).get(RECOVERY_CODE):
        show_new_recovery_code(couple.me.id, hand_over_to)
        return  # the form comes back once the code is written down
    partner = escape_markdown(couple.partner.name) if couple.partner else "anyone else"
    if wrapped.by_passcode:
        st.caption(
            "Your passcode keeps your view yours in the app, and your private notes are sealed "
            "in the file: only your passcode, or your recovery code, opens them."
        )
        if security.backups_left_plain(_backups(couple), couple.me.id):
            st.warning(
                "Sealing your notes in the automatic backups was cut short. Closer finishes it "
                "the next time you unlock; until then some backups in "
                f"{escape_markdown(str(_backups(couple)))} may hold them in plain text.",
                icon=":material/backup:",
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
    # Once set, changing it is rare: folded, so Settings and Set up stay short.
    around = (
        st.expander("Change or remove your passcode", icon=":material/key:")
        if has_passcode
        else st.container()
    )
    with around, st.form("passcode", clear_on_submit=False):
        current = (
            st.text_input("Current passcode", type="password", key="passcode-current")
            if has_passcode
            else ""
        )
        new = st.text_input(
            "New passcode",
            type="password",
            key="passcode-new",
            help="At least 6 characters. Longer is stronger: a few words you'll remember.",
        )
        repeated = st.text_input("New passcode again", type="password", key="passcode-repeat")
        message = st.empty()
        left, right = st.columns(2)
        set_it = left.form_submit_button("Change passcode" if has_passcode else "Set passcode")
        remove_it = has_passcode and right.form_submit_button("Remove passcode")
    if hand_over_to is not None:
        st.button(
            f"Hand over to {escape_markdown(hand_over_to.name)} for theirs",
            key="set-up-hand-over",
            on_click=_hand_over,
            args=(hand_over_to.id,),
            icon=":material/swap_horiz:",
        )
    if not (set_it or remove_it):
        return
    now, backups = datetime.now(UTC), _backups(couple)
    try:
        with showing_store_errors(message):
            if remove_it:
                with st.spinner("Opening your private notes…"):
                    security.remove_passcode(couple.db_path, couple.me.id, current, now, backups)
                forget_key(couple.db_path, couple.me.id)
                _done(
                    "Passcode removed. Your private notes are still hidden in the app, but are "
                    "plain text in the file again."
                )
            with st.spinner("Sealing your private notes…"):
                if has_passcode:
                    opened = security.change_passcode(
                        couple.db_path, couple.me.id, current, new, repeated, now, backups
                    )
                else:
                    opened = security.set_passcode(
                        couple.db_path, couple.me.id, new, repeated, backups
                    )
            _keep(couple.db_path, couple.me.id, opened)
            if opened.recovery_code is None:
                _done("Passcode changed. Your recovery code stays the same.")
            copies = ""
            if opened.sealed_copies:
                copies = f" and in {plural(opened.sealed_copies, 'automatic backup')}"
            _done(f"Passcode set. Your private notes are now sealed in the file{copies}.")
    except security.WrongPasscode:
        message.error("Your current passcode isn't right.", icon=":material/error:")
    except security.PasscodeRefused as refused:
        # Said beside the form (Closer's own words); what was typed stays in the boxes.
        _say_refused(message, refused)


def _keep(db_path, partner_id: int, opened: security.Opened) -> None:
    """Hold the key (and a new recovery code) with this partner's unlock in this session."""
    remember_unlock(db_path, partner_id, opened.key)
    if opened.recovery_code:
        held_by_unlock(db_path, partner_id)[RECOVERY_CODE] = opened.recovery_code


def _done(message: str) -> None:
    # Shown beside the form, where the person is looking (a rerun keeps the scroll position).
    flash(FLASH, message)
    for field in FIELDS:
        st.session_state.pop(field, None)  # no passcode left sitting in the boxes
    st.rerun()


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

    with st.container(key="unlock-form"), st.form("unlock", enter_to_submit=True):
        passcode = st.text_input("Passcode", type="password", key=f"passcode-{partner_id}")
        message = st.empty()
        submitted = st.form_submit_button("Unlock", type="primary")
    with st.sidebar:
        # In the sidebar, like the other scripts: nothing the page shows is a script.
        st.html(UNLOCK_FOCUS, unsafe_allow_javascript=True)

    if wait and not submitted:
        message.warning(
            "Several wrong tries in a row: the next try opens in "
            f"{plural(_seconds(wait), 'second')}. Forgotten it? See “Forgotten passcode” in "
            "the README.",
            icon=":material/timer:",
        )
    if not submitted:
        return
    backups = security.backups_folder(db_path, bool(st.session_state.get("demo")))
    try:
        with st.spinner("Unlocking…"), showing_store_errors(message):
            opened = security.unlock(db_path, partner_id, passcode, datetime.now(UTC), backups)
    except security.PasscodeRefused as refused:
        _say_refused(message, refused, icon=":material/lock:")
        return
    _keep(db_path, partner_id, opened)
    st.rerun()


def _say_refused(
    where: DeltaGenerator, refused: security.PasscodeRefused, icon: str = ":material/error:"
) -> None:
    """A refused passcode step in Closer's own words: a wait as a warning, the rest an error."""
    if refused.wait:
        where.warning(str(refused), icon=":material/timer:")
    else:
        where.error(str(refused), icon=icon)


def _seconds(wait: timedelta) -> int:
    return math.ceil(wait.total_seconds())
