"""What helps us: tries, their change, the usual bounce, shrinkage and the three labels.

Every expected value is worked out by hand in the comment beside the table.
"""

from __future__ import annotations

import pytest

from closer import helps
from closer.helps import NO_SIGN_YET, SEEMS_TO_HELP, TOO_EARLY
from closer.plan_items import ItemKind
from closer.reveal import visible_scores
from closer.store import PlanItem
from tests.factories import PARTNER_IDS, W, score_table


def series(values: list[float | None], partner: str = "Sam", dim: str = "physical") -> list:
    """Score rows for one partner and type, one per week from W[0] (None: skipped)."""
    return [(i, partner, dim, v) for i, v in enumerate(values)]


def plan(
    week: int, item: str = "hug", dim: str | None = "physical", kind=ItemKind.EXERCISE
) -> PlanItem:
    """A plan item in week W[week], added by Sam."""
    return PlanItem(week * 100 + len(item), W[week].date(), kind, item, dim, 1, None)


def verdict(scores, plans, item: str = "hug") -> helps.Verdict:
    return next(v for v in helps.what_helps(scores, plans) if v.item_id == item)


# A couple whose physical closeness dips to 2 every third week and is back at 6 the week
# after, whatever they do: rises of +4 after every low, from the dip alone.
# Weeks:   0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17
LOWS = [6, 2, 6, 6, 2, 6, 6, 2, 6, 6, 2, 6, 6, 2, 6, 6, 2, 6]


def test_a_change_averages_the_partners_who_scored_both_weeks():
    # Sam 4 -> 6 (+2); Alex 5 -> 8 (+3): change +2.5 at level 4.5. Kim... only two partners,
    # so in the second table Alex skips the next week: Sam's +2 alone, at Sam's level 4.
    both = score_table(*series([4, 6]), *series([5, 8], "Alex"))
    tried = verdict(both, [plan(0)])
    assert [(t.level, t.change) for t in tried.tries] == [(4.5, 2.5)]
    one = score_table(*series([4, 6]), *series([5, None], "Alex"))
    assert [(t.level, t.change) for t in verdict(one, [plan(0)]).tries] == [(4.0, 2.0)]


def test_a_try_without_a_next_week_is_waiting_not_counted():
    scores = score_table(*series([4, 6, 5]))
    tried = verdict(scores, [plan(2)])
    assert tried.tries == ()
    assert tried.waiting == 1
    assert tried.label == TOO_EARLY and tried.estimate is None


def test_the_usual_bounce_is_the_mean_change_after_earlier_weeks_at_about_the_same_level():
    # Week:   0   1   2   3   4   5   6      try in week 5 at level 4, change +2
    # moves: (4,+2) (6,-2) (4,+1) (5,+3) (8,-4)
    # within 1 point of 4: weeks 0, 2 and 3 -> (+2 +1 +3) / 3 = +2.0, three weeks, own area
    scores = score_table(*series([4, 6, 4, 5, 8, 4, 6]))
    (tried,) = verdict(scores, [plan(5)]).tries
    assert (tried.level, tried.change) == (4.0, 2.0)
    assert (tried.bounce, tried.bounce_weeks, tried.fallback) == (2.0, 3, False)


def test_weeks_with_anything_planned_for_the_area_are_left_out_of_the_usual_bounce():
    # As above, but a question was planned for physical in week 2: weeks 0 and 3 remain
    # (+2, +3), fewer than three, and no other area has weeks: (2 + 3) / 2 = 2.5, fallback.
    scores = score_table(*series([4, 6, 4, 5, 8, 4, 6]))
    question = plan(2, "q1", kind=ItemKind.QUESTION)
    (tried,) = verdict(scores, [plan(5), question]).tries
    assert (tried.bounce, tried.bounce_weeks, tried.fallback) == (2.5, 2, True)


