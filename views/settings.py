"""Settings: names, which intimacy types to track, and the weekly check-in slot."""

from dataclasses import replace
from datetime import date

import streamlit as st

from closer import store
from closer.calendar import checkin_calendar
from closer.checkin import NAME_MAX_CHARS, validate_partner_name
from closer.passcode import hash_passcode, passcode_problem, verify_passcode
from closer.survey import dimensions
from closer.weeks import WEEKDAYS
from views.components import safe, who_is_here
from views.sample_data import explore_sample_data_button

couple = who_is_here()
settings = couple.settings
with store.open_db(couple.db_path) as db:
    partners = store.list_partners(db)

st.title("Settings")
flash = st.session_state.pop("settings-flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")


def save(action, message: str) -> None:
    """Run one storage action, then confirm it; a database problem is shown, not raised."""
    try:
        with store.open_db(couple.db_path) as db:
            action(db)
    except store.StoreError as error:
        st.error(safe(str(error)), icon=":material/error:")
    else:
        st.session_state["settings-flash"] = message
        st.rerun()


st.subheader("The two of you")
with st.form("names"):
    typed = {
        p.id: st.text_input("Name", value=p.name, max_chars=NAME_MAX_CHARS, key=f"name-{p.id}")
        for p in partners
    }
    new_name = ""
    if len(partners) == 1:
        new_name = st.text_input(
            "Your partner's name",
            max_chars=NAME_MAX_CHARS,
            key="name-new",
            help="Add them when they're ready. Your past check-ins stay as they are.",
        )
    names_error = st.empty()
    if st.form_submit_button("Save names"):
        cleaned, problem = {}, None
        for pid, text in typed.items():
            others = [t for other, t in typed.items() if other != pid]
            cleaned[pid], problem = validate_partner_name(text, others)
            if problem:
                break
        added = None
        if not problem and new_name.strip():
            added, problem = validate_partner_name(new_name, list(cleaned.values()))
        if problem:
            names_error.error(problem, icon=":material/error:")
        else:
            save(lambda db: store.save_partner_names(db, cleaned, added), "Names saved.")

st.subheader("What you track")
with st.form("dimensions"):
    st.caption("Turning a type off hides it from the check-in; its history stays.")
    chosen = [
        d.key
        for d in dimensions()
        if st.checkbox(
            f"{d.icon} {d.name}",
            value=d.key in settings.active_dimensions,
            key=f"settings-dim-{d.key}",
        )
    ]
    dims_error = st.empty()
    if st.form_submit_button("Save"):
        if not chosen:
            dims_error.error("Keep at least one type to check in on.", icon=":material/error:")
        else:
            new = replace(settings, active_dimensions=tuple(chosen))
            save(lambda db: store.save_settings(db, new), "Saved what you track.")

st.subheader("Your check-in time")
with st.form("schedule"):
    left, right = st.columns(2)
    weekday = left.selectbox(
        "Day",
        range(7),
        index=settings.checkin_weekday,
        format_func=WEEKDAYS.__getitem__,
        key="settings-weekday",
    )
    at = right.time_input("Time", value=settings.checkin_time, step=900, key="settings-time")
    if st.form_submit_button("Save"):
        new = replace(settings, checkin_weekday=weekday, checkin_time=at)
        st.session_state["offer-calendar"] = True
        save(
            lambda db: store.save_settings(db, new),
            f"Check-in time saved: {WEEKDAYS[weekday]}s at {at:%H:%M}.",
        )
# A calendar entry is what makes the slot stick; after a change, the old one is wrong.
st.download_button(
    "Add to my calendar"
    if not st.session_state.get("offer-calendar")
    else "Get the new calendar entry",
    checkin_calendar(
        settings.checkin_weekday,
        settings.checkin_time,
        "http://localhost:8501",
        [p.name for p in partners],
        date.today(),
    ),
    file_name="closer-checkin.ics",
    mime="text/calendar",
    icon=":material/event:",
    on_click="ignore",
    type="primary" if st.session_state.get("offer-calendar") else "secondary",
)
st.caption(
    f"A weekly event, {WEEKDAYS[settings.checkin_weekday]}s at {settings.checkin_time:%H:%M}, "
    "with a reminder 15 minutes before. Open the file on your phone or computer; after a "
    "change of time, most calendars update the event rather than add a second one."
)

st.subheader("Once a month", anchor=False)
with st.form("csi"):
    csi_on = st.toggle(
        "Add four questions about the relationship as a whole every fourth week",
        value=settings.csi_enabled,
        key="settings-csi",
        help="A short, published measure of how satisfied each of you is. Your answers are "
        "yours unless you share them.",
    )
    if st.form_submit_button("Save"):
        new = replace(settings, csi_enabled=csi_on)
        save(lambda db: store.save_settings(db, new), "Saved.")

st.subheader("Your passcode")
with store.open_db(couple.db_path) as db:
    has_passcode = store.load_unlock_state(db, couple.me.id).passcode_hash is not None
st.caption(
    "A passcode keeps your own view (and your private notes) yours when you share this "
    "computer. It is asked once each time the app is opened in a browser."
    + (" You have one set." if has_passcode else " You haven't set one.")
)
with st.form("passcode", clear_on_submit=False):
    current = (
        st.text_input("Current passcode", type="password", key="passcode-current")
        if has_passcode
        else ""
    )
    new = st.text_input("New passcode", type="password", key="passcode-new")
    repeated = st.text_input("New passcode again", type="password", key="passcode-repeat")
    passcode_message = st.empty()
    left, right = st.columns(2)
    set_it = left.form_submit_button("Set passcode" if not has_passcode else "Change passcode")
    remove_it = has_passcode and right.form_submit_button("Remove passcode")
    if set_it or remove_it:
        with store.open_db(couple.db_path) as db:
            stored = store.load_unlock_state(db, couple.me.id).passcode_hash
        if stored and not verify_passcode(current, stored):
            passcode_message.error("Your current passcode isn't right.", icon=":material/error:")
        elif remove_it:
            save(lambda db: store.set_passcode_hash(db, couple.me.id, None), "Passcode removed.")
        elif problem := passcode_problem(new, repeated):
            passcode_message.error(problem, icon=":material/error:")
        else:
            hashed = hash_passcode(new)
            save(lambda db: store.set_passcode_hash(db, couple.me.id, hashed), "Passcode saved.")

if not st.session_state.get("demo"):
    st.subheader("Sample data", anchor=False)
    st.markdown(
        "See what a year of check-ins looks like, with a made-up couple. It lives in a file of "
        "its own; your data stays as it is, one click away."
    )
    explore_sample_data_button()
