"""Trends: how each kind of closeness is moving, and what could use some attention."""

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from closer import analysis, charts, store
from closer.reveal import visible_scores
from closer.weeks import week_start
from views.components import who_is_here

RANGES = {"8 weeks": 8, "6 months": 26, "1 year": 52, "All": None}
MONTHLY_AFTER_WEEKS = 52  # beyond a year, weekly points crowd the panels: show months
RECENT_WEEKS = 26  # enough history for every weak-area signal, whatever the range shown

couple = who_is_here()
me, partner, settings = couple.me, couple.partner, couple.settings
today = date.today()
this_week = week_start(today)

st.title("Trends")
choice = st.segmented_control(
    "Show", list(RANGES), default="8 weeks", key="trends-range", label_visibility="collapsed"
)
span = RANGES[choice or "8 weeks"]
first_shown = None if span is None else this_week - timedelta(weeks=span - 1)
load_from = None if span is None else min(first_shown, this_week - timedelta(weeks=RECENT_WEEKS))

with store.open_db(couple.db_path) as db:
    partners = store.list_partners(db)
    scores = store.load_scores(db, since=load_from)
scores = visible_scores(scores, me.id, [p.id for p in partners])

if scores.empty:
    st.info(
        "Your trends appear here after your first check-in: one line per kind of closeness, "
        "for each of you.",
        icon=":material/monitoring:",
    )
    st.page_link("views/checkin.py", label="Do this week's check-in", icon=":material/edit_note:")
    st.stop()

names = [p.name for p in partners]
weeks = analysis.calendar_weeks(first_shown or scores["week"].min(), this_week)
weekly = analysis.weekly_scores(scores, weeks, dims=settings.active_dimensions)
weak = analysis.weak_areas(scores, settings.active_dimensions, today)
latest = analysis.latest_week(scores)
checkins_shown = scores.loc[scores["week"] >= pd.Timestamp(weeks[0]), "week"].nunique()
gaps = analysis.partner_gaps(scores, dims=settings.active_dimensions)
charts.enable_theme()

st.subheader("Worth some attention", anchor=False)
if weak:
    for area in weak:
        with st.container(border=True):
            # Each reason names its type already ("Physical: down from 7.5 to 5.0 …").
            st.markdown("\n".join(f"- {reason}" for reason in area.reasons))
    st.page_link(
        "views/suggestions.py",
        label="Questions and exercises for these",
        icon=":material/lightbulb:",
    )
else:
    st.caption("Nothing stands out right now. Steady is good.")

st.subheader("Each kind of closeness over time", anchor=False)
if checkins_shown < 2:
    st.caption(
        "One week so far in this range. Lines appear from the second check-in; until then, "
        "here is the week as a wheel."
    )
else:
    long_range = len(weeks) > MONTHLY_AFTER_WEEKS
    st.caption(
        "Solid lines are each of you; the dashed line is your four-week average together."
        + (" Long ranges show monthly averages." if long_range else "")
        + " Gaps are weeks without a score."
    )
    shown = analysis.by_month(weekly) if long_range else weekly
    st.altair_chart(charts.trend_chart(shown, names), theme=None)

st.subheader("The week as a wheel", anchor=False)
now = analysis.week_means(weekly, latest)
before = analysis.week_means(weekly, latest - timedelta(weeks=4))
wheel = charts.wheel_chart(now, before, title=f"Your most recent week, {latest:%-d %b}")
st.altair_chart(wheel, theme=None)

st.subheader("How differently you see it", anchor=False)
if len(partners) < 2:
    st.caption("Once your partner checks in too, this shows where you see things alike or not.")
elif gaps.empty:
    st.caption("This appears once you have both checked in for the same weeks.")
else:
    st.caption("Each of you over your last four shared weeks. A wide gap is worth a gentle talk.")
    st.altair_chart(charts.gap_chart(gaps, names), theme=None)

if len(weeks) >= 8:
    st.subheader("The whole picture", anchor=False)
    st.caption(
        "Yellow-green is closer, deep blue less so. Each cell is a week, or a month and "
        "longer for long ranges."
    )
    st.altair_chart(charts.heatmap_chart(weekly), theme=None)
