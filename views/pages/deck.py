"""Deck: the question bank as cards for a date night, one at a time, answered in turn."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import streamlit as st

from closer import analysis, deck, plans, store
from closer.content import GENERAL, PASS_LINE, questions
from closer.deck import Deck, Evening
from closer.markdown import escape_markdown
from closer.plan_items import ItemKind
from closer.reveal import visible_scores
from closer.survey import dimension
from closer.weeks import checkin_week
from views.parts.care import WHERE_TO_TURN
from views.parts.components import who_is_here
from views.parts.notices import showing_store_errors

PLAY = "deck-play"  # this browser session's evening
UNNOTED = "deck-unnoted"  # the evening changed since its cards were last written down
PROBLEM = "deck-problem"  # a card that could not be noted, said once on the next card
OFFER_WORDS = {
    1: "A third of your evening has gone.",
    2: "Two thirds of the way.",
    3: "Nearly done.",
}
DEPTH_WORDS = {"light": "Light", "medium": "A little deeper", "deep": "Deep"}

# One card, large type, in the middle; the buttons big, and on a phone below the card
# where a thumb reaches. The Space twin of Next is a shortcut only, never seen.
DECK_CSS = """<style>
.st-key-deck-card { min-height: 15rem; justify-content: center; padding: 1.5rem 1.25rem;
  box-shadow: 0 2px 12px rgba(26, 18, 16, 0.08); }
.st-key-deck-card h2 { font-size: 2rem; line-height: 1.25; padding: 0.5rem 0; }
.st-key-deck-controls button, .st-key-deck-next button { min-height: 3.25rem; }
.st-key-deck-next button p { font-size: 1.15rem; font-weight: 600; }
.st-key-deck-space { display: none !important; }
@media (max-width: 640px) {
  .st-key-deck-card { min-height: 12rem; padding: 1rem 0.75rem; }
  .st-key-deck-card h2 { font-size: 1.5rem; }
}
</style>"""


@dataclass(frozen=True)
class Play:
    """The evening on screen: its id in the file, its deck, and where the couple is in it."""

    db_path: Path
    evening_id: int
    deck: Deck  # a field named like the module: the types are imported by name
    evening: Evening
    starred_only: bool
    speakers: tuple[int, ...]  # kept for the evening, so a change of "I am" changes no turn


couple = who_is_here()
me, partner, settings = couple.me, couple.partner, couple.settings
speakers = [partner.id, me.id] if partner else [me.id]  # the one not holding the screen starts
names = {me.id: me.name} | ({partner.id: partner.name} if partner else {})
week = checkin_week(datetime.now(), settings.checkin_weekday, settings.checkin_time)


def area_label(key: str) -> str:
    icon = ":material/favorite:" if key == GENERAL else dimension(key).icon
    return f"{icon} {plans.area_name(key)}"


def note(play: Play) -> None:
    """Keep the evening's cards as they stand; a problem is said, and the evening goes on."""
    try:
        with couple.open_db() as db:
            store.save_deck_cards(db, play.evening_id, deck.records(play.evening))
    except store.StoreError as error:
        st.session_state[PROBLEM] = f"{error} The cards go on; this one may not be remembered."


def act(step) -> None:
    """Apply one step of the evening (a button's callback); the cards are noted once drawn."""
    play = st.session_state[PLAY]
    st.session_state[PLAY] = replace(play, evening=step(play.evening))
    st.session_state[UNNOTED] = True


def with_deck(step):
    return lambda evening: step(st.session_state[PLAY].deck, evening)


def at_now(step):
    return lambda evening: step(evening, datetime.now(UTC))


def begin(areas: list[str], minutes: int, starred_only: bool) -> None:
    """Deal a new evening from the bank and show its first card."""
    now = datetime.now(UTC)
    try:
        with couple.open_db() as db:
            seen = store.recently_seen_cards(db, deck.RECENT_EVENINGS)
            starred = store.starred_cards(db)
            evening_id = store.start_deck_evening(db, now, minutes)
    except store.StoreError as error:
        st.session_state[PROBLEM] = f"{error} The evening didn't start."
        return
    dealt = deck.build_deck(
        questions(),
        areas,
        seen=seen,
        seed=int(now.timestamp()),
        living_together=settings.living_together,
        only=set(starred) if starred_only else None,
    )
    evening = deck.start(dealt, now, minutes, starred)
    play = Play(couple.db_path, evening_id, dealt, evening, starred_only, tuple(speakers))
    st.session_state[PLAY] = play
    note(play)


def finish() -> None:
    st.session_state.pop(PLAY, None)


