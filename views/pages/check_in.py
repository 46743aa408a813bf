"""The weekly check-in, in steps: scores, last week's plan, words, the monthly questions, save."""

from dataclasses import dataclass, replace
from datetime import date, datetime

import streamlit as st

from closer import notify, plans, store
from closer.checkin import (
    Answers,
    Checkin,
    CsiAnswers,
    Reflection,
    too_long,
    unanswered,
    validate_answers,
)
from closer.csi4 import CITATION, ITEMS, csi_due
from closer.markdown import escape_markdown
from closer.plan_items import RATING_CHOICES, FollowupAnswer
from closer.plans import followup_week
from closer.survey import SCORE_MAX, SCORE_MIN, dimension, reflection_prompts
from closer.weeks import checkin_week, relative_week_label, week_choices, week_in_words, week_label
from closer.words import plural
from views.parts import guess_step
from views.parts.components import Couple, show_reflections, who_is_here
from views.parts.plan_item import show_plan_item
from views.parts.steps import STEP_FOCUS

RATINGS = RATING_CHOICES
SCORES = list(range(SCORE_MIN, SCORE_MAX + 1))
# One line per intimacy type's name, its ticks beside it, then one row of ten compact targets:
# six types fit about one phone screen (the stock layout wraps 9 + 1, two rows of five took
# two screens). Each target stays at least 44 px tall and 24 px wide (WCAG 2.2's 2.5.8 asks
# for 24): ten in a row need about 310 px of screen, so a narrower one gets two rows of five.
SCORE_CSS = """<style>
[class*="st-key-score-"], [class*="st-key-score-"] [data-testid="stButtonGroup"] {
  width: 100% !important;
}
[class*="st-key-score-"] [role="radiogroup"] {
  display: grid; grid-template-columns: repeat(10, minmax(1.5rem, 1fr)); gap: 0.25rem;
  width: 100%; max-width: 36rem;
}
@media (max-width: 309px) {
  [class*="st-key-score-"] [role="radiogroup"] { grid-template-columns: repeat(5, 1fr); }
}
[class*="st-key-score-"] [role="radiogroup"] button {
  min-height: 2.75rem; min-width: 1.5rem; width: 100%; padding: 0; justify-content: center;
}
/* Each type a grid: the name's line holds the ticks on its right (the name wraps before
   them), the ten scores below. Each tick is a whole 44 px tall target, not only its box. */
[class*="st-key-type-"] {
  display: grid !important; grid-template-columns: minmax(0, 1fr) auto; gap: 0 !important;
  max-width: 36rem;
}
[class*="st-key-type-"] > * { grid-column: 1 / -1; }
[class*="st-key-type-"] > [class*="st-key-score-"] { grid-row: 1; }
[class*="st-key-type-"] > :has(> [class*="st-key-ticks-"]) {
  grid-column: 2; grid-row: 1; align-self: start;
}
[class*="st-key-score-"] [data-testid="stWidgetLabel"] {
  min-height: 2.75rem; margin: 0; padding-right: 10.5rem; align-items: center;
}
[class*="st-key-ticks-"] label { min-height: 2.75rem; align-items: center; }
/* Chosen is a filled target; focus is a thick dashed ring around it, so a keyboard user
   never mistakes the one they are on for the one they picked. */
[class*="st-key-score-"] [role="radiogroup"] button:focus-visible {
  outline: 3px dashed #1d3557 !important; outline-offset: 3px; box-shadow: none !important;
}
[class*="st-key-score-"] [data-testid="stBaseButton-pillsActive"] { font-weight: 700; }
</style>"""


# The monthly answers as rows of large targets (44 px tall, wrapping) instead of a list of
# 21 px lines: the same height on a phone, and each answer easy to tap. Chosen is filled.
CSI_CSS = """<style>
[class*="st-key-csi-item-"] [role="radiogroup"] { flex-wrap: wrap; gap: 0.4rem; }
[class*="st-key-csi-item-"] [role="radiogroup"] label {
  display: flex; align-items: center; min-height: 2.75rem; margin: 0; padding: 0 0.8rem;
  border: 1px solid rgba(49, 51, 63, 0.25); border-radius: 0.5rem;
}
[class*="st-key-csi-item-"] [role="radiogroup"] label > div {
  margin-top: 0 !important; margin-bottom: 0 !important; padding-right: 0 !important;
}
[class*="st-key-csi-item-"] [role="radiogroup"] label:has(input:checked) {
  border-color: currentColor; font-weight: 600;
}
[class*="st-key-csi-item-"] [role="radiogroup"] label:has(input:focus-visible) {
  outline: 3px dashed #1d3557; outline-offset: 2px;
}
</style>"""


