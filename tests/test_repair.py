"""The app can always be repaired from its own pages: bad rows in the file never crash one."""

from __future__ import annotations

import sqlite3
from datetime import time, timedelta

import pytest

from closer import store
from closer.markdown import escape_markdown
from closer.settings import Settings
from tests.apptest import PAGE_FILES, current_week, open_app
from tests.factories import answers, write_raw

PAGES = PAGE_FILES


def _setting(db_path, key: str, value: str) -> None:
    write_raw(db_path, "UPDATE settings SET value = ? WHERE key = ?", [value, key])


@pytest.mark.parametrize(
    ("key", "value", "field", "default"),
    [
        ("checkin_weekday", "9", "checkin_weekday", 6),
        ("checkin_weekday", '"Sunday"', "checkin_weekday", 6),
        ("checkin_time", '"25:99"', "checkin_time", time(20, 0)),
        ("checkin_time", "garbage{", "checkin_time", time(20, 0)),
        ("active_dimensions", '["cuddles"]', "active_dimensions", Settings().active_dimensions),
        ("active_dimensions", "[]", "active_dimensions", Settings().active_dimensions),
        ("csi_enabled", '"no"', "csi_enabled", True),
    ],
)
def test_a_bad_setting_falls_back_to_its_default_and_says_which(
    db_path, couple, key, value, field, default
):
    with store.open_db(db_path) as db:
        store.save_settings(db, Settings(checkin_weekday=2, checkin_time=time(7, 30)))
    _setting(db_path, key, value)
    with store.open_db(db_path) as db:
        found, warnings = store.load_settings_checked(db)
        assert store.load_settings(db) == found
    assert getattr(found, field) == default
    kept = {"checkin_weekday": 2, "checkin_time": time(7, 30)}
    for other, expected in kept.items():
        if other != field:
            assert getattr(found, other) == expected  # only the bad value falls back
    assert len(warnings) == 1 and key in warnings[0]


def _garbage(db_path, couple) -> None:
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), answers({"physical": 6}))
        store.save_checkin(db, sam.id, current_week() - timedelta(weeks=1), answers({"social": 4}))
    for key, value in [
        ("checkin_weekday", "9"),
        ("checkin_time", '"25:99"'),
        ("active_dimensions", '["cuddles"]'),
        ("csi_enabled", "not json"),
    ]:
        _setting(db_path, key, value)
    now = "2026-11-22T20:00:00+00:00"
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            for week in ("garbage", "2026-13-45", "9999-12-27", "2026-11-17"):
                checkin = conn.execute(
                    "INSERT INTO checkins (partner_id, week, revision, created_at, updated_at) "
                    "VALUES (?, ?, 1, ?, ?)",
                    [alex.id, week, now, now],
                ).lastrowid
                conn.execute(
                    "INSERT INTO scores (checkin_id, dimension, score, wants_more) "
                    "VALUES (?, 'physical', 5, 0)",
                    [checkin],
                )
                conn.execute(
                    "INSERT INTO plan_items (week, kind, item_id, created_at) "
                    "VALUES (?, 'question', ?, ?)",
                    [week, f"q-{week}", now],
                )
    finally:
        conn.close()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_on_garbage_rows(db_path, couple, page):
    _garbage(db_path, couple)
    alex, _ = couple
    at = open_app(alex.id, page)  # asserts no exception
    assert at.title or at.header or at.markdown
    if page != "views/pages/your_data.py":  # which has its own, more detailed note
        assert [w.value for w in at.warning if "settings in Closer's file" in w.value] == [
            "Some settings in Closer's file can't be used, so the usual ones stand in for now. "
            "Your data says which; choose them again in Settings to put this right."
        ]


def test_your_data_says_calmly_what_it_set_aside(db_path, couple):
    _garbage(db_path, couple)
    alex, _ = couple
    at = open_app(alex.id, "views/pages/your_data.py")
    assert [t.value for t in at.title] == ["Your data"]
    assert len(at.warning) == 1
    warning = at.warning[0].value
    for key in ("checkin_weekday", "checkin_time", "active_dimensions", "csi_enabled"):
        assert escape_markdown(key) in warning
    assert escape_markdown("8 rows in the file can't be read, so Closer leaves them out") in warning
    # Every way back is still here.
    assert {"Restore from a backup file", "Delete"} <= {s.value for s in at.subheader}
