"""A partner is their id, never their name: a rename changes nothing about whose notes are
sealed in the backups or whose passcode and key survive a restore."""

from __future__ import annotations

from datetime import datetime

from closer import store, vault
from closer.backup import automatic, file_format, restore
from tests.factories import MONDAY, answers, give_passcode

SECRET = "rename-lighthouse-7c1e"


def _note(db_path, partner_id: int, keyring: dict | None = None) -> None:
    with store.open_db(db_path, keyring) as db:
        store.save_checkin(db, partner_id, MONDAY, answers(unsaid=(SECRET, False)))


def _credentials(db_path, partner_id: int) -> tuple:
    with store.open_db(db_path) as db:
        state = store.load_unlock_state(db, partner_id)
        wrapped = store.load_wrapped_keys(db, partner_id)
    return state.passcode_hash, wrapped.by_passcode, wrapped.by_recovery


def test_after_a_rename_setting_a_passcode_seals_the_backups_too(db_path, couple, tmp_path):
    alex, _ = couple
    _note(db_path, alex.id)
    folder = tmp_path / "backups"
    copy = automatic.backup_file(db_path, folder, "weekly", now=datetime(2026, 11, 16, 9))
    assert SECRET.encode() in copy.read_bytes()
    with store.open_db(db_path) as db:
        store.rename_partner(db, alex.id, "Avery")
        avery = next(p for p in store.list_partners(db) if p.id == alex.id)

    key, _ = give_passcode(db_path, alex.id)
    assert store.apply_passcode_to_copy(copy, avery, key, seal=True) is True

    assert SECRET.encode() not in copy.read_bytes()
    with store.open_db(copy, {alex.id: key}) as db:
        found = store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"].text
    assert found == SECRET


def test_after_a_rename_removing_the_passcode_opens_the_backups_again(db_path, couple, tmp_path):
    alex, _ = couple
    key, _ = give_passcode(db_path, alex.id)
    _note(db_path, alex.id, {alex.id: key})
    copy = automatic.backup_file(db_path, tmp_path, "weekly", now=datetime(2026, 11, 16, 9))
    with store.open_db(db_path) as db:
        store.rename_partner(db, alex.id, "Avery")
        avery = next(p for p in store.list_partners(db) if p.id == alex.id)
    assert store.apply_passcode_to_copy(copy, avery, key, seal=False) is True
    assert SECRET.encode() in copy.read_bytes()


def test_after_a_rename_going_back_to_an_older_backup_keeps_the_passcode_and_key(
    db_path, couple, tmp_path
):
    alex, sam = couple
    _note(db_path, alex.id)
    folder = tmp_path / "backups"
    copy = automatic.backup_file(db_path, folder, "weekly", now=datetime(2026, 11, 16, 9))
    with store.open_db(db_path) as db:
        store.rename_partner(db, alex.id, "Avery")
    key, _ = give_passcode(db_path, alex.id, "avery-9876")
    before = _credentials(db_path, alex.id)
    assert None not in before

    automatic.restore_backup_file(
        copy, db_path, folder, consented={alex.id, sam.id}, keyring={alex.id: key}
    )

    assert _credentials(db_path, alex.id) == before
    with store.open_db(db_path, {alex.id: key}) as db:
        found = store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"].text
    assert found == SECRET
    assert SECRET.encode() not in db_path.read_bytes()


def test_after_a_rename_replacing_with_an_older_json_keeps_the_passcode_and_key(db_path, couple):
    alex, sam = couple
    _note(db_path, alex.id)
    with store.open_db(db_path) as db:
        old = file_format.backup_json(db)
        store.rename_partner(db, alex.id, "Avery")
    key, _ = give_passcode(db_path, alex.id, "avery-9876")
    before = _credentials(db_path, alex.id)

    with store.open_db(db_path, {alex.id: key}) as db:
        found = file_format.read_backup(old, db)
        restore.restore_backup(db, found, "replace", consented={alex.id, sam.id})

    assert _credentials(db_path, alex.id) == before
    with store.open_db(db_path, {alex.id: key}) as db:
        assert store.list_partners(db)[0].name == "Alex"  # the backup's name, same person
        note = store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"].text
    assert note == SECRET
    assert vault.is_sealed(_stored_note(db_path))


def _stored_note(db_path) -> str:
    with store.open_db(db_path) as db:
        return db.execute("SELECT body FROM reflections WHERE prompt = 'unsaid'").fetchone()[0]


def _swapped_json(tmp_path) -> str:
    """A backup from a computer where Sam was set up first: Sam is id 1, Alex id 2."""
    from closer.settings import Settings

    path = tmp_path / "swapped.db"
    store.initialise(path)
    with store.open_db(path) as db:
        store.setup_couple(db, ["Sam", "Alex"], Settings())
        return file_format.backup_json(db)


SWAPPED = (
    "This backup numbers the two of you the other way round from this Closer, so restoring it "
    "in place of what's here would hand one person's passcode to the other. Nothing was "
    "changed. Add it to what's here instead."
)


def test_a_replace_that_would_swap_people_with_a_passcode_is_refused(db_path, couple, tmp_path):
    alex, sam = couple
    give_passcode(db_path, alex.id)
    before = _credentials(db_path, alex.id)
    with store.open_db(db_path) as db:
        found = file_format.read_backup(_swapped_json(tmp_path), db)
        try:
            restore.restore_backup(db, found, "replace", consented={alex.id, sam.id})
        except file_format.BackupError as error:
            assert str(error) == SWAPPED
        else:
            raise AssertionError("the swap was restored")
        assert [(p.id, p.name) for p in store.list_partners(db)] == [(1, "Alex"), (2, "Sam")]
    assert _credentials(db_path, alex.id) == before


def test_without_passcodes_a_swapped_replace_goes_ahead_by_id(db_path, couple, tmp_path):
    alex, sam = couple
    with store.open_db(db_path) as db:
        found = file_format.read_backup(_swapped_json(tmp_path), db)
        restore.restore_backup(db, found, "replace", consented={alex.id, sam.id})
        assert [(p.id, p.name) for p in store.list_partners(db)] == [(1, "Sam"), (2, "Alex")]


def test_going_back_to_a_copy_that_would_swap_people_is_refused(db_path, couple, tmp_path):
    import sqlite3

    alex, sam = couple
    folder = tmp_path / "backups"
    copy = automatic.backup_file(db_path, folder, "weekly", now=datetime(2026, 11, 16, 9))
    conn = sqlite3.connect(copy)
    with conn:  # as if everything was deleted and the two set up again the other way round
        conn.execute("UPDATE partners SET name = 'tmp' WHERE id = 1")
        conn.execute("UPDATE partners SET name = 'Alex' WHERE id = 2")
        conn.execute("UPDATE partners SET name = 'Sam' WHERE id = 1")
    conn.close()
    give_passcode(db_path, sam.id)
    before = _credentials(db_path, sam.id)
    try:
        automatic.restore_backup_file(copy, db_path, folder, consented={alex.id, sam.id})
    except store.StoreError as error:
        assert str(error) == SWAPPED
    else:
        raise AssertionError("the swap was restored")
    assert _credentials(db_path, sam.id) == before
