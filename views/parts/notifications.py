"""A partner's own notification addresses: add, remove, send a test, and how the last went."""

from __future__ import annotations

import os
from datetime import datetime

import streamlit as st

from closer import notify, store
from closer.markdown import escape_markdown
from closer.weeks import WEEKDAYS
from views.parts.components import Couple
from views.parts.notices import flash, show_flash, showing_store_errors

FLASH = "notify-flash"
TEST_RESULT = "notify-test-result"


def _add(couple: Couple) -> None:
    """Form callback: check the typed address and store it, or say what is wrong with it."""
    typed = st.session_state.get("notify-new", "")
    problem = notify.address_problem(typed)
    if problem:
        st.session_state["notify-problem"] = problem
        return
    try:
        with store.open_db(couple.db_path) as db:
            store.add_address(db, couple.me.id, typed.strip())
    except store.StoreError as error:
        st.session_state["notify-problem"] = str(error)
        return
    st.session_state["notify-new"] = ""
    flash(FLASH, "Address added. Send a test to see it arrive.")


def _test(couple: Couple) -> None:
    """Button callback: send a test now (it waits for the answer) and keep the result."""
    outcome = notify.send_test(couple.db_path, couple.me.id, datetime.now())
    st.session_state[TEST_RESULT] = outcome


def show_notifications_section(couple: Couple) -> None:
    """The viewer's own addresses (never the partner's), a test button and the last result."""
    with store.open_db(couple.db_path) as db:
        addresses = store.load_addresses(db, couple.me.id)
        last = store.last_notice(db, couple.me.id)
    show_flash(FLASH)
    slot = couple.settings
    st.markdown(
        "Closer can nudge your phone: at check-in time "
        f"({WEEKDAYS[slot.checkin_weekday]}s at {slot.checkin_time:%H:%M}), when your partner "
        "has checked in, when your week is ready, and the next morning if you haven't checked "
        "in yet. A notice says *Closer* and what happened, never a score or a note."
    )
    st.caption(
        "Notices go through a service you choose, such as ntfy, Gotify, Signal, Telegram or "
        "e-mail (any address [Apprise](https://github.com/caronc/apprise/wiki) knows). The "
        "address may hold a password or token: only you see it here, and it is never in a "
        "backup. Check-in time and the morning nudge are sent only while Closer is running "
        "on the computer."
    )
    for address in addresses:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.text(f"{notify.service_name(address.url)} · {notify.masked(address.url)}")
        if right.button("Remove", key=f"notify-remove-{address.id}"):
            with showing_store_errors():
                with store.open_db(couple.db_path) as db:
                    store.remove_address(db, couple.me.id, address.id)
                flash(FLASH, "Address removed.")
                st.rerun()
    with st.form("notify-add", border=False):
        st.text_input(
            "Add an address",
            key="notify-new",
            type="password",
            placeholder="ntfy://your-private-topic",
            help="For ntfy, install the ntfy app, subscribe to a topic only you know, and "
            "type ntfy://that-topic here.",
        )
        st.form_submit_button("Add address", on_click=_add, args=(couple,))
    problem = st.session_state.pop("notify-problem", None)
    if problem:
        st.error(escape_markdown(problem), icon=":material/error:")
    if addresses:
        st.button("Send a test", key="notify-test", on_click=_test, args=(couple,))
    tested = st.session_state.pop(TEST_RESULT, None)
    if tested is not None:
        if tested.ok:
            st.success("The test was sent. Did it arrive?", icon=":material/check_circle:")
        else:
            st.warning(
                f"The test didn't go through: {escape_markdown(tested.words)}.",
                icon=":material/notifications_off:",
            )
    elif last is not None and (failure := notify.outcome_in_words(last.outcome)):
        st.warning(
            escape_markdown(failure),
            icon=":material/notifications_off:",
        )


@st.cache_resource
def start_scheduler_once() -> notify.Scheduler | None:
    """Start the slot's notices once per server process (they go out only while Closer runs).

    The test suite sets CLOSER_NO_SCHEDULER: a scheduler on the real clock would make a test's
    notices depend on the hour it runs at.
    """
    if os.environ.get("CLOSER_NO_SCHEDULER"):
        return None
    return notify.Scheduler(store.database_path).start()
