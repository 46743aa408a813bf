"""The deck's memory on a real file: evenings, cards, opt-ins, and their place in backups."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest

from closer import store
from closer.backup import erase, file_format, restore
from closer.backup.consent import ConsentNeeded
from closer.deck import CardRecord
from tests.backups import NOW, T, exported_tables, fresh_db, row_counts, valid_backup
from tests.factories import give_passcode


def test_the_deck_tables_come_after_the_drafts():
    names = store.migration_names()
    assert names.index("m006_deck_cards") == names.index("m005_checkin_drafts") + 1


def play(db_path, started_at, cards: list[CardRecord]) -> int:
    with store.open_db(db_path) as db:
        evening = store.start_deck_evening(db, started_at, 30)
        store.save_deck_cards(db, evening, cards)
    return evening


def test_an_evening_keeps_only_which_cards_were_shown_skipped_and_starred(db_path, couple):
    evening = play(
        db_path,
        NOW,
        [CardRecord(1, "emo-l-01", False, False), CardRecord(2, "phy-l-01", True, False)],
    )
    with store.open_db(db_path) as db:
        # Later the same evening: the second card starred after all.
        store.save_deck_cards(db, evening, [CardRecord(2, "phy-l-01", True, True)])
        rows = list(db.query("SELECT * FROM deck_cards ORDER BY position"))
    assert rows == [
        {
            "evening_id": evening,
            "position": 1,
            "question_id": "emo-l-01",
            "skipped": 0,
            "starred": 0,
        },
        {
            "evening_id": evening,
            "position": 2,
            "question_id": "phy-l-01",
            "skipped": 1,
            "starred": 1,
        },
    ]


def test_seen_cards_are_those_of_the_latest_evenings(db_path, couple):
    for days, card in enumerate(["a-1", "b-1", "c-1", "d-1"]):
        play(db_path, NOW + timedelta(days=days), [CardRecord(1, card, False, False)])
    with store.open_db(db_path) as db:
        assert store.recently_seen_cards(db, 3) == {"b-1", "c-1", "d-1"}
        assert store.recently_seen_cards(db, 1) == {"d-1"}


def test_a_cards_latest_evening_says_whether_it_is_starred(db_path, couple):
    play(db_path, NOW, [CardRecord(1, "a-1", False, True), CardRecord(2, "b-1", False, True)])
    play(
        db_path,
        NOW + timedelta(days=1),
        [CardRecord(1, "a-1", False, False), CardRecord(2, "c-1", False, True)],
    )
    with store.open_db(db_path) as db:
        assert store.starred_cards(db) == ["c-1", "b-1"]  # a-1's star came off; latest first


def test_each_partner_has_their_own_say_on_sex_questions(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        assert store.load_deck_opt_ins(db) == {}
        store.set_deck_opt_in(db, alex.id, True)
        store.set_deck_opt_in(db, sam.id, True)
        store.set_deck_opt_in(db, sam.id, False)
        assert store.load_deck_opt_ins(db) == {alex.id: True, sam.id: False}


def fill_deck_tables(db_path, couple) -> None:
    alex, _ = couple
    play(
        db_path,
        NOW,
        [CardRecord(1, "emo-l-01", False, True), CardRecord(2, "us-l-01", True, False)],
    )
    with store.open_db(db_path) as db:
        store.set_deck_opt_in(db, alex.id, True)


def test_a_backup_carries_the_deck_and_a_replace_brings_it_back(db_path, couple, tmp_path):
    fill_deck_tables(db_path, couple)
    tables = exported_tables(db_path)
    assert tables["deck_evenings"] == {
        "columns": ["id", "started_at", "minutes"],
        "rows": [[1, T, 30]],
    }
    assert tables["deck_cards"]["rows"] == [[1, 1, "emo-l-01", 0, 1], [1, 2, "us-l-01", 1, 0]]
    assert tables["deck_opt_ins"]["columns"] == ["partner_id", "sexual", "changed_at"]
    with store.open_db(db_path) as db:
        raw = file_format.backup_json(db, NOW + timedelta(hours=1))
    other = fresh_db(tmp_path / "other.db")
    with store.open_db(other) as db:
        restore.restore_backup(db, file_format.read_backup(raw, db), "replace", consented=())
        assert store.starred_cards(db) == ["emo-l-01"]
        assert store.recently_seen_cards(db, 3) == {"emo-l-01", "us-l-01"}
    assert {k: v for k, v in exported_tables(other).items() if k.startswith("deck")} == {
        k: v for k, v in tables.items() if k.startswith("deck")
    }


def test_merging_the_same_backup_twice_adds_each_evening_once(db_path, couple, tmp_path):
    fill_deck_tables(db_path, couple)
    with store.open_db(db_path) as db:
        raw = file_format.backup_json(db, NOW + timedelta(hours=1))
        for _ in range(2):
            backup = file_format.read_backup(raw, db)
            restore.restore_backup(db, backup, "merge", consented=())
    counts = row_counts(db_path)
    assert (counts["deck_evenings"], counts["deck_cards"], counts["deck_opt_ins"]) == (1, 2, 1)


def test_a_merge_that_says_yes_for_a_partner_needs_their_passcode(db_path, couple):
    alex, sam = couple
    give_passcode(db_path, sam.id)
    data = valid_backup()
    data["schema"] = store.migration_names()
    data["tables"]["partners"]["rows"] = [[1, "Alex", T], [2, "Sam", T]]
    data["tables"]["deck_opt_ins"] = {
        "columns": ["partner_id", "sexual", "changed_at"],
        "rows": [[2, 1, T]],
    }
    with store.open_db(db_path) as db:
        backup = file_format.read_backup(json.dumps(data), db)
        with pytest.raises(ConsentNeeded):
            restore.restore_backup(db, backup, "merge", consented={alex.id})
        assert store.load_deck_opt_ins(db) == {}
        restore.restore_backup(db, backup, "merge", consented={alex.id, sam.id})
        assert store.load_deck_opt_ins(db) == {sam.id: True}


def _with_deck(evenings: list[list], cards: list[list]) -> str:
    data = copy.deepcopy(valid_backup())
    data["schema"] = store.migration_names()
    data["tables"]["deck_evenings"] = {"columns": ["id", "started_at", "minutes"], "rows": evenings}
    data["tables"]["deck_cards"] = {
        "columns": ["evening_id", "position", "question_id", "skipped", "starred"],
        "rows": cards,
    }
    return json.dumps(data)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            _with_deck([[1, "2026-11-23T20:00:00+00:00", 30]], []),
            "The backup can't be used: table 'deck_evenings' row 1: started_at must be a date "
            "and time no later than the backup was made. Nothing was changed.",
        ),
        (
            _with_deck([[1, "2026-11-20T25:00:00", 30]], []),
            "The backup can't be used: table 'deck_evenings' row 1: started_at must be a date "
            "and time no later than the backup was made. Nothing was changed.",
        ),
        (
            _with_deck([[1, T, 0]], []),
            "The backup is damaged: table 'deck_evenings' row 1: minutes must be a whole number "
            "of minutes from 1 to 600.",
        ),
        (
            _with_deck([[1, T, 30]], [[1, 1, "<img src=x>", 0, 0]]),
            "The backup is damaged: table 'deck_cards' row 1: question_id must be a question's "
            "id, such as emo-l-01.",
        ),
        (
            _with_deck([[1, T, 30]], [[1, 1, "emo-l-01", 2, 0]]),
            "The backup is damaged: table 'deck_cards' row 1: skipped must be 0 or 1.",
        ),
        (
            _with_deck([[1, T, 30]], [[2, 1, "emo-l-01", 0, 0]]),
            "The backup is damaged: table 'deck_cards' row 1 refers to a row of 'deck_evenings' "
            "that isn't in the backup.",
        ),
    ],
    ids=["evening after the export", "not a moment", "no minutes", "odd id", "skipped 2", "orphan"],
)
def test_a_deck_row_that_typed_data_could_not_hold_is_refused(db_path, couple, raw, message):
    before = exported_tables(db_path)
    with store.open_db(db_path) as db, pytest.raises(file_format.BackupError) as caught:
        file_format.read_backup(raw, db)
    assert str(caught.value) == message
    assert exported_tables(db_path) == before


def test_delete_everything_empties_the_deck_too(db_path, couple):
    fill_deck_tables(db_path, couple)
    with store.open_db(db_path) as db:
        erase.delete_everything(db, consented=())
    counts = row_counts(db_path)
    assert (counts["deck_evenings"], counts["deck_cards"], counts["deck_opt_ins"]) == (0, 0, 0)


def test_two_evenings_begun_within_the_same_second_are_both_kept(db_path, couple):
    # Finishing an evening and playing the starred cards at once: seen failing when the
    # moment was kept to the second.
    first = play(db_path, NOW.replace(microsecond=1), [CardRecord(1, "a-1", False, True)])
    second = play(db_path, NOW.replace(microsecond=2), [CardRecord(1, "a-1", False, True)])
    assert first != second
