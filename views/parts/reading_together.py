"""How well we read each other, on This week: guesses beside answers, and the viewer's summary."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from closer import plans, store
from closer.checkin import Answers
from closer.markdown import escape_markdown
from closer.reading import (
    MIN_WEEKS,
    Reading,
    direction_words,
    guess_pairs,
    is_low,
    points,
    reading,
)
from closer.reveal import WeekStatus, WeekView, visible_scores
from closer.survey import dimension, dimension_keys
from views.parts.care import care_note_for
from views.parts.components import Couple
from views.parts.guess_step import guess_lines

SETTINGS_PAGE = "views/pages/our_settings.py"
TALK_INSTEAD = "talk about this one together"


def care_note_shows(couple: Couple) -> bool:
    """Whether the viewer would see a care note now (views.parts.care's one rule)."""
    today = date.today()
    since = min(plans.csi_window_start(today), plans.care_window_start(today))
    partner_ids = [couple.me.id] + ([couple.partner.id] if couple.partner else [])
    with couple.open_db() as db:
        scores = store.load_scores(db, since=since)
    return care_note_for(couple, visible_scores(scores, couple.me.id, partner_ids)) is not None


def guess_line(guesser: str, answerer: str, guess: int | None, answer: int | None) -> str:
    """'You guessed 6; Kai said 8' (or 'Robin guessed 6; you said 8'), plainly, no grade."""
    unsure = "weren't sure" if guesser == "You" else "wasn't sure"
    guessed = f"{guesser} {unsure}" if guess is None else f"{guesser} guessed {guess}"
    said = f"{answerer} skipped it" if answer is None else f"{answerer} said {answer}"
    return f"{guessed}; {said}"


def week_lines(mine: Answers, theirs: Answers, partner: str) -> list[tuple[str, list[str]]]:
    """(type name, its lines) for each type either partner guessed this week, in survey order."""
    found = []
    for key in dimension_keys():
        if key not in mine.guesses and key not in theirs.guesses:
            continue
        name = dimension(key).name
        if is_low(mine.scores.get(key), theirs.scores.get(key)):
            # A low score is never graded: what it says is worth a talk, not a comparison.
            found.append((name, [f"A low week for one of you: {TALK_INSTEAD}."]))
            continue
        lines = []
        if key in mine.guesses:
            lines.append(guess_line("You", partner, mine.guesses[key], theirs.scores.get(key)))
        if key in theirs.guesses:
            lines.append(guess_line(partner, "you", theirs.guesses[key], mine.scores.get(key)))
        found.append((name, lines))
    return found


def show_week_guesses(view: WeekView, couple: Couple, caring: bool) -> None:
    """This week's guesses beside the answers, once both have checked in."""
    mine, theirs = view.mine, view.theirs
    if view.status is not WeekStatus.REVEALED or couple.partner is None or not (mine and theirs):
        return
    partner = couple.partner.name
    found = week_lines(mine.answers, theirs.answers, partner)
    if not found:
        return
    st.header("How well you read each other", anchor=False)
    with st.container(border=True, key="week-guesses"):
        if caring:
            # While a care note shows, nothing is compared: only which types were guessed.
            st.text("Guessed this week: " + ", ".join(name for name, _ in found) + ".")
            st.caption(
                "This week the guesses are better talked about than compared: talk about "
                "them together, when it suits you both."
            )
            return
        for name, lines in found:
            with st.container(gap=None):
                st.markdown(f"**{name}**")
                # Lines hold a typed name: st.text shows it exactly as typed.
                st.text("\n".join(lines))


def show_my_reading(result: Reading | None, partner: str, weeks_guessed: int) -> None:
    """The viewer's own summary over six or more guessed weeks, for their eyes only."""
    if result is None:
        if weeks_guessed:
            st.caption(
                f"After {MIN_WEEKS} weeks of guesses you'll see, just for you, how close your "
                f"guesses usually are ({weeks_guessed} so far)."
            )
        return
    with st.container(border=True, key="my-reading"):
        st.markdown("**Your guesses over time** · only you see this")
        baselines = []
        if result.projection_miss is not None:
            baselines.append(
                f"guessing your own score would have been {points(result.projection_miss)} off"
            )
        if result.perseveration_miss is not None:
            baselines.append(
                f"guessing {partner}'s last answer would have been "
                f"{points(result.perseveration_miss)} off"
            )
        st.text(
            f"Over {result.weeks} weeks your guesses were usually {points(result.typical_miss)} "
            f"from what {partner} said. {direction_words(result.direction, partner)}"
            + (f"\nFor comparison, {' and '.join(baselines)}." if baselines else "")
        )
        st.caption(
            "Not a score to beat: a way to notice how you read each other. Weeks where "
            "either of you felt low are left out."
        )


def my_reading(couple: Couple) -> tuple[Reading | None, int]:
    """The viewer's summary from every revealed week they guessed in, and how many such weeks."""
    partner = couple.partner
    if partner is None:
        return None, 0
    with couple.open_db() as db:
        version = store.data_version(db)
    return _my_reading(str(couple.db_path), version, couple.me.id, partner.id)


# Ten years of scores and guesses cost ~40 ms to read and pair, and change only when someone
# saves: cached per data version and viewer (guesses are never sealed, so no key is needed).
@st.cache_data(max_entries=16, show_spinner=False)
def _my_reading(
    db_path: str, version: str, me_id: int, partner_id: int
) -> tuple[Reading | None, int]:
    """my_reading's work: only scores and guesses are read (no notes to open)."""
    with store.open_db(Path(db_path)) as db:
        guessed = store.load_guesses(db, me_id)
        scores = store.load_scores(db, since=min(guessed) - timedelta(weeks=1)) if guessed else None
    if scores is None or scores.empty:
        return None, 0
    # The reveal rule: the partner's scores only in weeks both checked in.
    scores = visible_scores(scores, me_id, [me_id, partner_id])
    by_person: dict[int, dict[date, dict[str, int | None]]] = {me_id: {}, partner_id: {}}
    for week, person, key, score in scores[["week", "partner_id", "dimension", "score"]].itertuples(
        index=False
    ):
        value = None if pd.isna(score) else int(score)
        by_person[person].setdefault(week.date(), {})[key] = value
    mine, theirs = by_person[me_id], by_person[partner_id]
    revealed = [
        (week, Answers(mine.get(week, {}), guesses=guesses), Answers(theirs[week]))
        for week, guesses in guessed.items()
        if week in theirs
    ]
    return reading(guess_pairs(revealed, theirs)), len(revealed)


def show_reading_together(view: WeekView, couple: Couple) -> None:
    """Everything this feature adds to This week, for the viewer only."""
    if couple.partner is None:
        return
    guessing = couple.me.id in couple.settings.guessing_partners
    mine, theirs = view.mine, view.theirs
    has_guesses = (
        mine is not None
        and theirs is not None
        and (bool(mine.answers.guesses) or bool(theirs.answers.guesses))
    )
    if view.status is WeekStatus.WAITING_FOR_PARTNER and mine and mine.answers.guesses:
        # The guesser's own, in words; the partner sees nothing of them until both are in.
        with st.container(border=True, key="my-waiting-guesses"):
            st.markdown("**Your guesses**")
            st.caption(
                f"Only you can see these until {escape_markdown(couple.partner.name)} has "
                "checked in too."
            )
            active = tuple(k for k in dimension_keys() if k in mine.answers.guesses)
            st.text("\n".join(guess_lines(mine.answers.guesses, active, couple.partner.name)))
    if has_guesses or guessing:
        caring = care_note_shows(couple)
        show_week_guesses(view, couple, caring)
        if guessing and not caring:
            result, weeks_guessed = my_reading(couple)
            show_my_reading(result, couple.partner.name, weeks_guessed)
    if not guessing:
        st.page_link(
            SETTINGS_PAGE,
            label=(
                f"If you'd like, guess {escape_markdown(couple.partner.name)}'s scores before "
                "the reveal: turn it on in Settings"
            ),
            icon=":material/psychology_alt:",
        )
