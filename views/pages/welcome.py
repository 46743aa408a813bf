"""First run: names, types, home and the slot; then optional steps: passcodes, notices, phones.

The same page, at /set-up, stays in the menu afterwards, so every step can be done later.
"""

from datetime import time

import streamlit as st

from closer import store
from closer.checkin import NAME_MAX_CHARS, validate_name_pair
from closer.settings import DEFAULT_TIME, DEFAULT_WEEKDAY, LIVING_CHOICES, Settings
from closer.survey import dimensions
from views.parts.checkin_slot import pick_checkin_slot
from views.parts.notices import showing_store_errors
from views.parts.sample_data import explore_sample_data_button
from views.parts.set_up_steps import show_set_up_steps

with store.open_db(store.database_path()) as db:
    set_up = bool(store.list_partners(db))
if set_up:
    show_set_up_steps()
    st.stop()

st.title("Welcome to Closer")
st.markdown(
    "A few minutes once a week: each of you scores how connected you felt, writes a line or "
    "two, and then you look at it together. Everything stays in one file on this computer."
)

with st.form("welcome"):
    st.subheader("Who's checking in?")
    first = st.text_input("Your name", max_chars=NAME_MAX_CHARS, key="welcome-name-1")
    first_error = st.empty()
    second = st.text_input(
        "Your partner's name (optional)",
        max_chars=NAME_MAX_CHARS,
        key="welcome-name-2",
        help="Leave it empty to start on your own: your partner can join later in Settings.",
    )
    second_error = st.empty()

    st.subheader("What would you like to track?")
    st.caption("All six to start with. You can change this later without losing anything.")
    chosen = [
        d.key
        for d in dimensions()
        if st.checkbox(f"{d.icon} **{d.name}**: {d.description}", value=True, key=f"dim-{d.key}")
    ]
    dims_error = st.empty()

    st.subheader("Do you live together?")
    st.caption(
        "A few suggestions take a shared home for granted: they're only offered if you do. "
        "Nothing assumes children. You can change this later."
    )
    living = st.radio(
        "Do you live together?",
        list(LIVING_CHOICES),
        index=list(LIVING_CHOICES).index(None),
        format_func=LIVING_CHOICES.__getitem__,
        key="welcome-living",
        label_visibility="collapsed",
    )

    st.subheader("When do you check in?")
    weekday, at = pick_checkin_slot(DEFAULT_WEEKDAY, DEFAULT_TIME)
    submitted = st.form_submit_button("Start", type="primary")

if submitted:
    names = validate_name_pair(first, second, [])
    problems = {"first": names.first_problem, "second": names.second_problem}
    if names.first_problem:
        first_error.error(names.first_problem)
    if names.second_problem:
        second_error.error(names.second_problem)
    if not chosen:
        problems["dims"] = "Choose at least one thing to track."
        dims_error.error(problems["dims"])
    if not any(problems.values()):
        settings = Settings(tuple(chosen), weekday, at or time(20, 0), living_together=living)
        with showing_store_errors():
            with store.open_db(store.database_path()) as db:
                partners = store.setup_couple(
                    db, [n for n in (names.first, names.second) if n], settings
                )
            st.session_state["partner_id"] = partners[0].id
            # On to the optional steps: this page again, now at /set-up in the full menu.
            st.switch_page("views/pages/welcome.py")

st.divider()
st.markdown("**Just looking?** See what a year of check-ins looks like, with made-up data.")
explore_sample_data_button()
