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
