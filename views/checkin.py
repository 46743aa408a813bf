"""The weekly check-in: one form, one save, scores per intimacy type and reflections."""

from datetime import date, datetime

import streamlit as st

from closer import store
from closer.checkin import Answers, Reflection, validate_answers
from closer.survey import REFLECTION_MAX_CHARS, SCORE_MAX, SCORE_MIN, dimension, reflection_prompts
from closer.weeks import relative_week_label, week_choices
from views.components import safe, score_label, who_is_here

couple = who_is_here()
me, partner, settings = couple.me, couple.partner, couple.settings
today = date.today()

st.title("Weekly check-in")
if partner:
    st.caption(
        f"About five minutes. Your answers stay hidden from {safe(partner.name)} until you "
        "have both checked in for the week, and private notes stay yours."
    )

flash = st.session_state.pop("checkin-flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")

week = st.radio(
    "Which week is this for?",
    week_choices(today),
    format_func=lambda w: relative_week_label(w, today),
    horizontal=True,
    key=f"checkin-week-{me.id}",
)

with store.open_db(couple.db_path) as db:
    saved = store.load_checkin(db, me.id, week)
    previous = saved or store.latest_checkin(db, me.id)

if saved:
    st.info(
        f"You checked in for this week on {datetime.fromisoformat(saved.updated_at):%a %d %b}. "
        "Change anything and save again: the earlier version is kept.",
        icon=":material/edit:",
    )

# Widget keys carry the partner and week, so choosing another week shows that week's answers.
prefix = f"{me.id}-{week.isoformat()}"
start = previous.answers if previous else Answers()
errors_at = {}

with st.form(f"checkin-{prefix}", border=False):
    st.subheader("How connected did you feel this week?")
    st.caption(f"{SCORE_MIN} is not at all, {SCORE_MAX} is very. Skip any that don't fit.")
    for key in settings.active_dimensions:
        with st.container(border=True):
            st.markdown(f"**{score_label(key)}**")
            st.caption(dimension(key).description)
            st.slider(
                f"{dimension(key).name} score",
                SCORE_MIN,
                SCORE_MAX,
                value=start.scores.get(key) or 5,
                key=f"score-{prefix}-{key}",
                label_visibility="collapsed",
            )
            left, right = st.columns(2)
            left.checkbox(
                "Skip this week",
                value=saved is not None and saved.answers.scores.get(key, 0) is None,
                key=f"skip-{prefix}-{key}",
            )
            right.checkbox(
                "I'd like more of this",
                value=saved is not None and key in saved.answers.wants_more,
                key=f"more-{prefix}-{key}",
            )
            errors_at[f"score:{key}"] = st.empty()

    st.subheader("Reflections")
    st.caption("All optional. Write as much or as little as you like.")
    mine = saved.answers.reflections if saved else {}
    for prompt in reflection_prompts():
        existing = mine.get(prompt.key)
        st.text_area(
            prompt.label,
            value=existing.text if existing else "",
            max_chars=REFLECTION_MAX_CHARS,
            help=prompt.help,
            key=f"text-{prefix}-{prompt.key}",
            height=100,
        )
        if partner:
            st.toggle(
                f"Share with {safe(partner.name)}",
                value=existing.shared if existing else prompt.shared_by_default,
                key=f"share-{prefix}-{prompt.key}",
            )
        errors_at[f"reflection:{prompt.key}"] = st.empty()

    errors_at["form"] = st.empty()
    submitted = st.form_submit_button(
        "Save changes" if saved else "Save my check-in", type="primary"
    )

if submitted:
    state = st.session_state
    answers = Answers(
        scores={
            k: None if state[f"skip-{prefix}-{k}"] else state[f"score-{prefix}-{k}"]
            for k in settings.active_dimensions
        },
        wants_more=frozenset(k for k in settings.active_dimensions if state[f"more-{prefix}-{k}"]),
        reflections={
            p.key: Reflection(
                state[f"text-{prefix}-{p.key}"], state.get(f"share-{prefix}-{p.key}", False)
            )
            for p in reflection_prompts()
        },
    )
    errors = validate_answers(answers, list(settings.active_dimensions))
    for field, message in errors.items():
        errors_at.get(field, errors_at["form"]).error(message, icon=":material/error:")
    if errors and "form" not in errors:
        # The button is at the bottom and the problem may be scrolled out of view.
        errors_at["form"].error(
            "Nothing was saved yet: see the note above.", icon=":material/error:"
        )
    if not errors:
        try:
            with store.open_db(couple.db_path) as db:
                result = store.save_checkin(db, me.id, week, answers)
                others = [c for c in store.load_week(db, week) if c.partner_id != me.id]
        except store.StoreError as error:
            errors_at["form"].error(
                f"{error} Your answers are still here.", icon=":material/error:"
            )
        else:
            weeks = result.weeks_checked_in
            message = f"Saved. That's {weeks} week{'s' if weeks != 1 else ''} you've checked in."
            if partner and others:
                message += " You've both checked in: see each other's answers on This week."
            elif partner:
                message += f" Your answers will appear for {safe(partner.name)} once they check in."
            state["checkin-flash"] = message
            st.rerun()

st.page_link("views/this_week.py", label="See this week together", icon=":material/favorite:")
