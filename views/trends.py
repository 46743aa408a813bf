"""Trends: how each kind of closeness is moving, and what could use some attention."""

from datetime import date
from pathlib import Path

import streamlit as st

from closer import store
from closer.csi4 import CITATION
from closer.trends import TrendsReport, trends_report
from views.components import safe, who_is_here

RANGES = {"8 weeks": 8, "6 months": 26, "1 year": 52, "All": None}
PERIOD_WORDS = {"M": "monthly", "Q": "quarterly", "Y": "yearly"}


# Building and validating Altair charts costs ~100 ms each, and the data only changes when
# someone saves: the report is cached per data version, viewer, range, day and settings.
@st.cache_data(max_entries=64, show_spinner=False)
def cached_report(
    db_path: str,
    version: str,
    viewer_id: int,
    span: int | None,
    today: date,
    active: tuple[str, ...],
    names: tuple[str, ...],
) -> TrendsReport:
    """The Trends report, recomputed only when something it depends on changed."""
    # version and names are only part of the cache key: a save or a rename redraws.
    with store.open_db(Path(db_path)) as db:
        return trends_report(db, viewer_id, span, today, active)


couple = who_is_here()
today = date.today()

st.title("Trends")
choice = st.segmented_control(
    "Show", list(RANGES), default="8 weeks", key="trends-range", label_visibility="collapsed"
)
with store.open_db(couple.db_path) as db:
    version = store.data_version(db)
    names = tuple(p.name for p in store.list_partners(db))
view = cached_report(
    str(couple.db_path),
    version,
    couple.me.id,
    RANGES[choice or "8 weeks"],
    today,
    couple.settings.active_dimensions,
    names,
)

if view.empty:
    st.info(
        "Your trends appear here after your first check-in: one line per kind of closeness, "
        "for each of you.",
        icon=":material/monitoring:",
    )
    st.page_link("views/checkin.py", label="Do this week's check-in", icon=":material/edit_note:")
    st.stop()

st.header("Worth some attention", anchor=False)
if view.weak:
    for area in view.weak:
        with st.container(border=True):
            # Each reason names its type already ("Physical: down from 7.5 to 5.0 …").
            st.markdown("\n".join(f"- {safe(reason)}" for reason in area.reasons))
    st.page_link(
        "views/suggestions.py",
        label="Questions and exercises for these",
        icon=":material/lightbulb:",
    )
else:
    st.caption("Nothing stands out right now. Steady is good.")

st.header("Each kind of closeness over time", anchor=False)
if view.checkins_shown < 2:
    st.caption(
        "One week so far in this range. Lines appear from the second check-in; until then, "
        "here is the week as a wheel."
    )
else:
    st.caption(
        "Solid lines are each of you; the dashed line is your four-week average together."
        + (f" This range shows {PERIOD_WORDS[view.period]} averages." if view.period else "")
        + " Gaps are weeks without a score."
    )
    st.vega_lite_chart(view.specs["trend"], theme=None)

st.header("The week as a wheel", anchor=False)
st.vega_lite_chart(view.specs["wheel"], theme=None)

st.header("How differently you see it", anchor=False)
if view.partners < 2:
    st.caption("Once your partner checks in too, this shows where you see things alike or not.")
elif "gap" not in view.specs:
    st.caption("This appears once you have both checked in for the same weeks.")
else:
    st.caption("Each of you over your last four shared weeks. A wide gap is worth a gentle talk.")
    st.vega_lite_chart(view.specs["gap"], theme=None)

if "heatmap" in view.specs:
    st.header("The whole picture", anchor=False)
    st.caption(
        "Yellow-green is closer, deep blue less so. Each cell is a week, or a month and "
        "longer for long ranges."
    )
    st.vega_lite_chart(view.specs["heatmap"], theme=None)

if "csi" in view.specs:
    st.header("Your monthly check on the whole", anchor=False)
    st.caption(
        f"The four CSI-4 questions, 0 to 21: what each of you chose to share. Source: {CITATION}"
    )
    st.vega_lite_chart(view.specs["csi"], theme=None)
