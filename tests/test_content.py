"""Tests for the question bank, the exercise catalogue and their validating loaders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from closer import content
from closer.content import (
    DEPTHS,
    ContentError,
    Exercise,
    Question,
    categories,
    check_coverage,
    load_exercises,
    load_questions,
)

HEADER = "id,type,depth,question\n"

GOOD_EXERCISE = """
[[exercises]]
id = "hug"
title = "Hug"
types = ["physical"]
minutes = 1
steps = ["Hold on.", "Count to twenty."]
why = "It calms you both."
"""


# --- the shipped content ----------------------------------------------------------------------


def test_shipped_content_meets_the_product_requirement() -> None:
    assert check_coverage(load_questions(), load_exercises()) == []


def test_shipped_content_exceeds_its_own_targets() -> None:
    # The brief for the content asks for more than the product minimum, leaving room to prune.
    assert (
        check_coverage(load_questions(), load_exercises(), min_per_cell=11, min_exercises=32) == []
    )


def test_shipped_question_bank_is_large_enough() -> None:
    assert len(load_questions()) >= 200


def test_shipped_questions_rarely_ask_why() -> None:
    questions = load_questions()
    why = [q for q in questions if re.search(r"\bwhy\b", q.text, re.IGNORECASE)]
    assert len(why) / len(questions) < 0.05, [q.text for q in why]


def test_shipped_questions_are_questions() -> None:
    assert [q.id for q in load_questions() if not q.text.endswith("?")] == []


def test_shipped_exercises_have_two_to_five_steps() -> None:
    assert [e.id for e in load_exercises() if not 2 <= len(e.steps) <= 5] == []


def test_every_category_has_three_exercises() -> None:
    exercises = load_exercises()
    counts = {c: sum(c in e.types for e in exercises) for c in categories()}
    assert min(counts.values()) >= 3, counts


def test_categories_are_the_survey_types_plus_us() -> None:
    assert categories() == (
        "emotional",
        "physical",
        "intellectual",
        "spiritual",
        "social",
        "sexual",
        "us",
    )


def test_cached_accessors_filter_the_shipped_content() -> None:
    deep_sexual = content.questions_for("sexual", "deep")
    assert deep_sexual and all(q.type == "sexual" and q.depth == "deep" for q in deep_sexual)
    assert len(content.questions_for("us")) == sum(
        len(content.questions_for("us", d)) for d in DEPTHS
    )
    assert all("spiritual" in e.types for e in content.exercises_for("spiritual"))
    assert content.questions() is content.questions()


# --- the question validator -------------------------------------------------------------------


def test_a_valid_question_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "questions.csv"
    path.write_text(
        HEADER + 'emo-l-01,emotional,light,"What was good today, and how?"\n', encoding="utf-8"
    )
    assert load_questions(path) == (
        Question("emo-l-01", "emotional", "light", "What was good today, and how?"),
    )


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            "emo-l-01,emotional,light,\n",
            r"line 2 \(id 'emo-l-01'\): missing or empty field 'question'",
            id="empty-question",
        ),
        pytest.param(
            "emo-l-01,emotional\n",
            r"line 2 \(id 'emo-l-01'\): missing or empty field 'depth'",
            id="short-row",
        ),
        pytest.param(
            ",emotional,light,What was good today?\n",
            r"line 2: missing or empty field 'id'",
            id="empty-id",
        ),
        pytest.param(
            "emo-l-01,emotional,light,What was good today, and how?\n",
            r"line 2: too many fields",
            id="unquoted-comma",
        ),
        pytest.param(
            "emo-l-01,romantic,light,What was good today?\n",
            r"line 2 \(id 'emo-l-01'\): unknown type 'romantic'",
            id="unknown-type",
        ),
        pytest.param(
            "emo-l-01,emotional,shallow,What was good today?\n",
            r"line 2 \(id 'emo-l-01'\): unknown depth 'shallow'",
            id="unknown-depth",
        ),
        pytest.param(
            "Emo L 01,emotional,light,What was good today?\n",
            r"id 'Emo L 01' must be a lowercase slug",
            id="bad-id",
        ),
        pytest.param(
            "emo-l-01,emotional,light,What was good today?\n"
            "emo-l-01,emotional,light,What was hard today?\n",
            r"line 3: duplicate id 'emo-l-01' \(first used on line 2\)",
            id="duplicate-id",
        ),
        pytest.param(
            "emo-l-01,emotional,light,What was good today?\n"
            "us-l-01,us,light,  what WAS good   today!\n",
            r"line 3 \(id 'us-l-01'\): duplicate question text, same as 'emo-l-01'",
            id="duplicate-text",
        ),
    ],
)
def test_question_file_errors_name_the_row_and_problem(
    tmp_path: Path, rows: str, expected: str
) -> None:
    path = tmp_path / "questions.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(ContentError, match=expected):
        load_questions(path)


def test_question_file_with_wrong_header_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "questions.csv"
    path.write_text("id,type,question\nemo-l-01,emotional,Hi?\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"header is id,type,question, expected"):
        load_questions(path)


# --- the exercise validator -------------------------------------------------------------------


def test_a_valid_exercise_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "exercises.toml"
    path.write_text(GOOD_EXERCISE, encoding="utf-8")
    assert load_exercises(path) == (
        Exercise(
            "hug", "Hug", ("physical",), 1, ("Hold on.", "Count to twenty."), "It calms you both."
        ),
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            'title = "Hug"\n',
            "",
            r"exercise #1 \(id 'hug'\): missing or empty field 'title'",
            id="missing-title",
        ),
        pytest.param(
            'why = "It calms you both."',
            'why = ""',
            r"exercise #1 \(id 'hug'\): missing or empty field 'why'",
            id="empty-why",
        ),
        pytest.param(
            'types = ["physical"]',
            'types = ["physical", "romance"]',
            r"exercise #1 \(id 'hug'\): unknown type 'romance'",
            id="unknown-type",
        ),
        pytest.param(
            'types = ["physical"]',
            "types = []",
            r"missing or empty field 'types'",
            id="no-types",
        ),
        pytest.param(
            "minutes = 1",
            "minutes = 0",
            r"exercise #1 \(id 'hug'\): minutes must be a positive whole number, got 0",
            id="zero-minutes",
        ),
        pytest.param(
            "minutes = 1",
            'minutes = "5"',
            r"minutes must be a positive whole number, got '5'",
            id="text-minutes",
        ),
        pytest.param(
            "minutes = 1",
            "minutes = 2.5",
            r"minutes must be a positive whole number, got 2.5",
            id="fractional-minutes",
        ),
        pytest.param(
            'steps = ["Hold on.", "Count to twenty."]',
            "steps = []",
            r"exercise #1 \(id 'hug'\): missing or empty field 'steps'",
            id="empty-steps",
        ),
        pytest.param(
            'steps = ["Hold on.", "Count to twenty."]',
            'steps = ["Hold on.", "  "]',
            r"step 2 must be non-empty text",
            id="blank-step",
        ),
        pytest.param(
            "minutes = 1",
            "minutes = 1\nminute = 2",
            r"unknown field\(s\) minute",
            id="misspelt-field",
        ),
        pytest.param(
            "",
            GOOD_EXERCISE.replace('title = "Hug"', 'title = "Another hug"'),
            r"exercise #2: duplicate id 'hug'",
            id="duplicate-id",
        ),
    ],
)
def test_exercise_file_errors_name_the_exercise_and_problem(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    # An empty `old` means "append `new`" rather than "edit the good exercise".
    text = GOOD_EXERCISE + new if not old else GOOD_EXERCISE.replace(old, new)
    assert text != GOOD_EXERCISE
    path = tmp_path / "exercises.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=expected):
        load_exercises(path)


def test_exercise_file_that_is_not_toml_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "exercises.toml"
    path.write_text("[[exercises]\nid = ", encoding="utf-8")
    with pytest.raises(ContentError, match=r"exercises.toml: cannot read"):
        load_exercises(path)


# --- coverage ---------------------------------------------------------------------------------


def _full_questions(per_cell: int) -> list[Question]:
    """A hand-made bank with the same number of questions in every cell."""
    return [
        Question(f"{c}-{d}-{i}", c, d, f"{c} {d} question {i}?")
        for c in categories()
        for d in DEPTHS
        for i in range(per_cell)
    ]


def _exercises_for_all(count: int) -> list[Exercise]:
    """A hand-made catalogue of `count` exercises that between them touch every category."""
    cats = categories()
    return [
        Exercise(f"ex-{i}", "Ex", (cats[i % len(cats)],), 5, ("Do it.",), "Helps.")
        for i in range(count)
    ]


def test_check_coverage_is_quiet_when_everything_is_covered() -> None:
    assert check_coverage(_full_questions(2), _exercises_for_all(7), 2, 7) == []


def test_check_coverage_names_a_thin_cell() -> None:
    questions = [
        q
        for q in _full_questions(2)
        if not (q.type == "sexual" and q.depth == "deep" and q.id.endswith("1"))
    ]
    assert check_coverage(questions, _exercises_for_all(7), 2, 7) == [
        "only 1 deep question(s) for 'sexual', need 2"
    ]


def test_check_coverage_reports_too_few_exercises_and_an_uncovered_type() -> None:
    exercises = [e for e in _exercises_for_all(7) if e.types != ("spiritual",)]
    assert check_coverage(_full_questions(1), exercises, 1, 7) == [
        "only 6 exercise(s), need 7",
        "no exercise for 'spiritual'",
    ]
