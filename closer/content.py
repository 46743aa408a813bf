"""The suggestion content: a question bank and an exercise catalogue, loaded from data/."""

from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from closer import survey

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
QUESTIONS_PATH = DATA_DIR / "questions.csv"
EXERCISES_PATH = DATA_DIR / "exercises.toml"
TAGGING_PATH = DATA_DIR / "tagging.toml"

GENERAL = "us"
DEPTHS: tuple[str, ...] = ("light", "medium", "deep")
QUESTION_FIELDS: tuple[str, ...] = ("id", "type", "depth", "question")
EXERCISE_FIELDS: tuple[str, ...] = ("id", "title", "types", "minutes", "steps", "why")

# What an item may take for granted about the couple's life; see data/tagging.toml.
HOME = "home"
ASSUMPTIONS: tuple[str, ...] = (HOME,)

# Said wherever questions are offered: a question is an invitation, never a test.
PASS_LINE = "Either of you can pass on any question, no reason needed."

# Ids end up in saved history (picked suggestions), so keep them plain and URL-safe.
_ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class ContentError(ValueError):
    """A content file is malformed; the message names the row or id and the problem."""


@dataclass(frozen=True)
class Question:
    """One conversation question for an area (a dimension, or "us") at a depth."""

    id: str
    type: str
    depth: str
    text: str
    assumes: tuple[str, ...] = ()  # e.g. ("home",): only for couples who live together


@dataclass(frozen=True)
class Exercise:
    """One activity a couple can do together, with the areas it helps."""

    id: str
    title: str
    types: tuple[str, ...]
    minutes: int
    steps: tuple[str, ...]
    why: str
    needs: tuple[str, ...] = ()  # dimensions that must be tracked for it to be offered at all
    assumes: tuple[str, ...] = ()  # e.g. ("home",): only for couples who live together

    @property
    def general(self) -> bool:
        """Whether it helps the relationship as a whole, and so fits every area."""
        return GENERAL in self.types


def area_keys() -> tuple[str, ...]:
    """Every area a question or exercise can be for: the dimension keys, then "us"."""
    # Read at call time: survey.dimension_keys() touches the disk, and imports must not.
    return (*survey.dimension_keys(), GENERAL)


def normalise_text(text: str) -> str:
    """The text folded for duplicate checks: case, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


# Words that carry no topic: a question's subject is what is left once these are gone.
_FILLER = frozenset(
    """a about after all also am an and any are as at be been being but by can could did do
    does doing don for from had has have haven how i if in into is it its just like lately
    me more most my no not of on one or our out over really so some than that the their
    them then there they this to up us very was we were what when where which who why will
    with would you your yours aren couldn didn doesn hadn hasn isn shouldn wasn weren won
    wouldn""".split()
)


def topic_words(text: str) -> frozenset[str]:
    """The words that carry a question's topic: filler and contractions dropped, crude stems."""
    words = re.findall(r"[a-z]+(?:'[a-z]+)?", text.casefold().replace("’", "'"))
    stems = set()
    for word in words:
        word = word.split("'")[0]  # "you're" -> "you", "haven't" -> "haven"
        if word in _FILLER:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        stems.add(word)
    return frozenset(stems)


def similarity(a: str, b: str) -> float:
    """How much two questions share their topic words (Jaccard index, 0 to 1)."""
    return _jaccard(topic_words(a), topic_words(b))


def _jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    """Shared words over all words of the two; two empty sets count as the same."""
    union = left | right
    return len(left & right) / len(union) if union else 1.0


def near_duplicates(
    questions: Iterable[Question], threshold: float
) -> list[tuple[str, str, float]]:
    """Pairs of questions whose similarity reaches the threshold, most similar first."""
    items = [(q.id, topic_words(q.text)) for q in questions]
    found = []
    for i, (left_id, left) in enumerate(items):
        for right_id, right in items[i + 1 :]:
            score = _jaccard(left, right)
            if score >= threshold:
                found.append((left_id, right_id, round(score, 2)))
    return sorted(found, key=lambda pair: -pair[2])


def load_questions(path: Path = QUESTIONS_PATH) -> tuple[Question, ...]:
    """All questions in the CSV file, validated, in file order."""
    known = area_keys()
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header = tuple(reader.fieldnames or ())
            if header != QUESTION_FIELDS:
                raise ContentError(
                    f"{path.name}: header is {','.join(header) or '(empty)'}, "
                    f"expected {','.join(QUESTION_FIELDS)}"
                )
            questions: list[Question] = []
            seen_ids: dict[str, int] = {}
            seen_texts: dict[str, str] = {}
            for row in reader:
                line = reader.line_num
                questions.append(_question_from_row(row, f"{path.name} line {line}", known))
                q = questions[-1]
                if q.id in seen_ids:
                    raise ContentError(
                        f"{path.name} line {line}: duplicate id {q.id!r} "
                        f"(first used on line {seen_ids[q.id]})"
                    )
                seen_ids[q.id] = line
                folded = normalise_text(q.text)
                if folded in seen_texts:
                    raise ContentError(
                        f"{path.name} line {line} (id {q.id!r}): duplicate question text, "
                        f"same as {seen_texts[folded]!r}"
                    )
                seen_texts[folded] = q.id
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise ContentError(f"{path.name}: cannot read: {e}") from e
    return tuple(questions)


