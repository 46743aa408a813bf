"""Pieces the pages share: who is here, and showing what people wrote exactly as typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from closer import store
from closer.checkin import Answers, Checkin
from closer.demo import demo_database_path
from closer.markdown import escape_markdown
from closer.passcode import verify_passcode, wait_before_next_try
from closer.reveal import WeekStatus, WeekView, compare_scores
from closer.settings import Settings
from closer.survey import dimension, dimension_keys, reflection_prompts


@dataclass(frozen=True)
class Couple:
    """Who is at the screen, their partner (if any), and the couple's settings."""

    db_path: Path
    me: store.Partner
    partner: store.Partner | None
    settings: Settings


def current_db_path() -> Path:
    """The database this browser session uses: the couple's own, or the sample data."""
    return demo_database_path() if st.session_state.get("demo") else store.database_path()


def who_is_here() -> Couple:
    """The couple as seen by whoever chose their name in the sidebar; stops the page if nobody."""
    db_path = current_db_path()
    with store.open_db(db_path) as db:
        partners = store.list_partners(db)
        settings = store.load_settings(db)
    me = next((p for p in partners if p.id == st.session_state.get("partner_id")), None)
    if me is None:
        # The first screen on a phone: big name buttons, not the sidebar's "I am".
        st.title("Who's here?")
        st.caption("Tap your name, so Closer shows your own view and your private notes.")
        for p in partners:
            # A callback runs before the sidebar's "I am" widget exists, so it may set its value.
            st.button(
                f"I'm {safe(p.name)}",
                key=f"choose-{p.id}",
                on_click=_choose,
                args=(p.id,),
                type="primary",
                icon=":material/person:",
                width="stretch",
            )
        st.caption("Handing over later? Switch under *I am* in the menu.")
        st.stop()
    partner = next((p for p in partners if p.id != me.id), None)
    return Couple(db_path, me, partner, settings)


def _choose(partner_id: int) -> None:
    st.session_state["partner_id"] = partner_id


def safe(text: str) -> str:
    """User text escaped for places that render Markdown (labels, headings, captions)."""
    return escape_markdown(text)


def show_text(text: str) -> None:
    """Show what someone wrote exactly as typed: no Markdown, no HTML, no links, no images."""
    st.text(text)


def show_reflections(checkin: Checkin, *, author_is_viewer: bool) -> None:
    """The reflections of one check-in, private ones marked (only ever passed to their author)."""
    answered = [p for p in reflection_prompts() if p.key in checkin.answers.reflections]
    if not answered:
        st.caption("No reflections this week.")
    for prompt in answered:
        reflection = checkin.answers.reflections[prompt.key]
        note = "" if reflection.shared else "  ·  :material/lock: only you can see this"
        st.markdown(f"**{prompt.label}**{note if author_is_viewer else ''}")
        show_text(reflection.text)


def score_label(key: str) -> str:
    """An intimacy type's icon and name."""
    d = dimension(key)
    return f"{d.icon} {d.name}"


def show_week(view: WeekView, couple: Couple) -> None:
    """One week as the viewer may see it: their own answers, and their partner's once revealed."""
    partner = couple.partner
    if view.status is WeekStatus.NOBODY_YET:
        st.info("Nobody has checked in for this week yet.", icon=":material/schedule:")
        return
    if view.status is WeekStatus.WAITING_FOR_ME:
        st.info(
            f"{safe(partner.name)} has checked in. Check in yourself and you'll see each "
            "other's answers.",
            icon=":material/mark_email_unread:",
        )
        return
    if view.status is WeekStatus.WAITING_FOR_PARTNER:
        st.info(
            f"Waiting for {safe(partner.name)}. Your answers stay hidden from them until they "
            "have checked in too, and theirs stay hidden from you.",
            icon=":material/hourglass_top:",
        )
    if view.status is WeekStatus.REVEALED:
        _show_both(view, couple)
        return
    _show_scores_table(view.mine.answers, None, couple)
    st.subheader("Your reflections", anchor=False)
    show_reflections(view.mine, author_is_viewer=True)


