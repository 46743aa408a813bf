"""Tests for the CSI-4: its published wording, scoring, schedule and the care note."""

from __future__ import annotations

from datetime import date

import pytest

from closer import csi4
from closer.csi4 import (
    CARE_MEAN_MAX,
    CITATION,
    CSI_NOTE,
    CUTOFF,
    ITEMS,
    MAX_TOTAL,
    SCORES_NOTE,
    CareNote,
    CsiItem,
    CsiResult,
    below_cutoff,
    care_note,
    csi_due,
    csi_total,
)

ME, PARTNER = 1, 2
FIRST = date(2026, 1, 5)  # a Monday


def test_items_use_the_published_wording_and_answer_labels() -> None:
    assert ITEMS == (
        CsiItem(
            1,
            "Please indicate the degree of happiness, all things considered, of your relationship.",
            (
                "Extremely unhappy",
                "Fairly unhappy",
                "A little unhappy",
                "Happy",
                "Very happy",
                "Extremely happy",
                "Perfect",
            ),
        ),
        CsiItem(
            2,
            "I have a warm and comfortable relationship with my partner.",
            (
                "Not at all true",
                "A little true",
                "Somewhat true",
                "Mostly true",
                "Almost completely true",
                "Completely true",
            ),
        ),
        CsiItem(
            3,
            "How rewarding is your relationship with your partner?",
            ("Not at all", "A little", "Somewhat", "Mostly", "Almost completely", "Completely"),
        ),
        CsiItem(
            4,
            "In general, how satisfied are you with your relationship?",
            ("Not at all", "A little", "Somewhat", "Mostly", "Almost completely", "Completely"),
        ),
    )


def test_citation_and_constants() -> None:
    assert CITATION == (
        "Funk, J. L., & Rogge, R. D. (2007). Testing the ruler with item response theory: "
        "Increasing precision of measurement for relationship satisfaction with the Couples "
        "Satisfaction Index. Journal of Family Psychology, 21(4), 572–583."
    )
    assert CUTOFF == 13.5
    assert MAX_TOTAL == 21 == sum(len(item.options) - 1 for item in ITEMS)


@pytest.mark.parametrize(
    ("answers", "total"),
    [
        ([0, 0, 0, 0], 0),
        ([6, 5, 5, 5], 21),
        ([3, 3, 4, 3], 13),
        ([4, 3, 4, 3], 14),
        ([3, None, 4, 3], None),
        ([None, None, None, None], None),
    ],
)
def test_csi_total(answers: list[int | None], total: int | None) -> None:
    assert csi_total(answers) == total


@pytest.mark.parametrize(
    "answers",
    [
        [7, 0, 0, 0],  # item 1 goes up to 6
        [0, 6, 0, 0],  # the other items up to 5
        [0, 0, 0, -1],
        [None, 9, None, None],  # out of range even in a partial answer
        [True, 0, 0, 0],
        [2.0, 0, 0, 0],
        [0, 0, 0],
        [0, 0, 0, 0, 0],
    ],
)
def test_csi_total_rejects_impossible_answers(answers: list) -> None:
    with pytest.raises(ValueError):
        csi_total(answers)


@pytest.mark.parametrize(("total", "below"), [(13, True), (14, False), (0, True), (None, False)])
def test_below_cutoff(total: int | None, below: bool) -> None:
    assert below_cutoff(total) is below


@pytest.mark.parametrize(
    ("week", "due"),
    [
        (date(2026, 1, 5), False),  # the first week: start short
        (date(2026, 1, 19), False),  # 3rd week
        (date(2026, 1, 26), True),  # 4th week (3 weeks after the first)
        (date(2026, 1, 29), True),  # any day of that week
        (date(2026, 2, 2), False),  # 5th week
        (date(2026, 2, 23), True),  # 8th week
        (date(2026, 3, 23), True),  # 12th week
        (date(2025, 12, 29), False),  # the week before the first (-1 ≡ 3 mod 4): not due
    ],
)
def test_csi_due_every_fourth_week_from_the_first(week: date, due: bool) -> None:
    assert csi_due(week, FIRST, enabled=True) is due


def test_csi_due_counts_from_the_week_of_a_mid_week_first_day() -> None:
    assert csi_due(date(2026, 1, 26), date(2026, 1, 8), enabled=True) is True


def test_csi_not_due_when_disabled_or_before_any_checkin() -> None:
    assert csi_due(date(2026, 1, 26), FIRST, enabled=False) is False
    assert csi_due(date(2026, 1, 26), None, enabled=True) is False


FINE_WEEKS = [7.0, 7.5, 8.0]


@pytest.mark.parametrize(("total", "note"), [(13, True), (14, False), (None, False)])
def test_own_low_csi_shows_a_note(total: int | None, note: bool) -> None:
    result = care_note(ME, [CsiResult(ME, total, shared=False)], FINE_WEEKS)
    assert result == (CareNote(CSI_NOTE, "csi") if note else None)


def test_partner_sees_a_low_csi_only_when_it_was_shared() -> None:
    private = [CsiResult(ME, 10, shared=False), CsiResult(PARTNER, 18, shared=False)]
    assert care_note(ME, private, FINE_WEEKS) == CareNote(CSI_NOTE, "csi")
    assert care_note(PARTNER, private, FINE_WEEKS) is None

    shared = [CsiResult(ME, 10, shared=True), CsiResult(PARTNER, 18, shared=False)]
    assert care_note(PARTNER, shared, FINE_WEEKS) == CareNote(CSI_NOTE, "csi")


def test_partner_with_no_total_yet_sees_no_csi_note() -> None:
    assert care_note(ME, [CsiResult(ME, None, shared=True)], FINE_WEEKS) is None
    assert care_note(PARTNER, [CsiResult(ME, None, shared=True)], FINE_WEEKS) is None


@pytest.mark.parametrize(
    ("means", "note"),
    [
        ([3.0, 3.0, 3.0], True),
        ([2.9, 3.0, 3.1], True),  # exactly 3.0 on average, despite float rounding
        ([3.0, 3.0, 3.03], False),  # 3.01 on average
        ([2.0, 2.0], False),  # two weeks are not enough
        ([9.0, 2.0, 2.0, 2.0], True),  # only the last three weeks count
        ([2.0, 2.0, 2.0, 9.0], False),
    ],
)
def test_low_weekly_scores_show_a_note_to_both(means: list[float], note: bool) -> None:
    expected = CareNote(SCORES_NOTE, "scores") if note else None
    assert care_note(ME, [], means) == expected
    assert care_note(PARTNER, [], means) == expected


def test_weeks_without_a_mean_are_not_counted() -> None:
    assert care_note(ME, [], [2.0, float("nan"), 2.0]) is None


def test_csi_reason_wins_when_both_signals_fire() -> None:
    assert care_note(ME, [CsiResult(ME, 5, shared=False)], [1.0, 1.0, 1.0]).reason == "csi"
    assert care_note(PARTNER, [CsiResult(ME, 5, shared=False)], [1.0, 1.0, 1.0]).reason == (
        "scores"
    )


@pytest.mark.parametrize("text", [CSI_NOTE, SCORES_NOTE])
def test_note_points_to_outside_help_without_alarm(text: str) -> None:
    lowered = text.lower()
    assert "couples therapist" in lowered and "relationship coach" in lowered
    assert "closer is not therapy" in lowered
    for word in ("diagnos", "warning", "danger", "urgent", "!", "fault", "disorder"):
        assert word not in lowered


def test_threshold_constant_matches_the_brief() -> None:
    assert CARE_MEAN_MAX == 3.0 and csi4.CARE_WEEKS == 3
