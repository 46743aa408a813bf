"""Pieces the pages share: who is here, and showing what people wrote exactly as typed."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from closer import store
from closer.checkin import Answers, Checkin
from closer.colours import partner_colour
from closer.demo import demo_database_path
from closer.markdown import escape_markdown
from closer.plans import reply_problem
from closer.reveal import (
    WeekStatus,
    WeekView,
    agreement_words,
    agreements,
    change_words,
    compare_scores,
    difference_words,
    differences,
    fold,
    followup_words,
    mark_words,
    score_change,
    wish_words,
)
from closer.settings import Settings
from closer.survey import dimension, dimension_keys, reflection_prompts
from views.parts.notices import showing_store_errors


@dataclass(frozen=True)
class Couple:
    """Who is at the screen, their partner (if any), and the couple's settings."""

    db_path: Path
    me: store.Partner
    partner: store.Partner | None
    settings: Settings

    @property
    def partner_name(self) -> str:
        """The partner's name as typed, or "" while there is no partner yet."""
        return self.partner.name if self.partner else ""

    def open_db(self) -> AbstractContextManager[store.CloserDatabase]:
        """A connection to the couple's file that can open the viewer's own sealed notes."""
        return store.open_db(self.db_path, session_keyring(self.db_path))


def session_keyring(db_path: Path) -> dict[int, bytes]:
    """The data keys this browser session holds for a file: only ever its unlocked person's."""
    unlocked = st.session_state.get(UNLOCKED, {})
    return {
        partner_id: held["key"]
        for (path, partner_id), held in unlocked.items()
        if path == str(db_path) and held.get("key")
    }


UNLOCKED = "unlocked"


def current_db_path() -> Path:
    """The database this browser session uses: the couple's own, or the sample data."""
    return demo_database_path() if st.session_state.get("demo") else store.database_path()


@dataclass(frozen=True)
class Household:
    """What the frame reads from the file on every rerun, in one connection, for the page too."""

    db_path: Path
    partners: list[store.Partner]
    settings: Settings
    unusable_settings: list[str]  # a note on each stored setting Closer can't use
    locked: bool  # the person chosen has a passcode this browser session hasn't been given


HOUSEHOLD = "household"


def read_household(db_path: Path) -> Household:
    """Partners, settings and whether the person chosen must unlock, read in one connection.

    Settles who is chosen first (the only partner, or nobody when the id is not in this file)
    and forgets any other person's unlock: handing over asks again.
    """
    with store.open_db(db_path) as db:
        partners = store.list_partners(db)
        settings, unusable = store.load_settings_checked(db)
        # With nobody set up yet the welcome page runs, and "I am" is left alone.
        if len(partners) == 1:
            st.session_state["partner_id"] = partners[0].id
        elif partners and st.session_state.get("partner_id") not in [p.id for p in partners]:
            st.session_state["partner_id"] = None
        me = st.session_state.get("partner_id") if partners else None
        forget_other_unlocks(db_path, me)
        locked = False
        if me is not None and not is_unlocked(db_path, me):
            locked = store.load_unlock_state(db, me).passcode_hash is not None
            if not locked:
                remember_unlock(db_path, me)
    household = Household(db_path, partners, settings, unusable, locked)
    # Kept for this rerun's page (who_is_here), which runs after the frame in the same thread.
    st.session_state[HOUSEHOLD] = household
    return household


