"""History: every week you checked in, newest first, with the same visibility rules."""

from datetime import datetime

import streamlit as st

from closer import store
from closer.reveal import view_week
from closer.weeks import checkin_week, relative_week_label
from views.components import show_week, who_is_here

WEEKS_PER_PAGE = 8

couple = who_is_here()
settings = couple.settings
current = checkin_week(datetime.now(), settings.checkin_weekday, settings.checkin_time)
partner_id = couple.partner.id if couple.partner else None

st.title("History")
with store.open_db(couple.db_path) as db:
    weeks = store.checked_in_weeks(db)
    if not weeks:
        st.info(
            "Your weeks will collect here once you've done your first check-in.",
            icon=":material/eco:",
        )
        st.page_link(
            "views/checkin.py", label="Do your first check-in", icon=":material/edit_note:"
        )
        st.stop()
    pages = (len(weeks) + WEEKS_PER_PAGE - 1) // WEEKS_PER_PAGE
    page = 1
    if pages > 1:
        page = st.number_input(f"Page (of {pages})", 1, pages, 1, key="history-page")
    shown = weeks[(page - 1) * WEEKS_PER_PAGE : page * WEEKS_PER_PAGE]
    by_week = store.load_weeks(db, shown)

st.caption(f"{len(weeks)} week{'s' if len(weeks) != 1 else ''} with a check-in, newest first.")
for week in shown:
    view = view_week(week, couple.me.id, partner_id, by_week[week])
    with st.expander(relative_week_label(week, current), expanded=week == shown[0]):
        show_week(view, couple)