@dataclass(frozen=True)
class Context:
    """Who is checking in for which week, and what the form for it starts from."""

    couple: Couple
    week: date
    prefix: str  # widget keys carry the partner and week: another week, other answers
    saved: Checkin | None
    hints: dict[str, int | None]  # the person's previous check-in's scores, shown in words
    plan: list[store.PlanItem]
    answered: dict[int, store.Followup]
    csi_asked: bool
    draft: store.Draft | None  # what was typed and not yet saved, kept as the person types
    sealed: bool  # the person has a passcode key: their private notes are sealed in the file
    guessing: guess_step.Guessing = guess_step.Guessing()  # the guess step, or frozen guesses


def kept_week(me: store.Partner, current: date) -> date:
    """The week this session chose last (this week until the person picks another)."""
    kept = st.session_state.get(f"checkin-week-kept-{me.id}")
    return kept if kept in week_choices(current) else current


def on_first_step(me: store.Partner, week: date) -> bool:
    """Whether this session is on the check-in's first step for that week (or has not begun)."""
    return st.session_state.get(f"checkin-step-{me.id}-{week.isoformat()}") in (None, "scores")


def choose_week(me: store.Partner, current: date, today: date) -> date:
    """The week radio (this week, or last week for a late check-in) and a line saying which."""
    choices = week_choices(current)
    week = st.radio(
        "Which week is this for?",
        choices,
        index=choices.index(kept_week(me, current)),
        format_func=lambda w: relative_week_label(w, current),
        horizontal=True,
        key=f"checkin-week-{me.id}",
    )
    # Kept apart from the radio, which is drawn on the first step only (a widget that isn't
    # drawn loses its value).
    st.session_state[f"checkin-week-kept-{me.id}"] = week
    st.caption(
        f"This check-in is for the week of {week_label(week)}, "
        f"{week_in_words(week, current, today)}."
    )
    return week


def gather(couple: Couple, week: date) -> Context:
    """Read this person's check-in for the week, their previous one, and last week's plan."""
    me, settings = couple.me, couple.settings
    # The person's own key opens their sealed notes, drafts and earlier versions.
    with couple.open_db() as db:
        saved = store.load_checkin(db, me.id, week)
        draft = store.load_draft(db, me.id, week)
        sealed = store.has_private_key(db, me.id)
        earlier = [w for w in store.checked_in_weeks(db, me.id) if w < week]
        previous = store.load_checkin(db, me.id, max(earlier)) if earlier else None
        first_week = store.first_checkin_week(db)
        # Each plan is asked about once: in the check-in of the week after it was made.
        plan = store.load_plan(db, followup_week(week))
        answered = {f.plan_item_id: f for f in store.load_followups(db) if f.partner_id == me.id}
        opted_in = me.id in settings.guessing_partners
        partner_id = couple.partner.id if couple.partner else None
        guessing = guess_step.guessing_for(db, me.id, partner_id, week, saved, opted_in)
    csi_asked = csi_due(week, first_week or week, settings.csi_enabled) or (
        saved is not None and saved.answers.csi is not None
    )
    return Context(
        couple,
        week,
        f"{me.id}-{week.isoformat()}",
        saved,
        previous.answers.scores if previous else {},
        plan,
        answered,
        csi_asked or (draft is not None and draft.answers.csi is not None),
        draft,
        sealed,
        guessing,
    )


def starting_answers(ctx: Context) -> Answers | None:
    """What the form starts from: the draft when there is one, else the saved check-in."""
    if ctx.draft is not None:
        return ctx.draft.answers
    return ctx.saved.answers if ctx.saved else None


def keep_draft(ctx: Context) -> None:
    """Widget callback: keep what is on the form now as this person's draft for the week."""
    answers, followups = answers_given(ctx)
    try:
        with ctx.couple.open_db() as db:
            store.save_draft(db, ctx.couple.me.id, ctx.week, answers, base_revision(ctx), followups)
    except store.StoreError as error:
        # The form still holds every word; say why it isn't kept across a reload.
        st.session_state[f"draft-error-{ctx.prefix}"] = str(error)


