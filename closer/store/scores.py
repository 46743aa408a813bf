"""Scores and CSI-4 answers in the shapes the analysis and the charts read."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlite_utils import Database

from closer.store.model import CsiRecord
from closer.store.readable import _readable_checkin, checked_week
from closer.store.sealing import _keyring, _open_csi

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


def load_csi(db: Database, since: date | None = None) -> list[CsiRecord]:
    """Every CSI-4 answer (from week ``since`` on), oldest week first."""
    # Only the weeks asked for are read and unsealed: the care note wants twelve weeks, and
    # opening ten years of sealed answers on every page switch would be wasted work.
    where, params = ("WHERE c.week >= ?", [since.isoformat()]) if since else ("", [])
    keyring = _keyring(db)
    records = []
    for partner_id, week, *values, shared, sealed in db.execute(
        f"WITH {_READABLE_CHECKINS} "
        "SELECT c.partner_id, c.week, a.item1, a.item2, a.item3, a.item4, a.shared, a.sealed "
        f"FROM csi_answers a JOIN c ON c.id = a.checkin_id {where} ORDER BY c.week, c.partner_id",
        params,
    ):
        day = checked_week(week)
        if sealed:
            values = _open_csi(keyring, partner_id, day, sealed)
        records.append(CsiRecord(partner_id, day, tuple(values), bool(shared) and not sealed))
    return records
