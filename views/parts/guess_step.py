"""The check-in's guess step: before the reveal, guess the partner's score per type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import streamlit as st
from sqlite_utils import Database

from closer import store
from closer.checkin import Checkin
from closer.markdown import escape_markdown
from closer.survey import SCORE_MAX, SCORE_MIN, dimension

NOT_SURE = "Not sure"
CHOICES: list[int | str] = [*range(SCORE_MIN, SCORE_MAX + 1), NOT_SURE]
# The scores' two rows of five targets, and "Not sure" as a full row of its own below them.
GUESS_CSS = """<style>
[class*="st-key-guess-"], [class*="st-key-guess-"] [data-testid="stButtonGroup"] {
  width: 100% !important;
}
[class*="st-key-guess-"] [role="radiogroup"] {
  display: grid; grid-template-columns: repeat(5, 1fr); gap: 0.4rem;
  width: 100%; max-width: 24rem;
}
[class*="st-key-guess-"] [role="radiogroup"] button { min-height: 2.75rem; width: 100%; }
[class*="st-key-guess-"] [role="radiogroup"] button:last-child { grid-column: 1 / -1; }
[class*="st-key-guess-"] [role="radiogroup"] button:focus-visible {
  outline: 3px dashed #1d3557 !important; outline-offset: 3px; box-shadow: none !important;
}
[class*="st-key-guess-"] [data-testid="stBaseButton-pillsActive"] { font-weight: 700; }
</style>"""


@dataclass(frozen=True)
class Guessing:
    """Whether this check-in has a guess step, and the guesses frozen once the week is revealed."""

    step: bool = False  # opted in, with a partner, and the week not yet revealed to them
    frozen: dict[str, int | None] = field(default_factory=dict)  # kept as saved, never asked


def guessing_for(
    db: Database,
    me_id: int,
    partner_id: int | None,
    week: date,
    saved: Checkin | None,
    opted_in: bool,
) -> Guessing:
    """The guess step's state for one check-in: asked before the reveal, frozen after it."""
    if partner_id is None:
        return Guessing()
    if saved is None:
        return Guessing(step=opted_in)
    if store.load_checkin(db, partner_id, week) is not None:
        # Both have checked in: the answers are in view, so a guess now would not be one.
        return Guessing(step=False, frozen=dict(saved.answers.guesses))
    return Guessing(step=opted_in, frozen=dict(saved.answers.guesses))


def guess_key(prefix: str, key: str) -> str:
    """The widget key of one type's guess."""
    return f"guess-{prefix}-{key}"


def start_guesses(prefix: str, active: tuple[str, ...], start: dict[str, int | None]) -> None:
    """Give each guess its starting value once (a draft's or the saved one), then keep it."""
    for key in active:
        value: int | str | None = None
        if key in start:
            value = NOT_SURE if start[key] is None else start[key]
        st.session_state[guess_key(prefix, key)] = st.session_state.get(
            guess_key(prefix, key), value
        )


def guesses_given(
    prefix: str, active: tuple[str, ...], guessing: Guessing
) -> dict[str, int | None]:
    """The guesses to save: as chosen on the step, or the frozen ones once revealed."""
    if not guessing.step:
        return dict(guessing.frozen)
    given: dict[str, int | None] = {}
    for key in active:
        value = st.session_state.get(guess_key(prefix, key))
        if value == NOT_SURE:
            given[key] = None
        elif value is not None:
            given[key] = value
    return given


def guess_section(
    prefix: str,
    active: tuple[str, ...],
    partner_name: str,
    on_change: Callable[..., None],
    args: tuple,
) -> None:
    """One row of guesses per type, in the scores' style, with "Not sure"."""
    name = escape_markdown(partner_name)
    st.caption(
        f"How close do you think {name} felt this week? Your guesses stay yours until you "
        f"have both checked in; then each sits beside {name}'s answer. Leave any you'd rather "
        "not guess."
    )
    st.html(GUESS_CSS)
    for key in active:
        d = dimension(key)
        with st.container(border=True):
            # Widget labels are Markdown: the typed name is escaped, like every other label's.
            st.pills(
                f"{d.name} · your guess for {name}",
                CHOICES,
                key=guess_key(prefix, key),
                help=d.description,
                on_change=on_change,
                args=args,
            )


def guess_lines(
    guesses: dict[str, int | None], active: tuple[str, ...], partner_name: str
) -> list[str]:
    """The guesses in words for the review step, one line per type."""
    lines = []
    for key in active:
        if key not in guesses:
            said = "no guess"
        elif guesses[key] is None:
            said = "not sure"
        else:
            said = f"you guess {guesses[key]}"
        lines.append(f"{dimension(key).name} ({partner_name}): {said}")
    return lines


def review_guesses(
    guesses: dict[str, int | None], active: tuple[str, ...], partner_name: str
) -> None:
    """The review step's box listing the guesses (the caller adds its edit link)."""
    st.markdown("**Your guesses**")
    st.caption(f"Only you can see these until {escape_markdown(partner_name)} has checked in too.")
    st.text("\n".join(guess_lines(guesses, active, partner_name)))
