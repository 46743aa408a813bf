"""The optional steps after Welcome: a passcode for each of you, notifications, the phones."""

from __future__ import annotations

import streamlit as st

from closer import store
from closer.markdown import escape_markdown
from views.parts.components import who_is_here
from views.parts.home_week import big_link
from views.parts.notifications import show_notifications_section
from views.parts.passcode_forms import show_passcode_section
from views.parts.phones import show_phone_address

HOME = "views/pages/home.py"
STEPS = ("Passcode", "Notifications", "Phones")


def _next(step: str) -> None:
    st.session_state["set-up-step"] = step


def show_set_up_steps() -> None:
    """Three optional steps, one at a time; each can be skipped and done later from here."""
    couple = who_is_here()
    me, partner = couple.me, couple.partner
    with store.open_db(couple.db_path) as db:
        without = set(store.partners_without_passcode(db))
    st.title("Set up, if you like")
    st.caption(
        "Each step is optional: skip any of them and come back to this page (Set up, in the "
        "menu) or to Settings whenever you like."
    )
    st.session_state.setdefault("set-up-step", STEPS[0])
    step = (
        st.segmented_control("Step", STEPS, key="set-up-step", label_visibility="collapsed")
        or STEPS[0]
    )
    if step == "Passcode":
        st.subheader(f"A passcode for you, {escape_markdown(me.name)}", anchor=False)
        # What a passcode does is said just below (by the section Settings shares): only
        # what it means here.
        st.caption("Your phones open Closer only once each of you has one.")
        # The partner still without a passcode is offered the computer next (one tap, and
        # the same tap as "I've written it down" while a new recovery code is shown).
        show_passcode_section(
            couple,
            hand_over_to=partner if partner is not None and partner.name in without else None,
        )
    elif step == "Notifications":
        st.subheader("A nudge on your phone", anchor=False)
        show_notifications_section(couple)
    else:
        st.subheader("Use it on your phones", anchor=False)
        show_phone_address([p for p in (me, partner) if p is not None])
    st.divider()
    later = STEPS[STEPS.index(step) + 1 :] if step in STEPS else ()
    if later:
        st.button(
            f"Next: {later[0]}",
            key="set-up-next",
            on_click=_next,
            args=(later[0],),
            icon=":material/arrow_forward:",
        )
    big_link("Done for now: go to Home", HOME, "set-up-done", ":material/home:")
