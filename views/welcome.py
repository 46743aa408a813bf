"""First run: names, the intimacy types to track, whether you live together, the weekly slot."""

from datetime import time

import streamlit as st

from closer import store
from closer.checkin import NAME_MAX_CHARS, validate_partner_name
from closer.settings import DEFAULT_TIME, DEFAULT_WEEKDAY, LIVING_CHOICES, Settings
from closer.survey import dimensions
from closer.weeks import WEEKDAYS
from views.components import safe
from views.sample_data import explore_sample_data_button

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
    left, right = st.columns(2)
    weekday = left.selectbox(
        "Day", range(7), index=DEFAULT_WEEKDAY, format_func=WEEKDAYS.__getitem__, key="weekday"
    )
    at = right.time_input("Time", value=DEFAULT_TIME, step=900, key="time")
    submitted = st.form_submit_button("Start", type="primary")

if submitted:
    name_1, problem_1 = validate_partner_name(first, [])
    name_2, problem_2 = (second.strip(), None)
    if name_2:
        name_2, problem_2 = validate_partner_name(second, [name_1])
    problems = {"first": problem_1, "second": problem_2}
    if problem_1:
        first_error.error(problem_1)
    if problem_2:
        second_error.error(problem_2)
    if not chosen:
        problems["dims"] = "Choose at least one thing to track."
        dims_error.error(problems["dims"])
    if not any(problems.values()):
        settings = Settings(tuple(chosen), weekday, at or time(20, 0), living_together=living)
        try:
            with store.open_db(store.database_path()) as db:
                partners = store.setup_couple(db, [n for n in (name_1, name_2) if n], settings)
        except store.StoreError as error:
            st.error(safe(str(error)), icon=":material/error:")
        else:
            st.session_state["partner_id"] = partners[0].id
            st.rerun()

st.divider()
st.markdown("**Just looking?** See what a year of check-ins looks like, with made-up data.")
explore_sample_data_button()