def set_my_opt_in() -> None:
    try:
        with couple.open_db() as db:
            store.set_deck_opt_in(db, me.id, st.session_state["deck-sexual"])
    except store.StoreError as error:
        st.session_state[PROBLEM] = f"{error} Your choice wasn't saved."
        st.session_state["deck-sexual"] = not st.session_state["deck-sexual"]  # as it was


def care_link() -> None:
    """Where to turn, one tap away on every screen of the deck."""
    with st.popover("Where to turn", icon=":material/volunteer_activism:", type="tertiary"):
        st.markdown("\n".join(f"- **{who}:** {what}" for who, what in WHERE_TO_TURN))


def show_problem() -> None:
    problem = st.session_state.pop(PROBLEM, None)
    if problem:
        st.warning(
            escape_markdown(problem),
            icon=":material/database:",
        )


def setup() -> None:
    """Choose the areas and the length; start, or play the starred cards."""
    today = date.today()
    with couple.open_db() as db:
        scores = store.load_scores(db, since=plans.history_window_start(today))
        opt_ins = store.load_deck_opt_ins(db)
        starred = store.starred_cards(db)
    scores = visible_scores(scores, me.id, list(names))
    weak = [w.dimension for w in analysis.weak_areas(scores, settings.active_dimensions, today)]
    sexual_on = deck.both_opted_in(opt_ins, list(names))
    playable = deck.playable_areas(settings.active_dimensions, sexual_on)
    defaults = deck.default_areas(playable, weak)
    starred_deck = deck.build_deck(
        questions(), playable, only=set(starred), living_together=settings.living_together
    )

    st.title("Deck", anchor=False)
    st.caption(
        "One card at a time, read aloud and answered in turn. It starts light and goes "
        "deeper only if you both want to."
    )
    show_problem()
    chosen = st.pills(
        "What to talk about",
        defaults,  # in the order the deck takes them: weak ones first
        selection_mode="multi",
        default=list(defaults),
        format_func=area_label,
        key="deck-areas",
        help="The areas you track, the ones that could use some care first: the deck takes "
        "them in turn, in this order.",
    )
    minutes = st.segmented_control(
        "For how long",
        deck.LENGTHS,
        default=deck.DEFAULT_LENGTH,
        format_func=lambda m: f"{m} minutes",
        key="deck-minutes",
    )
    if "sexual" in settings.active_dimensions and partner:
        st.toggle(
            "Questions about sex, for me",
            value=opt_ins.get(me.id, False),
            key="deck-sexual",
            on_change=set_my_opt_in,
            help="Each of you switches this for yourself, under your own name.",
        )
        st.caption(
            "Questions about sex join the deck once you have both switched them on. "
            + ("You both have." if sexual_on else "")
        )
    areas = [a for a in defaults if a in (chosen or [])]
    st.button(
        "Start the evening",
        icon=":material/play_arrow:",
        type="primary",
        width="stretch",
        key="deck-start",
        disabled=not areas or minutes is None,
        on_click=begin,
        args=(areas, minutes or deck.DEFAULT_LENGTH, False),
    )
    if not areas:
        st.caption("Choose at least one area to start.")
    if len(starred_deck):
        st.button(
            f"Play our starred cards ({len(starred_deck)})",
            icon=":material/star:",
            width="stretch",
            key="deck-starred",
            on_click=begin,
            args=(list(playable), minutes or deck.DEFAULT_LENGTH, True),
        )
    else:
        st.caption(":material/star: Cards you star during an evening can be played again here.")
    care_link()


def closing(play: Play) -> None:
    """The last card: an appreciation, and a question that landed for this week's plan."""
    with st.container(border=True, key="deck-card"):
        st.caption(":material/favorite: To close")
        st.header(
            "Tell each other one thing you appreciated about each other tonight.", anchor=False
        )
        st.caption("Just say it: nothing here is written down.")
    landed = deck.landed(play.evening, play.deck)
    if landed:
        by_id = {q.id: q for q in landed}
        pick = st.selectbox(
            "A question that landed, for this week's plan",
            list(by_id),
            format_func=lambda i: by_id[i].text,
            key="deck-landed",
        )
        if st.button("Add to this week's plan", icon=":material/add:", key="deck-add"):
            question = by_id[pick]
            with showing_store_errors(then="Nothing was added."):
                with couple.open_db() as db:
                    # "us" is no intimacy type: the plan keeps such a question without one.
                    area = None if question.type == GENERAL else question.type
                    added = store.add_plan_item(
                        db, week, ItemKind.QUESTION, question.id, area, me.id
                    )
                st.success(
                    "Added to this week's plan." if added else "It's already in this week's plan.",
                    icon=":material/check_circle:",
                )
    with st.container(horizontal=True, key="deck-controls"):
        st.button(
            "Back",
            icon=":material/arrow_back:",
            key="deck-back",
            shortcut="Left",
            on_click=act,
            args=(deck.back,),
            disabled=not play.evening.played,
            width="stretch",
        )
        st.button(
            "Finish",
            icon=":material/check:",
            type="primary",
            key="deck-finish",
            width="stretch",
            on_click=finish,
        )


