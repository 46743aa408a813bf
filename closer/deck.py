"""Date night: the question bank played as a deck, one card at a time, getting deeper.

Pure functions and one immutable state (``Evening``); the page gathers, calls, and draws.

The rules, each one a constant or a function below:

- A deck holds the areas the couple chose, among those it may hold (``playable_areas``):
  tracked intimacy types, "us", and the sexual type only while it is tracked and both
  partners have switched its questions on for themselves.
- Each depth has its own pile. Areas take turns in the order chosen (weak ones first), so
  consecutive cards come from different areas; within an area the order is shuffled by the
  evening's seed; cards seen in the last ``RECENT_EVENINGS`` evenings come after all others.
- The evening starts light. After a third of its length the deck offers to go a depth
  deeper, after two thirds deeper again; "lighter, please" drops a depth at once, passing
  on the card shown, and the offer waits for the next third.
- Who answers first alternates by card: the partner who is not holding the screen starts.
- A starred deck is the same, holding only the starred cards (still only playable ones).
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from closer import content
from closer.content import DEPTHS, GENERAL, Question

LENGTHS: tuple[int, ...] = (15, 30, 45)  # minutes; Aron et al. used three sets of 15
DEFAULT_LENGTH = 30
RECENT_EVENINGS = 3  # cards seen in this many latest evenings come last
SEXUAL = "sexual"

# Where to draw when a depth's pile is used up: lighter before deeper, nearest first.
FALLBACK: dict[str, tuple[str, ...]] = {
    "light": ("medium", "deep"),
    "medium": ("light", "deep"),
    "deep": ("medium", "light"),
}


def both_opted_in(opt_ins: dict[int, bool], partner_ids: Sequence[int]) -> bool:
    """Whether both partners have switched on the sexual questions (never with one partner)."""
    return len(partner_ids) == 2 and all(opt_ins.get(p) is True for p in partner_ids)


def playable_areas(tracked: Sequence[str], sexual_on: bool) -> tuple[str, ...]:
    """The areas a deck may hold: the tracked types (sexual only if both have it on), then "us"."""
    return (*(a for a in tracked if a != SEXUAL or sexual_on), GENERAL)


def default_areas(playable: Sequence[str], weak: Sequence[str]) -> tuple[str, ...]:
    """The areas an evening starts with: every playable one, weak ones first in their order."""
    first = [a for a in weak if a in playable]
    return (*first, *(a for a in playable if a not in first))


@dataclass(frozen=True)
class Deck:
    """The cards of an evening: one pile per depth, each in playing order."""

    piles: dict[str, tuple[Question, ...]]

    def find(self, question_id: str) -> Question | None:
        """The card with this id, if the deck holds it."""
        return next((q for pile in self.piles.values() for q in pile if q.id == question_id), None)

    def __len__(self) -> int:
        return sum(len(pile) for pile in self.piles.values())


def build_deck(
    bank: Iterable[Question],
    areas: Sequence[str],
    *,
    seen: Collection[str] = (),
    seed: int = 0,
    living_together: bool | None = None,
    only: Collection[str] | None = None,
) -> Deck:
    """The deck for these areas: areas in turn, shuffled within, seen cards last.

    ``only``: the ids a starred deck is limited to; ``areas`` still decides what may be in it.
    """
    wanted = [
        q
        for q in bank
        if q.type in areas and content.fits(q, living_together) and (only is None or q.id in only)
    ]
    piles = {}
    for depth in DEPTHS:
        fresh, again = [], []
        for area in areas:
            cards = [q for q in wanted if q.type == area and q.depth == depth]
            random.Random(f"{seed}-{area}-{depth}").shuffle(cards)
            fresh.append([q for q in cards if q.id not in seen])
            again.append([q for q in cards if q.id in seen])
        piles[depth] = (*_in_turn(fresh), *_in_turn(again))
    return Deck(piles)


def _in_turn(lists: list[list[Question]]) -> list[Question]:
    """One from each list in turn until all are used up."""
    taken: list[Question] = []
    for row in range(max((len(cards) for cards in lists), default=0)):
        taken += [cards[row] for cards in lists if row < len(cards)]
    return taken


def draw(deck: Deck, depth: str, played: Collection[str]) -> Question | None:
    """The next card not yet played at this depth, else at the nearest depth; None when empty."""
    for pile in (depth, *FALLBACK[depth]):
        for question in deck.piles.get(pile, ()):
            if question.id not in played:
                return question
    return None


def lighter(depth: str) -> str:
    """One depth lighter (light stays light)."""
    return DEPTHS[max(DEPTHS.index(depth) - 1, 0)]


def deeper(depth: str) -> str:
    """One depth deeper (deep stays deep)."""
    return DEPTHS[min(DEPTHS.index(depth) + 1, len(DEPTHS) - 1)]


def third(started_at: datetime, minutes: int, now: datetime) -> int:
    """Which third of the evening it is: 0, 1, 2, or 3 once the time is up."""
    elapsed = max(now - started_at, timedelta(0))
    return min(int(elapsed * 3 / timedelta(minutes=minutes)), 3)


def time_left(started_at: datetime, minutes: int, now: datetime) -> timedelta:
    """How long the evening has left, never below zero."""
    return max(started_at + timedelta(minutes=minutes) - now, timedelta(0))


def time_words(left: timedelta) -> str:
    """The time left said calmly, in whole minutes: no seconds ticking."""
    minutes = int(left.total_seconds() // 60)
    if left <= timedelta(0):
        return "Your time is up. Finish this card, and close whenever you're ready."
    if minutes < 1:
        return "Less than a minute left"
    return f"About {minutes} minute{'s' if minutes != 1 else ''} left"


def first_speaker(position: int, speakers: Sequence[int]) -> int:
    """Who answers the card at this position first: the speakers take turns, card by card."""
    return speakers[position % len(speakers)]


@dataclass(frozen=True)
class Evening:
    """One evening of play: what was shown, where the couple is, and the depth they are at.

    ``position`` is the index in ``played`` of the card on screen; ``len(played)`` is the
    closing card. ``settled`` is the latest third of the evening whose offer to go deeper
    was answered (or made moot by "lighter, please"), so it is offered once.
    """

    started_at: datetime
    minutes: int
    depth: str = DEPTHS[0]
    played: tuple[str, ...] = ()
    position: int = 0
    skipped: frozenset[str] = field(default_factory=frozenset)
    starred: frozenset[str] = field(default_factory=frozenset)
    settled: int = 0

    @property
    def current(self) -> str | None:
        """The id of the card on screen, or None on the closing card."""
        return self.played[self.position] if self.position < len(self.played) else None

    @property
    def closing(self) -> bool:
        """Whether the closing card is on screen."""
        return self.position >= len(self.played)

    def seed(self) -> int:
        """The shuffle seed: the evening's start, so a new evening deals a new order."""
        return int(self.started_at.timestamp())


