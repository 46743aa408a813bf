"""Trends: how each kind of closeness is moving, and what could use some attention."""

import hashlib
from datetime import date, datetime
from pathlib import Path

import streamlit as st

from closer import helps, store
from closer.csi4 import CITATION
from closer.markdown import escape_markdown
from closer.trends import (
    HEATMAP_MIN_CHECKINS,
    ChartView,
    TrendsReport,
    shared_weeks_words,
    trends_report,
)
from closer.weeks import day_in_current_week
from views.parts.components import session_keyring, who_is_here
from views.parts.drawn_charts import draw
from views.parts.helps_badge import helps_badge

RANGES = {"8 weeks": 8, "6 months": 26, "1 year": 52, "All": None}
TABS = ("Over time", "Wheel", "Side by side", "Whole picture", "What helps us")
TAB_KEY = "trends-tab"


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
    key_fingerprint: str,
    _keyring: dict[int, bytes],
) -> TrendsReport:
    """The Trends report, recomputed only when something it depends on changed."""
    # version and names are only part of the cache key: a save or a rename redraws. The
    # viewer's own key opens their sealed monthly answers; it is left out of the cache key
    # (the leading underscore) and stands there only as a fingerprint, so only a session
    # holding the same key gets this report back.
    with store.open_db(Path(db_path), _keyring) as db:
        return trends_report(db, viewer_id, span, today, active)


def show_chart(chart: ChartView | None, *, about: str | None = None, table: bool = True) -> None:
    """A chart as wide as its column, what it shows, its one-line summary, and its table.

    The words go under the chart: above it, the chart's toolbar covered their end on hover.
    Nothing when the report has no such chart.
    """
    if chart is None:
        return
    draw(chart.spec)
    if about:
        st.caption(about)
    # Summaries name the partners: escaped like any other typed text.
    st.caption(escape_markdown(chart.summary))
    # A toggle rather than an expander: a table is only sent to the browser when asked for.
    if table and st.toggle("Show as table", key=f"table-{chart.name}"):
        st.dataframe(chart.table, hide_index=True, width="stretch")


def keyring_for_cache(couple) -> tuple[str, dict[int, bytes]]:
    """The viewer's own key, and a fingerprint of it to key the cache by."""
    keyring = session_keyring(couple.db_path)
    key = keyring.get(couple.me.id, b"")
    fingerprint = hashlib.sha256(b"closer trends cache|" + key).hexdigest()[:16] if key else ""
    return fingerprint, keyring


def show_lines(view: TrendsReport) -> None:
    """Each kind of closeness over time: one chart with a panel per type, and its summaries."""
    lines = view.trend_charts()
    spec = view.trends_spec()  # None exactly when there are no lines
    if not lines or spec is None:
        st.caption(
            "One week so far in this range. Lines appear from the second check-in; until "
            "then, the Wheel tab shows the week."
        )
        return
    # One chart with a panel per type, each as wide as the column: the browser sets up one
    # Vega view instead of six. The summaries follow, one line per type.
    draw(spec)
    st.caption(lines_caption(view))
    st.caption("  \n".join(escape_markdown(chart.summary) for chart in lines))
    if st.toggle("Show as table", key="table-trends"):
        for chart in lines:
            st.markdown(f"**{escape_markdown(chart.spec['title'])}**")
            st.dataframe(chart.table, hide_index=True, width="stretch")


def lines_caption(view: TrendsReport) -> str:
    """What the lines are, including what the smoothing averages on long ranges."""
    if not view.smoothed:
        return (
            "Solid lines are each of you; the dashed line is your four-week average together, "
            "from your fourth week. Gaps are weeks without a score."
        )
    unit = "months" if view.period else "weeks"
    return (
        f"Each dot is one of you in one {unit[:-1]}; each line is the average of the "
        f"{view.smooth_window} {unit} around each dot, so a dip of a few {unit} still shows."
    )