def _question_from_row(row: dict[Any, Any], where: str, known: tuple[str, ...]) -> Question:
    """One CSV row turned into a Question, or a ContentError saying what is wrong."""
    if None in row:
        # DictReader files surplus cells under None: usually an unquoted comma in the text.
        raise ContentError(f"{where}: too many fields (quote a question that contains a comma)")
    values: dict[str, str] = {}
    for field in QUESTION_FIELDS:
        value = row.get(field)
        if value is None or not value.strip():
            ident = (row.get("id") or "").strip()
            label = f" (id {ident!r})" if ident else ""
            raise ContentError(f"{where}{label}: missing or empty field {field!r}")
        values[field] = value.strip()
    where = f"{where} (id {values['id']!r})"
    _check_id(values["id"], where)
    if values["type"] not in known:
        raise ContentError(
            f"{where}: unknown type {values['type']!r}, expected one of {', '.join(known)}"
        )
    if values["depth"] not in DEPTHS:
        raise ContentError(
            f"{where}: unknown depth {values['depth']!r}, expected one of {', '.join(DEPTHS)}"
        )
    return Question(values["id"], values["type"], values["depth"], values["question"])


def load_exercises(path: Path = EXERCISES_PATH) -> tuple[Exercise, ...]:
    """All exercises in the TOML file, validated, in file order."""
    known = area_keys()
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ContentError(f"{path.name}: cannot read: {e}") from e
    tables = raw.get("exercises")
    if not isinstance(tables, list) or not tables:
        raise ContentError(f"{path.name}: expected one or more [[exercises]] tables")
    exercises: list[Exercise] = []
    seen: set[str] = set()
    for number, table in enumerate(tables, start=1):
        exercise = _exercise_from_table(table, f"{path.name} exercise #{number}", known)
        if exercise.id in seen:
            raise ContentError(f"{path.name} exercise #{number}: duplicate id {exercise.id!r}")
        seen.add(exercise.id)
        exercises.append(exercise)
    return tuple(exercises)


def _exercise_from_table(table: dict[str, Any], where: str, known: tuple[str, ...]) -> Exercise:
    """One [[exercises]] table turned into an Exercise, or a ContentError saying what is wrong."""
    ident = table.get("id")
    if isinstance(ident, str) and ident.strip():
        where = f"{where} (id {ident.strip()!r})"
    unknown = sorted(set(table) - set(EXERCISE_FIELDS))
    if unknown:
        raise ContentError(f"{where}: unknown field(s) {', '.join(unknown)}")
    for field in EXERCISE_FIELDS:
        value = table.get(field)
        if value is None or (isinstance(value, str | list) and not value):
            raise ContentError(f"{where}: missing or empty field {field!r}")
    ident = _text(table["id"], "id", where)
    _check_id(ident, where)
    title = _text(table["title"], "title", where)
    why = _text(table["why"], "why", where)

    minutes = table["minutes"]
    # bool is an int subclass, and `minutes = true` is a typo, not one minute.
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise ContentError(f"{where}: minutes must be a positive whole number, got {minutes!r}")

    types = table["types"]
    if not isinstance(types, list):
        raise ContentError(f"{where}: types must be a list, got {types!r}")
    for t in types:
        if t not in known:
            raise ContentError(f"{where}: unknown type {t!r}, expected one of {', '.join(known)}")
    if len(set(types)) != len(types):
        raise ContentError(f"{where}: types lists a category twice: {types!r}")

    steps = table["steps"]
    if not isinstance(steps, list):
        raise ContentError(f"{where}: steps must be a list of strings, got {steps!r}")
    clean_steps = tuple(_text(s, f"step {i}", where) for i, s in enumerate(steps, start=1))
    return Exercise(ident, title, tuple(types), minutes, clean_steps, why)