def _show_scores_table(mine: Answers, theirs: Answers | None, couple: Couple) -> None:
    keys = [k for k in dimension_keys() if k in mine.scores or (theirs and k in theirs.scores)]
    rows = compare_scores(mine, theirs or Answers(), keys)
    data = {
        "Intimacy type": [dimension(r.dimension).name for r in rows],
        "You": [_score_text(r.dimension, mine) for r in rows],
    }
    if theirs is not None:
        data[couple.partner.name] = [_score_text(r.dimension, theirs) for r in rows]
        data["Difference"] = [_difference_text(r.difference) for r in rows]
    st.dataframe(pd.DataFrame(data), hide_index=True, width="stretch")
    if mine.wants_more or (theirs and theirs.wants_more):
        st.caption("“more” means “I'd like more of this”.")


def _score_text(key: str, answers: Answers) -> str:
    # Absent is "not answered" (left alone), None is "skipped" (chosen): say which.
    if key not in answers.scores:
        text = "not answered"
    else:
        text = "skipped" if answers.scores[key] is None else str(answers.scores[key])
    return f"{text} · more" if key in answers.wants_more else text


def _difference_text(difference: int | None) -> str:
    if difference is None:
        return "–"
    return "same" if difference == 0 else f"{abs(difference)} apart"


def _show_both(view: WeekView, couple: Couple) -> None:
    st.subheader("Scores", anchor=False)
    _show_scores_table(view.mine.answers, view.theirs.answers, couple)
    st.subheader("Reflections", anchor=False)
    shown = False
    for prompt in reflection_prompts():
        mine = view.mine.answers.reflections.get(prompt.key)
        theirs = view.theirs.answers.reflections.get(prompt.key)
        if not mine and not theirs:
            continue
        shown = True
        st.markdown(f"**{prompt.label}**")
        left, right = st.columns(2)
        with left:
            lock = "" if mine is None or mine.shared else " · :material/lock: only you can see this"
            st.caption(f"You{lock}")
            show_text(mine.text) if mine else st.caption("—")
        with right:
            st.caption(safe(couple.partner.name))
            show_text(theirs.text) if theirs else st.caption("—")
    if not shown:
        st.caption("No shared reflections this week.")


def unlock_form(partner_id: int) -> None:
    """Ask for a partner's passcode; on success remember the unlock for this browser session."""
    db_path = current_db_path()
    with store.open_db(db_path) as db:
        name = next(p.name for p in store.list_partners(db) if p.id == partner_id)
        state = store.load_unlock_state(db, partner_id)

    st.title("Welcome back")
    st.markdown(
        f"{safe(name)}'s view is protected with a passcode. Not {safe(name)}? Choose your name in "
        "the sidebar."
    )
    now = datetime.now(UTC)
    last = datetime.fromisoformat(state.last_failed_unlock) if state.last_failed_unlock else None
    wait = wait_before_next_try(state.failed_unlocks, last, now)

    with st.form("unlock", enter_to_submit=True):
        passcode = st.text_input("Passcode", type="password", key=f"passcode-{partner_id}")
        message = st.empty()
        submitted = st.form_submit_button("Unlock", type="primary")

    if wait and not submitted:
        message.warning(
            f"Several wrong tries in a row: the next try opens in {int(wait.total_seconds()) + 1} "
            "seconds. Forgotten it? See “Forgotten passcode” in the README.",
            icon=":material/timer:",
        )
    if submitted:
        if wait:
            message.warning(
                f"Please wait {int(wait.total_seconds()) + 1} more seconds before trying again.",
                icon=":material/timer:",
            )
        else:
            ok = verify_passcode(passcode, state.passcode_hash or "")
            with store.open_db(db_path) as db:
                failed = store.record_unlock(db, partner_id, success=ok)
            if ok:
                st.session_state["unlocked_id"] = partner_id
                st.rerun()

            message.error(
                "That passcode isn't right."
                + (
                    " After five wrong tries, each new try waits a little longer."
                    if failed >= 3
                    else ""
                ),
                icon=":material/lock:",
            )
