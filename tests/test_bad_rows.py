"""Rows Closer can't read (impossible weeks, answers that aren't JSON) never stop a page.

Each is written straight into the file, as another program, a damaged disk or a merged
backup of an older version might have left it. Every reader leaves it out, Set passcode
goes through, and Your data lists it and lets its owner delete it.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from closer import store
from closer.backup import erase
from tests.apptest import PAGE_FILES, current_week, open_app
from tests.factories import answers, give_passcode, write_raw

NOW = "2026-11-22T20:00:00+00:00"
PAGES = PAGE_FILES


def _bad_checkin(db_path, partner_id: int, week: str, updated_at: str = NOW) -> int:
    checkin = write_raw(
        db_path,
        "INSERT INTO checkins (partner_id, week, revision, created_at, updated_at) "
        "VALUES (?, ?, 1, ?, ?)",
        [partner_id, week, NOW, updated_at],
    )
    write_raw(
        db_path,
        "INSERT INTO scores (checkin_id, dimension, score, wants_more) VALUES (?, 'social', 3, 0)",
        [checkin],
    )
    write_raw(
        db_path,
        "INSERT INTO reflections (checkin_id, prompt, body, shared) "
        "VALUES (?, 'working', 'walks', 0)",
        [checkin],
    )
    write_raw(
        db_path,
        "INSERT INTO checkin_revisions (checkin_id, revision, saved_at, answers) "
        "VALUES (?, 1, ?, ?)",
        [checkin, NOW, answers({"social": 3}, working=("walks", False)).to_json()],
    )
    return checkin


def _draft(db_path, partner_id: int, week: str, raw: str, saved_at: str = NOW) -> None:
    write_raw(
        db_path,
        "INSERT INTO checkin_drafts (partner_id, week, base_revision, saved_at, answers) "
        "VALUES (?, ?, 0, ?, ?)",
        [partner_id, week, saved_at, raw],
    )


def _garbage(db_path, couple) -> None:
    """The three pieces of merged garbage the issue names, and a bad week in every table."""
    alex, sam = couple
    last = current_week() - timedelta(weeks=1)
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, last, answers({"physical": 6}, working=("tea", False)))
        store.save_checkin(db, alex.id, last, answers({"physical": 7}, working=("tea", False)))
        store.save_checkin(db, sam.id, last, answers({"social": 4}))
    # An earlier version whose answers are "sealed" garbage.
    write_raw(
        db_path,
        "UPDATE checkin_revisions SET answers = 'sealed:garbage' WHERE revision = 1 "
        "AND checkin_id = (SELECT id FROM checkins WHERE partner_id = ?)",
        [alex.id],
    )
    _draft(db_path, alex.id, current_week().isoformat(), "not json{")  # a draft that isn't JSON
    _draft(db_path, alex.id, "2026-02-30", answers({"social": 5}).to_json())  # an impossible day
    for partner in couple:
        _bad_checkin(db_path, partner.id, "2026-02-30")
    plan_item = write_raw(
        db_path,
        "INSERT INTO plan_items (week, kind, item_id, created_at) "
        "VALUES ('2026-02-30', 'question', 'q-bad', ?)",
        [NOW],
    )
    write_raw(
        db_path,
        "INSERT INTO followups (plan_item_id, partner_id, done, rating, answered_at) "
        "VALUES (?, ?, 1, 1, ?)",
        [plan_item, alex.id, NOW],
    )
    for table, who in (("note_replies", "author_id"), ("talk_marks", "marked_by")):
        body = ", body" if table == "note_replies" else ""
        write_raw(
            db_path,
            f"INSERT INTO {table} (week, note_author_id, prompt, {who}{body}, created_at) "
            f"VALUES ('2026-02-30', ?, 'working', ?{', ?' if body else ''}, ?)",
            [sam.id, alex.id, *(["hi"] if body else []), NOW],
        )


@pytest.mark.parametrize(
    ("week", "readable"),
    [
        ("2026-11-16", date(2026, 11, 16)),
        ("2026-02-30", None),  # SQLite's date() takes it, and even calls it a Monday
        ("2026-02-31", None),
        ("2026-11-17", None),  # a Tuesday
        ("20261116", None),  # fromisoformat takes this; a stored week is never written so
        ("2026-W47-1", None),
        ("2026-13-01", None),
        ("1899-12-25", None),  # a Monday, outside the years Closer can hold
        ("2201-01-05", None),
        ("garbage", None),
        ("", None),
    ],
)
def test_a_week_is_read_in_python_never_by_sqlite(week, readable):
    assert store.readable_week(week) == readable


def test_sqlite_alone_would_take_the_impossible_day():
    # The reason for the above: keep it true, or the Python check would be decoration.
    conn = sqlite3.connect(":memory:")
    assert conn.execute("SELECT date('2026-02-30'), strftime('%w', '2026-02-30')").fetchone() == (
        "2026-02-30",
        "1",
    )


def test_every_reader_leaves_bad_rows_out(db_path, couple):
    _garbage(db_path, couple)
    alex, sam = couple
    last = current_week() - timedelta(weeks=1)
    with store.open_db(db_path) as db:
        assert store.checked_in_weeks(db) == [last]
        assert set(store.load_scores(db)["week"].dt.date) == {last}
        assert store.first_checkin_week(db) == last
        assert [p.item_id for p in store.load_all_plans(db)] == []
        assert store.previous_plan_week(db, current_week()) is None
        assert store.load_followups(db) == []
        assert store.load_note_replies(db, date(2026, 3, 2)) == []
        # The garbage version is left out; the good one stays.
        assert [r for r, _, _ in store.load_revisions(db, alex.id, last)] == [2]
        assert store.load_draft(db, alex.id, current_week()) is None


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", [0, 1])
def test_every_page_opens_for_both_partners_on_bad_rows(db_path, couple, page, who):
    _garbage(db_path, couple)
    at = open_app(couple[who].id, page)  # asserts no exception
    assert at.title or at.header or at.markdown


def test_set_passcode_goes_through_merged_garbage(db_path, couple):
    _garbage(db_path, couple)
    alex, _ = couple
    key, _ = give_passcode(db_path, alex.id)
    last = current_week() - timedelta(weeks=1)
    with store.open_db(db_path, {alex.id: key}) as db:
        assert store.load_checkin(db, alex.id, last).answers.reflections["working"].text == "tea"
    with store.open_db(db_path) as db:
        assert store.load_checkin(db, alex.id, last).answers.reflections["working"].text == (
            "(locked)"
        )


def _listed(db_path) -> set[tuple[str, str, str]]:
    with store.open_db(db_path) as db:
        return {(r.table, r.week, r.problem) for r in store.unreadable_rows(db)}


def test_unreadable_rows_are_listed_each_with_its_reason(db_path, couple):
    _garbage(db_path, couple)
    last = (current_week() - timedelta(weeks=1)).isoformat()
    bad = "its week isn't a real Monday"
    assert _listed(db_path) == {
        ("checkins", "2026-02-30", bad),  # one per partner: the same triple
        ("checkin_drafts", "2026-02-30", bad),
        ("checkin_drafts", current_week().isoformat(), "its answers aren't readable JSON"),
        ("plan_items", "2026-02-30", bad),
        ("note_replies", "2026-02-30", bad),
        ("talk_marks", "2026-02-30", bad),
        ("checkin_revisions", last, "its answers aren't readable JSON"),
    }


def test_a_partner_deletes_their_own_unreadable_rows_and_only_those(db_path, couple):
    _garbage(db_path, couple)
    alex, sam = couple
    with store.open_db(db_path) as db:
        rows = store.unreadable_rows(db)
        sams = [r for r in rows if r.owner_id == sam.id]
        assert [r.table for r in sams] == ["checkins"]
        assert not store.delete_unreadable_row(db, "checkins", sams[0].rowid, alex.id)
        for row in rows:
            if row.owner_id in (None, alex.id):
                assert store.delete_unreadable_row(db, row.table, row.rowid, alex.id)
        assert store.unreadable_rows(db) == sams
        # A readable row is never deleted this way, whatever is asked.
        good = db.execute("SELECT rowid FROM checkins WHERE week != '2026-02-30'").fetchone()[0]
        assert not store.delete_unreadable_row(db, "checkins", good, alex.id)


def test_a_damaged_earlier_version_goes_and_the_history_is_numbered_again(db_path, couple):
    _garbage(db_path, couple)
    alex, _ = couple
    last = current_week() - timedelta(weeks=1)
    with store.open_db(db_path) as db:
        row = next(r for r in store.unreadable_rows(db) if r.table == "checkin_revisions")
        assert store.delete_unreadable_row(db, row.table, row.rowid, alex.id)
        assert [r for r, _, _ in store.load_revisions(db, alex.id, last)] == [1]
        saved = store.load_checkin(db, alex.id, last)
        assert saved.revision == 1
        assert store.load_revisions(db, alex.id, last)[0][2] == saved.answers


def test_a_damaged_newest_version_is_written_again_from_the_answers(db_path, couple):
    alex, _ = couple
    last = current_week() - timedelta(weeks=1)
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, last, answers({"physical": 6}, working=("tea", False)))
    write_raw(db_path, "UPDATE checkin_revisions SET answers = '[1, 2]'")
    with store.open_db(db_path) as db:
        [row] = store.unreadable_rows(db)
        assert row.problem == "its answers don't have the shape of a check-in"
        assert store.delete_unreadable_row(db, row.table, row.rowid, alex.id)
        assert store.unreadable_rows(db) == []
        [(number, _, kept)] = store.load_revisions(db, alex.id, last)
        assert (number, kept) == (1, answers({"physical": 6}, working=("tea", False)))


def test_a_long_bad_week_is_quoted_cut(db_path, couple):
    alex, _ = couple
    _draft(db_path, alex.id, "x" * 10_000, answers().to_json())
    [(_, week, _)] = _listed(db_path)
    assert week == "x" * 39 + "…"


def test_your_data_lists_unreadable_rows_and_deletes_them(db_path, couple):
    _garbage(db_path, couple)
    alex, _ = couple
    at = open_app(alex.id, "views/pages/your_data.py")
    assert "Rows Closer can't read" in [s.value for s in at.subheader]
    table = next(f for f in at.dataframe if "What" in f.value.columns).value
    assert len(table) == 8
    assert (table["Whose"] == "Sam").sum() == 1
    at.button(key="delete-unreadable").click().run()
    assert not at.exception
    assert "Deleted 7 rows Closer couldn't read." in [s.value for s in at.success]
    with store.open_db(db_path) as db:
        assert [r.owner_id for r in store.unreadable_rows(db)] == [couple[1].id]


def test_deleting_my_checkin_deletes_my_draft_for_that_week_too(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), answers({"physical": 6}))
        store.save_draft(
            db, alex.id, current_week(), answers({"physical": 2}, working=("x", True)), 1
        )
        store.save_draft(db, sam.id, current_week(), answers({"social": 2}), 0)
        assert erase.delete_week(db, current_week(), partner_id=alex.id) == 1
        assert store.load_draft(db, alex.id, current_week()) is None
        # The other partner's draft is theirs: it stays.
        assert store.load_draft(db, sam.id, current_week()) is not None
    assert b"working" not in db_path.read_bytes()


def _unknown_keys(db_path, couple) -> None:
    """Rows with a readable week but keys this version doesn't know (a newer or older Closer)."""
    alex, sam = couple
    last = current_week() - timedelta(weeks=1)
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, last, answers({"physical": 6}, working=("tea", True)))
        store.save_checkin(db, sam.id, last, answers({"social": 4}, working=("yes", True)))
    checkin = f"(SELECT id FROM checkins WHERE partner_id = {alex.id})"
    write_raw(db_path, f"INSERT INTO scores VALUES ({checkin}, 'cuddles', 5, 1)")
    write_raw(
        db_path,
        "INSERT INTO reflections (checkin_id, prompt, body, shared) "
        f"VALUES ({checkin}, 'dreams', 'a boat', 1)",
    )
    for week in (last, current_week()):
        write_raw(
            db_path,
            "INSERT INTO plan_items (week, kind, item_id, dimension, partner_id, created_at) "
            "VALUES (?, 'question', 'q-gone', 'cuddles', ?, ?)",
            [week.isoformat(), alex.id, NOW],
        )
        write_raw(
            db_path,
            "INSERT INTO plan_items (week, kind, item_id, dimension, partner_id, created_at) "
            "VALUES (?, 'exercise', 'x-gone', NULL, ?, ?)",
            [week.isoformat(), alex.id, NOW],
        )
    write_raw(
        db_path,
        "INSERT INTO note_replies (week, note_author_id, prompt, author_id, body, created_at) "
        "VALUES (?, ?, 'dreams', ?, 'me too', ?)",
        [last.isoformat(), alex.id, sam.id, NOW],
    )
    write_raw(
        db_path,
        "INSERT INTO talk_marks (week, note_author_id, prompt, marked_by, created_at) "
        "VALUES (?, ?, 'dreams', ?, ?)",
        [last.isoformat(), alex.id, sam.id, NOW],
    )


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_on_keys_it_does_not_know(db_path, couple, page):
    _unknown_keys(db_path, couple)
    for partner in couple:
        at = open_app(partner.id, page)  # asserts no exception
        assert at.title or at.header or at.markdown


def test_saving_over_a_check_in_with_an_unreadable_time_mends_it(db_path, couple):
    alex, _ = couple
    _bad_checkin(db_path, alex.id, current_week().isoformat(), updated_at="2026-13-45 late")
    with store.open_db(db_path) as db:
        assert store.load_checkin(db, alex.id, current_week()) is None  # left out, not a crash
        with pytest.raises(store.StaleCheckin) as caught:
            store.save_checkin(db, alex.id, current_week(), answers({"physical": 6}), None, None, 0)
        assert (caught.value.revision, caught.value.saved_at) == (1, "")
        # "Keep mine" saves over it, and the row reads again.
        store.save_checkin(db, alex.id, current_week(), answers({"physical": 6}), NOW, None, 1)
        assert store.load_checkin(db, alex.id, current_week()).revision == 2
        assert store.unreadable_rows(db) == []
