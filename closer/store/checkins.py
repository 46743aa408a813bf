"""Check-ins: current answers, saved versions, scores, monthly answers and drafts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlite_utils import Database

from closer.checkin import (
    Answers,
    Checkin,
    CsiAnswers,
    Reflection,
    clean_answers,
)
from closer.plan_items import FollowupAnswer, followups_from_data, followups_to_data
from closer.store.db import StoreError, _now, write_transaction
from closer.store.model import CsiRecord
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
    return [
        Checkin(
            id=cid,
            partner_id=pid,
            week=checked_week(week),
            revision=revision,
            updated_at=updated_at,
            answers=Answers(scores[cid], frozenset(wants[cid]), reflections[cid], csi.get(cid)),
        )
        for cid, pid, week, revision, updated_at in rows
    ]


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


# A CTE of the check-ins Closer can read, checked once per check-in (not once per joined row:
# the checks are Python functions, and a decade has thousands of scores).
_READABLE_CHECKINS = (
    f"c AS MATERIALIZED (SELECT id, partner_id, week FROM checkins WHERE {_readable_checkin()})"
)


# The score table load_scores returns (closer.analysis works on it): one row per check-in
# and dimension answered.
SCORE_DTYPES = {
    "week": "datetime64[ns]",
    "partner_id": "int64",
    "partner": "str",
    "dimension": "str",
    "score": "float64",
    "wants_more": "bool",
}


SCORE_COLUMNS = list(SCORE_DTYPES)


def load_scores(db: Database, since: date | None = None) -> pd.DataFrame:
    """All scores in long form: week, partner_id, partner, dimension, score (NaN if skipped)."""
    where, params = ("AND week >= ?", [since.isoformat()]) if since else ("", [])
    rows = db.execute(
        f"WITH {_READABLE_CHECKINS} "
        "SELECT c.week, c.partner_id, p.name, s.dimension, s.score, s.wants_more "
        "FROM scores s JOIN c ON c.id = s.checkin_id "
        f"JOIN partners p ON p.id = c.partner_id WHERE 1 {where} ORDER BY c.week, c.partner_id",
        params,
    ).fetchall()
    return pd.DataFrame(rows, columns=SCORE_COLUMNS).astype(SCORE_DTYPES)


def first_checkin_week(db: Database) -> date | None:
    """The couple's first check-in week, from which the monthly measure is counted."""
    row = db.execute(f"SELECT min(week) FROM checkins WHERE {_readable_checkin()}").fetchone()
    return checked_week(row[0]) if row[0] else None


def load_csi(db: Database) -> list[CsiRecord]:
    """Every CSI-4 answer, oldest week first."""
    keyring = _keyring(db)
    records = []
    for partner_id, week, *values, shared, sealed in db.execute(
        f"WITH {_READABLE_CHECKINS} "
        "SELECT c.partner_id, c.week, a.item1, a.item2, a.item3, a.item4, a.shared, a.sealed "
        "FROM csi_answers a JOIN c ON c.id = a.checkin_id ORDER BY c.week, c.partner_id"
    ):
        day = checked_week(week)
        if sealed:
            values = _open_csi(keyring, partner_id, day, sealed)
        records.append(CsiRecord(partner_id, day, tuple(values), bool(shared) and not sealed))
    return records


@dataclass(frozen=True)
class Draft:
    """An unsaved check-in: the answers so far, and the revision it started from (0: none).

    ``followups`` are the answers about last week's plan so far, by plan item id.
    """

    answers: Answers
    base_revision: int
    saved_at: str
    followups: dict[int, FollowupAnswer] = field(default_factory=dict)


def save_draft(
    db: Database,
    partner_id: int,
    week: date,
    answers: Answers,
    base_revision: int,
    followups: dict[int, FollowupAnswer] | None = None,
) -> None:
    """Keep what a partner has typed so far for a week, sealed like their saved notes.

    The answers about last week's plan go in the same JSON: they are not private (the
    reveal shows them), so nothing in them is sealed.
    """
    with write_transaction(db):
        stored = _stored_form(answers, _sealing_key(db, partner_id), partner_id, week)
        kept = stored.revision_json
        if followups:
            data = json.loads(kept) | {"followups": followups_to_data(followups)}
            kept = json.dumps(data, ensure_ascii=False, sort_keys=True)
        db.execute(
            "INSERT INTO checkin_drafts (partner_id, week, base_revision, saved_at, answers) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (partner_id, week) DO UPDATE SET "
            "base_revision = excluded.base_revision, saved_at = excluded.saved_at, "
            "answers = excluded.answers",
            [partner_id, week.isoformat(), base_revision, _now(), kept],
        )


def load_draft(db: Database, partner_id: int, week: date) -> Draft | None:
    """A partner's unsaved check-in for a week, or None."""
    row = db.execute(
        "SELECT answers, base_revision, saved_at FROM checkin_drafts "
        "WHERE partner_id = ? AND week = ?",
        [partner_id, week.isoformat()],
    ).fetchone()
    if row is None or not readable_revision(row[2], row[0]) or not _is_count(row[1]):
        return None  # a draft Closer can't read is as good as none; Your data lists it
    answers = _open_revision(_keyring(db), partner_id, week, row[0])
    # Checked already (readable_revision): a draft with answers Closer can't read is none.
    followups = followups_from_data(json.loads(row[0]).get("followups", {}))
    return Draft(answers, row[1], row[2], followups)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and value >= 0


def discard_draft(db: Database, partner_id: int, week: date) -> None:
    """Forget a partner's unsaved check-in for a week."""
    db.execute(
        "DELETE FROM checkin_drafts WHERE partner_id = ? AND week = ?",
        [partner_id, week.isoformat()],
    )


def revision_rows(db: Database, checkin_id: int) -> list[dict]:
    """A check-in's saved versions as rows, oldest revision first."""
    return list(
        db["checkin_revisions"].rows_where("checkin_id = ?", [checkin_id], order_by="revision")
    )


def delete_revision_rows(db: Database, checkin_id: int) -> None:
    """Delete a check-in's saved versions (a merge writes them back renumbered)."""
    db.execute("DELETE FROM checkin_revisions WHERE checkin_id = ?", [checkin_id])


def set_checkin_revision(db: Database, checkin_id: int, revision: int) -> None:
    """Point a check-in at its current revision number (after a merge renumbers its history)."""
    db.execute("UPDATE checkins SET revision = ? WHERE id = ?", [revision, checkin_id])


def checkin_revision(db: Database, checkin_id: int) -> int:
    """The current revision number of a check-in."""
    return db.execute("SELECT revision FROM checkins WHERE id = ?", [checkin_id]).fetchone()[0]


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


def checkin_owner(db: Database, checkin_id: int) -> int:
    """The partner a check-in belongs to."""
    return db.execute("SELECT partner_id FROM checkins WHERE id = ?", [checkin_id]).fetchone()[0]