@st.fragment
def card_view() -> None:
    """The card on screen and its buttons: a button reruns only this part of the page."""
    play = st.session_state.get(PLAY)
    if play is None:
        st.rerun()  # finished: back to the whole page and its choices
    draw_card(play)
    # Written after the card is drawn: the new card reaches the screen without waiting
    # for the file (a commit is a few ms on a quiet disk, tens on a busy one).
    if st.session_state.pop(UNNOTED, False):
        note(play)


def draw_card(play: Play) -> None:
    """The timer, the card (or the closing card) and the buttons."""
    evening, now = play.evening, datetime.now(UTC)
    st.caption(
        ":material/hourglass_bottom: "
        + deck.time_words(deck.time_left(evening.started_at, evening.minutes, now))
        + (" · your starred cards" if play.starred_only else "")
    )
    show_problem()
    if evening.closing:
        closing(play)
        return
    card = play.deck.find(evening.current) if evening.current else None
    if card is None:  # the evening plays only its own deck's cards, so only if that changed
        closing(play)
        return
    first = names.get(deck.first_speaker(evening.position, play.speakers), "")
    with st.container(border=True, key="deck-card"):
        star = " · :material/star: starred" if evening.current in evening.starred else ""
        st.caption(f"{area_label(card.type)} · {DEPTH_WORDS[card.depth]}{star}")
        st.header(escape_markdown(card.text), anchor=False)
        if first and len(play.speakers) > 1:
            st.markdown(f":material/record_voice_over: **{escape_markdown(first)}** answers first")
        if evening.position == 0:
            st.caption(f":material/pan_tool: {PASS_LINE}")
    offer = deck.deeper_offer(evening, now)
    if offer:
        with st.container(horizontal=True, key="deck-offer", vertical_alignment="center"):
            part = OFFER_WORDS[deck.third(evening.started_at, evening.minutes, now)]
            st.markdown(f"{part} **Go a little deeper?**")
            st.button("Go deeper", key="deck-deeper", on_click=act, args=(at_now(deck.go_deeper),))
            st.button("Stay here", key="deck-stay", on_click=act, args=(at_now(deck.stay),))
    with st.container(horizontal=True, key="deck-controls"):
        st.button(
            "Back",
            icon=":material/arrow_back:",
            key="deck-back",
            shortcut="Left",
            disabled=evening.position == 0,
            width="stretch",
            on_click=act,
            args=(deck.back,),
        )
        st.button(
            "Skip",
            icon=":material/redo:",
            key="deck-skip",
            width="stretch",
            shortcut="Down",
            on_click=act,
            args=(with_deck(deck.skip),),
        )
        st.button(
            "Unstar" if evening.current in evening.starred else "Star",
            icon=":material/star:",
            key="deck-star",
            width="stretch",
            shortcut="S",
            on_click=act,
            args=(deck.toggle_star,),
        )
    st.button(
        "Next",
        icon=":material/arrow_forward:",
        type="primary",
        width="stretch",
        key="deck-next",
        shortcut="Right",
        on_click=act,
        args=(with_deck(deck.next_card),),
    )
    with st.container(key="deck-space"):
        st.button(
            "Next",
            key="deck-next-space",
            shortcut="Space",
            on_click=act,
            args=(with_deck(deck.next_card),),
        )
    with st.container(horizontal=True, key="deck-more"):
        st.button(
            "Lighter, please",
            icon=":material/spa:",
            type="tertiary",
            key="deck-lighter",
            shortcut="L",
            disabled=evening.depth == "light",
            on_click=act,
            args=(lambda e: deck.lighter_please(play.deck, e, datetime.now(UTC)),),
        )
        st.button(
            "Close the evening",
            icon=":material/bedtime:",
            type="tertiary",
            key="deck-close",
            on_click=act,
            args=(deck.close,),
        )


st.html(DECK_CSS)
current = st.session_state.get(PLAY)
if current is not None and current.db_path != couple.db_path:
    finish()  # the sample data and the couple's own file never share an evening
    current = None
if current is None:
    setup()
else:
    card_view()
    care_link()