def base_revision(ctx: Context) -> int:
    """The saved revision this tab started from (0: none), to notice a save made elsewhere."""
    key = f"base-{ctx.prefix}"
    if key not in st.session_state:
        # First sight of this form in this browser session: a draft now is one kept from
        # before (a reload, another device), worth saying so; later ones are this page's own.
        st.session_state[f"restored-{ctx.prefix}"] = ctx.draft is not None
        if ctx.draft is not None:
            st.session_state[key] = ctx.draft.base_revision
        else:
            st.session_state[key] = ctx.saved.revision if ctx.saved else 0
    return st.session_state[key]


def start_from(key: str, value: object) -> None:
    """Give a widget its starting value once; afterwards keep what the person chose since."""
    # Set on every run, not only the first: a widget drawn again after a run without it
    # (the saved screen, another page) would otherwise show empty in the browser while
    # the server still holds the earlier value, and a save would not match the screen.
    st.session_state[key] = st.session_state.get(key, value)


CHANGE_LABELS = {
    "scores": "Edit scores",
    "plan": "Edit how the plan went",
    "words": "Edit your words",
    "monthly": "Edit the monthly answers",
    "guess": "Edit your guesses",
}
STEP_TITLES = {
    "scores": "Scores",
    "guess": "Your guesses",
    "plan": "Last week's plan",
    "words": "In your words",
    "monthly": "The monthly questions",
    "review": "Review and save",
}


def start_every_widget(ctx: Context) -> None:
    """Give every widget of every step its starting value (or keep the one chosen since).

    Only the open step's widgets are drawn; setting the others' values here on every run
    keeps them, so the save at the end holds the whole check-in.
    """
    prefix, start = ctx.prefix, starting_answers(ctx)
    for key in ctx.couple.settings.active_dimensions:
        start_from(f"score-{prefix}-{key}", start.scores.get(key) if start else None)
        start_from(
            f"skip-{prefix}-{key}",
            start is not None and key in start.scores and start.scores[key] is None,
        )
        start_from(f"more-{prefix}-{key}", start is not None and key in start.wants_more)
    # What the draft kept about an item comes first; else what a save answered before.
    kept = ctx.draft.followups if ctx.draft else {}
    for item in ctx.plan:
        before = kept[item.id] if item.id in kept else ctx.answered.get(item.id)
        start_from(f"done-{prefix}-{item.id}", before.done if before else False)
        rating = [k for k, v in RATINGS.items() if before and v == before.rating]
        start_from(f"rating-{prefix}-{item.id}", rating[0] if rating else None)
    mine = start.reflections if start else {}
    for prompt in reflection_prompts():
        existing = mine.get(prompt.key)
        start_from(f"text-{prefix}-{prompt.key}", existing.text if existing else "")
        if ctx.couple.partner:
            shared = existing.shared if existing else prompt.shared_by_default
            start_from(f"share-{prefix}-{prompt.key}", shared)
    if ctx.guessing.step:
        active = ctx.couple.settings.active_dimensions
        guess_step.start_guesses(prefix, active, start.guesses if start else {})
    if ctx.csi_asked:
        earlier = start.csi if start and start.csi else None
        for position, csi_item in enumerate(ITEMS):
            value = earlier.values[position] if earlier else None
            start_from(f"csi-{prefix}-{csi_item.number}", value)
        if ctx.couple.partner:
            start_from(f"csi-share-{prefix}", earlier.shared if earlier else False)


def hint(key: str, hints: dict[str, int | None]) -> str:
    """Last time's score for a type, in words: a reminder, never an answer."""
    if key not in hints:
        return ""
    return "skipped last time" if hints[key] is None else f"last time {hints[key]}"


def scores_section(ctx: Context, errors_at: dict) -> None:
    """A row of tap targets per intimacy type, each starting unanswered, with skip and 'more'."""
    prefix = ctx.prefix
    st.caption(f"{SCORE_MIN} is not at all, {SCORE_MAX} is very. Skip any that don't fit.")
    st.html(SCORE_CSS)
    for key in ctx.couple.settings.active_dimensions:
        score_key, skip_key = f"score-{prefix}-{key}", f"skip-{prefix}-{key}"
        skipped = st.session_state[skip_key]
        if skipped:
            st.session_state[score_key] = None
        d = dimension(key)
        said = hint(key, ctx.hints)
        with st.container(key=f"type-{prefix}-{key}"):
            # A plain label: the help button reads it aloud as written, Markdown included.
            st.pills(
                d.name + (f" · {said}" if said else ""),
                SCORES,
                key=score_key,
                disabled=skipped,
                help=d.description,
                on_change=keep_draft,
                args=(ctx,),
            )
            # Drawn after the scores (the keyboard reaches them next), shown on the name's line.
            with st.container(
                horizontal=True, gap="small", width="content", key=f"ticks-{prefix}-{key}"
            ):
                st.checkbox("Skip", key=skip_key, on_change=keep_draft, args=(ctx,))
                st.checkbox(
                    "More of this",
                    key=f"more-{prefix}-{key}",
                    on_change=keep_draft,
                    args=(ctx,),
                )
            errors_at[f"score:{key}"] = st.empty()