def test_with_fewer_than_three_weeks_in_the_area_every_area_at_that_level_is_used():
    # physical: 4 5 9 4 7   try in week 3 at level 4 (change +3)
    #   earlier moves (4,+1) (5,+4) (9,-5): two within 1 point -> fall back
    # social:   3 3 5 5     moves (3,0) (3,+2) (5,0): all three within 1 point of 4
    # bounce = (1 + 4 + 0 + 2 + 0) / 5 = 1.4 over five weeks
    scores = score_table(*series([4, 5, 9, 4, 7]), *series([3, 3, 5, 5], dim="social"))
    (tried,) = verdict(scores, [plan(3)]).tries
    assert tried.change == 3.0
    assert tried.bounce == pytest.approx(1.4)
    assert (tried.bounce_weeks, tried.fallback) == (5, True)


def test_a_try_with_nothing_earlier_to_compare_is_shown_but_not_counted():
    scores = score_table(*series([4, 6]))
    tried = verdict(scores, [plan(0)])
    assert [(t.change, t.bounce, t.bounce_weeks) for t in tried.tries] == [(2.0, None, 0)]
    assert tried.counted == ()
    assert tried.label == TOO_EARLY and tried.estimate is None


@pytest.mark.parametrize(
    ("differences", "expected"),
    [
        ([], None),
        ([1.0], 0.25),  # 1/4
        ([3.0, 3.0], 1.2),  # 2/5 * 3
        ([2.0, 2.0, 2.0], 1.0),  # 3/6 * 2
        ([1.75] * 4, 1.0),  # 4/7 * 1.75
        ([-2.0, 0.0, 2.0], 0.0),
        ([4.0] * 97, 3.88),  # 97/100 * 4
    ],
)
def test_the_estimate_is_shrunk_by_n_over_n_plus_three(differences, expected):
    assert helps.shrunk(differences) == expected


@pytest.mark.parametrize(
    ("tries", "estimate", "label"),
    [
        (0, None, TOO_EARLY),
        (2, 5.0, TOO_EARLY),  # however big, two tries say nothing yet
        (3, 1.0, SEEMS_TO_HELP),  # the boundary is inclusive
        (3, 0.99, NO_SIGN_YET),
        (3, 0.0, NO_SIGN_YET),
        (3, -2.0, NO_SIGN_YET),  # never "makes it worse": no sign yet
        (10, 1.0, SEEMS_TO_HELP),
    ],
)
def test_three_labels_and_their_boundaries(tries, estimate, label):
    assert helps.label_for(tries, estimate) == label


def test_the_1_0_boundary_holds_through_the_whole_method():
    # Lows of 2 bounce to 6 (+4). Tries in weeks 10, 13, 16 rise to 8 (+6): each +2 over the
    # bounce (weeks 1, 4, 7), so 3/6 * 2 = 1.0 exactly: "seems to help".
    values = LOWS[:]
    values[11] = values[14] = values[17] = 8
    scores = score_table(*series(values))
    tried = verdict(scores, [plan(10), plan(13), plan(16)])
    assert [t.bounce for t in tried.counted] == [4.0, 4.0, 4.0]
    assert tried.estimate == 1.0
    assert tried.label == SEEMS_TO_HELP


def test_a_pure_regression_to_the_mean_history_comes_out_no_sign_yet():
    # Every low week (2) is followed by 6: +4 after each of the three tries (weeks 10, 13,
    # 16), the same +4 as after the earlier lows nobody planned for (weeks 1, 4, 7).
    scores = score_table(*series(LOWS))
    tried = verdict(scores, [plan(10), plan(13), plan(16)])
    assert [t.change for t in tried.tries] == [4.0, 4.0, 4.0]
    assert [t.bounce for t in tried.tries] == [4.0, 4.0, 4.0]
    assert tried.mean_change == 4.0 and tried.usual_bounce == 4.0
    assert tried.estimate == 0.0
    assert tried.label == NO_SIGN_YET


def test_a_real_effect_seems_to_help_only_after_three_tries():
    # Tries in weeks 10, 13, 16 lift the next week to 9 (+7), where a low usually comes back
    # +4: each try is +3 over the bounce. One try: 1/4*3 = 0.75; two: 2/5*3 = 1.2, still too
    # early (fewer than three); three: 3/6*3 = 1.5, seems to help.
    values = LOWS[:]
    values[11] = values[14] = values[17] = 9
    scores = score_table(*series(values))
    tries = [plan(10), plan(13), plan(16)]
    found = [verdict(scores, tries[:n]) for n in (1, 2, 3)]
    assert [v.estimate for v in found] == [0.75, 1.2, 1.5]
    assert [v.label for v in found] == [TOO_EARLY, TOO_EARLY, SEEMS_TO_HELP]


