"""The kinds of item a weekly plan holds, and a partner's answer about one a week later."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class ItemKind(StrEnum):
    """What a plan item is: a question or exercise from Closer's lists, or a partner's words."""

    QUESTION = "question"
    EXERCISE = "exercise"
    COMMITMENT = "commitment"


# The two kinds that come from Closer's lists, and so can be offered, rated and suggested.
CATALOGUE_KINDS = (ItemKind.QUESTION, ItemKind.EXERCISE)


class Rating(IntEnum):
    """Whether a plan item helped, as a partner answered a week later."""

    HELPED = 1
    NOT_SURE = 0
    DID_NOT_HELP = -1


# The answers the check-in offers about a tried item, in the order it shows them.
RATING_CHOICES: dict[str, Rating] = {
    "It helped": Rating.HELPED,
    "Not sure": Rating.NOT_SURE,
    "It didn't help": Rating.DID_NOT_HELP,
}


@dataclass(frozen=True)
class FollowupAnswer:
    """A partner's answer about one plan item: done or not, and whether it helped."""

    done: bool
    rating: Rating | None = None


def followups_to_data(answers: dict[int, FollowupAnswer]) -> dict[str, dict[str, object]]:
    """Follow-up answers as JSON data, keyed by plan item id (a draft keeps them so)."""
    return {
        str(item_id): {
            "done": answer.done,
            "rating": None if answer.rating is None else int(answer.rating),
        }
        for item_id, answer in sorted(answers.items())
    }


def followups_problem(data: object) -> str | None:
    """Why stored follow-up answers can't be read (None when they can), whoever wrote them."""
    ratings = {int(r) for r in Rating}
    if not isinstance(data, dict):
        return "its answers about last week's plan aren't a set of answers"
    for key, answer in data.items():
        # An SQLite row id: digits, no leading zero, at most 18 of them (never a huge int()).
        if not (
            isinstance(key, str)
            and 0 < len(key) <= 18
            and key.isascii()
            and key.isdigit()
            and key[0] != "0"
        ):
            return "its answers about last week's plan name a plan item that can't exist"
        if not (
            isinstance(answer, dict)
            and set(answer) == {"done", "rating"}
            and isinstance(answer["done"], bool)
            and (
                answer["rating"] is None
                or (type(answer["rating"]) is int and answer["rating"] in ratings)
            )
        ):
            return "its answers about last week's plan aren't done or not, and a rating"
    return None


def followups_from_data(data: dict[str, dict]) -> dict[int, FollowupAnswer]:
    """Follow-up answers from data that followups_problem has passed."""
    return {
        int(key): FollowupAnswer(
            answer["done"], None if answer["rating"] is None else Rating(answer["rating"])
        )
        for key, answer in data.items()
    }
