"""The care note, and where to turn: a calm pointer to outside help, never an alarm."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from closer import csi4, plans, store
from views.parts.components import Couple

WHERE_TO_TURN_PAGE = "views/pages/where_to_turn.py"

# Where to turn, by situation: who is willing, health, safety. No phone numbers: they would
# be wrong for most readers' countries.
FINDING_HELP = "finding-help"
WHERE_TO_TURN = (
    (
        "If you'd both like help",
        "a couples therapist or a relationship coach can work with the two of you together.",
    ),
    (
        "If only one of you is ready",
        "individual counselling is worth it on its own, for you and often for the "
        "relationship too. The other can join later, or not at all.",
    ),
    (
        "If your health may be part of it",
        "changes in sleep, energy, mood, pain or desire are worth raising with a doctor.",
    ),
    (
        "If you don't feel safe at home",
        "please contact your local emergency services, or a domestic-abuse helpline in "
        "your country; they listen in confidence. Start there rather than with couples "
        "sessions.",
    ),
)


def care_note_for(couple: Couple, seen_scores: pd.DataFrame) -> csi4.CareNote | None:
    """The care note this partner should see now, if any (the one rule every page uses).

    ``seen_scores``: the scores this partner may see (``visible_scores``), loaded by the
    page from ``csi_window_start`` or earlier; loading them again cost ~8 ms a page switch.
    """
    today = date.today()
    since = plans.csi_window_start(today)
    with couple.open_db() as db:
        records = store.load_csi(db, since=since)
    # The same rows a load from the window's start would give.
    scores = seen_scores[seen_scores["week"] >= pd.Timestamp(since)]
    means = plans.weekly_couple_means(scores, since=plans.care_window_start(today))
    return csi4.care_note(
        couple.me.id, plans.csi_results(records), means, plans.checkin_weeks(scores, couple.me.id)
    )


def show_care_note(couple: Couple, seen_scores: pd.DataFrame) -> bool:
    """Show the care note this partner should see, if any; say whether there was one."""
    note = care_note_for(couple, seen_scores)
    if note is None:
        return False
    with st.container(key="care-note"):
        if note.full:
            st.info(note.text, icon=":material/volunteer_activism:")
        else:
            st.caption(note.text)
        st.page_link(WHERE_TO_TURN_PAGE, label="Where to turn", icon=":material/support:")
    return True


def show_where_to_turn() -> None:
    """Every kind of help Closer points to, and how to find the right person."""
    with st.container(key="care-where-to-turn"):
        st.markdown("\n".join(f"- **{who}:** {what}" for who, what in WHERE_TO_TURN))
    guide = plans.find_exercise(FINDING_HELP)
    if guide is not None:
        with st.expander(guide.title, icon=":material/explore:"):
            st.markdown("\n".join(f"{n}. {step}" for n, step in enumerate(guide.steps, start=1)))
            st.caption("You'll also find it among the exercises, to add to a week's plan.")