# Each plan item a compact card: its ticks and the three answers are whole 44 px tall
# targets, close together, so four items fit about one phone screen.
PLAN_CSS = """<style>
[class*="st-key-followup-"] { gap: 0.25rem; padding-top: 0.75rem; padding-bottom: 0.5rem; }
[class*="st-key-followup-"] [data-testid="stCheckbox"] label,
[class*="st-key-followup-"] [role="radiogroup"] label {
  min-height: 2.75rem; align-items: center; margin-bottom: 0;
}
[class*="st-key-followup-"] [role="radiogroup"] { column-gap: 1rem; row-gap: 0; }
</style>"""


def plan_section(ctx: Context) -> None:
    """How last week's plan went: done or not, and whether it helped."""
    prefix, me, partner = ctx.prefix, ctx.couple.me, ctx.couple.partner
    st.caption("How did it go? Honest answers help Closer suggest what works for you two.")
    st.html(PLAN_CSS)
    for item in ctx.plan:
        with st.container(border=True, key=f"followup-{item.id}"):
            mine = item.partner_id == me.id or partner is None
            whose = "Your" if mine or partner is None else f"{escape_markdown(partner.name)}'s"
            show_plan_item(item, f"**{whose} promise for the week**")
            st.checkbox(
                "We did this" if item.kind != "commitment" else "It happened",
                key=f"done-{prefix}-{item.id}",
                on_change=keep_draft,
                args=(ctx,),
            )
            # The three answers say what is asked; the question stays their accessible name.
            st.radio(
                "Did it help?",
                list(RATINGS),
                horizontal=True,
                label_visibility="collapsed",
                key=f"rating-{prefix}-{item.id}",
                on_change=keep_draft,
                args=(ctx,),
            )


def words_section(ctx: Context, errors_at: dict) -> None:
    """The reflections, each shared or private; an over-long text is kept and flagged."""
    prefix, partner = ctx.prefix, ctx.couple.partner
    st.caption(
        "All optional. Write as much or as little as you like. What you type is kept as you "
        "go, a moment after you stop typing, so a reload or another page keeps it."
    )
    if partner:
        st.caption(
            ":material/lock: Not shared means private: hidden from "
            f"{escape_markdown(partner.name)} in the app"
            + (
                ", and sealed in the file with your passcode."
                if ctx.sealed
                else ". Set a passcode in Settings to lock it in the file too."
            )
        )
    for prompt in reflection_prompts():
        text_key = f"text-{prefix}-{prompt.key}"
        # No max_chars: the browser would drop a longer paste whole. The length is checked here.
        st.text_area(
            prompt.label,
            help=prompt.help,
            key=text_key,
            height=100,
            on_change=keep_draft,
            args=(ctx,),
        )
        if partner:
            st.toggle(
                f"Share with {escape_markdown(partner.name)}",
                key=f"share-{prefix}-{prompt.key}",
                on_change=keep_draft,
                args=(ctx,),
            )
        errors_at[f"reflection:{prompt.key}"] = st.empty()
        problem = too_long(st.session_state[text_key])
        if problem:
            errors_at[f"reflection:{prompt.key}"].warning(problem, icon=":material/warning:")


def csi_section(ctx: Context, errors_at: dict) -> None:
    """The four CSI-4 questions, asked every fourth week."""
    prefix, partner = ctx.prefix, ctx.couple.partner
    st.caption(
        "Once a month, four short questions about the relationship as a whole. Answer "
        "what's true for you; your answers stay yours unless you share them. A score needs "
        "all four: if you leave any out, what you answered is kept but not scored this time."
    )
    st.html(CSI_CSS)
    for item in ITEMS:
        with st.container(key=f"csi-item-{item.number}"):
            st.radio(
                item.text,
                range(len(item.options)),
                format_func=item.options.__getitem__,
                horizontal=True,
                key=f"csi-{prefix}-{item.number}",
                on_change=keep_draft,
                args=(ctx,),
            )
    if partner:
        st.toggle(
            f"Share these four answers with {escape_markdown(partner.name)}",
            key=f"csi-share-{prefix}",
            on_change=keep_draft,
            args=(ctx,),
        )
    errors_at["csi"] = st.empty()
    with st.expander("About these questions", icon=":material/info:"):
        st.caption(
            "They come from a published measure of relationship satisfaction, the CSI-4, "
            f"and keep its authors' own wording. {CITATION}"
        )


