"""Suggestions: questions and exercises for this week, the plan you pick, and what helps you."""

from datetime import date, datetime, timedelta

import pandas as pd
import streamlit as st

from closer import analysis, charts, helps, plans, store
from closer.content import GENERAL, PASS_LINE
from closer.markdown import escape_markdown
from closer.plan_items import ItemKind
from closer.reveal import visible_scores
from closer.suggest import AreaSuggestions, Suggestion, suggest
from closer.survey import dimension
from closer.trends import spec_of
from closer.weeks import checkin_week, relative_week_label, week_label
from views.parts.cached_reads import recent_scores
from views.parts.care import show_care_note
from views.parts.components import who_is_here
from views.parts.drawn_charts import draw
from views.parts.helps_badge import helps_badge
from views.parts.notices import flash, show_flash, showing_store_errors
from views.parts.plan_item import KIND_ICONS, show_plan_item

HISTORY_WEEKS = 12
AGAIN_IN = timedelta(weeks=2)  # "try it again in a fortnight"
RECENT_PLANS = 3  # weeks of "what you've tried" shown before "show earlier weeks"
PICKS = 3  # a short list is easier to choose from than a long one
ICONS = {**KIND_ICONS, GENERAL: ":material/favorite:"}

couple = who_is_here()
me, partner, settings = couple.me, couple.partner, couple.settings
today = date.today()
week = checkin_week(datetime.now(), settings.checkin_weekday, settings.checkin_time)
people = [me] + ([partner] if partner else [])
names = {p.id: p.name for p in people}
round_key = f"suggest-round-{week.isoformat()}"


def name_of(partner_id: int | None) -> str:
    """Whose a plan item is: a partner's name as typed, or "One of you" for one for both."""
    return "One of you" if partner_id is None else names.get(partner_id, "One of you")


with couple.open_db() as db:
    # A year holds every signal the suggestions use; a long history stays on disk.
    scores = recent_scores(couple, db, plans.history_window_start(today))
    all_plans = store.load_all_plans(db)
    followups = store.load_followups(db)
scores = visible_scores(scores, me.id, list(names))
weak = analysis.weak_areas(scores, settings.active_dimensions, today)
levels = plans.recent_levels(scores, settings.active_dimensions)
tried = plans.tried_items(all_plans, plans.visible_followups(followups, me.id), before=week)
areas = suggest(
    weak,
    tried,
    week,
    settings.active_dimensions,
    levels,
    page=st.session_state.get(round_key, 0),
    living_together=settings.living_together,
)
this_plan = plans.plan_for(all_plans, week)
added = plans.chosen(this_plan)
history = plans.plan_history(all_plans, followups, me.id, before=week, weeks=HISTORY_WEEKS)
# Exercises only: questions are one-off talks, rarely asked three times.
verdicts = [v for v in helps.what_helps(scores, all_plans) if v.kind == ItemKind.EXERCISE]
titles = {(v.kind, v.item_id): plans.catalogue_text(v.kind, v.item_id) for v in verdicts}
found = helps.findings(verdicts, titles, all_plans, plans.visible_followups(followups, me.id), week)


# Keyed by the table of tries itself (a few rows, cheap to hash): building the dot plot and
# turning it into Vega-Lite took Altair 100-200 ms, on every rerun of this page.
@st.cache_data(max_entries=16, show_spinner=False)
def helps_spec(table: pd.DataFrame) -> dict:
    """The "What helps us" dot plot's Vega-Lite spec, built once per table of tries."""
    charts.enable_theme()
    return spec_of(charts.helps_chart(table))


def show_others() -> None:
    st.session_state[round_key] = st.session_state.get(round_key, 0) + 1


def area_icon(key: str) -> str:
    return ICONS[GENERAL] if key == GENERAL else dimension(key).icon


