"""The weekly check-in: one form, one save, scores per intimacy type and reflections."""

from dataclasses import replace
from datetime import date, datetime

import streamlit as st

from closer import store
from closer.checkin import Answers, CsiAnswers, Reflection, validate_answers
from closer.csi4 import CITATION, ITEMS, csi_due
from closer.plans import catalogue_text
from closer.survey import REFLECTION_MAX_CHARS, SCORE_MAX, SCORE_MIN, dimension, reflection_prompts
from closer.weeks import relative_week_label, week_choices
from views.components import safe, score_label, show_text, who_is_here

FOLLOW_UP_WITHIN_WEEKS = 3
RATINGS = {"It helped": 1, "Not sure": 0, "It didn't help": -1}


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
    first_week = store.first_checkin_week(db)
    plan_week = store.previous_plan_week(db, week)
    plan = store.load_plan(db, plan_week) if plan_week else []
    answered = {f.plan_item_id: f for f in store.load_followups(db) if f.partner_id == me.id}
# Only a recent plan is worth asking about; a plan from months ago has gone stale.
if plan_week and (week - plan_week).days > 7 * FOLLOW_UP_WITHIN_WEEKS:
    plan = []
csi_asked = csi_due(week, first_week or week, settings.csi_enabled) or (
    saved is not None and saved.answers.csi is not None
)

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
    if plan:
        st.subheader("Last week's plan")
        st.caption("How did it go? Honest answers help Closer suggest what works for you two.")
        for item in plan:
            before = answered.get(item.id)
            with st.container(border=True, key=f"followup-{item.id}"):
                if item.kind == "commitment":
                    whose = "Your" if item.partner_id == me.id else f"{safe(partner.name)}'s"
                    st.markdown(f"**{whose} promise for the week**")
                    show_text(item.body or "")
                else:
                    st.markdown(f"**{catalogue_text(item.kind, item.item_id)}**")
                left, right = st.columns([1, 2])
                left.checkbox(
                    "We did this" if item.kind != "commitment" else "It happened",
                    value=before.done if before else False,
                    key=f"done-{prefix}-{item.id}",
                )
                right.radio(
                    "Did it help?",
                    list(RATINGS),
                    index=list(RATINGS.values()).index(before.rating)
                    if before and before.rating is not None
                    else None,
                    horizontal=True,
                    key=f"rating-{prefix}-{item.id}",
                )

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

    if csi_asked:
        st.subheader("Once a month: the relationship as a whole")
        st.caption(
            "Four short questions from a published measure of relationship satisfaction, "
            f"in its authors' own words. Source: {CITATION} "
            "Answer what's true for you; your answers stay yours unless you share them. "
            "A score needs all four: if you leave any out, what you answered is kept but "
            "not scored this time."
        )
        earlier = saved.answers.csi if saved and saved.answers.csi else None
        for position, item in enumerate(ITEMS):
            st.radio(
                item.text,
                range(len(item.options)),
                format_func=item.options.__getitem__,
                index=earlier.values[position] if earlier else None,
                key=f"csi-{prefix}-{item.number}",
            )
        if partner:
            st.toggle(
                f"Share these four answers with {safe(partner.name)}",
                value=earlier.shared if earlier else False,
                key=f"csi-share-{prefix}",
            )
        errors_at["csi"] = st.empty()

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
    if csi_asked:
        values = tuple(state[f"csi-{prefix}-{item.number}"] for item in ITEMS)
        if any(v is not None for v in values):
            answers = replace(
                answers, csi=CsiAnswers(values, state.get(f"csi-share-{prefix}", False))
            )
        # Saved as given, but a partial CSI-4 has no total: say so rather than stay silent.
        csi_unscored = None in values and any(v is not None for v in values)
    followups = {
        item.id: (
            state[f"done-{prefix}-{item.id}"],
            RATINGS.get(state[f"rating-{prefix}-{item.id}"]),
        )
        for item in plan
    }
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
                result = store.save_checkin(db, me.id, week, answers, followups=followups)
                others = [c for c in store.load_week(db, week) if c.partner_id != me.id]
        except store.StoreError as error:
            errors_at["form"].error(
                f"{safe(str(error))} Your answers are still here.", icon=":material/error:"
            )
        else:
            weeks = result.weeks_checked_in
            message = f"Saved. That's {weeks} week{'s' if weeks != 1 else ''} you've checked in."
            if partner and others:
                message += " You've both checked in: see each other's answers on This week."
            elif partner:
                message += f" Your answers will appear for {safe(partner.name)} once they check in."
            if csi_asked and csi_unscored:
                message += (
                    " Some of the four relationship questions were left empty, so what you "
                    "answered there is kept but not scored this time."
                )
            state["checkin-flash"] = message
            st.rerun()

st.page_link("views/this_week.py", label="See this week together", icon=":material/favorite:")
