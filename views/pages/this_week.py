"""This week: my answers, and my partner's once we have both checked in."""

from datetime import datetime, timedelta

import streamlit as st

from closer import store
from closer.reveal import view_week
from closer.weeks import checkin_week, relative_week_label, week_choices
from views.parts.components import NoteTalk, show_plan_outcomes, show_week, who_is_here
from views.parts.reading_together import show_reading_together

couple = who_is_here()
settings = couple.settings
current = checkin_week(datetime.now(), settings.checkin_weekday, settings.checkin_time)

st.title("This week")
week = st.radio(
    "Week",
    week_choices(current),
    format_func=lambda w: relative_week_label(w, current),
    horizontal=True,
    label_visibility="collapsed",
    key="this-week-week",
)
previous = week - timedelta(weeks=1)
with couple.open_db() as db:
    checkins = store.load_week(db, week)
    earlier = store.load_week(db, previous)
    talk = NoteTalk(store.load_note_replies(db, week), store.load_talk_marks(db, week))
    # The plan made last week is the one this week's check-ins answered about.
    last_plan = store.load_plan(db, previous)
    followups = store.load_followups(db) if last_plan else []
partner_id = couple.partner.id if couple.partner else None
view = view_week(week, couple.me.id, partner_id, checkins)
# Last week as the viewer may see it, for each score's change: the same reveal rule.
before = view_week(previous, couple.me.id, partner_id, earlier)

show_week(view, couple, talk, before)
show_plan_outcomes(view, couple, last_plan, followups)
show_reading_together(view, couple)
if view.mine is None:
    st.page_link("views/pages/check_in.py", label="Check in now", icon=":material/edit_note:")
