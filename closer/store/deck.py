"""Date-night evenings: the cards shown, skipped and starred; who said yes to sex questions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlite_utils import Database

from closer.deck import CardRecord
from closer.store.db import _now, write_transaction


def start_deck_evening(db: Database, started_at: datetime, minutes: int) -> int:
    """Keep that an evening began (its moment and length); returns its id."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO deck_evenings (started_at, minutes) VALUES (?, ?)",
            [started_at.isoformat(), minutes],  # to the microsecond: one a moment
        )
    assert cursor.lastrowid is not None  # an INSERT always has one
    return cursor.lastrowid


def save_deck_cards(db: Database, evening_id: int, cards: Iterable[CardRecord]) -> None:
    """Keep an evening's cards as they stand now: shown, skipped, starred."""
    with write_transaction(db):
        db.table("deck_cards").upsert_all(
            (
                {
                    "evening_id": evening_id,
                    "position": card.position,
                    "question_id": card.question_id,
                    "skipped": int(card.skipped),
                    "starred": int(card.starred),
                }
                for card in cards
            ),
            pk=("evening_id", "question_id"),
        )


def recently_seen_cards(db: Database, evenings: int) -> set[str]:
    """The cards shown in the latest ``evenings`` evenings."""
    return {
        row[0]
        for row in db.execute(
            "SELECT DISTINCT question_id FROM deck_cards WHERE evening_id IN"
            " (SELECT id FROM deck_evenings ORDER BY started_at DESC, id DESC LIMIT ?)",
            [evenings],
        )
    }


def starred_cards(db: Database) -> list[str]:
    """The cards starred now, latest star first: a card's latest evening says whether it is."""
    latest: dict[str, bool] = {}
    for question_id, starred in db.execute(
        "SELECT c.question_id, c.starred FROM deck_cards c"
        " JOIN deck_evenings e ON e.id = c.evening_id ORDER BY e.started_at, e.id, c.position"
    ):
        latest.pop(question_id, None)  # re-inserted, so the order is by latest showing
        latest[question_id] = starred == 1
    return [q for q, starred in reversed(latest.items()) if starred]


def load_deck_opt_ins(db: Database) -> dict[int, bool]:
    """Each partner's say on sexual questions in the deck; a partner who never said is absent."""
    return {
        partner_id: sexual == 1
        for partner_id, sexual in db.execute("SELECT partner_id, sexual FROM deck_opt_ins")
    }


def set_deck_opt_in(db: Database, partner_id: int, sexual: bool) -> None:
    """A partner's own say on sexual questions in the deck (pages pass only the viewer's id)."""
    with write_transaction(db):
        db.table("deck_opt_ins").upsert(
            {"partner_id": partner_id, "sexual": int(sexual), "changed_at": _now()},
            pk="partner_id",
        )
