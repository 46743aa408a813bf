"""History: every week you checked in, newest first, with the same visibility rules."""

from datetime import datetime

import streamlit as st

from closer import store
from closer.reveal import view_week
from closer.weeks import checkin_week, relative_week_label
from closer.words import plural
from views.parts.components import show_week, who_is_here

WEEKS_PER_PAGE = 8

couple = who_is_here()
settings = couple.settings
current = checkin_week(datetime.now(), settings.checkin_weekday, settings.checkin_time)
partner_id = couple.partner.id if couple.partner else None

st.title("History")
with couple.open_db() as db:
    weeks = store.checked_in_weeks(db)
    if not weeks:
        st.info(
            "Your weeks will collect here once you've done your first check-in.",
            icon=":material/eco:",
        )
        st.page_link(
            "views/pages/check_in.py", label="Do your first check-in", icon=":material/edit_note:"
        )
        st.stop()
    pages = [weeks[i : i + WEEKS_PER_PAGE] for i in range(0, len(weeks), WEEKS_PER_PAGE)]
    page = 0
    if len(pages) > 1:
        # Named by the weeks they hold, newest first: a date is easier to find than a number.
        page = st.selectbox(
            "Weeks",
            range(len(pages)),
            format_func=lambda i: f"{pages[i][-1]:%-d %b %Y} – {pages[i][0]:%-d %b %Y}",
            key="history-range",
        )
    shown = pages[page]
    st.caption(f"{plural(len(weeks), 'week')} with a check-in, newest first.")
    # One week drawn at a time: the page stays as quick with ten years as with one.
    week = st.radio(
        "Week",
        shown,
        format_func=lambda w: relative_week_label(w, current),
        key=f"history-week-{page}",
    )
    checkins = store.load_week(db, week)

show_week(view_week(week, couple.me.id, partner_id, checkins), couple)
