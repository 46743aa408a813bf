"""Settings, in the order people need them: you, passcode, phones, notices, slot, tracking.

The first two are open; the rest are folded, one tap each, so the page stays short on a phone.
"""

from dataclasses import replace
from datetime import date

import streamlit as st

from closer import store
from closer.calendar import checkin_calendar
from closer.checkin import NAME_MAX_CHARS, validate_name_pair
from closer.markdown import escape_markdown
from closer.settings import LIVING_CHOICES
from closer.survey import dimensions
from closer.weeks import WEEKDAYS
from views.parts.checkin_slot import pick_checkin_slot
from views.parts.components import who_is_here
from views.parts.notices import flash, show_flash, showing_store_errors
from views.parts.notifications import show_notifications_section
from views.parts.passcode_forms import show_passcode_section
from views.parts.phones import opened_at, show_phone_address
from views.parts.sample_data import explore_sample_data_button

FLASH = "settings-flash"

couple = who_is_here()
settings = couple.settings
with couple.open_db() as db:
    partners = store.list_partners(db)

st.title("Settings")


def save(action, message: str, section: str) -> None:
    """Run one storage action, then confirm it in its section; a problem is shown, not raised."""
    with showing_store_errors():
        with couple.open_db() as db:
            action(db)
        # Said in the section saved, where the person is looking (a rerun keeps the scroll).
        flash(f"{FLASH}-{section}", message)
        st.rerun()


st.subheader("You", anchor=False)
# Each of you changes only your own name: the other's is shown, never saved from here.
other = couple.partner
with st.form("names"):
    mine = st.text_input(
        "Your name", value=couple.me.name, max_chars=NAME_MAX_CHARS, key=f"name-{couple.me.id}"
    )
    new_name = ""
    if other is not None:
        st.text_input(
            "Your partner's name",
            value=other.name,
            disabled=True,
            key=f"name-{other.id}",
            help="Only they can change it, from their own view.",
        )
    else:
        new_name = st.text_input(
            "Your partner's name",
            max_chars=NAME_MAX_CHARS,
            key="name-new",
            help="Add them when they're ready. Your past check-ins stay as they are.",
        )
    names_error = st.empty()
    if st.form_submit_button("Save names"):
        names = validate_name_pair(mine, new_name, [other.name] if other else [])
        if names.problem:
            names_error.error(names.problem, icon=":material/error:")
        else:
            save(
                lambda db: store.rename_partner(
                    db, couple.me.id, names.first, new_partner=names.second or None
                ),
                "Names saved.",
                "names",
            )
show_flash(f"{FLASH}-names")

if other is not None:
    # One switch per partner, off by default, stored by id: each chooses only for themselves.
    guessing = couple.me.id in couple.settings.guessing_partners
    wants_guessing = st.toggle(
        f"Guess {escape_markdown(other.name)}'s scores before the reveal",
        value=guessing,
        key=f"guessing-{couple.me.id}",
        help="A small extra step in your check-in. Your guesses stay yours until you have "
        "both checked in, then sit beside the answers on This week. No score, no winner.",
    )
    if wants_guessing != guessing:
        save(
            lambda db: store.set_guessing(db, couple.me.id, wants_guessing),
            "Guessing turned on." if wants_guessing else "Guessing turned off.",
            "guessing",
        )
    show_flash(f"{FLASH}-guessing")

st.subheader("Your passcode", anchor=False)
show_passcode_section(couple)

with st.expander("On your phones", icon=":material/smartphone:"):
    show_phone_address(partners)

with st.expander("Notifications", icon=":material/notifications:"):
    show_notifications_section(couple)

slot_section = st.expander("Your check-in time", icon=":material/event:")
with slot_section, st.form("schedule"):
    weekday, at = pick_checkin_slot(
        settings.checkin_weekday, settings.checkin_time, key_prefix="settings-"
    )
    if st.form_submit_button("Save"):
        new = replace(settings, checkin_weekday=weekday, checkin_time=at)
        st.session_state["offer-calendar"] = True
        save(
            lambda db: store.save_settings(db, new),
            f"Check-in time saved: {WEEKDAYS[weekday]}s at {at:%H:%M}.",
            "slot",
        )
show_flash(f"{FLASH}-slot", slot_section)
# A calendar entry is what makes the slot stick; after a change, the old one is wrong.
slot_section.download_button(
    "Add to my calendar"
    if not st.session_state.get("offer-calendar")
    else "Get the new calendar entry",
    checkin_calendar(
        settings.checkin_weekday,
        settings.checkin_time,
        opened_at(),
        [p.name for p in partners],
        date.today(),
    ),
    file_name="closer-checkin.ics",
    mime="text/calendar",
    icon=":material/event:",
    on_click="ignore",
    type="primary" if st.session_state.get("offer-calendar") else "secondary",
)
slot_section.caption(
    "A weekly event, "
    f"{WEEKDAYS[settings.checkin_weekday]}s at {settings.checkin_time:%H:%M}, "
    "with a reminder 15 minutes before. After a change of time, most calendars update the "
    "event rather than add a second one."
)

tracking_section = st.expander("What you track", icon=":material/checklist:")
with tracking_section, st.form("tracking"):
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
    living = st.radio(
        "Do you two live together?",
        list(LIVING_CHOICES),
        index=list(LIVING_CHOICES).index(settings.living_together),
        format_func=LIVING_CHOICES.__getitem__,
        key="settings-living",
        help="A few suggestions take a shared home for granted, like cuddling before sleep. "
        "They're only offered if you live together. Nothing assumes children.",
    )
    csi_on = st.toggle(
        "Once a month: four questions about the relationship as a whole, every fourth week",
        value=settings.csi_enabled,
        key="settings-csi",
        help="A short, published measure of how satisfied each of you is. Your answers are "
        "yours unless you share them.",
    )
    dims_error = st.empty()
    if st.form_submit_button("Save"):
        if not chosen:
            dims_error.error("Keep at least one type to check in on.", icon=":material/error:")
        else:
            new = replace(
                settings,
                active_dimensions=tuple(chosen),
                living_together=living,
                csi_enabled=csi_on,
            )
            save(lambda db: store.save_settings(db, new), "Saved what you track.", "tracking")
show_flash(f"{FLASH}-tracking", tracking_section)

if not st.session_state.get("demo"):
    with st.expander("Sample data", icon=":material/science:"):
        st.markdown(
            "A made-up year of check-ins, in a file of its own: your data stays as it is, one "
            "click away."
        )
        explore_sample_data_button()