def answers_given(ctx: Context) -> tuple[Answers, dict[int, FollowupAnswer]]:
    """The answers as the person gave them: an untouched type is left out, a skipped one None."""
    state, prefix, active = st.session_state, ctx.prefix, ctx.couple.settings.active_dimensions
    scores: dict[str, int | None] = {}
    for k in active:
        if state[f"skip-{prefix}-{k}"]:
            scores[k] = None
        elif state[f"score-{prefix}-{k}"] is not None:
            scores[k] = state[f"score-{prefix}-{k}"]
    answers = Answers(
        scores=scores,
        wants_more=frozenset(k for k in active if state[f"more-{prefix}-{k}"]),
        reflections={
            p.key: Reflection(
                state[f"text-{prefix}-{p.key}"], state.get(f"share-{prefix}-{p.key}", False)
            )
            for p in reflection_prompts()
        },
        guesses=guess_step.guesses_given(prefix, active, ctx.guessing),
    )
    if ctx.csi_asked:
        values = tuple(state[f"csi-{prefix}-{item.number}"] for item in ITEMS)
        if any(v is not None for v in values):
            answers = replace(
                answers, csi=CsiAnswers(values, state.get(f"csi-share-{prefix}", False))
            )
    followups = {
        item.id: FollowupAnswer(
            state[f"done-{prefix}-{item.id}"],
            RATINGS.get(state[f"rating-{prefix}-{item.id}"]),
        )
        for item in ctx.plan
    }
    return answers, followups


def save(ctx: Context, *, confirmed: bool, over: int | None = None) -> None:
    """Save-button callback: check, ask once about untouched types, save; the run shows it.

    As a callback it runs before the page is drawn, so the page comes back once, already
    showing the outcome: no second run to replace the form. ``over`` is the newer revision
    the person chose to save over, after a save from another tab.
    """
    state, prefix, couple = st.session_state, ctx.prefix, ctx.couple
    active = couple.settings.active_dimensions
    answers, followups = answers_given(ctx)
    errors = validate_answers(answers, list(active))
    missing = unanswered(answers, list(active))
    if ctx.saved:
        # Left unanswered in the saved version too: that was confirmed then; ask only anew.
        missing = [k for k in missing if k in ctx.saved.answers.scores]
    if not errors and missing and not confirmed:
        state[f"confirm-{prefix}"] = missing
        return
    if not errors:
        expected = over if over is not None else base_revision(ctx)
        try:
            with couple.open_db() as db:
                result = store.save_checkin(
                    db,
                    couple.me.id,
                    ctx.week,
                    answers,
                    followups=followups,
                    expected_revision=expected,
                )
        except store.StaleCheckin as stale:
            # Another tab or phone saved since this one opened: the person chooses.
            state[f"stale-{prefix}"] = (stale.revision, stale.saved_at)
            return
        except store.StoreError as error:
            errors = {"form": f"{escape_markdown(str(error))} Your answers are still here."}
        else:
            # "Change my answers" starts again at the first step.
            for key in (
                f"confirm-{prefix}",
                f"stale-{prefix}",
                f"base-{prefix}",
                f"checkin-step-{prefix}",
            ):
                state.pop(key, None)
            values = answers.csi.values if answers.csi else ()
            partial = None in values and any(v is not None for v in values)
            state[f"checkin-done-{couple.me.id}"] = (ctx.week, result.weeks_checked_in, partial)
            # On a thread of its own: a slow or failing address never holds up the save.
            notify.after_checkin(couple.db_path, couple.me.id, ctx.week)
            return
    # Shown by the Save button, where the person is looking, each saying which step.
    state[f"checkin-errors-{prefix}"] = errors


def forget_form(ctx: Context) -> None:
    """Drop this form's widget values and its draft, so it starts again from what is saved."""
    for key in [k for k in st.session_state if isinstance(k, str) and ctx.prefix in k]:
        del st.session_state[key]
    with ctx.couple.open_db() as db:
        store.discard_draft(db, ctx.couple.me.id, ctx.week)


