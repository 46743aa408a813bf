"""How well we read each other: the statistics against a table worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from closer.checkin import Answers
from closer.reading import GuessPair, direction_words, guess_pairs, points, reading

W = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(8)]  # Mondays


def pair(week, key, guess, answer, own, previous) -> GuessPair:
    return GuessPair(W[week], key, guess, answer, own, previous)


# (week, type, guess, their answer, your own score, their previous answer)
#                                             guess-answer  |own-answer|  |previous-answer|
TABLE = [
    pair(0, "emotional", 6, 8, 7, None),  #  -2            1             -
    pair(1, "emotional", 5, 7, 6, 8),  #     -2            1             1
    pair(2, "emotional", 7, 7, 9, 7),  #      0            2             0
    pair(3, "emotional", 6, 9, 6, 7),  #     -3            3             2
    pair(4, "emotional", 8, 8, 8, 9),  #      0            0             1
    pair(5, "physical", 4, 6, 5, None),  #   -2            1             -
    # Left out: "not sure", their answer low (2), your own low (3), a week with only a low.
    pair(5, "emotional", None, 8, 7, 8),
    pair(5, "social", 9, 2, 7, 6),
    pair(4, "intellectual", 9, 8, 3, 8),
    pair(6, "emotional", 5, 3, 6, 8),
]
# Kept: six pairs in six weeks (W0..W5; W6 had only a low).
# |misses| sorted 0 0 2 2 2 3 -> median (2 + 2) / 2 = 2
# mean miss (-2 - 2 + 0 - 3 + 0 - 2) / 6 = -9 / 6 = -1.5 -> at or below -0.5: lower
# projection |own - answer| sorted 0 1 1 1 2 3 -> median (1 + 1) / 2 = 1
# perseveration, four pairs with a previous answer: 1 0 2 1 -> sorted 0 1 1 2 -> median 1


def test_the_hand_worked_table():
    result = reading(TABLE)
    assert result is not None
    assert result.weeks == 6
    assert result.typical_miss == 2
    assert result.lean == -1.5
    assert result.direction == "lower"
    assert result.projection_miss == 1
    assert result.perseveration_miss == 1


def test_nothing_before_six_weeks_and_not_sure_or_lows_never_count_a_week():
    # Without W5's physical guess, W5 holds only "not sure" and a low: five weeks, so nothing.
    five = [p for p in TABLE if p.dimension != "physical"]
    assert reading(five) is None
    assert reading([]) is None


def test_exactly_six_weeks_of_one_guess_each_is_enough():
    # Each guess 1 above the answer: misses all +1 -> median 1, mean +1 -> higher.
    six = [pair(w, "emotional", 8, 7, 6, None) for w in range(6)]
    result = reading(six)
    assert result is not None
    assert (result.weeks, result.typical_miss, result.direction) == (6, 1, "higher")
    # |own - answer| = |6 - 7| = 1 each; no previous answers at all -> no perseveration.
    assert (result.projection_miss, result.perseveration_miss) == (1, None)


def test_the_lean_boundaries():
    # Misses -1 -1 -1 0 0 0: mean -0.5 -> lower (at the boundary).
    lower = [pair(w, "emotional", 6 if w < 3 else 7, 7, 7, 7) for w in range(6)]
    assert reading(lower).direction == "lower"
    # Misses +1 +1 0 0 0 0: mean 2/6 = 0.33 -> no lean.
    none = [pair(w, "emotional", 8 if w < 2 else 7, 7, 7, 7) for w in range(6)]
    assert reading(none).direction == "none"
    # Misses +1 +1 +1 0 0 0: mean +0.5 -> higher.
    higher = [pair(w, "emotional", 8 if w < 3 else 7, 7, 7, 7) for w in range(6)]
    assert reading(higher).direction == "higher"


def test_a_skipped_answer_is_not_graded_and_a_skipped_own_score_has_no_projection():
    rows = [pair(w, "emotional", 7, 7, None, None) for w in range(6)]
    rows.append(pair(6, "emotional", 7, None, 7, None))  # they skipped: no answer to read
    result = reading(rows)
    assert result is not None
    assert (result.weeks, result.typical_miss, result.projection_miss) == (6, 0, None)


def test_guess_pairs_take_the_previous_answer_from_the_week_before():
    weeks = [
        (W[1], Answers({"emotional": 6}, guesses={"emotional": 5}), Answers({"emotional": 8})),
        (W[0], Answers({"emotional": 9}, guesses={"physical": None}), Answers({"emotional": 4})),
        # Two weeks after W1: no answer the week before (W2 unseen), so no "last answer".
        (W[3], Answers({"emotional": 7}, guesses={"emotional": 7}), Answers({"emotional": 6})),
    ]
    assert guess_pairs(weeks) == [
        GuessPair(W[0], "physical", None, None, None, None),
        GuessPair(W[1], "emotional", 5, 8, 6, 4),
        GuessPair(W[3], "emotional", 7, 6, 7, None),
    ]
    # With the partner's visible scores given, W2's answer is their last one before W3.
    seen = {W[0]: {"emotional": 4}, W[1]: {"emotional": 8}, W[2]: {"emotional": 9}}
    assert guess_pairs(weeks, seen)[-1] == GuessPair(W[3], "emotional", 7, 6, 7, 9)


@pytest.mark.parametrize(
    ("direction", "words"),
    [
        ("lower", "You tend to guess lower than Kai feels."),
        ("higher", "You tend to guess higher than Kai feels."),
        ("none", "Your guesses lean neither higher nor lower than Kai feels."),
    ],
)
def test_direction_in_words(direction, words):
    assert direction_words(direction, "Kai") == words


def test_points_in_words():
    assert [points(1), points(1.5), points(2), points(0)] == [
        "1 point",
        "1.5 points",
        "2 points",
        "0 points",
    ]
