"""Weekly plans and how each partner says they went."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from closer.plan_items import FollowupAnswer, ItemKind, Rating
from closer.store.db import VALID_WEEK, _now, write_transaction
from closer.store.model import Followup, PlanItem
from closer.store.readable import _valid_week, checked_week


def add_plan_item(
    db: Database, week: date, kind: ItemKind, item_id: str, dimension: str | None, partner_id: int
) -> bool:
    """Add a question or exercise to a week's plan; False if it was already there."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO plan_items (week, kind, item_id, dimension, partner_id, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [week.isoformat(), kind, item_id, dimension, partner_id, _now()],
        )
    return cursor.rowcount == 1


def remove_plan_item(db: Database, plan_item_id: int) -> None:
    """Take an item off a week's plan (its follow-ups go with it)."""
    with write_transaction(db):
        db.execute("DELETE FROM plan_items WHERE id = ?", [plan_item_id])


def save_commitment(db: Database, week: date, partner_id: int, body: str) -> None:
    """A partner's "what I'll do for you this week", replacing their earlier one for the week."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO plan_items (week, kind, partner_id, body, created_at) "
            "VALUES (?, 'commitment', ?, ?, ?) "
            "ON CONFLICT (week, partner_id) WHERE kind = 'commitment' "
            "DO UPDATE SET body = excluded.body",
            [week.isoformat(), partner_id, body, _now()],
        )


def _plan_items(db: Database, where: str, params: list) -> list[PlanItem]:
    return [
        PlanItem(id_, checked_week(week), ItemKind(kind), item_id, dimension, partner_id, body)
        for id_, week, kind, item_id, dimension, partner_id, body in db.execute(
            "SELECT id, week, kind, item_id, dimension, partner_id, body FROM plan_items "
            f"WHERE ({where}) AND {VALID_WEEK} ORDER BY week, id",
            params,
        )
    ]


def load_plan(db: Database, week: date) -> list[PlanItem]:
    """Everything in one week's plan, in the order it was added."""
    return _plan_items(db, "week = ?", [week.isoformat()])


def load_all_plans(db: Database) -> list[PlanItem]:
    """Every plan item ever, oldest first."""
    return _plan_items(db, "1", [])


def previous_plan_week(db: Database, before: date) -> date | None:
    """The latest week before `before` that has a plan, for the follow-up questions."""
    row = db.execute(
        f"SELECT max(week) FROM plan_items WHERE week < ? AND {VALID_WEEK}", [before.isoformat()]
    ).fetchone()
    return checked_week(row[0]) if row[0] else None


def save_followups(db: Database, partner_id: int, answers: dict[int, FollowupAnswer]) -> None:
    """Store a partner's follow-up on last week's plan, replacing earlier answers."""
    with write_transaction(db):
        _write_followups(db, partner_id, answers, _now())


def _write_followups(
    db: Database, partner_id: int, answers: dict[int, FollowupAnswer], now: str
) -> None:
    db.table("followups").upsert_all(
        (
            {
                "plan_item_id": plan_item_id,
                "partner_id": partner_id,
                "done": int(answer.done),
                "rating": answer.rating,
                "answered_at": now,
            }
            for plan_item_id, answer in answers.items()
        ),
        pk=("plan_item_id", "partner_id"),
    )


def load_followups(db: Database) -> list[Followup]:
    """Every follow-up answer about a plan item Closer can read."""
    return [
        Followup(plan_item_id, partner_id, bool(done), None if rating is None else Rating(rating))
        for plan_item_id, partner_id, done, rating in db.execute(
            "SELECT f.plan_item_id, f.partner_id, f.done, f.rating FROM followups f "
            f"JOIN plan_items p ON p.id = f.plan_item_id WHERE {_valid_week('p.week')} "
            "ORDER BY f.plan_item_id"
        )
    ]