def show_stale_choice(ctx: Context) -> bool:
    """By the Save button: another tab saved meanwhile, so ask which version stays."""
    stale = st.session_state.get(f"stale-{ctx.prefix}")
    if not stale:
        return False
    revision, saved_at = stale
    when = f" at {datetime.fromisoformat(saved_at).astimezone():%H:%M}" if saved_at else ""
    with st.container(border=True, key=f"stale-choice-{ctx.prefix}"):
        st.warning(
            f"You changed this check-in in another tab or on another device{when}, after "
            "this page was opened. Nothing was saved yet: which one should stay?",
            icon=":material/sync_problem:",
        )
        left, right = st.columns(2)
        left.button(
            "Keep what's on this page",
            type="primary",
            key=f"keep-mine-{ctx.prefix}",
            on_click=save,
            args=(ctx,),
            kwargs={"confirmed": True, "over": revision},
        )
        right.button(
            "Show the other version",
            key=f"take-theirs-{ctx.prefix}",
            on_click=forget_form,
            args=(ctx,),
        )
    return True


def show_kept_draft(ctx: Context) -> None:
    """Say when the form holds a kept draft, or when a draft could not be kept."""
    if ctx.draft is not None and st.session_state.get(f"restored-{ctx.prefix}"):
        kept = datetime.fromisoformat(ctx.draft.saved_at).astimezone()
        st.info(
            f"Here is what you were writing ({kept:%a %H:%M}), kept but not saved yet.",
            icon=":material/history_edu:",
        )
        st.button(
            "Start again from what's saved" if ctx.saved else "Start again from empty",
            key=f"discard-draft-{ctx.prefix}",
            on_click=forget_form,
            args=(ctx,),
        )
    problem = st.session_state.pop(f"draft-error-{ctx.prefix}", None)
    if problem:
        st.warning(
            f"{escape_markdown(problem)} What you typed is still on this page.",
            icon=":material/warning:",
        )


def show_earlier_versions(ctx: Context) -> None:
    """Every earlier saved version of this check-in, for its author only."""
    with ctx.couple.open_db() as db:
        versions = store.load_revisions(db, ctx.couple.me.id, ctx.week)[:-1]
    if not versions:
        return
    with st.expander(f"Earlier versions ({len(versions)})", icon=":material/history:"):
        st.caption("Only you can see these. Each save keeps the one before.")
        for revision, saved_at, answers in reversed(versions):
            moment = datetime.fromisoformat(saved_at).astimezone()
            st.markdown(f"**Version {revision}**, saved {moment:%a %-d %b, %H:%M}")
            scores = [
                f"{dimension(k).name} {'skipped' if v is None else v}"
                for k, v in answers.scores.items()
            ]
            st.text(" · ".join(scores) if scores else "No scores")
            show_reflections(
                Checkin(0, ctx.couple.me.id, ctx.week, revision, saved_at, answers),
                author_is_viewer=True,
            )


def steps_for(ctx: Context) -> list[str]:
    """The steps of this check-in, in order: the plan and the monthly ones only when due."""
    return [
        "scores",
        *(["guess"] if ctx.guessing.step else []),
        *(["plan"] if ctx.plan else []),
        "words",
        *(["monthly"] if ctx.csi_asked else []),
        "review",
    ]


def current_step(ctx: Context, steps: list[str]) -> str:
    """The step this browser session is on (the first, until the person moves)."""
    step = st.session_state.get(f"checkin-step-{ctx.prefix}")
    return step if step in steps else steps[0]


def go_to(ctx: Context, step: str) -> None:
    """Button callback: move to ``step`` (every value given so far stays)."""
    st.session_state.pop(f"checkin-errors-{ctx.prefix}", None)
    st.session_state[f"checkin-step-{ctx.prefix}"] = step


def step_of(field: str) -> str:
    """The step a problem's field is in."""
    kind = field.partition(":")[0]
    steps = {"score": "scores", "guess": "guess", "reflection": "words", "csi": "monthly"}
    return steps.get(kind, "review")


def field_in_words(field: str) -> str:
    """Where a field is, for a problem shown by the button: its step, and its name."""
    kind, _, key = field.partition(":")
    if kind in ("score", "guess"):
        name = dimension(key).name
    elif kind == "reflection":
        name = next((f"“{p.label}”" for p in reflection_prompts() if p.key == key), key)
    else:
        name = "the four relationship questions"
    return f"{STEP_TITLES[step_of(field)]}, {name}"


def show_errors(ctx: Context, errors: dict[str, str]) -> None:
    """Every problem by the button that was pressed, with the step it is in and a way there."""
    for field, message in errors.items():
        where = "" if field == "form" else f"{field_in_words(field)}: "
        st.error(where + message, icon=":material/error:")
    first = next((field for field in errors if field != "form"), None)
    if first is not None:
        step = step_of(first)
        st.button(
            f"Go to {STEP_TITLES[step]}",
            key=f"to-problem-{ctx.prefix}",
            on_click=go_to,
            args=(ctx, step),
        )