def add_button(offer: Suggestion, area: str) -> None:
    """'Add to this week's plan', or a note that it is already there."""
    key = f"{area}-{offer.kind}-{offer.item_id}"
    if (offer.kind, offer.item_id) in added:
        st.button("In this week's plan", icon=":material/check:", disabled=True, key=f"added-{key}")
        show_flash(f"suggest-flash-{offer.kind}-{offer.item_id}")
        return
    if st.button("Add to this week's plan", icon=":material/add:", key=f"add-{key}"):
        with showing_store_errors(then="Nothing was added."):
            with couple.open_db() as db:
                store.add_plan_item(db, week, offer.kind, offer.item_id, area, me.id)
            flash(
                f"suggest-flash-{offer.kind}-{offer.item_id}",
                "Added. You'll find it under “This week's plan” below and on Our talk.",
            )
            st.rerun()


def show_question(offer: Suggestion, area: str) -> None:
    with st.container(key=f"offer-{area}-question-{offer.item_id}"):
        st.markdown(f"{ICONS['question']} {escape_markdown(offer.text)}")
        if offer.because:
            st.caption(f":material/thumb_up: {offer.because}")
        add_button(offer, area)


def show_exercise(offer: Suggestion, area: str) -> None:
    exercise = plans.find_exercise(offer.item_id)
    with st.container(key=f"offer-{area}-exercise-{offer.item_id}"):
        st.markdown(f"{ICONS['exercise']} **{escape_markdown(offer.text)}**")
        if exercise is not None:
            st.caption(f"About {plans.minutes_words(exercise.minutes)}")
            st.markdown(escape_markdown(exercise.why))
            with st.expander("How to do it"):
                st.markdown(
                    "\n".join(
                        f"{number}. {escape_markdown(step)}"
                        for number, step in enumerate(exercise.steps, start=1)
                    )
                )
        if offer.because:
            st.caption(f":material/thumb_up: {offer.because}")
        add_button(offer, area)


def first_picks(areas: list[AreaSuggestions]) -> dict[str, list[Suggestion]]:
    """Up to PICKS questions: the first of each area in turn, then more from the first ones."""
    firsts = [(a.dimension, a.questions[0]) for a in areas[:PICKS] if a.questions]
    more = [(a.dimension, q) for a in areas for q in a.questions[1:]]
    picks: dict[str, list[Suggestion]] = {}
    for area, offer in (firsts + more)[:PICKS]:
        picks.setdefault(area, []).append(offer)
    return picks


def area_heading(area: AreaSuggestions) -> None:
    st.header(plans.area_name(area.dimension), icon=area_icon(area.dimension), anchor=False)
    if area.strong:
        st.badge("Going well: keep it strong", icon=":material/thumb_up:", color="green")
    elif area.dimension != GENERAL:
        st.badge("Worth some attention", icon=":material/spa:", color="orange")
    # Reasons can hold partner names, so they are escaped like any typed text.
    st.markdown("\n".join(f"- {escape_markdown(reason)}" for reason in area.reasons))


def show_picks(area: AreaSuggestions, picks: list[Suggestion]) -> None:
    with st.container(border=True):
        area_heading(area)
        for offer in picks:
            show_question(offer, area.dimension)


def show_area(area: AreaSuggestions) -> None:
    with st.container(border=True):
        area_heading(area)
        st.markdown("**Questions to talk about**")
        for offer in area.questions:
            show_question(offer, area.dimension)
        if area.exercises:
            st.markdown("**Something to do together**")
        for offer in area.exercises:
            show_exercise(offer, area.dimension)


def remove_button(item: store.PlanItem) -> None:
    if st.button("Remove", icon=":material/close:", type="tertiary", key=f"remove-{item.id}"):
        with showing_store_errors(then="It is still in the plan."):
            with couple.open_db() as db:
                store.remove_plan_item(db, item.id)
            st.rerun()


st.title("Suggestions")
st.caption(
    f"For the week of {week_label(week)}. A few ideas for a quiet moment together; pick one "
    "if it feels right, or ask for more."
)
show_care_note(couple, scores)

if scores.empty:
    st.info(
        "Once you've checked in, the suggestions follow the areas that could use some care. "
        "Until then, here are a few easy questions to start with.",
        icon=":material/eco:",
    )

