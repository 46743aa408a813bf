"""Settings: names, which intimacy types to track, and the weekly check-in slot."""

import streamlit as st

from closer import store
from closer.checkin import NAME_MAX_CHARS, validate_partner_name
from closer.settings import Settings
from closer.survey import dimensions
from closer.weeks import WEEKDAYS
from pages.components import who_is_here

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
        st.error(str(error))
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
            new = Settings(tuple(chosen), settings.checkin_weekday, settings.checkin_time)
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
        new = Settings(settings.active_dimensions, weekday, at)
        save(
            lambda db: store.save_settings(db, new),
            f"Check-in time saved: {WEEKDAYS[weekday]}s at {at:%H:%M}.",
        )