def review_section(ctx: Context) -> None:
    """Everything about to be saved, in words, with a way back to each step."""
    answers, followups = answers_given(ctx)
    active = ctx.couple.settings.active_dimensions
    lines = []
    for key in active:
        score = answers.scores.get(key, "missing")
        said = (
            "not answered"
            if score == "missing"
            else "skipped"
            if score is None
            else f"{score}" + (", would like more" if key in answers.wants_more else "")
        )
        lines.append(f"{dimension(key).name}: {said}")
    with st.container(border=True):
        st.markdown("**Scores**")
        st.text("\n".join(lines))
        step_link(ctx, "scores")
    if ctx.guessing.step and ctx.couple.partner:
        with st.container(border=True):
            guess_step.review_guesses(answers.guesses, active, ctx.couple.partner.name)
            step_link(ctx, "guess")
    if ctx.plan:
        with st.container(border=True):
            st.markdown("**Last week's plan**")
            labels = {rating: label for label, rating in RATINGS.items()}
            for item in ctx.plan:
                answer = followups[item.id]
                title = item.body or plans.catalogue_text(item.kind, item.item_id)
                helped = f" · {labels[answer.rating]}" if answer.rating is not None else ""
                st.text(f"{title}: {'done' if answer.done else 'not marked done'}{helped}")
            step_link(ctx, "plan")
    with st.container(border=True):
        st.markdown("**In your words**")
        written = [(p, answers.reflections[p.key]) for p in reflection_prompts()]
        written = [(p, r) for p, r in written if r.text.strip()]
        if not written:
            st.caption("Nothing written: that's fine.")
        for prompt, reflection in written:
            private = not reflection.shared or ctx.couple.partner is None
            st.caption(f"{prompt.label} · {'private' if private else 'shared'}")
            st.text(reflection.text)
        step_link(ctx, "words")
    if ctx.csi_asked:
        values = answers.csi.values if answers.csi else ()
        count = sum(v is not None for v in values)
        with st.container(border=True):
            st.markdown("**The monthly questions**")
            shared = answers.csi is not None and answers.csi.shared and ctx.couple.partner
            st.caption(
                f"{count} of {len(ITEMS)} answered"
                + ("" if not count else ", shared" if shared else ", private")
            )
            step_link(ctx, "monthly")


def step_link(ctx: Context, step: str) -> None:
    """A small button back to one step, from the review."""
    st.button(
        CHANGE_LABELS[step],
        key=f"change-{step}-{ctx.prefix}",
        icon=":material/edit:",
        on_click=go_to,
        args=(ctx, step),
    )


def finished(couple: Couple, done: tuple[date, int, bool], current: date, today: date) -> None:
    """The top of the page after a save: saved, then who we wait for or the way to the reveal."""
    (week, weeks_checked_in, csi_partial), partner = done, couple.partner
    with couple.open_db() as db:
        both_in = len({c.partner_id for c in store.load_week(db, week)}) > 1
    st.success(
        f"Saved: your check-in for {week_in_words(week, current, today)} "
        f"({week_label(week)}). That's {plural(weeks_checked_in, 'week')} you've checked in."
        + (
            " Some of the four relationship questions were left empty, so what you answered "
            "there is kept but not scored this time."
            if csi_partial
            else ""
        ),
        icon=":material/check_circle:",
    )
    if partner and both_in:
        # This week opens on the week just saved (a late check-in is for last week).
        st.session_state["this-week-week"] = week
        with st.container(border=True):
            st.markdown("**You've both checked in.** Your answers are ready to see side by side.")
            # A link, not st.switch_page: switch_page drops the sidebar's "I am" in a browser.
            st.page_link(
                "views/pages/this_week.py",
                label="**See each other's answers**",
                icon=":material/favorite:",
            )
    elif partner:
        st.info(
            f"**Waiting for {escape_markdown(partner.name)}.** Your answers stay hidden until "
            "they check "
            f"in for the same week; then you'll both see each other's answers on This week.",
            icon=":material/hourglass_top:",
        )
    if st.button("Change my answers", icon=":material/edit:"):
        st.session_state.pop(f"checkin-done-{couple.me.id}", None)
        st.rerun()


couple = who_is_here()
me, partner, settings = couple.me, couple.partner, couple.settings
now = datetime.now()
today = now.date()
current = checkin_week(now, settings.checkin_weekday, settings.checkin_time)

