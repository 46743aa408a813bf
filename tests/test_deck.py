"""The deck's order and the evening's steps, on literal questions and moments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from closer import deck
from closer.content import Question, questions

START = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)  # a Friday evening


def q(ident: str, area: str, depth: str, assumes: tuple[str, ...] = ()) -> Question:
    return Question(ident, area, depth, f"Question {ident}?", assumes)


BANK = (
    q("e1", "emotional", "light"),
    q("e2", "emotional", "light"),
    q("e3", "emotional", "medium"),
    q("e4", "emotional", "deep"),
    q("p1", "physical", "light"),
    q("p2", "physical", "light"),
    q("p3", "physical", "medium"),
    q("s1", "sexual", "light"),
    q("s2", "sexual", "deep"),
    q("u1", "us", "light"),
    q("h1", "us", "light", ("home",)),
)


def ids(cards) -> list[str]:
    return [c.id for c in cards]


def test_areas_take_turns_in_the_order_chosen_and_seen_cards_come_last():
    built = deck.build_deck(BANK, ["physical", "emotional"], seen={"p1", "e2"}, seed=1)
    light = ids(built.piles["light"])
    # Unseen first, areas in turn (physical first); then the seen ones, in turn.
    assert light == ["p2", "e1", "p1", "e2"]
    assert ids(built.piles["medium"]) == ["p3", "e3"]
    assert ids(built.piles["deep"]) == ["e4"]
    # A seen card of the first area waits behind an unseen card of the second.
    built = deck.build_deck(BANK, ["physical", "emotional"], seen={"p1", "p2", "e2"}, seed=1)
    assert ids(built.piles["light"])[0] == "e1"
    assert set(ids(built.piles["light"])[1:]) == {"p1", "p2", "e2"}


def test_the_shuffle_follows_the_seed_and_keeps_every_card():
    one = deck.build_deck(questions(), ["emotional"], seed=1)
    two = deck.build_deck(questions(), ["emotional"], seed=2)
    assert ids(one.piles["light"]) != ids(two.piles["light"])
    assert sorted(ids(one.piles["light"])) == sorted(ids(two.piles["light"]))
    assert ids(one.piles["light"]) == ids(
        deck.build_deck(questions(), ["emotional"], seed=1).piles["light"]
    )


def test_a_deck_holds_only_the_chosen_areas_and_what_fits_the_home():
    apart = deck.build_deck(BANK, ["us"], living_together=False)
    together = deck.build_deck(BANK, ["us"], living_together=True)
    assert ids(apart.piles["light"]) == ["u1"]
    assert sorted(ids(together.piles["light"])) == ["h1", "u1"]


@pytest.mark.parametrize(
    ("tracked", "opt_ins", "expected"),
    [
        (("emotional", "sexual"), {1: True, 2: True}, ("emotional", "sexual", "us")),
        (("emotional", "sexual"), {1: True, 2: False}, ("emotional", "us")),
        (("emotional", "sexual"), {1: True}, ("emotional", "us")),  # never said: off
        (("emotional",), {1: True, 2: True}, ("emotional", "us")),  # not tracked: off
    ],
)
def test_sexual_questions_need_the_area_tracked_and_both_switched_on(tracked, opt_ins, expected):
    assert deck.playable_areas(tracked, deck.both_opted_in(opt_ins, [1, 2])) == expected


def test_one_partner_alone_never_counts_as_both():
    assert not deck.both_opted_in({1: True}, [1])


def test_weak_areas_come_first_and_only_playable_ones():
    playable = ("emotional", "physical", "social", "us")
    assert deck.default_areas(playable, ["social", "sexual"]) == (
        "social",
        "emotional",
        "physical",
        "us",
    )


def test_a_starred_deck_holds_only_starred_playable_cards():
    built = deck.build_deck(BANK, ["emotional", "physical"], only={"e3", "p1", "s2"})
    assert ids(built.piles["light"]) == ["p1"]
    assert ids(built.piles["medium"]) == ["e3"]
    assert built.piles["deep"] == ()  # s2 is starred, but sexual is not in the deck now


def test_the_evening_starts_light_and_draws_from_the_nearest_depth_when_one_runs_out():
    built = deck.build_deck(BANK, ["emotional"], seed=0)
    evening = deck.start(built, START, 30, starred=())
    assert built.find(evening.current).depth == "light"
    evening = deck.next_card(built, evening)
    evening = deck.next_card(built, evening)  # both light ones used: medium next
    assert built.find(evening.current).depth == "medium"
    evening = deck.next_card(built, deck.next_card(built, evening))
    assert evening.closing and evening.current is None  # all four played: the closing card


def test_back_and_forward_revisit_cards_without_drawing_new_ones():
    built = deck.build_deck(BANK, ["emotional", "physical"], seed=0)
    evening = deck.next_card(built, deck.start(built, START, 30, starred=()))
    first, second = evening.played
    evening = deck.back(evening)
    assert evening.current == first
    assert deck.back(evening).current == first  # nothing before the first card
    evening = deck.next_card(built, evening)
    assert (evening.current, evening.played) == (second, (first, second))


def test_first_speakers_alternate_card_by_card():
    assert [deck.first_speaker(n, [7, 3]) for n in range(4)] == [7, 3, 7, 3]
    assert deck.first_speaker(5, [7]) == 7


@pytest.mark.parametrize(
    ("minutes_in", "expected"),
    [(0, None), (9, None), (10, "medium"), (19, "medium"), (20, "medium"), (30, None), (31, None)],
)
def test_going_deeper_is_offered_after_a_third_of_the_evening(minutes_in, expected):
    evening = deck.Evening(START, 30, played=("e1",))
    assert deck.deeper_offer(evening, START + timedelta(minutes=minutes_in)) == expected


def test_an_answered_offer_waits_for_the_next_third():
    built = deck.build_deck(BANK, ["emotional", "physical"], seed=0)
    evening = deck.start(built, START, 45, starred=())
    at_20 = START + timedelta(minutes=20)  # second third of 45
    declined = deck.stay(evening, at_20)
    assert deck.deeper_offer(declined, at_20) is None
    assert deck.deeper_offer(declined, START + timedelta(minutes=30)) == "medium"
    accepted = deck.go_deeper(evening, at_20)
    assert accepted.depth == "medium"
    assert deck.deeper_offer(accepted, at_20) is None
    assert deck.deeper_offer(accepted, START + timedelta(minutes=30)) == "deep"
    new = deck.next_card(built, accepted)
    assert built.find(new.current).depth == "medium"


def test_lighter_please_drops_a_depth_now_and_passes_on_the_card_shown():
    built = deck.build_deck(BANK, ["emotional", "physical"], seed=0)
    now = START + timedelta(minutes=12)
    evening = deck.next_card(built, deck.go_deeper(deck.start(built, START, 30, ()), now))
    heavy = evening.current
    assert built.find(heavy).depth == "medium"
    calmer = deck.lighter_please(built, evening, now)
    assert calmer.depth == "light"
    assert built.find(calmer.current).depth == "light"
    assert heavy in calmer.skipped
    assert deck.deeper_offer(calmer, now) is None  # not straight back up
    assert deck.lighter("light") == "light" and deck.deeper("deep") == "deep"


def test_skip_and_star_are_kept_as_records_and_nothing_else():
    built = deck.build_deck(BANK, ["emotional"], seed=0)
    evening = deck.start(built, START, 15, starred={"e4"})
    first = evening.current
    evening = deck.skip(built, evening)
    second = evening.current
    evening = deck.toggle_star(evening)
    assert deck.records(evening) == [
        deck.CardRecord(1, first, skipped=True, starred=False),
        deck.CardRecord(2, second, skipped=False, starred=True),
    ]
    assert deck.toggle_star(evening).starred == {"e4"}  # a star comes off again


def test_cards_that_landed_are_the_unskipped_ones_starred_first():
    built = deck.build_deck(BANK, ["emotional"], seed=0)
    evening = deck.Evening(
        START, 30, played=("e1", "e2", "e3"), skipped=frozenset({"e1"}), starred={"e3"}
    )
    assert ids(deck.landed(evening, built)) == ["e3", "e2"]


@pytest.mark.parametrize(
    ("left", "words"),
    [
        (timedelta(minutes=29, seconds=59), "About 29 minutes left"),
        (timedelta(minutes=1, seconds=5), "About 1 minute left"),
        (timedelta(seconds=30), "Less than a minute left"),
        (timedelta(0), "Your time is up. Finish this card, and close whenever you're ready."),
    ],
)
def test_the_timer_speaks_in_whole_minutes(left, words):
    assert deck.time_words(left) == words


def test_time_left_never_goes_below_zero():
    assert deck.time_left(START, 15, START + timedelta(minutes=5)) == timedelta(minutes=10)
    assert deck.time_left(START, 15, START + timedelta(hours=2)) == timedelta(0)
