"""Literal builders for tests: check-in answers, score tables and weak areas from short tuples."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlite_utils import Database

from closer import security, store
from closer.analysis import WeakArea
from closer.checkin import Answers, CsiAnswers, Reflection

MONDAY = date(2026, 11, 16)  # the week of 16–22 Nov 2026
PARTNER_IDS = {"Sam": 1, "Alex": 2}
# Mondays, so tables of scores read as a calendar: W[0] is the week of 6 January 2025.
W = [pd.Timestamp("2025-01-06") + pd.Timedelta(weeks=i) for i in range(20)]


def answers(
    scores: dict[str, int | None] | None = None,
    more: tuple[str, ...] = (),
    **reflections: tuple[str, bool],
) -> Answers:
    """Build answers from literals: answers({'physical': 7}, working=('hugs', True))."""
    return Answers(
        scores=scores if scores is not None else {"emotional": 7},
        wants_more=frozenset(more),
        reflections={k: Reflection(text, shared) for k, (text, shared) in reflections.items()},
    )


def give_passcode(db_path: Path, partner_id: int, passcode: str = "tulip 42") -> tuple[bytes, str]:
    """Set a passcode the way Settings does; returns the data key and the recovery code."""
    opened = security.set_passcode(db_path, partner_id, passcode, passcode, backups=None)
    assert opened.key is not None and opened.recovery_code is not None
    return opened.key, opened.recovery_code


def set_passcode_hash(db: Database, partner_id: int, passcode_hash: str | None) -> None:
    """Write only a passcode hash, with no keys and no wrong tries, as an older Closer did."""
    db["partners"].update(
        partner_id,
        {"passcode_hash": passcode_hash, "failed_unlocks": 0, "last_failed_unlock": None},
    )


def score_table(*rows: tuple) -> pd.DataFrame:
    """A score table as the storage layer gives it, from (week, partner, dimension, score[, wants]).

    ``week`` is an index into ``W``; a score of None means "skip this week".
    """
    records = [
        (
            W[week],
            PARTNER_IDS[partner],
            partner,
            dim,
            np.nan if score is None else float(score),
            bool(wants[0]) if wants else False,
        )
        for week, partner, dim, score, *wants in rows
    ]
    frame = pd.DataFrame.from_records(records, columns=list(store.SCORE_COLUMNS))
    return frame.astype(store.SCORE_DTYPES)


def weak(*dims: str) -> list[WeakArea]:
    """Weak areas for these dimensions, in this order, each with one reason."""
    return [WeakArea(d, [f"{d} needs care"], 3.0, 4.0) for d in dims]


def low_csi(shared: bool = False) -> Answers:
    """A check-in with the lowest CSI-4 answers, shared with the partner or not."""
    return replace(answers({"physical": 7}), csi=CsiAnswers((1, 1, 1, 1), shared=shared))


def write_raw(db_path: Path, sql: str, params: list | tuple = ()) -> int | None:
    """Write straight into the file, as a damaged disk or another program might; the rowid."""
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            return conn.execute(sql, params).lastrowid
    finally:
        conn.close()
