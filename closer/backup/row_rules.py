"""The rules restored data obeys: the same as for what a person types into Closer.

The JSON Schema (data/backup.schema.json) checks each value on its own; these rules need the
rest of the file: the other partner's name, the file's export date, a check-in's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from closer.checkin import Answers, CsiAnswers, Reflection, validate_answers, validate_partner_name
from closer.plans import COMMITMENT_MAX_CHARS, REPLY_MAX_CHARS, commitment_problem, reply_problem
from closer.settings import setting_problem
from closer.survey import dimension_keys
from closer.words import cut

FIRST_WEEK = date(2000, 1, 3)  # the first Monday of 2000: nothing in Closer is older
YEARS_AHEAD = 10  # a week may be planned ahead, but not further than this past the export


class RuleBroken(ValueError):
    """A value in a backup that typed data could never hold, said as the rule it breaks."""


def check_rules(tables: Mapping[str, list[dict[str, Any]]], exported_at: datetime) -> None:
    """Raise RuleBroken for the first row that breaks a rule typed data follows."""
    _check_names(tables.get("partners", []))
    last_week = _years_later(exported_at.date(), YEARS_AHEAD)
    for table, rows in tables.items():
        for number, row in enumerate(rows, 1):
            if "week" not in row:
                break  # a table without weeks (every row has the same columns)
            week = date.fromisoformat(row["week"])
            if not FIRST_WEEK <= week <= last_week:
                raise RuleBroken(
                    f"table '{table}' row {number}: the week {row['week']} is outside the weeks "
                    f"Closer keeps ({FIRST_WEEK.isoformat()} to {last_week.isoformat()}, ten "
                    "years after the backup was made)"
                )
    for number, row in enumerate(tables.get("reflections", []), 1):
        _check_note(number, row)

    _check_typed_text(tables)
    for number, row in enumerate(tables.get("settings", []), 1):
        problem = setting_problem(row["key"], row["value"])
        if problem:
            raise RuleBroken(f"table 'settings' row {number}: {row['key']} {problem}")
    _check_histories(tables)
    _check_evenings(tables.get("deck_evenings", []), exported_at)


def _check_evenings(evenings: list[dict[str, Any]], exported_at: datetime) -> None:
    """A date-night evening began at a real moment, no later than the backup was made."""
    for number, row in enumerate(evenings, 1):
        try:
            began = datetime.fromisoformat(row["started_at"])
        except ValueError:
            began = None
        if began is not None and began.tzinfo is None:
            began = began.replace(tzinfo=exported_at.tzinfo)
        if began is None or began > exported_at:
            raise RuleBroken(
                f"table 'deck_evenings' row {number}: started_at must be a date and time "
                "no later than the backup was made"
            )


# Text a person types outside a check-in, with the rule it follows when typed (closer.plans).
_TYPED_TEXT = {
    "note_replies": ("a reply", REPLY_MAX_CHARS, reply_problem),
    "plan_items": ("a promise", COMMITMENT_MAX_CHARS, commitment_problem),
}


def _check_typed_text(tables: Mapping[str, list[dict[str, Any]]]) -> None:
    """Replies and promises obey the rules typed ones follow, said as the rule they break."""
    for table, (what, limit, problem) in _TYPED_TEXT.items():
        for number, row in enumerate(tables.get(table, []), 1):
            text = row.get("body")
            if table == "plan_items" and row.get("kind") != "commitment":
                continue
            if not isinstance(text, str) or problem(text) is None:
                continue  # a value of another type is the schema's to refuse
            if not text.strip():
                rule = f"{what} can't be empty"
            elif len(text) > limit:
                rule = f"{what} is at most {limit} characters, and this one has {len(text):,}"
            else:
                rule = f"{what} can't hold hidden control characters"
            raise RuleBroken(f"table '{table}' row {number}: {rule}")


def _check_note(number: int, row: dict[str, Any]) -> None:
    """A note is sealed (and then private) by its mark; unmarked, it obeys the typed rules."""
    if row.get("sealed"):
        if row["shared"]:
            raise RuleBroken(f"table 'reflections' row {number}: a sealed note is never shared")
        return
    note = Answers(reflections={row["prompt"]: Reflection(row["body"], bool(row["shared"]))})
    problems = validate_answers(note, [])
    problems.pop("form", None)
    if problems:
        problem = next(iter(problems.values()))
        raise RuleBroken(f"table 'reflections' row {number}: {problem.rstrip('.')}")


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check_names(partners: list[dict[str, Any]]) -> None:
    names = [row["name"] for row in partners]
    for number, name in enumerate(names, 1):
        others = names[: number - 1]
        trimmed, problem = validate_partner_name(name, others)
        if problem is None and trimmed != name:
            problem = "Names can't start or end with spaces."
        if problem and trimmed.casefold() in {n.strip().casefold() for n in others}:
            twin = next(n for n in others if n.strip().casefold() == trimmed.casefold())
            raise RuleBroken(
                f"table 'partners' row {number}: “{cut(name)}” and “{cut(twin)}” are the same name "
                "ignoring case, and the two of you need different names"
            )
        if problem:
            raise RuleBroken(f"table 'partners' row {number}: the name “{cut(name)}”: {problem}")


def _check_histories(tables: Mapping[str, list[dict[str, Any]]]) -> None:
    """Every check-in has its saved versions 1..n, the last holding its current answers."""
    versions: dict[Any, list[tuple[int, dict[str, Any]]]] = {}
    for number, row in enumerate(tables.get("checkin_revisions", []), 1):
        versions.setdefault(row["checkin_id"], []).append((number, row))
    current = _current_answers(tables)
    for number, checkin in enumerate(tables.get("checkins", []), 1):
        where = f"table 'checkins' row {number}"
        saved = sorted(versions.get(checkin["id"], []), key=lambda v: v[1]["revision"])
        if not saved:
            raise RuleBroken(f"{where}: the check-in has no saved versions in 'checkin_revisions'")
        if [row["revision"] for _, row in saved] != list(range(1, checkin["revision"] + 1)):
            raise RuleBroken(
                f"{where}: its saved versions must be numbered 1 to {checkin['revision']}, "
                "once each"
            )
        for revision_number, row in saved:
            _check_saved_answers(revision_number, row["answers"])
        latest = saved[-1][1]["answers"]
        if not _same(Answers.from_json(latest), current[checkin["id"]]):
            raise RuleBroken(
                f"{where}: its latest saved version must hold the check-in's answers, as "
                "Closer saves them"
            )


def _check_saved_answers(number: int, raw: str) -> None:
    # Its shape is checked already (backup_format: JSON as Closer saves it); here its values.
    answers = Answers.from_json(raw)
    # A saved version holds sealed private notes as sealed text (closer.vault), of any length:
    # the typed-text rules apply to what is plain. A wish for more on a type without a score
    # could never be kept in the scores table, so an old version carrying one is harmless.
    answers = replace(
        answers,
        reflections={k: r for k, r in answers.reflections.items() if not r.sealed},
        wants_more=answers.wants_more & answers.scores.keys(),
    )
    # The types scored then count as active: a type may have been dropped since.
    known = set(dimension_keys())
    # A guess may be for a type left unanswered that week: its types count too.
    scored_or_guessed = [*answers.scores, *(k for k in answers.guesses if k not in answers.scores)]
    problems = validate_answers(answers, [key for key in scored_or_guessed if key in known])
    problems.pop("form", None)  # an empty version is odd, but harmless to bring back
    if problems:
        field, problem = next(iter(problems.items()))
        raise RuleBroken(f"table 'checkin_revisions' row {number} ({field}): {problem.rstrip('.')}")


def _current_answers(tables: Mapping[str, list[dict[str, Any]]]) -> dict[Any, Answers]:
    """Each check-in's answers as its scores, reflections and CSI-4 rows hold them."""
    scores: dict[Any, dict[str, int | None]] = {}
    wants: dict[Any, set[str]] = {}
    for row in tables.get("scores", []):
        scores.setdefault(row["checkin_id"], {})[row["dimension"]] = row["score"]
        if row["wants_more"]:
            wants.setdefault(row["checkin_id"], set()).add(row["dimension"])
    reflections: dict[Any, dict[str, Reflection]] = {}
    for row in tables.get("reflections", []):
        reflection = Reflection(row["body"], bool(row["shared"]), bool(row.get("sealed")))
        reflections.setdefault(row["checkin_id"], {})[row["prompt"]] = reflection
    csi: dict[Any, CsiAnswers | None] = {}
    for row in tables.get("csi_answers", []):
        values = tuple(row.get(f"item{i}") for i in range(1, 5))
        # Sealed answers can only be compared by their author's key: None stands for "any".
        csi[row["checkin_id"]] = (
            None if row.get("sealed") else CsiAnswers(values, bool(row["shared"]))
        )
    return {
        row["id"]: Answers(
            scores.get(row["id"], {}),
            frozenset(wants.get(row["id"], set())),
            reflections.get(row["id"], {}),
            csi.get(row["id"], _NO_CSI),
        )
        for row in tables.get("checkins", [])
    }


_NO_CSI = CsiAnswers((), False)  # stands for "no CSI-4 row", unlike a sealed one (None)


def _same(saved: Answers, current: Answers) -> bool:
    """Whether a saved version and the current rows say the same, sealed parts aside."""
    # A "more of this" on a type not scored is never stored as a row: only the rest counts.
    wants_more = saved.wants_more & saved.scores.keys()
    if (saved.scores, wants_more) != (current.scores, current.wants_more):
        return False
    if saved.reflections.keys() != current.reflections.keys():
        return False
    for key, now in current.reflections.items():
        then = saved.reflections[key]
        if then.shared != now.shared or then.sealed != now.sealed:
            return False
        if not now.sealed and then != now:
            return False
    if current.csi is None:  # sealed
        return True
    return saved.csi == (None if current.csi == _NO_CSI else current.csi)