st.caption(f":material/pan_tool: {PASS_LINE}")
st.page_link("views/pages/deck.py", label="Play as a deck", icon=":material/style:")
more = st.toggle("Show more ideas, and things to do together", key="suggest-more")
if more:
    for area in areas:
        show_area(area)
else:
    picks = first_picks(areas)
    for area in areas:
        if area.dimension in picks:
            show_picks(area, picks[area.dimension])
st.button("Show me others", icon=":material/refresh:", on_click=show_others, key="suggest-others")

st.header("This week's plan", anchor=False)
with st.container(key="plan-this-week"):
    if not this_plan:
        st.caption("Nothing chosen yet. When something above appeals to you both, add it here.")
    for item in this_plan:
        with st.container(border=True):
            who = escape_markdown(name_of(item.partner_id))
            show_plan_item(item, f"**{who} will:**")
            if item.kind != "commitment":
                added_by = "" if item.partner_id is None else names.get(item.partner_id)
                st.caption(
                    plans.area_name(item.dimension)
                    + (f" · added by {escape_markdown(added_by)}" if added_by else "")
                )
            remove_button(item)
    if partner:
        st.page_link(
            "views/pages/conversation.py",
            label="Talk it through and write down what you'll each do",
            icon=":material/forum:",
        )


def try_again_button(finding: helps.Finding) -> None:
    """Offer a later try of an exercise that is too early to tell; never required."""
    if finding.planned_again is not None:
        st.caption(
            f":material/event: In the plan for the week of {week_label(finding.planned_again)}."
        )
        return
    if finding.label != helps.TOO_EARLY:
        return
    key = finding.verdict.item_id
    if st.button("Try it again in a fortnight", icon=":material/event_repeat:", key=f"again-{key}"):
        later = week + AGAIN_IN
        with showing_store_errors(then="Nothing was added."):
            with couple.open_db() as db:
                store.add_plan_item(db, later, ItemKind.EXERCISE, key, finding.area, me.id)
            flash(f"again-flash-{key}", f"Added to the plan for the week of {week_label(later)}.")
            st.rerun()
    show_flash(f"again-flash-{key}")


def show_finding(finding: helps.Finding) -> None:
    with st.container(border=True, key=f"helps-{finding.verdict.item_id}"):
        st.markdown(f"{ICONS['exercise']} **{escape_markdown(finding.title)}**")
        helps_badge(finding.label)
        st.markdown(escape_markdown(finding.words))
        if finding.said:
            st.caption(escape_markdown(finding.said))
        try_again_button(finding)


st.header("What helps us", anchor=False)
with st.container(key="what-helps"):
    if not found:
        st.caption(
            "Once you have tried an exercise and checked in the week after, this shows whether "
            "it seemed to make a difference, compared with how your scores usually move."
        )
    else:
        st.caption(
            "Closer holds each exercise's week-after change against how your scores usually "
            "bounce back, and says more only after three tries."
        )
        for finding in found:
            show_finding(finding)
        table = helps.tries_table(verdicts, titles)
        if len(table):
            draw(helps_spec(table))
            st.caption(helps.EXPLANATION)

st.subheader("Week by week", anchor=False)
if not history:
    st.caption(
        "Plans from earlier weeks show up here, with how each of you said they went. "
        "Celebrate the small wins."
    )


def show_past(past: plans.PlanWeek) -> None:
    st.markdown(f"**{relative_week_label(past.week, week)}**")
    for entry in past.entries:
        who = escape_markdown(name_of(entry.item.partner_id))
        show_plan_item(entry.item, f"{who} planned to:")
        st.caption(
            " · ".join(
                f"{escape_markdown(names[pid])}: {words}"
                for pid, words in plans.followup_summary(entry, list(names))
            )
        )


for past in history[:RECENT_PLANS]:
    show_past(past)
# Earlier weeks only on request: the page stays short enough to take in at a glance.
if len(history) > RECENT_PLANS and st.toggle("Show earlier weeks", key="tried-earlier"):
    for past in history[RECENT_PLANS:]:
        show_past(past)
if len(history) == HISTORY_WEEKS:
    st.caption(f"The latest {HISTORY_WEEKS} weeks with a plan.")
