"""The domain types that the pure modules and the pages share with the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from closer.plan_items import ItemKind, Rating


@dataclass(frozen=True)
class Partner:
    """One of the (at most two) people using this Closer."""

    id: int
    name: str


@dataclass(frozen=True)
class CsiRecord:
    """One partner's CSI-4 answers in one week."""

    partner_id: int
    week: date
    values: tuple[int | None, ...]
    shared: bool


@dataclass(frozen=True)
class PlanItem:
    """One thing in a week's plan: a question, an exercise, or a partner's commitment."""

    id: int
    week: date
    kind: ItemKind
    item_id: str | None
    dimension: str | None
    partner_id: int | None
    body: str | None


@dataclass(frozen=True)
class Followup:
    """A partner's answer about one plan item: done or not, and whether it helped."""

    plan_item_id: int
    partner_id: int
    done: bool
    rating: Rating | None


@dataclass(frozen=True)
class NoteReply:
    """A partner's reply to a shared note, shown to both under the note."""

    week: date
    note_author_id: int
    prompt: str
    author_id: int
    body: str


@dataclass(frozen=True)
class TalkMark:
    """A shared note one of the two marked "let's talk about this" for Our talk."""

    week: date
    note_author_id: int
    prompt: str
    marked_by: int