def show_helps(view: TrendsReport) -> None:
    """What helps us: each exercise's label and words, and every try against the usual bounce."""
    if not view.what_helps:
        st.caption(
            "Once you have tried an exercise from Suggestions and checked in the week after, "
            "this shows whether it seemed to make a difference."
        )
        return
    for finding in view.what_helps:
        with st.container(border=True):
            st.markdown(f"**{escape_markdown(finding.title)}**")
            helps_badge(finding.label)
            st.caption(escape_markdown(finding.words))
            if finding.said:
                st.caption(escape_markdown(finding.said))
    if (chart := view.chart("helps")) is not None:
        show_chart(chart, about=helps.EXPLANATION)
    st.page_link(
        "views/pages/suggestions.py",
        label="Try one again from Suggestions",
        icon=":material/lightbulb:",
    )


def show_apart(view: TrendsReport) -> None:
    """How differently the two of you see each kind of closeness, or why it isn't shown yet."""
    if view.partners < 2:
        st.caption("Once your partner checks in too, this shows where you see things alike or not.")
    elif (gap := view.chart("gap")) is None:
        st.caption("This appears once you have both checked in for the same weeks.")
    else:
        show_chart(
            gap,
            about=f"Each of you over {shared_weeks_words(view.shared_weeks)}. "
            "A wide gap is worth a gentle talk.",
        )


def show_whole(view: TrendsReport) -> None:
    """Every week and type at once, coloured against the couple's own average."""
    heatmap = view.chart("heatmap")
    if heatmap is None:
        st.caption(
            f"This appears after {HEATMAP_MIN_CHECKINS} weeks with a check-in in this range: "
            f"you have {view.checkins_shown} so far."
        )
        return
    show_chart(
        heatmap,
        about="Each cell is a week (a month or longer on long ranges), coloured against your "
        "own average: orange is above it, blue below.",
    )


couple = who_is_here()
# Up to the week the couple is in (their slot's window): never an empty new week on Monday.
today = day_in_current_week(
    datetime.now(), couple.settings.checkin_weekday, couple.settings.checkin_time
)

st.title("Trends")
choice = st.segmented_control(
    "Show", list(RANGES), default="8 weeks", key="trends-range", label_visibility="collapsed"
)
with couple.open_db() as db:
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
    *keyring_for_cache(couple),
)

if view.empty:
    st.info(
        "Your trends appear here after your first check-in: one line per kind of closeness, "
        "for each of you.",
        icon=":material/monitoring:",
    )
    st.page_link(
        "views/pages/check_in.py", label="Do this week's check-in", icon=":material/edit_note:"
    )
    st.stop()

st.header("Worth some attention", anchor=False)
if view.weak:
    for area in view.weak:
        with st.container(border=True):
            # Each reason names its type already ("Physical: down from 7.5 to 5.0 …").
            st.markdown("\n".join(f"- {escape_markdown(reason)}" for reason in area.reasons))
            st.caption(area.based_on)
    st.page_link(
        "views/pages/suggestions.py",
        label="Questions and exercises for these",
        icon=":material/lightbulb:",
    )
elif view.checkins_shown < 3:
    st.caption(
        "Closer points something out only once a few check-ins show it, or when a score is "
        "clearly low, or one of you asks for more. Nothing like that yet."
    )
else:
    st.caption("Nothing stands out right now. Steady is good.")

# One tab drawn at a time: each Vega chart costs the browser ~100 ms or more to set up, so a
# page of five was the slowest switch in the app (benchmarks.browser_pages). A tab change
# reruns and draws the chart it opens.
st.header("Your charts", anchor=False)
tabs = list(TABS) + (["Monthly check"] if view.chart("csi") is not None else [])
# With one week there are no lines yet: the wheel, which shows that week, opens first.
first = "Over time" if view.trend_charts() else "Wheel"
over_time, wheel, apart, whole, helping, *monthly = st.tabs(
    tabs, default=first, key=TAB_KEY, on_change="rerun"
)

if over_time.open:
    with over_time:
        show_lines(view)
if wheel.open:
    with wheel:
        show_chart(view.chart("wheel"))
if apart.open:
    with apart:
        show_apart(view)
if whole.open:
    with whole:
        show_whole(view)
if helping.open:
    with helping:
        show_helps(view)
if monthly and monthly[0].open:
    with monthly[0]:
        show_chart(
            view.chart("csi"),
            about="The four CSI-4 questions, 0 to 21: what each of you chose to share. "
            f"Source: {CITATION}",
        )
