"""Home: this week at a glance: who has checked in, the rhythm, what moved, what's next."""

from datetime import date, datetime, timedelta

import streamlit as st

from closer import analysis, store
from closer.markdown import escape_markdown
from closer.nudges import is_checkin_time
from closer.reveal import visible_scores
from closer.survey import dimension
from closer.weeks import WEEKDAYS, checkin_week, next_checkin
from closer.words import plural
from views.parts.cached_reads import recent_scores
from views.parts.care import show_care_note
from views.parts.components import who_is_here
from views.parts.home_week import show_week_at_home

couple = who_is_here()
me, partner, settings = couple.me, couple.partner, couple.settings
today = date.today()
current = checkin_week(datetime.now(), settings.checkin_weekday, settings.checkin_time)
partner_ids = [me.id] + ([partner.id] if partner else [])

with couple.open_db() as db:
    # Recent weeks are all Home needs; a long history stays on disk.
    scores = recent_scores(couple, db, current - timedelta(weeks=52))
    week_done = len(store.load_week(db, current)) == len(partner_ids)
scores = visible_scores(scores, me.id, partner_ids)
rhythm = analysis.rhythm(scores, current)
best = analysis.highlights(analysis.changes(scores, settings.active_dimensions))
weak = analysis.weak_areas(scores, settings.active_dimensions, today)
slot = next_checkin(datetime.now(), settings.checkin_weekday, settings.checkin_time)

# Below the week's status, never above it: the care note points to help, never headlines.
# The greeting, this week's check-in (big on check-in day) and the plan being lived.
show_week_at_home(couple, current, datetime.now())
cared_for = show_care_note(couple, scores)

st.header("What went well", anchor=False)
if not (best.rises or best.strongest):
    st.caption(
        "After two check-ins you'll see here what went up, and what is going strong."
        if not best.biggest_drop
        else "Nothing went up since the check-in before. Weeks like that happen: see below."
    )
for move in best.rises[:3]:
    st.markdown(
        f"{dimension(move.dimension).icon} **{dimension(move.dimension).name}** went up: "
        f"{move.latest:.1f}, {move.change:+.1f} since the check-in before."
    )
if best.strongest:
    strong = dimension(best.strongest.dimension)
    st.markdown(
        f"{strong.icon} **{strong.name}** is your strongest lately, at {best.strongest.latest:.1f}."
    )

st.header("Worth some attention", anchor=False)
if weak:
    # Reasons can carry a partner's name: escaped like any other typed text.
    st.markdown("\n".join(f"- {escape_markdown(reason)}" for reason in weak[0].reasons))
    st.caption(weak[0].based_on)
    st.page_link(
        "views/pages/trend_charts.py", label="See all trends", icon=":material/monitoring:"
    )
elif best.biggest_drop:
    drop = best.biggest_drop
    st.caption(
        f"{dimension(drop.dimension).name} dipped a little ({drop.change:+.1f}, now "
        f"{drop.latest:.1f}). One week is not a pattern: nothing stands out yet."
    )
elif not scores.empty:
    # Only the weekly scores are read here: beside a care note, "enjoy it" would ring false.
    st.caption(
        "Nothing in the weekly scores stands out as needing attention right now."
        + ("" if cared_for else " Enjoy it.")
    )
else:
    st.caption("Once you've checked in a few times, Closer points out what could use some care.")

st.header("Your rhythm", anchor=False)
if scores.empty:
    st.caption("Your rhythm shows here after your first check-in.")
else:
    left, right = st.columns(2)
    left.metric(
        "In a row",
        plural(rhythm.current_run, "week"),
        help="Consecutive weeks with a check-in, up to this week or last.",
    )
    right.metric(
        "Weeks checked in",
        f"{rhythm.weeks_checked_in} of the last {rhythm.window}",
        help="Out of the last eight weeks, including this one.",
    )
    if rhythm.current_run >= 4:
        st.caption(f"{rhythm.current_run} weeks in a row. That's a habit worth being proud of.")
    elif rhythm.weeks_checked_in and rhythm.current_run == 0:
        st.caption("A missed week is just a week. Picking it up again is what counts.")

# During check-in time, until both have checked in, the top of the page says it is now.
if week_done or not is_checkin_time(
    datetime.now(), settings.checkin_weekday, settings.checkin_time
):
    st.header("Next check-in", anchor=False)
    st.markdown(
        f"{WEEKDAYS[slot.weekday()]} {slot:%-d %B} at {slot:%H:%M}. "
        "Change the day and time in Settings."
    )