st.title("Weekly check-in")
done = st.session_state.get(f"checkin-done-{me.id}")
if done and done[0] in week_choices(current):
    finished(couple, done, current, today)
    st.stop()

# The introduction and the week's choice on the first step only: on a phone they took
# about 350 px above every later step. Later steps name the week in one line.
first_step = on_first_step(me, kept_week(me, current))
if partner and first_step:
    st.caption(
        f"About five minutes. Your answers stay hidden from {escape_markdown(partner.name)} until "
        "you "
        "have both checked in for the week, and private notes stay yours."
    )
if first_step:
    week = choose_week(me, current, today)
else:
    week = kept_week(me, current)
    st.caption(f"For the week of {week_label(week)}, {week_in_words(week, current, today)}.")
ctx = gather(couple, week)
base_revision(ctx)  # pinned at first sight, to notice a save from another tab
if ctx.saved and first_step:
    st.info(
        f"You checked in for {week_in_words(week, current, today)} on "
        f"{datetime.fromisoformat(ctx.saved.updated_at):%a %d %b}. "
        "Change anything and save again: the earlier version is kept.",
        icon=":material/edit:",
    )
    show_earlier_versions(ctx)
if first_step:
    show_kept_draft(ctx)

prefix = ctx.prefix
errors_at: dict = {}
phrase = "this week" if week == current else week_in_words(week, current, today)
start_every_widget(ctx)
steps = steps_for(ctx)
step = current_step(ctx, steps)
position = steps.index(step)
# In the sidebar, like the typing script: no script sits among what the page shows.
with st.sidebar:
    st.html(STEP_FOCUS, unsafe_allow_javascript=True)
# Only the open step is drawn: fewer widgets to draw per tap, which is most of what a page
# change costs in the browser. start_every_widget keeps the other steps' values.
with st.container(key=f"checkin-step-{step}"):
    st.caption(f"Step {position + 1} of {len(steps)}")
    st.subheader(
        f"How connected did you feel {phrase}?" if step == "scores" else STEP_TITLES[step],
        anchor=False,
    )
    if step == "scores":
        scores_section(ctx, errors_at)
    elif step == "guess":
        guess_step.guess_section(
            prefix, settings.active_dimensions, couple.partner_name, keep_draft, (ctx,)
        )
    elif step == "plan":
        plan_section(ctx)
    elif step == "words":
        words_section(ctx, errors_at)
    elif step == "monthly":
        csi_section(ctx, errors_at)
    else:
        review_section(ctx)

# Problems, the choice after a save elsewhere and the buttons sit together: whatever goes
# wrong is said where the person just pressed.
with st.container(key="checkin-nav"):
    pending = None
    stale_shown = False
    if step == "review":
        show_errors(ctx, st.session_state.pop(f"checkin-errors-{prefix}", {}))
        stale_shown = show_stale_choice(ctx)
        pending = st.session_state.get(f"confirm-{prefix}")
        if pending:
            answers_now, _ = answers_given(ctx)
            still = unanswered(answers_now, list(settings.active_dimensions))
            pending = pending if set(pending) <= set(still) else None
        if pending:
            names = ", ".join(dimension(k).name for k in pending)
            st.warning(
                f"{len(pending)} not answered: {names}. Save anyway? They'll be kept as not "
                "answered (not as skipped), and you can come back to them.",
                icon=":material/help:",
            )
    with st.container(horizontal=True, gap="small", key="checkin-buttons"):
        if position > 0:
            st.button(
                "Back",
                key=f"back-{prefix}",
                icon=":material/arrow_back:",
                on_click=go_to,
                args=(ctx, steps[position - 1]),
            )
        if step != "review":
            st.button(
                f"Next: {STEP_TITLES[steps[position + 1]]}",
                type="primary",
                key=f"next-{prefix}",
                icon=":material/arrow_forward:",
                width="stretch",
                on_click=go_to,
                args=(ctx, steps[position + 1]),
            )
        elif pending:
            st.button(
                "Save anyway",
                type="primary",
                key=f"save-anyway-{prefix}",
                width="stretch",
                on_click=save,
                args=(ctx,),
                kwargs={"confirmed": True},
            )
        elif not stale_shown:
            st.button(
                "Save changes" if ctx.saved else "Save my check-in",
                type="primary",
                key=f"save-{prefix}",
                width="stretch",
                on_click=save,
                args=(ctx,),
                kwargs={"confirmed": False},
            )