def _text(value: object, field: str, where: str) -> str:
    """The value stripped, provided it is a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: {field} must be non-empty text, got {value!r}")
    return value.strip()


def _check_id(ident: str, where: str) -> None:
    """Raise unless the id is a lowercase slug."""
    if not _ID_PATTERN.fullmatch(ident):
        raise ContentError(f"{where}: id {ident!r} must be a lowercase slug like 'emo-l-01'")


def check_coverage(
    questions: Iterable[Question],
    exercises: Iterable[Exercise],
    min_per_cell: int = 10,
    min_exercises: int = 30,
) -> list[str]:
    """Human-readable gaps in the content: thin (area, depth) cells and missing exercises."""
    problems: list[str] = []
    cells = Counter((q.type, q.depth) for q in questions)
    exercise_list = list(exercises)
    for area in area_keys():
        for depth in DEPTHS:
            count = cells[(area, depth)]
            if count < min_per_cell:
                problems.append(
                    f"only {count} {depth} question(s) for {area!r}, need {min_per_cell}"
                )
    if len(exercise_list) < min_exercises:
        problems.append(f"only {len(exercise_list)} exercise(s), need {min_exercises}")
    covered = {t for e in exercise_list for t in e.types}
    for area in area_keys():
        if area not in covered:
            problems.append(f"no exercise for {area!r}")
    return problems


@dataclass(frozen=True)
class Tagging:
    """Which exercises need a dimension tracked, and which items assume a shared home."""

    needs: dict[str, tuple[str, ...]]
    home_questions: frozenset[str]
    home_exercises: frozenset[str]


def load_tagging(
    questions: Iterable[Question],
    exercises: Iterable[Exercise],
    path: Path = TAGGING_PATH,
) -> Tagging:
    """The tags in the TOML file, checked against the ids and dimensions they name."""
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ContentError(f"{path.name}: cannot read: {e}") from e
    unknown = sorted(set(raw) - {"needs", "assumes"})
    if unknown:
        raise ContentError(f"{path.name}: unknown table(s) {', '.join(unknown)}")
    by_id = {e.id: e for e in exercises}
    question_ids = {q.id for q in questions}
    known_dimensions = set(area_keys()) - {GENERAL}

    needs: dict[str, tuple[str, ...]] = {}
    for ident, types in raw.get("needs", {}).items():
        where = f"{path.name} [needs] {ident!r}"
        if ident not in by_id:
            raise ContentError(f"{where}: no exercise has this id")
        if by_id[ident].general:
            # The whole point of "us": a general exercise never hides behind one dimension.
            raise ContentError(f"{where}: a general exercise (types include 'us') needs nothing")
        if not isinstance(types, list) or not types or not set(types) <= known_dimensions:
            raise ContentError(f"{where}: expected a list of intimacy types, got {types!r}")
        needs[ident] = tuple(types)

    assumes = raw.get("assumes", {})
    strange = sorted(set(assumes) - set(ASSUMPTIONS))
    if strange:
        raise ContentError(f"{path.name}: unknown assumption(s) {', '.join(strange)}")
    home = assumes.get(HOME, {})
    home_questions = frozenset(home.get("questions", []))
    home_exercises = frozenset(home.get("exercises", []))
    missing = sorted(home_questions - question_ids) + sorted(home_exercises - set(by_id))
    if missing:
        raise ContentError(f"{path.name} [assumes.home]: unknown id(s) {', '.join(missing)}")
    return Tagging(needs, home_questions, home_exercises)


def fits(item: Question | Exercise, living_together: bool | None) -> bool:
    """Whether what the item takes for granted holds for this couple (unsaid counts as no)."""
    return HOME not in item.assumes or living_together is True


def offered_for(
    exercise: Exercise, area: str, active: Iterable[str], living_together: bool | None
) -> bool:
    """The tagging rule: whether an exercise may be offered for an area (see tagging.toml)."""
    active = set(active)
    if not set(exercise.needs) <= active or not fits(exercise, living_together):
        return False
    return area in exercise.types or exercise.general


@cache
def questions() -> tuple[Question, ...]:
    """The shipped question bank, tagged, read once per process."""
    return _tagged()[0]


@cache
def exercises() -> tuple[Exercise, ...]:
    """The shipped exercise catalogue, tagged, read once per process."""
    return _tagged()[1]


@cache
def _tagged() -> tuple[tuple[Question, ...], tuple[Exercise, ...]]:
    """The shipped questions and exercises with the tags from tagging.toml applied."""
    bank, catalogue = load_questions(), load_exercises()
    tags = load_tagging(bank, catalogue)
    return (
        tuple(replace(q, assumes=(HOME,)) if q.id in tags.home_questions else q for q in bank),
        tuple(
            replace(
                e,
                needs=tags.needs.get(e.id, ()),
                assumes=(HOME,) if e.id in tags.home_exercises else (),
            )
            for e in catalogue
        ),
    )


def questions_for(area: str, depth: str | None = None) -> tuple[Question, ...]:
    """The shipped questions for one area, optionally at one depth, in file order."""
    return tuple(q for q in questions() if q.type == area and (depth is None or q.depth == depth))


def exercises_for(area: str) -> tuple[Exercise, ...]:
    """The shipped exercises that help an area, in file order."""
    return tuple(e for e in exercises() if area in e.types)