def who_is_here() -> Couple:
    """The couple as seen by whoever chose their name in the sidebar; stops the page if nobody."""
    db_path = current_db_path()
    household = st.session_state.get(HOUSEHOLD)
    if household is None or household.db_path != db_path:
        household = read_household(db_path)  # only a page run without app.py's frame
    partners, settings = household.partners, household.settings
    me = next((p for p in partners if p.id == st.session_state.get("partner_id")), None)
    if me is None:
        # The first screen on a phone: big name buttons, not the sidebar's "I am".
        st.title("Who's here?")
        st.caption("Tap your name, so Closer shows your own view and your private notes.")
        for p in partners:
            # A callback runs before the sidebar's "I am" widget exists, so it may set its value.
            st.button(
                f"I'm {escape_markdown(p.name)}",
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


@dataclass(frozen=True)
class NoteTalk:
    """Replies and "let's talk about this" marks on one week's notes, and where to save them."""

    replies: list[store.NoteReply]
    marks: list[store.TalkMark]
    interactive: bool = True


def partner_colours_css(couple: Couple) -> str:
    """Each partner's colour on their score lines and notes (static: ids and colours only)."""
    ids = [couple.me.id] + ([couple.partner.id] if couple.partner else [])
    rules = []
    # In each type's card the viewer's line comes second (after the type's name), then the
    # partner's: by place, so a line needs no container of its own (each costs the browser
    # about a millisecond to draw; benchmarks.browser_pages).
    for place, pid in enumerate(ids, start=2):
        colour = partner_colour(ids, pid)
        line = (
            f"[class*='st-key-type-card-'] > [data-testid='stElementContainer']:nth-child({place})"
        )
        rules.append(
            f"{line} [data-testid='stProgressBarTrack'] > div"
            f" {{ background-color: {colour} !important; }}"
            f"{line} [data-testid='stProgress'] p::before"
            f" {{ content: '●'; color: {colour}; margin-right: 0.35rem; }}"
            f"[class*='st-key-note-'][class*='-by-{pid}-n'] {{ border-left: 0.35rem solid {colour}"
            " !important; }"
        )
    return "<style>" + "".join(rules) + "</style>"


def show_week(
    view: WeekView,
    couple: Couple,
    talk: NoteTalk | None = None,
    before: WeekView | None = None,
) -> None:
    """One week as the viewer may see it: their own answers, and their partner's once revealed.

    ``before``, the week before as the viewer may see it, gives each score's change.
    """
    st.html(partner_colours_css(couple))
    if view.status is WeekStatus.WAITING_FOR_ME:
        st.info(
            f"{escape_markdown(couple.partner_name)} has checked in. Check in yourself and "
            "you'll see each other's answers.",
            icon=":material/mark_email_unread:",
        )
        return
    if view.mine is None:
        # Nobody yet, or alone (no partner yet) and not checked in: nothing of the week to show.
        st.info("Nobody has checked in for this week yet.", icon=":material/schedule:")
        return
    if view.status is WeekStatus.WAITING_FOR_PARTNER:
        st.info(
            f"Waiting for {escape_markdown(couple.partner_name)}. Your answers stay hidden from "
            "them until they have checked in too, and theirs stay hidden from you.",
            icon=":material/hourglass_top:",
        )
    if view.theirs is not None:  # revealed: the partner's answers are there to see
        _show_both(view, couple, talk or NoteTalk([], [], interactive=False), before)
        return
    _show_cards(view.mine.answers, None, couple, before)
    _show_wishes(view.mine.answers, None, couple)
    _heading("Your reflections")
    show_reflections(view.mine, author_is_viewer=True)


def _heading(text: str) -> None:
    # Headings one level below the page title, so the outline reads in order.
    st.header(text, anchor=False)


def _show_lead(mine: Answers, theirs: Answers, couple: Couple) -> None:
    """First what you agree on, then where you differ, in plain sentences, before numbers."""
    keys = [k for k in dimension_keys() if k in mine.scores or k in theirs.scores]
    rows = compare_scores(mine, theirs, keys)
    agreed, apart = agreements(rows), differences(rows)
    name = couple.partner_name
    if agreed:
        st.success(
            "  \n".join(agreement_words(r, dimension(r.dimension).name) + "." for r in agreed),
            icon=":material/favorite:",
        )
    if apart:
        # Names are typed text: escaped before they reach Markdown.
        st.info(
            "  \n".join(
                difference_words(r, dimension(r.dimension).name, escape_markdown(name)) + "."
                for r in apart
            )
            + "  \nWorth asking each other how it was.",
            icon=":material/compare_arrows:",
        )
    if not agreed and not apart:
        st.caption("No type stood out this week, together or apart: the cards below show each.")


def _show_cards(
    mine: Answers, theirs: Answers | None, couple: Couple, before: WeekView | None = None
) -> None:
    """One card per type: both scores on the same 1–10 line, each in its partner's colour."""
    keys = [k for k in dimension_keys() if k in mine.scores or (theirs and k in theirs.scores)]
    rows = compare_scores(mine, theirs or Answers(), keys)
    mine_before = before.mine.answers if before and before.mine else None
    theirs_before = before.theirs.answers if before and before.theirs else None
    _heading("Each kind of closeness")
    for row in rows:
        d = dimension(row.dimension)
        with st.container(border=True, key=f"type-card-{row.dimension}"):
            st.markdown(f"**{d.icon} {d.name}**")
            _score_bar("You", mine, row.dimension, mine_before)
            if theirs is not None and couple.partner is not None:
                _score_bar(
                    escape_markdown(couple.partner.name),
                    theirs,
                    row.dimension,
                    theirs_before,
                )


def _score_bar(who: str, answers: Answers, key: str, before: Answers | None) -> None:
    # A progress bar is a 1–10 line that screen readers announce with its value. Absent is
    # "not answered" (left alone), None is "skipped" (chosen): say which. One element either
    # way, so the card's second and third lines stay the viewer's and the partner's.
    score = answers.scores.get(key)
    if key not in answers.scores:
        st.caption(f"{who}: not answered")
    elif score is None:
        st.caption(f"{who}: skipped this week")
    else:
        moved = change_words(score_change(answers, before, key))
        st.progress(score / 10, text=f"{who}: {score} of 10" + (f" · {moved}" if moved else ""))


def _show_wishes(mine: Answers, theirs: Answers | None, couple: Couple) -> None:
    names = {k: dimension(k).name for k in dimension_keys()}
    lines = wish_words(mine, theirs, couple.partner_name, names)
    _heading("Who would like more")
    if not lines:
        st.caption("Neither of you asked for more of anything this week.")
    # Lines can start with a partner's name: escaped like any other typed text.
    for line in lines:
        st.markdown(f"- {escape_markdown(line)}")


def _show_both(
    view: WeekView, couple: Couple, talk: NoteTalk, before: WeekView | None = None
) -> None:
    # A revealed week holds both partners' check-ins.
    assert view.mine is not None and view.theirs is not None and couple.partner is not None
    _show_lead(view.mine.answers, view.theirs.answers, couple)
    _show_cards(view.mine.answers, view.theirs.answers, couple, before)
    _show_wishes(view.mine.answers, view.theirs.answers, couple)
    _heading("What you wrote")
    problem = st.session_state.pop("note-error", None)
    if problem:
        # A mark that could not be saved (set in its callback): said here, where it was made.
        st.error(f"{escape_markdown(problem)} The mark wasn't saved.", icon=":material/error:")
    shown = False
    people = [(couple.me, view.mine), (couple.partner, view.theirs)]
    for prompt in reflection_prompts():
        notes = [
            (p, reflection)
            for p, c in people
            if (reflection := c.answers.reflections.get(prompt.key)) is not None
        ]
        if not notes:
            continue
        shown = True
        st.markdown(f"**{prompt.label}**")
        for person, reflection in notes:
            key = f"note-{view.week}-{prompt.key}-by-{person.id}-n"
            with st.container(border=True, key=key):
                mine = person.id == couple.me.id
                lock = "" if reflection.shared else " · :material/lock: only you can see this"
                st.caption(("You" if mine else escape_markdown(person.name)) + lock)
                _show_folded(reflection.text, key)
                if reflection.shared:
                    _note_talk(view.week, person, prompt.key, couple, talk)
    if not shown:
        st.caption("No shared reflections this week.")


def _note_talk(
    week: date, author: store.Partner, prompt: str, couple: Couple, talk: NoteTalk
) -> None:
    """Replies under a shared note, the partner's reply box, and the mark for Our talk."""
    assert couple.partner is not None  # a note is talked over only once both have checked in
    names = {couple.me.id: "You", couple.partner.id: escape_markdown(couple.partner.name)}
    for reply in talk.replies:
        if (reply.note_author_id, reply.prompt) == (author.id, prompt):
            # A sent message under the note, by its writer, not a box still waiting to go.
            with st.chat_message(
                "user" if reply.author_id == couple.me.id else "assistant",
                avatar=":material/reply:",
            ):
                st.caption(f"{names.get(reply.author_id, '')} replied")
                show_text(reply.body)
    markers = [
        m.marked_by for m in talk.marks if (m.note_author_id, m.prompt) == (author.id, prompt)
    ]
    marked = bool(markers)
    # Said in words, so the note's author sees who would like to talk, not a ticked box.
    for line in mark_words(markers, couple.me.id, escape_markdown(couple.partner.name)):
        st.caption(f":material/forum: {line}, on the list for Our talk.")
    if not talk.interactive:
        return
    key = f"{week.isoformat()}-{author.id}-{prompt}"
    # The box always starts from what is saved, so a mark made in the other partner's session
    # shows here, and only a click here (the callback) ever writes.
    st.session_state[f"mark-{key}"] = marked
    st.checkbox(
        "Let's talk about this",
        key=f"mark-{key}",
        help="Puts this note on Our talk's list for the two of you.",
        on_change=_toggle_mark,
        args=(week, author.id, prompt, couple, f"mark-{key}"),
    )
    if author.id == couple.me.id:
        return
    # No max_chars and no clear_on_submit: a long paste is kept and flagged, not dropped by
    # the browser, and a reply that could not be saved stays in its box.
    with st.form(f"reply-{key}", border=False):
        text = st.text_area(
            f"Reply to {escape_markdown(author.name)}", height=68, key=f"reply-text-{key}"
        )
        problem_at = st.empty()
        if st.form_submit_button("Reply", icon=":material/reply:"):
            problem = reply_problem(text)
            if problem:
                problem_at.error(problem, icon=":material/error:")
            else:
                _save(
                    store.save_note_reply,
                    week,
                    author.id,
                    prompt,
                    couple.me.id,
                    text,
                    couple=couple,
                    clear=f"reply-text-{key}",
                )


def show_plan_outcomes(
    view: WeekView, couple: Couple, plan: list[store.PlanItem], followups: list[store.Followup]
) -> None:
    """How last week's plan went for each of you; the partner's answer only once revealed."""
    if not plan or view.mine is None:
        return
    from views.parts.plan_item import show_plan_item  # plan_item imports this module

    ids = [couple.me.id]
    if view.status is WeekStatus.REVEALED and couple.partner:
        ids.append(couple.partner.id)
    answers = {(f.plan_item_id, f.partner_id): f for f in followups if f.partner_id in ids}
    _heading("How last week's plan went")
    for item in plan:
        with st.container(border=True, key=f"outcome-{item.id}"):
            show_plan_item(item)
            lines = []
            for pid in ids:
                answer = answers.get((item.id, pid))
                who = "You" if pid == couple.me.id else couple.partner_name
                said = followup_words(
                    answer.done if answer else None, answer.rating if answer else None
                )
                lines.append(f"{who}: {said}")
            show_text("\n".join(lines))


def _show_folded(text: str, key: str) -> None:
    """A note exactly as typed; a long one shows its opening, the rest one tap away."""
    opening, folded = fold(text)
    if not folded:
        show_text(text)
        return
    show_text(opening)
    with st.expander("Read all of it", key=f"fold-{key}"):
        show_text(text)


def _toggle_mark(week: date, author_id: int, prompt: str, couple: Couple, key: str) -> None:
    try:
        with couple.open_db() as db:
            store.set_talk_mark(db, week, author_id, prompt, couple.me.id, st.session_state[key])
    except store.StoreError as error:
        st.session_state["note-error"] = str(error)


def _save(write, *args, couple: Couple, clear: str | None = None) -> None:
    with showing_store_errors(then="Nothing was saved."):
        with couple.open_db() as db:
            write(db, *args)
        if clear:
            st.session_state.pop(clear, None)  # saved: the box starts empty again
        st.rerun()


# st.session_state["unlocked"]: the unlocks this browser session holds, keyed by
# (str(database path), partner id), so an unlock in the sample data means nothing in the
# couple's own file. Each value is a dict of what the unlock carries: {"key": data key} once
# the partner has a passcode key, and {"recovery_code": ...} from a passcode just set until
# its owner says it is written down. Server memory, this tab only: never in st.cache_*, which
# every session shares. Choosing another name drops all of it (forget_other_unlocks).


def is_unlocked(db_path: Path, partner_id: int) -> bool:
    """Whether this browser session has unlocked this partner of this database file."""
    return (str(db_path), partner_id) in st.session_state.get(UNLOCKED, {})


def remember_unlock(db_path: Path, partner_id: int, key: bytes | None = None) -> None:
    """Remember for this browser session that this partner of this file is unlocked."""
    unlocked = st.session_state.setdefault(UNLOCKED, {})
    held = unlocked.setdefault((str(db_path), partner_id), {})
    if key is not None:
        held["key"] = key


def held_by_unlock(db_path: Path, partner_id: int) -> dict:
    """What this session holds for this partner's unlock (empty when they are not unlocked)."""
    return st.session_state.get(UNLOCKED, {}).get((str(db_path), partner_id), {})


def forget_key(db_path: Path, partner_id: int) -> None:
    """Drop a partner's data key from this session (their passcode was removed)."""
    held = st.session_state.get(UNLOCKED, {}).get((str(db_path), partner_id))
    if held:
        held.pop("key", None)


def forget_other_unlocks(db_path: Path, partner_id: int | None) -> None:
    """Drop every unlock but this partner's in this file: handing over asks again."""
    keep = (str(db_path), partner_id)
    unlocked = st.session_state.get(UNLOCKED, {})
    for key in [k for k in unlocked if k != keep]:
        del unlocked[key]
