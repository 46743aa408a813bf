"""Check-ins: current answers, saved versions, scores, monthly answers and drafts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from closer.checkin import (
    Answers,
    Checkin,
    CsiAnswers,
    Reflection,
    clean_answers,
)
from closer.plan_items import FollowupAnswer
from closer.store.db import StoreError, _now, write_transaction
from closer.store.plans import _write_followups
from closer.store.readable import (
    _readable_checkin,
    answers_problem,
    checked_week,
    readable_moment,
)
from closer.store.sealing import (
    _keyring,
    _open_csi,
    _open_revision,
    _open_text,
    _sealing_key,
    _stored_form,
)


class StaleCheckin(StoreError):
    """A save from a page that started before another tab saved the same check-in."""

    def __init__(self, revision: int, saved_at: str) -> None:
        super().__init__(
            "This check-in was saved from another tab or device since you opened it. "
            "Nothing was changed."
        )
        self.revision = revision
        self.saved_at = saved_at


@dataclass(frozen=True)
class SavedCheckin:
    """What a save did: the revision now current and the partner's total weeks checked in."""

    revision: int
    weeks_checked_in: int


def save_checkin(
    db: Database,
    partner_id: int,
    week: date,
    answers: Answers,
    saved_at: str | None = None,
    followups: dict[int, FollowupAnswer] | None = None,
    expected_revision: int | None = None,
) -> SavedCheckin:
    """Save a partner's check-in for a week (new, or a new revision), with any follow-ups.

    ``followups`` maps a plan item id to the partner's answer about it from last
    week's plan: stored in the same transaction, so a check-in is never saved half-way.
    ``expected_revision`` is the revision the person started from (0 for none): if another
    tab saved since, StaleCheckin is raised and nothing is written. The week's draft goes.
    """
    answers = clean_answers(answers)
    saved_at = saved_at or _now()
    with write_transaction(db):
        stored = _stored_form(answers, _sealing_key(db, partner_id), partner_id, week)
        row = db.execute(
            "SELECT id, revision, updated_at FROM checkins WHERE partner_id = ? AND week = ?",
            [partner_id, week.isoformat()],
        ).fetchone()
        if expected_revision is not None and (row[1] if row else 0) != expected_revision:
            # Saved (or deleted) elsewhere since this page was opened: let the person choose.
            # A time Closer can't read is not passed on: the page would try to show it.
            raise StaleCheckin(
                row[1] if row else 0, row[2] if row and readable_moment(row[2]) else ""
            )
        db.execute(
            "DELETE FROM checkin_drafts WHERE partner_id = ? AND week = ?",
            [partner_id, week.isoformat()],
        )
        if row is None:
            cursor = db.execute(
                "INSERT INTO checkins (partner_id, week, revision, created_at, updated_at) "
                "VALUES (?, ?, 1, ?, ?)",
                [partner_id, week.isoformat(), saved_at, saved_at],
            )
            checkin_id, revision = cursor.lastrowid, 1
        else:
            checkin_id, revision = row[0], row[1] + 1
            db.execute(
                "UPDATE checkins SET revision = ?, updated_at = ? WHERE id = ?",
                [revision, saved_at, checkin_id],
            )
            db.execute("DELETE FROM scores WHERE checkin_id = ?", [checkin_id])
            db.execute("DELETE FROM reflections WHERE checkin_id = ?", [checkin_id])
        db.table("scores").insert_all(
            {
                "checkin_id": checkin_id,
                "dimension": key,
                "score": score,
                "wants_more": int(key in answers.wants_more),
            }
            for key, score in answers.scores.items()
        )
        db.table("reflections").insert_all(
            {
                "checkin_id": checkin_id,
                "prompt": key,
                "body": stored.bodies[key],
                "shared": int(r.shared),
                "sealed": int(key in stored.sealed_prompts),
            }
            for key, r in answers.reflections.items()
        )
        db.execute("DELETE FROM csi_answers WHERE checkin_id = ?", [checkin_id])
        if answers.csi is not None:
            db.execute(
                "INSERT INTO csi_answers (checkin_id, item1, item2, item3, item4, shared, sealed) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [checkin_id, *stored.csi_values, int(answers.csi.shared), stored.csi_sealed],
            )
        db.execute(
            "INSERT INTO checkin_revisions (checkin_id, revision, saved_at, answers) "
            "VALUES (?, ?, ?, ?)",
            [checkin_id, revision, saved_at, stored.revision_json],
        )
        _write_followups(db, partner_id, followups or {}, saved_at)
        weeks = db.execute(
            "SELECT count(*) FROM checkins WHERE partner_id = ?", [partner_id]
        ).fetchone()[0]
    return SavedCheckin(revision=revision, weeks_checked_in=weeks)


