"""What one partner answers in one weekly check-in, and the rules those answers must follow."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

from closer.csi4 import ITEMS
from closer.plan_items import followups_problem
from closer.survey import (
    REFLECTION_MAX_CHARS,
    SCORE_MAX,
    SCORE_MIN,
    dimension_keys,
    reflection_prompts,
)

NAME_MAX_CHARS = 40
_WEB_ADDRESS = re.compile(r"(://|\bwww\.|@\w+\.\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Reflection:
    """A free-text answer and whether its author shares it with their partner.

    ``sealed`` is set only on what the store writes and reads back raw: the text is then
    ciphertext (closer.vault) that only its author's key opens.
    """

    text: str
    shared: bool
    sealed: bool = False


@dataclass(frozen=True)
class CsiAnswers:
    """The four CSI-4 answers (None where unanswered) and whether the partner shares them."""

    values: tuple[int | None, ...]
    shared: bool


@dataclass(frozen=True)
class Answers:
    """Scores (None: skipped; absent: not answered), "more of this" ticks, reflections, CSI-4.

    ``guesses`` are the author's guesses at their partner's scores (type key -> 1–10, None
    for "not sure"; absent: not guessed). They live here so that the reveal rule, drafts,
    saved versions, backups and erasing cover them exactly as they cover the scores.
    """

    scores: dict[str, int | None] = field(default_factory=dict)
    wants_more: frozenset[str] = frozenset()
    reflections: dict[str, Reflection] = field(default_factory=dict)
    csi: CsiAnswers | None = None  # only in the weeks the CSI-4 is asked
    guesses: dict[str, int | None] = field(default_factory=dict)

    def to_json(self) -> str:
        """Serialise for the revision history."""
        data = {
            "scores": self.scores,
            "wants_more": sorted(self.wants_more),
            "reflections": {
                k: {"text": r.text, "shared": r.shared} | ({"sealed": True} if r.sealed else {})
                for k, r in self.reflections.items()
            },
        }
        if self.csi is not None:
            data["csi"] = {"values": list(self.csi.values), "shared": self.csi.shared}
        if self.guesses:
            # Only when there are any: a check-in without guesses reads as it always did.
            data["guesses"] = self.guesses
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> Answers:
        """Rebuild answers saved with to_json."""
        data = json.loads(raw)
        csi = data.get("csi")
        return cls(
            scores=dict(data["scores"]),
            wants_more=frozenset(data["wants_more"]),
            reflections={k: Reflection(**v) for k, v in data["reflections"].items()},
            csi=CsiAnswers(tuple(csi["values"]), csi["shared"]) if csi else None,
            guesses=dict(data.get("guesses", {})),
        )


@dataclass(frozen=True)
class Checkin:
    """A saved check-in: who, which week, which revision, and the answers."""

    id: int
    partner_id: int
    week: date
    revision: int
    updated_at: str
    answers: Answers


def clean_answers(answers: Answers) -> Answers:
    """Drop reflections that are blank, so an empty box is not stored as an answer."""
    kept = {k: r for k, r in answers.reflections.items() if r.text.strip()}
    return replace(answers, reflections=kept)


def unanswered(answers: Answers, active_dimensions: list[str]) -> list[str]:
    """Active intimacy types the person neither scored nor skipped, in the order given."""
    return [k for k in active_dimensions if k not in answers.scores]


def too_long(text: str) -> str | None:
    """What to say about a reflection over the length limit (None when it fits)."""
    if len(text) <= REFLECTION_MAX_CHARS:
        return None
    return (
        f"This is {len(text):,} characters; the limit is {REFLECTION_MAX_CHARS:,}. "
        "Everything you wrote is still here: shorten it a little, then save."
    )


def _has_control_characters(text: str) -> bool:
    # Line breaks and tabs are ordinary typing; other control characters are invisible
    # and usually come from a bad paste, so they are refused rather than silently stored.
    return any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in text)


def validate_answers(answers: Answers, active_dimensions: list[str]) -> dict[str, str]:
    """Problems with a check-in, keyed by field ('score:KEY', 'reflection:KEY' or 'form')."""
    errors: dict[str, str] = {}
    for key in active_dimensions:
        # Absent is "not answered" and None is "skipped": both are answers a person may give.
        score = answers.scores.get(key)
        if score is None:
            continue
        if isinstance(score, bool) or not isinstance(score, int):
            errors[f"score:{key}"] = "Choose a score from 1 to 10, or skip this one."
        elif not SCORE_MIN <= score <= SCORE_MAX:
            errors[f"score:{key}"] = f"Scores go from {SCORE_MIN} to {SCORE_MAX}."
    for key in sorted(answers.wants_more - answers.scores.keys()):
        # A "more of this" is stored with the type's score: without one it would be lost.
        errors[f"score:{key}"] = "Give this a score, or skip it, to keep “More of this”."
    for key in answers.scores:
        if key not in active_dimensions:
            errors[f"score:{key}"] = "This intimacy type is not part of your check-in."
    prompt_keys = {p.key for p in reflection_prompts()}
    for key, reflection in answers.reflections.items():
        if key not in prompt_keys:
            errors[f"reflection:{key}"] = "This question is not part of the check-in."
        elif (message := too_long(reflection.text)) is not None:
            errors[f"reflection:{key}"] = message
        elif _has_control_characters(reflection.text):
            errors[f"reflection:{key}"] = (
                "This text contains hidden control characters (often from a paste). "
                "Retype the affected part and save again."
            )
    if answers.csi is not None:
        errors.update(_csi_errors(answers.csi))
    errors.update(_guess_errors(answers.guesses, active_dimensions))
    has_score = any(answers.scores.get(k) is not None for k in active_dimensions)
    has_words = any(r.text.strip() for r in answers.reflections.values())
    if not errors and not has_score and not has_words:
        errors["form"] = (
            "There is nothing to save yet: give at least one score or write a few words."
        )
    return errors


def _guess_errors(guesses: dict[str, int | None], active_dimensions: list[str]) -> dict[str, str]:
    errors = {}
    for key, guess in guesses.items():
        if key not in active_dimensions:
            errors[f"guess:{key}"] = "This intimacy type is not part of your check-in."
        elif guess is not None and not (_is_int(guess) and SCORE_MIN <= guess <= SCORE_MAX):
            errors[f"guess:{key}"] = (
                f"Guesses go from {SCORE_MIN} to {SCORE_MAX}, or choose “Not sure”."
            )
    return errors


def _csi_errors(csi: CsiAnswers) -> dict[str, str]:
    if len(csi.values) != len(ITEMS):
        return {"csi": f"The satisfaction questions need {len(ITEMS)} answers."}
    for item, value in zip(ITEMS, csi.values, strict=True):
        if value is not None and not (
            isinstance(value, int)
            and not isinstance(value, bool)
            and 0 <= value < len(item.options)
        ):
            return {"csi": f"Question {item.number} needs one of its listed answers."}
    return {}


# Invisible characters real names need: the zero-width non-joiner and joiner (Persian,
# Indic scripts, emoji sequences such as 👩‍❤️‍👨) and variation selectors (emoji and
# ideographs). Every other format or control character (bidirectional overrides and
# isolates, zero-width spaces, U+FEFF, line separators) can disguise a name, so is refused.
_NAME_JOINERS = frozenset("\u200c\u200d")
_REFUSED_IN_NAMES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def _is_name_joiner(c: str) -> bool:
    return c in _NAME_JOINERS or "\ufe00" <= c <= "\ufe0f" or "\U000e0100" <= c <= "\U000e01ef"


def _visible_name(name: str) -> str:
    """A name without its joiners and variation selectors, as it is read on screen."""
    return "".join(c for c in name.strip() if not _is_name_joiner(c)).casefold()


def validate_partner_name(name: str, other_names: list[str]) -> tuple[str, str | None]:
    """The trimmed name and a problem with it (None when the name is fine)."""
    trimmed = name.strip()
    if not _visible_name(trimmed):
        return trimmed, "Please enter a name."
    if len(trimmed) > NAME_MAX_CHARS:
        return trimmed, f"Names can be up to {NAME_MAX_CHARS} characters ({len(trimmed)} now)."
    if any(
        unicodedata.category(c) in _REFUSED_IN_NAMES and c not in _NAME_JOINERS for c in trimmed
    ):
        return trimmed, "This name contains hidden characters. Please retype it."
    if _WEB_ADDRESS.search(trimmed):
        # Streamlit turns any web address into a link, escaped or not: a name must read
        # exactly as typed everywhere, so addresses are refused at the door.
        return trimmed, "Names can't contain a web address."
    # Two names that read the same on screen are the same name, joiners or not.
    if _visible_name(trimmed) in {_visible_name(n) for n in other_names}:
        return trimmed, "The two of you need different names here."
    return trimmed, None


@dataclass(frozen=True)
class NamePair:
    """Two names as typed, trimmed, each with its problem (None when it is fine)."""

    first: str
    second: str  # "" when no second name was given: it is optional
    first_problem: str | None
    second_problem: str | None

    @property
    def problem(self) -> str | None:
        """The first problem to fix, for a form with one place to say it."""
        return self.first_problem or self.second_problem


def validate_name_pair(first: str, second: str, taken: list[str]) -> NamePair:
    """A name (apart from ``taken``) and an optional second one that differs from the first."""
    name, problem = validate_partner_name(first, taken)
    other, other_problem = second.strip(), None
    if other:
        other, other_problem = validate_partner_name(second, [name])
    return NamePair(name, other, problem, other_problem)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def stored_answers_problem(raw: object) -> str | None:
    """Why a stored answers value (a saved version or a draft) can't be read; None if it can.

    The stored form is Answers.to_json's, with private parts possibly sealed (the text of a
    reflection marked ``"sealed": true``, and a CSI-4 ``sealed`` value beside four empty
    answers); a draft may also hold the answers about last week's plan (``followups``).
    """
    if not isinstance(raw, str):
        return "its answers aren't text"
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return "its answers aren't readable JSON"
    if not isinstance(data, dict) or not {"scores", "wants_more", "reflections"} <= data.keys():
        return "its answers don't have the shape of a check-in"
    if set(data) - {"scores", "wants_more", "reflections", "csi", "guesses", "followups"}:
        return "its answers hold something a check-in never does"
    if "followups" in data and (problem := followups_problem(data["followups"])) is not None:
        return problem
    scores, wants, reflections = data["scores"], data["wants_more"], data["reflections"]
    if not isinstance(scores, dict) or not all(
        v is None or (_is_int(v) and SCORE_MIN <= v <= SCORE_MAX) for v in scores.values()
    ):
        return "its scores aren't scores from 1 to 10"
    if not isinstance(wants, list) or not all(isinstance(k, str) for k in wants):
        return "its “more of this” ticks aren't a list of intimacy types"
    if not isinstance(reflections, dict) or not all(
        isinstance(r, dict)
        and {"text", "shared"} <= r.keys() <= {"text", "shared", "sealed"}
        and isinstance(r["text"], str)
        and isinstance(r["shared"], bool)
        # A sealed note is marked so (closer.store.sealing), and is never shared.
        and r.get("sealed", False) in (False, True)
        and not (r.get("sealed") is True and r["shared"])
        for r in reflections.values()
    ):
        return "its reflections aren't text"
    csi = data.get("csi")
    if csi is not None and not (
        isinstance(csi, dict)
        and {"values", "shared"} <= csi.keys() <= {"values", "shared", "sealed"}
        and isinstance(csi["values"], list)
        and len(csi["values"]) == len(ITEMS)
        and all(v is None or _is_int(v) for v in csi["values"])
        and isinstance(csi["shared"], bool)
        and isinstance(csi.get("sealed", ""), str)
    ):
        return "its satisfaction answers aren't four answers"
    guesses = data.get("guesses", {})
    if not isinstance(guesses, dict) or not all(
        isinstance(k, str) and k in dimension_keys() for k in guesses
    ):
        return "its guesses aren't for Closer's intimacy types"
    if not all(v is None or (_is_int(v) and SCORE_MIN <= v <= SCORE_MAX) for v in guesses.values()):
        return "its guesses aren't guesses from 1 to 10"
    return None


def without_plan_answers(raw: str) -> str:
    """A stored draft's answers without its answers about last week's plan (if readable)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return raw  # unreadable: left as it is, for the rules to refuse or Your data to list
    if not isinstance(data, dict) or "followups" not in data:
        return raw
    del data["followups"]
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
