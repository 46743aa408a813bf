"""Tests for this week's suggestions: depth, the repeat window, ratings, rounds and fallbacks."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from closer import content
from closer.content import Exercise, Question
from closer.suggest import (
    BOTH_HELPED,
    HELPED_BEFORE,
    ONE_HELPED,
    REPEAT_AFTER_WEEKS,
    AreaSuggestions,
    Suggestion,
    TriedItem,
    depth_for,
    suggest,
)
from tests.factories import weak

TODAY = date(2026, 3, 18)  # a Wednesday; its week starts Monday 16 March
THIS_WEEK = date(2026, 3, 16)
LONG_AGO = date(2025, 9, 1)  # far outside the repeat window
ALL = ("emotional", "physical", "intellectual", "spiritual", "social", "sexual")


def q(item_id: str, type_: str = "emotional", depth: str = "light") -> Question:
    """A hand-made question whose text is derived from its id."""
    return Question(item_id, type_, depth, f"Question {item_id}?")


def ex(
    item_id: str, *types: str, needs: tuple[str, ...] = (), assumes: tuple[str, ...] = ()
) -> Exercise:
    """A hand-made exercise whose title is derived from its id."""
    return Exercise(
        item_id,
        f"Exercise {item_id}",
        types,
        10,
        ("Do it together.",),
        "It helps.",
        needs=needs,
        assumes=assumes,
    )


def planned(item_id: str, week: date = LONG_AGO, *ratings: int) -> TriedItem:
    """A question from a past plan."""
    return TriedItem(week, "question", item_id, tuple(ratings))


def did(item_id: str, week: date = LONG_AGO, *ratings: int) -> TriedItem:
    """An exercise from a past plan."""
    return TriedItem(week, "exercise", item_id, tuple(ratings))


def ids(items: tuple[Suggestion, ...]) -> list[str]:
    return [s.item_id for s in items]


def only(areas: list[AreaSuggestions]) -> AreaSuggestions:
    assert len(areas) == 1
    return areas[0]


def test_weak_area_gets_questions_of_its_type_and_exercises_that_help_it() -> None:
    bank = [
        q("e1"),
        q("e2"),
        q("e3"),
        q("p1", "physical"),
        q("p2", "physical"),
        q("p3", "physical"),
        q("p4", "physical", "medium"),
    ]
    catalogue = [ex("hug", "physical"), ex("talk", "emotional"), ex("walk", "emotional", "social")]

    area = only(suggest(weak("physical"), [], TODAY, ALL, {}, questions=bank, exercises=catalogue))

    assert (area.dimension, area.reasons, area.strong, area.depth) == (
        "physical",
        ("physical needs care",),
        False,
        "light",
    )
    assert sorted(ids(area.questions)) == ["p1", "p2", "p3"]
    assert {(s.kind, s.depth, s.because) for s in area.questions} == {("question", "light", None)}
    assert {s.text for s in area.questions} == {"Question p1?", "Question p2?", "Question p3?"}
    assert area.exercises == (Suggestion("exercise", "hug", "Exercise hug", None, None),)


def test_areas_follow_the_given_order_up_to_max_areas() -> None:
    bank = [q("s1", "social"), q("e1"), q("p1", "physical")]
    areas = suggest(
        weak("social", "emotional", "physical"),
        [],
        TODAY,
        ALL,
        {},
        questions=bank,
        exercises=[],
        max_areas=2,
    )
    assert [a.dimension for a in areas] == ["social", "emotional"]
    assert [ids(a.questions) for a in areas] == [["s1"], ["e1"]]


def test_more_specific_exercises_come_first() -> None:
    catalogue = [
        ex("broad", "emotional", "us", "social"),
        ex("pair", "emotional", "physical"),
        ex("single", "emotional"),
        ex("other", "physical"),
    ]
    area = only(suggest(weak("emotional"), [], TODAY, ALL, {}, questions=[], exercises=catalogue))
    assert ids(area.exercises) == ["single", "pair"]

    three = suggest(
        weak("emotional"),
        [],
        TODAY,
        ALL,
        {},
        questions=[],
        exercises=catalogue,
        per_area_exercises=3,
    )
    assert ids(only(three).exercises) == ["single", "pair", "broad"]


def test_an_area_with_one_matching_exercise_gets_one() -> None:
    catalogue = [ex("hug", "physical"), ex("talk", "emotional")]
    area = only(suggest(weak("physical"), [], TODAY, ALL, {}, questions=[], exercises=catalogue))
    assert ids(area.exercises) == ["hug"]


def test_an_exercise_already_offered_for_an_earlier_area_gives_way() -> None:
    catalogue = [
        ex("both", "emotional", "social"),
        ex("emo", "emotional", "us", "physical"),
        ex("soc", "social", "us", "intellectual"),
    ]
    areas = suggest(
        weak("emotional", "social"),
        [],
        TODAY,
        ALL,
        {},
        questions=[],
        exercises=catalogue,
        per_area_exercises=1,
    )
    assert [ids(a.exercises) for a in areas] == [["both"], ["soc"]]


DEPTH_BANK = [
    q("h1"),
    q("h2"),
    q("h3"),
    q("p1", "physical"),
    q("p2", "physical"),
    q("p3", "physical"),
]


@pytest.mark.parametrize(
    ("history", "depth"),
    [
        ([], "light"),
        ([planned("h1")], "medium"),
        ([planned("h1"), planned("h2")], "medium"),
        ([planned("h1"), planned("h2"), planned("h3")], "deep"),
        # the same question twice is still one question
        ([planned("h1"), planned("h1", TODAY), planned("h2")], "medium"),
        # other types, exercises and ids no longer in the bank do not count
        ([planned("p1"), planned("p2"), planned("p3"), did("h1"), planned("gone")], "light"),
    ],
)
def test_depth_for(history: list[TriedItem], depth: str) -> None:
    assert depth_for("emotional", history, DEPTH_BANK) == depth


@pytest.mark.parametrize(
    ("prior", "depth", "expected"),
    [
        (0, "light", {"l1", "l2", "l3"}),
        (1, "medium", {"m1", "m2", "m3"}),
        (3, "deep", {"d1", "d2", "d3"}),
    ],
)
def test_questions_deepen_as_the_couple_works_on_an_area(
    prior: int, depth: str, expected: set[str]
) -> None:
    # The questions they already had are "old" ones of the past, outside the repeat window.
    old = [q(f"old{i}", depth="light") for i in range(prior)]
    bank = [*old, *(q(f"{d[0]}{i}", depth=d) for d in content.DEPTHS for i in (1, 2, 3))]
    history = [planned(o.id) for o in old]

    area = only(suggest(weak("emotional"), history, TODAY, ALL, {}, questions=bank, exercises=[]))

    assert area.depth == depth
    assert set(ids(area.questions)) == expected
    assert {s.depth for s in area.questions} == {depth}


def test_light_does_not_borrow_deeper_questions_when_short() -> None:
    bank = [q("l1"), q("l2"), q("m1", depth="medium"), q("m2", depth="medium")]
    area = only(suggest(weak("emotional"), [], TODAY, ALL, {}, questions=bank, exercises=[]))
    assert sorted(ids(area.questions)) == ["l1", "l2"]


def test_medium_tops_up_from_light_first_then_deep() -> None:
    bank = [
        q("seen"),  # planned last week: it sets the depth to medium and is not offered
        q("l1"),
        q("m1", depth="medium"),
        q("d1", depth="deep"),
        q("d2", depth="deep"),
    ]
    history = [planned("seen", THIS_WEEK - timedelta(weeks=1))]
    area = only(suggest(weak("emotional"), history, TODAY, ALL, {}, questions=bank, exercises=[]))
    got = ids(area.questions)
    assert got[:2] == ["m1", "l1"]
    assert got[2] in {"d1", "d2"}
    assert [s.depth for s in area.questions] == ["medium", "light", "deep"]


def test_deep_tops_up_from_medium_only() -> None:
    bank = [q("h1"), q("h2"), q("h3"), q("l1"), q("m1", depth="medium"), q("d1", depth="deep")]
    history = [planned("h1"), planned("h2"), planned("h3")]
    area = only(suggest(weak("emotional"), history, TODAY, ALL, {}, questions=bank, exercises=[]))
    assert area.depth == "deep"
    assert ids(area.questions) == ["d1", "m1"]


WINDOW_BANK = [q("m1", depth="medium"), q("m2", depth="medium"), q("m3", depth="medium"), q("l1")]


@pytest.mark.parametrize(
    ("planned_week", "offered_again"),
    [
        (date(2026, 3, 23), False),  # planned for next week already
        (date(2026, 3, 16), False),  # this week
        (date(2026, 3, 22), False),  # this week's Sunday
        (date(2025, 12, 28), False),  # 12 weeks ago (that week's Sunday)
        (date(2025, 12, 22), False),  # 12 weeks ago (that week's Monday)
        (date(2025, 12, 21), True),  # 13 weeks ago (that week's Sunday)
        (date(2025, 12, 15), True),  # 13 weeks ago (that week's Monday)
    ],
)
def test_a_question_comes_back_only_after_twelve_weeks(
    planned_week: date, offered_again: bool
) -> None:
    assert REPEAT_AFTER_WEEKS == 12
    history = [planned("m1", planned_week)]  # one question so far: depth medium
    area = only(
        suggest(weak("emotional"), history, TODAY, ALL, {}, questions=WINDOW_BANK, exercises=[])
    )
    expected = {"m1", "m2", "m3"} if offered_again else {"m2", "m3", "l1"}
    assert set(ids(area.questions)) == expected


def test_exercises_may_repeat() -> None:
    catalogue = [ex("hug", "physical")]
    history = [did("hug", THIS_WEEK)]
    area = only(
        suggest(weak("physical"), history, TODAY, ALL, {}, questions=[], exercises=catalogue)
    )
    assert ids(area.exercises) == ["hug"]


RATED_BANK = [q(f"m{i}", depth="medium") for i in range(1, 6)]


@pytest.mark.parametrize(("helped", "didnt"), [("m1", "m2"), ("m2", "m1")])
def test_rated_questions_move_up_or_down(helped: str, didnt: str) -> None:
    history = [planned(helped, LONG_AGO, 1, 1), planned(didnt, LONG_AGO, -1, -1)]
    area = only(
        suggest(
            weak("emotional"),
            history,
            TODAY,
            ALL,
            {},
            questions=RATED_BANK,
            exercises=[],
            per_area_questions=5,
        )
    )
    got = ids(area.questions)
    assert (got[0], got[-1]) == (helped, didnt)
    assert set(got[1:4]) == {"m3", "m4", "m5"}
    assert [s.because for s in area.questions] == [BOTH_HELPED, None, None, None, None]


def test_helpful_exercises_outrank_more_specific_ones() -> None:
    catalogue = [
        ex("specific", "emotional"),
        ex("broad", "emotional", "us", "social"),
        ex("flop", "emotional"),
    ]
    history = [did("broad", THIS_WEEK - timedelta(weeks=1), 1, 0), did("flop", LONG_AGO, -1, 0)]
    area = only(
        suggest(
            weak("emotional"),
            history,
            TODAY,
            ALL,
            {},
            questions=[],
            exercises=catalogue,
            per_area_exercises=3,
        )
    )
    assert area.exercises == (
        Suggestion("exercise", "broad", "Exercise broad", None, ONE_HELPED),
        Suggestion("exercise", "specific", "Exercise specific", None, None),
        Suggestion("exercise", "flop", "Exercise flop", None, None),
    )


@pytest.mark.parametrize(
    ("ratings", "because"),
    [
        ([(1, 1)], BOTH_HELPED),
        ([(1,)], ONE_HELPED),
        ([(1, 0)], ONE_HELPED),
        ([(1, 1), (0, 0)], HELPED_BEFORE),  # helped before, not last time: mean 0.5
        ([(0, 0), (1, 1)], BOTH_HELPED),
        ([(1, 1), (1, -1)], ONE_HELPED),
        ([(1, 1), ()], BOTH_HELPED),  # a plan not rated yet is not "last time"
        ([(1, -1)], None),  # mean 0
        ([(0, 0)], None),
        ([(-1,)], None),
        ([()], None),
    ],
)
def test_because_says_how_an_exercise_was_rated(
    ratings: list[tuple[int, ...]], because: str | None
) -> None:
    history = [did("hug", LONG_AGO + timedelta(weeks=i), *r) for i, r in enumerate(ratings)]
    area = only(
        suggest(
            weak("physical"),
            history,
            TODAY,
            ALL,
            {},
            questions=[],
            exercises=[ex("hug", "physical")],
        )
    )
    assert [s.because for s in area.exercises] == [because]


def test_because_texts_are_the_warm_ones() -> None:
    assert BOTH_HELPED == "You both found this one helpful before."
    assert ONE_HELPED == "Last time this helped one of you."


STRONG_BANK = [q("p1", "physical"), q("s1", "social"), q("x1", "sexual"), q("u1", "us")]


def test_without_a_weak_area_the_strongest_active_types_are_kept_strong() -> None:
    levels = {
        "emotional": 8.0,
        "physical": 9.0,
        "social": 8.5,
        "sexual": 9.5,
        "spiritual": math.nan,
    }
    active = ("emotional", "physical", "social", "spiritual")
    areas = suggest([], [], TODAY, active, levels, questions=STRONG_BANK, exercises=[])
    assert [(a.dimension, a.reasons, a.strong, a.depth) for a in areas] == [
        ("physical", ("Physical is going well: keep it that way.",), True, "light"),
        ("social", ("Social is going well: keep it that way.",), True, "light"),
    ]
    assert [ids(a.questions) for a in areas] == [["p1"], ["s1"]]


def test_equal_levels_keep_the_order_of_the_active_types() -> None:
    levels = {"social": 8.0, "physical": 8.0, "emotional": 8.0}
    areas = suggest([], [], TODAY, ALL, levels, questions=STRONG_BANK, exercises=[])
    assert [a.dimension for a in areas] == ["emotional", "physical"]


def test_weak_areas_of_inactive_types_count_as_none() -> None:
    areas = suggest(
        weak("sexual"),
        [],
        TODAY,
        ("physical",),
        {"physical": 7.0, "sexual": 2.0},
        questions=STRONG_BANK,
        exercises=[],
    )
    assert [(a.dimension, a.strong) for a in areas] == [("physical", True)]


@pytest.mark.parametrize("levels", [{}, {"sexual": 3.0}, {"emotional": math.nan}])
def test_without_any_data_a_gentle_start_about_the_two_of_you(levels: dict[str, float]) -> None:
    bank = [q("u1", "us"), q("u2", "us"), q("u3", "us"), q("um", "us", "medium"), q("e1")]
    catalogue = [ex("date", "us", "social"), ex("hug", "physical")]
    area = only(
        suggest([], [], TODAY, ("emotional", "social"), levels, questions=bank, exercises=catalogue)
    )
    assert (area.dimension, area.reasons, area.strong, area.depth) == (
        "us",
        ("A gentle way to start.",),
        False,
        "light",
    )
    assert sorted(ids(area.questions)) == ["u1", "u2", "u3"]
    assert ids(area.exercises) == ["date"]


def test_a_switched_off_type_never_appears() -> None:
    bank = [q("x1", "sexual"), q("e1"), q("e2"), q("e3")]
    catalogue = [
        ex("spicy", "sexual"),
        ex("intimacy", "sexual", "emotional", needs=("sexual",)),
        ex("talk", "emotional", "us", "social"),
    ]
    active = ("emotional", "social")
    areas = suggest(
        weak("sexual", "emotional"),
        [],
        TODAY,
        active,
        {},
        questions=bank,
        exercises=catalogue,
        max_areas=1,
    )
    area = only(areas)
    assert area.dimension == "emotional"
    assert sorted(ids(area.questions)) == ["e1", "e2", "e3"]
    # "intimacy" also helps emotional, but it needs sex tracked, and this couple switched it off.
    assert ids(area.exercises) == ["talk"]


def test_a_general_exercise_stays_when_another_type_it_helps_is_switched_off() -> None:
    # The bug this guards against: a support exercise also tagged "sexual" vanished for every
    # couple who did not track sex.
    catalogue = [ex("outside-help", "us", "emotional", "sexual"), ex("hug", "physical")]
    for area_type in ("emotional", "physical"):
        area = only(
            suggest(
                weak(area_type),
                [],
                TODAY,
                ("emotional", "physical"),
                {},
                questions=[],
                exercises=catalogue,
                per_area_exercises=5,
            )
        )
        assert "outside-help" in ids(area.exercises), area_type


def test_an_aimed_exercise_comes_before_a_general_one_that_merely_fits() -> None:
    catalogue = [ex("general", "us"), ex("busy", "physical", "emotional", "social", "spiritual")]
    area = only(suggest(weak("physical"), [], TODAY, ALL, {}, questions=[], exercises=catalogue))
    # "busy" lists more types, but it is aimed at physical and "general" is not.
    assert ids(area.exercises) == ["busy", "general"]


@pytest.mark.parametrize(
    ("living_together", "expected"),
    [(True, {"bed", "walk"}), (False, {"walk"}), (None, {"walk"})],
)
def test_home_items_only_go_to_couples_who_live_together(
    living_together: bool | None, expected: set[str]
) -> None:
    bank = [
        Question("sofa", "physical", "light", "Sofa?", assumes=("home",)),
        q("hands", "physical"),
    ]
    catalogue = [ex("bed", "physical", assumes=("home",)), ex("walk", "physical")]
    area = only(
        suggest(
            weak("physical"),
            [],
            TODAY,
            ALL,
            {},
            questions=bank,
            exercises=catalogue,
            living_together=living_together,
        )
    )
    assert set(ids(area.exercises)) == expected
    assert set(ids(area.questions)) == ({"sofa", "hands"} if living_together else {"hands"})


def test_rounds_page_through_the_pool_without_repeats_then_cycle() -> None:
    bank = [q(f"m{i}", depth="medium") for i in range(7)]
    history = [planned("m0", THIS_WEEK - timedelta(weeks=2))]  # blocked, and depth medium
    rounds = [
        ids(
            only(
                suggest(
                    weak("emotional"),
                    history,
                    TODAY,
                    ALL,
                    {},
                    questions=bank,
                    exercises=[],
                    page=r,
                )
            ).questions
        )
        for r in range(6)
    ]
    assert rounds[0] != rounds[1]
    assert set(rounds[0]).isdisjoint(rounds[1])
    assert set(rounds[0]) | set(rounds[1]) == {"m1", "m2", "m3", "m4", "m5", "m6"}
    for got in rounds:
        assert len(set(got)) == 3
        assert "m0" not in got


def test_rounds_change_the_exercises_too() -> None:
    catalogue = [ex(f"x{i}", "physical") for i in range(4)]
    picks = [
        ids(
            only(
                suggest(
                    weak("physical"), [], TODAY, ALL, {}, questions=[], exercises=catalogue, page=r
                )
            ).exercises
        )
        for r in (0, 1)
    ]
    assert set(picks[0]).isdisjoint(picks[1])
    assert set(picks[0]) | set(picks[1]) == {"x0", "x1", "x2", "x3"}


def test_same_inputs_give_the_same_suggestions() -> None:
    history = [planned("emo-l-01", LONG_AGO, 1, 1), did("twenty-second-hug", THIS_WEEK, 1)]
    args = (weak("emotional", "physical"), history, TODAY, ALL, {"emotional": 4.0})
    assert suggest(*args, page=1) == suggest(*args, page=1)


def test_the_shuffle_does_not_depend_on_the_process() -> None:
    # hash() of a str changes per process; the order must not, or "Show me others" would
    # jump around after a restart.
    script = (
        "import json, datetime\n"
        "from closer.analysis import WeakArea\n"
        "from closer.suggest import suggest\n"
        "areas = suggest([WeakArea('social', ['x'], 1.0, 4.0)], [], datetime.date(2026, 3, 18),\n"
        "    ['social'], {}, page=2)\n"
        "print(json.dumps([[s.item_id for s in a.questions + a.exercises] for a in areas]))\n"
    )
    root = Path(__file__).resolve().parent.parent
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert json.loads(outputs.pop())[0]


@pytest.mark.parametrize("round_", [0, 1, 5])
def test_shipped_content_fills_every_area(round_: int) -> None:
    areas = suggest(weak(*ALL), [], TODAY, ALL, {}, page=round_, max_areas=len(ALL))
    assert [a.dimension for a in areas] == list(ALL)
    for area in areas:
        assert len(area.questions) == 3
        bank = {x.id for x in content.questions_for(area.dimension, "light")}
        assert {s.item_id for s in area.questions} <= bank
        assert 1 <= len(area.exercises) <= 2


@pytest.mark.parametrize("dim", ALL)
def test_shipped_content_fills_an_area_even_when_it_is_the_only_active_type(dim: str) -> None:
    area = only(suggest(weak(dim), [], TODAY, (dim,), {}))
    assert len(area.questions) == 3
    assert len(area.exercises) >= 1


def test_shipped_content_gives_a_gentle_start() -> None:
    area = only(suggest([], [], TODAY, ALL, {}))
    assert area.dimension == "us" and len(area.questions) == 3 and len(area.exercises) >= 1