def _load_checkins(db: Database, where: str, params: list) -> list[Checkin]:
    rows = list(
        db.execute(
            "SELECT id, partner_id, week, revision, updated_at FROM checkins "
            f"WHERE ({where}) AND {_readable_checkin()} ORDER BY week DESC, partner_id",
            params,
        ).fetchall()
    )
    if not rows:
        return []
    ids = [r[0] for r in rows]
    marks = ",".join("?" * len(ids))
    scores: dict[int, dict[str, int | None]] = {i: {} for i in ids}
    wants: dict[int, set[str]] = {i: set() for i in ids}
    for checkin_id, key, score, wants_more in db.execute(
        "SELECT checkin_id, dimension, score, wants_more FROM scores "
        f"WHERE checkin_id IN ({marks})",
        ids,
    ):
        scores[checkin_id][key] = score
        if wants_more:
            wants[checkin_id].add(key)
    author = {r[0]: (r[1], checked_week(r[2])) for r in rows}
    keyring = _keyring(db)
    reflections: dict[int, dict[str, Reflection]] = {i: {} for i in ids}
    for checkin_id, key, body, shared, sealed in db.execute(
        "SELECT checkin_id, prompt, body, shared, sealed FROM reflections "
        f"WHERE checkin_id IN ({marks})",
        ids,
    ):
        text = _open_text(keyring, *author[checkin_id], f"reflection:{key}", body, bool(sealed))
        # Sealed means private, whatever the flag says: a flag flipped in the file (by hand,
        # or by a trigger) must never hand a private note to the partner.
        reflections[checkin_id][key] = Reflection(text, bool(shared) and not sealed)
    csi: dict[int, CsiAnswers] = {}
    for checkin_id, *values, shared, sealed in db.execute(
        "SELECT checkin_id, item1, item2, item3, item4, shared, sealed FROM csi_answers "
        f"WHERE checkin_id IN ({marks})",
        ids,
    ):
        values = _open_csi(keyring, *author[checkin_id], sealed) if sealed else tuple(values)
        csi[checkin_id] = CsiAnswers(values, bool(shared) and not sealed)
    guesses = _current_guesses(db, ids)
    return [
        Checkin(
            id=cid,
            partner_id=pid,
            week=checked_week(week),
            revision=revision,
            updated_at=updated_at,
            answers=Answers(
                scores[cid],
                frozenset(wants[cid]),
                reflections[cid],
                csi.get(cid),
                guesses.get(cid, {}),
            ),
        )
        for cid, pid, week, revision, updated_at in rows
    ]


def _current_guesses(db: Database, ids: list[int]) -> dict[int, dict[str, int | None]]:
    """Each check-in's guesses, as its current saved version holds them (no table of their own).

    A current version Closer can't read gives no guesses: the scores still show, and Your
    data lists the damaged version.
    """
    marks = ",".join("?" * len(ids))
    found: dict[int, dict[str, int | None]] = {}
    for checkin_id, raw in db.execute(
        "SELECT r.checkin_id, r.answers FROM checkin_revisions r "
        "JOIN checkins c ON c.id = r.checkin_id AND c.revision = r.revision "
        # Only versions that mention guesses are parsed: most check-ins have none.
        f"WHERE r.checkin_id IN ({marks}) AND instr(r.answers, ?) > 0",
        [*ids, '"guesses"'],
    ):
        if answers_problem(raw) is None:
            found[checkin_id] = dict(json.loads(raw).get("guesses", {}))
    return found