def start(deck: Deck, started_at: datetime, minutes: int, starred: Collection[str]) -> Evening:
    """A new evening on its first card (light); ``starred``: the cards starred before."""
    evening = Evening(started_at, minutes, starred=frozenset(starred))
    return _deal(deck, evening)


def _deal(deck: Deck, evening: Evening) -> Evening:
    """Draw a new card at the evening's depth and show it; the closing card when none is left."""
    card = draw(deck, evening.depth, evening.played)
    played = evening.played + ((card.id,) if card else ())
    return replace(evening, played=played, position=len(played) - (1 if card else 0))


def next_card(deck: Deck, evening: Evening) -> Evening:
    """Forward: to a card already seen after going back, else a new card."""
    if evening.position < len(evening.played) - 1:
        return replace(evening, position=evening.position + 1)
    if evening.closing:
        return evening
    return _deal(deck, evening)


def back(evening: Evening) -> Evening:
    """Back one card (the closing card goes back to the last card)."""
    return replace(evening, position=max(evening.position - 1, 0))


def close(evening: Evening) -> Evening:
    """On to the closing card, whatever is left in the deck."""
    return replace(evening, position=len(evening.played))


def skip(deck: Deck, evening: Evening) -> Evening:
    """Pass on the card on screen and go on."""
    if evening.current is None:
        return evening
    return next_card(deck, replace(evening, skipped=evening.skipped | {evening.current}))


def toggle_star(evening: Evening) -> Evening:
    """Star the card on screen, or take its star off."""
    card = evening.current
    if card is None:
        return evening
    starred = evening.starred - {card} if card in evening.starred else evening.starred | {card}
    return replace(evening, starred=starred)


def lighter_please(deck: Deck, evening: Evening, now: datetime) -> Evening:
    """Drop a depth at once: pass on the card shown and draw a lighter one."""
    calmer = replace(
        evening,
        depth=lighter(evening.depth),
        skipped=evening.skipped | ({evening.current} if evening.current else set()),
        settled=max(evening.settled, third(evening.started_at, evening.minutes, now)),
        position=len(evening.played) - 1,  # after going back, the new card comes at the end
    )
    return _deal(deck, calmer)


def deeper_offer(evening: Evening, now: datetime) -> str | None:
    """The depth to offer going to now, or None: at each new third, one step at a time,
    never once the time is up."""
    part = third(evening.started_at, evening.minutes, now)
    # Once the time is up the evening is winding down: no call to go deeper then.
    if not evening.settled < part < 3 or evening.depth == DEPTHS[-1] or evening.closing:
        return None
    return deeper(evening.depth)


def go_deeper(evening: Evening, now: datetime) -> Evening:
    """Accept the offer: the next new card comes one depth deeper."""
    return replace(
        evening,
        depth=deeper(evening.depth),
        settled=third(evening.started_at, evening.minutes, now),
    )


def stay(evening: Evening, now: datetime) -> Evening:
    """Decline the offer until the next third of the evening."""
    return replace(evening, settled=third(evening.started_at, evening.minutes, now))


@dataclass(frozen=True)
class CardRecord:
    """What is kept of one card of an evening: its place, and whether it was skipped or starred."""

    position: int
    question_id: str
    skipped: bool
    starred: bool


def records(evening: Evening) -> list[CardRecord]:
    """Every card of the evening as it is kept: never anything anyone said."""
    return [
        CardRecord(n, q, q in evening.skipped, q in evening.starred)
        for n, q in enumerate(evening.played, start=1)
    ]


def landed(evening: Evening, deck: Deck) -> list[Question]:
    """Tonight's cards that were not skipped, starred first, to offer for the week's plan."""
    kept = [deck.find(q) for q in evening.played if q not in evening.skipped]
    cards = [q for q in kept if q is not None]
    return sorted(cards, key=lambda q: q.id not in evening.starred)