def test_items_are_grouped_by_kind_and_id_and_commitments_and_whole_couple_items_are_not_tries():
    scores = score_table(*series(LOWS))
    plans = [
        plan(10),
        plan(13, "talk", kind=ItemKind.QUESTION),
        plan(4, "walk", dim=None),
        PlanItem(999, W[7].date(), ItemKind.COMMITMENT, None, None, 1, "Cook on Thursday"),
    ]
    found = {(v.kind, v.item_id): len(v.tries) for v in helps.what_helps(scores, plans)}
    assert found == {(ItemKind.EXERCISE, "hug"): 1, (ItemKind.QUESTION, "talk"): 1}


def test_verdicts_come_most_telling_first():
    values = LOWS[:]
    values[11] = values[14] = values[17] = 9
    scores = score_table(*series(values), *series(LOWS, dim="social"))
    plans = [
        plan(1, "once"),
        *(plan(w, "flat", "social") for w in (10, 13, 16)),
        *(plan(w) for w in (10, 13, 16)),
    ]
    labels = [(v.item_id, v.label) for v in helps.what_helps(scores, plans)]
    assert labels == [("hug", SEEMS_TO_HELP), ("flat", NO_SIGN_YET), ("once", TOO_EARLY)]


def test_a_partners_unrevealed_week_is_never_in_a_change():
    # Sam and Alex both answered weeks 0-1; in week 2 only Alex has checked in so far.
    # Sam must not see Alex's week 2: the try in week 1 has no change for Sam yet. Alex sees
    # only their own week-2 score, and their own change (5 -> 9).
    scores = score_table(
        *series([4, 4]),
        *series([6, 5, 9], "Alex"),
        (0, "Sam", "social", 5),
        (1, "Sam", "social", 5),
    )
    ids = list(PARTNER_IDS.values())
    for_sam = verdict(visible_scores(scores, PARTNER_IDS["Sam"], ids), [plan(1)])
    assert for_sam.tries == () and for_sam.waiting == 1
    for_alex = verdict(visible_scores(scores, PARTNER_IDS["Alex"], ids), [plan(1)])
    assert [(t.level, t.change) for t in for_alex.tries] == [(5.0, 4.0)]


def test_scores_outside_one_to_ten_from_a_damaged_file_are_ignored():
    scores = score_table(*series([4, 6]), *series([5, 80], "Alex"))
    assert [t.change for t in verdict(scores, [plan(0)]).tries] == [2.0]


@pytest.mark.parametrize(
    ("value", "words"), [(1.5, "+1.5"), (-0.5, "−0.5"), (0.0, "0"), (0.04, "0"), (2.0, "+2.0")]
)
def test_change_words(value, words):
    assert helps.change_words(value) == words


def test_the_fixed_sentence():
    assert helps.EXPLANATION == (
        "Scores often rise after a low week anyway; this compares with how your scores "
        "usually bounce back."
    )


def test_words_for_a_verdict_say_what_the_scores_say_and_nothing_more():
    # The regression history: +4 after each try, +4 usually.
    scores = score_table(*series(LOWS))
    flat = verdict(scores, [plan(10), plan(13), plan(16)])
    assert helps.verdict_words(flat) == (
        "After 3 tries, Physical moved +4.0 on average the week after; from weeks like those "
        "it usually moves +4.0."
    )
    # Level at 5 throughout; tries in weeks 3 and 4 compare with weeks 0-2 (0 each).
    level = score_table(*series([5, 5, 5, 5, 5, 5]))
    still = verdict(level, [plan(3), plan(4)])
    assert helps.verdict_words(still) == (
        "After 2 tries, Physical held level on average the week after; from weeks like those "
        "it usually holds level. It takes 3 tries before Closer says more."
    )
    # Tries in weeks 1 and 2: one and two earlier weeks, too few, so every area's are used.
    early = verdict(level, [plan(1), plan(2)])
    assert helps.verdict_words(early).endswith(
        "Physical had few earlier weeks at that level, so this compares with every area's "
        "weeks at that level."
    )