def load_guesses(db: Database, partner_id: int) -> dict[date, dict[str, int | None]]:
    """A partner's guesses by week, from each current check-in that has any (raw: apply the
    reveal rule before showing any of the partner's answers beside them)."""
    weeks = {
        cid: checked_week(week)
        for cid, week in db.execute(
            f"SELECT id, week FROM checkins WHERE partner_id = ? AND {_readable_checkin()}",
            [partner_id],
        )
    }
    found = _current_guesses(db, list(weeks)) if weeks else {}
    return {weeks[cid]: guesses for cid, guesses in found.items() if guesses}


def load_checkin(db: Database, partner_id: int, week: date) -> Checkin | None:
    """One partner's current check-in for a week, or None."""
    found = _load_checkins(db, "partner_id = ? AND week = ?", [partner_id, week.isoformat()])
    return found[0] if found else None


def load_week(db: Database, week: date) -> list[Checkin]:
    """Every partner's current check-in for a week (raw: apply closer.reveal before showing)."""
    return _load_checkins(db, "week = ?", [week.isoformat()])


def load_weeks(db: Database, weeks: list[date]) -> dict[date, list[Checkin]]:
    """Current check-ins for several weeks at once, keyed by week."""
    if not weeks:
        return {}
    marks = ",".join("?" * len(weeks))
    found = _load_checkins(db, f"week IN ({marks})", [w.isoformat() for w in weeks])
    by_week: dict[date, list[Checkin]] = {w: [] for w in weeks}
    for checkin in found:
        by_week[checkin.week].append(checkin)
    return by_week


def checked_in_weeks(db: Database, partner_id: int | None = None) -> list[date]:
    """Weeks in which anyone (or this partner) checked in, newest first."""
    where, params = ("AND partner_id = ?", [partner_id]) if partner_id is not None else ("", [])
    return [
        checked_week(r[0])
        for r in db.execute(
            f"SELECT DISTINCT week FROM checkins WHERE {_readable_checkin()} {where} "
            "ORDER BY week DESC",
            params,
        )
    ]


def load_revisions(db: Database, partner_id: int, week: date) -> list[tuple[int, str, Answers]]:
    """Every saved version of a partner's check-in for a week, oldest first.

    A version Closer can't read (its answers or its time damaged) is left out: Your data
    lists it (store.unreadable_rows).
    """
    keyring = _keyring(db)
    return [
        (revision, saved_at, _open_revision(keyring, partner_id, week, raw))
        for revision, saved_at, raw in db.execute(
            "SELECT r.revision, r.saved_at, r.answers FROM checkin_revisions r "
            "JOIN checkins c ON c.id = r.checkin_id "
            "WHERE c.partner_id = ? AND c.week = ? ORDER BY r.revision",
            [partner_id, week.isoformat()],
        )
        if readable_revision(saved_at, raw)
    ]


def readable_revision(saved_at: object, raw: object) -> bool:
    """Whether a saved version or a draft can be read: its time and its answers."""
    return readable_moment(saved_at) is not None and answers_problem(raw) is None


def delete_checkins(db: Database, week: date, partner_id: int | None = None) -> int:
    """Delete one partner's or both check-ins of a week, in a transaction; returns how many."""
    if not db.execute("PRAGMA foreign_keys").fetchone()[0]:
        # Without them the check-in would go and its reflections stay behind, unreachable.
        raise ValueError("foreign keys are off: open the database with store.open_db")
    where, params = "week = ?", [week.isoformat()]  # type: tuple[str, list[str | int]]
    if partner_id is not None:
        where, params = f"{where} AND partner_id = ?", [*params, partner_id]
    with write_transaction(db):
        count = db.table("checkins").count_where(where, params)
        db.table("checkins").delete_where(where, params)
        # What was being typed for that week goes too: Check in would bring it back.
        db.table("checkin_drafts").delete_where(where, params)
    return count
