"""Your data: what changes the other partner's data needs their passcode, when they have one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from closer import store
from closer.backup import automatic, file_format
from closer.markdown import escape_markdown
from closer.passcode import hash_passcode
from closer.settings import Settings
from tests.apptest import current_week, open_app
from tests.factories import answers, give_passcode, set_passcode_hash

PAGE = "views/pages/your_data.py"
PASSCODE = "alex-1234"


@pytest.fixture
def guarded(db_path, couple):
    """Alex has a passcode and a private note; Sam, at the screen, has none."""
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), answers(unsaid=("alex private", False)))
        store.save_checkin(db, sam.id, current_week(), answers({"social": 6}))
        set_passcode_hash(db, alex.id, hash_passcode(PASSCODE))
    return alex, sam


def _weeks(db_path) -> set[tuple[int, date]]:
    with store.open_db(db_path) as db:
        return {
            (c.partner_id, c.week)
            for found in store.load_weeks(db, store.checked_in_weeks(db)).values()
            for c in found
        }


def _failed(db_path, partner_id: int) -> int:
    with store.open_db(db_path) as db:
        return store.load_unlock_state(db, partner_id).failed_unlocks


def _upload_replace(at, raw: bytes):
    at.file_uploader[0].upload("b.json", raw, "application/json").run()
    at.radio(key="restore-mode").set_value("replace").run()
    at.text_input(key="restore-confirm").input("replace")
    return at


def _own_backup(db_path) -> bytes:
    with store.open_db(db_path) as db:
        return file_format.backup_json(db).encode()


NEEDS = "This also changes Alex's data, so it needs Alex's passcode. Ask Alex to type it above."
WRONG = "That isn't Alex's passcode. Nothing was changed."


def test_replace_needs_the_other_partners_passcode(db_path, guarded):
    alex, sam = guarded
    raw = _own_backup(db_path)
    with store.open_db(db_path) as db:
        store.save_checkin(db, sam.id, current_week() - timedelta(weeks=1), answers({"social": 3}))
    before = _weeks(db_path)
    at = _upload_replace(open_app(sam.id, PAGE), raw)
    assert at.text_input(key="consent-restore-file").label == "Alex's passcode"

    at.button(key="restore-file").click().run()
    assert [e.value for e in at.error] == [escape_markdown(NEEDS)]
    assert _weeks(db_path) == before and _failed(db_path, alex.id) == 0

    at.text_input(key="consent-restore-file").input("guess")
    at.button(key="restore-file").click().run()
    assert [e.value for e in at.error] == [escape_markdown(WRONG)]
    assert _weeks(db_path) == before
    assert _failed(db_path, alex.id) == 1  # a wrong try here counts like one at the gate

    at.text_input(key="consent-restore-file").input(PASSCODE)
    at.button(key="restore-file").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Restored.")
    assert _weeks(db_path) == before - {(sam.id, current_week() - timedelta(weeks=1))}
    with store.open_db(db_path) as db:
        assert store.load_unlock_state(db, alex.id).passcode_hash is not None


def test_the_wait_after_wrong_tries_holds_here_too(db_path, guarded):
    alex, sam = guarded
    with store.open_db(db_path) as db:
        for _ in range(5):
            store.record_unlock(db, alex.id, success=False)
    at = _upload_replace(open_app(sam.id, PAGE), _own_backup(db_path))
    at.text_input(key="consent-restore-file").input(PASSCODE)
    at.button(key="restore-file").click().run()
    assert len(at.error) == 1 and at.error[0].value.startswith(
        escape_markdown("Too many wrong tries: wait ")
    )
    assert _failed(db_path, alex.id) == 5


def test_delete_everything_needs_the_other_partners_passcode(db_path, guarded):
    alex, sam = guarded
    at = open_app(sam.id, PAGE)
    at.text_input(key="delete-everything-phrase").input("delete everything")
    at.button(key="delete-everything-button").click().run()
    assert [e.value for e in at.error] == [escape_markdown(NEEDS)]
    with store.open_db(db_path) as db:
        assert len(store.list_partners(db)) == 2

    at.text_input(key="consent-delete-everything").input(PASSCODE)
    at.button(key="delete-everything-button").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Welcome to Closer"]


def test_going_back_to_an_automatic_backup_needs_the_other_partners_passcode(db_path, guarded):
    alex, sam = guarded
    at = open_app(sam.id, PAGE)  # opening the app this week made a weekly backup
    with store.open_db(db_path) as db:
        store.save_checkin(db, sam.id, current_week() - timedelta(weeks=1), answers({"social": 3}))
    before = _weeks(db_path)
    at.run()
    at.checkbox(key="saved-backup-sure").check()
    at.button(key="saved-backup-restore").click().run()
    assert [e.value for e in at.error] == [escape_markdown(NEEDS)]
    assert _weeks(db_path) == before

    at.text_input(key="consent-saved-backup").input(PASSCODE)
    at.button(key="saved-backup-restore").click().run()
    assert not at.exception and not at.error
    assert (sam.id, current_week() - timedelta(weeks=1)) not in _weeks(db_path)


def _laptop_backup(tmp_path, who: int) -> bytes:
    """A backup from another computer with a new week for Alex (0) or Sam (1)."""
    path = tmp_path / "laptop.db"
    store.initialise(path)
    with store.open_db(path) as db:
        partners = store.setup_couple(db, ["Alex", "Sam"], Settings())
        store.save_checkin(db, partners[who].id, current_week() - timedelta(weeks=6), answers())
        return file_format.backup_json(db).encode()


def test_a_merge_adding_to_the_other_partners_check_ins_needs_their_passcode(
    db_path, guarded, tmp_path
):
    alex, sam = guarded
    before = _weeks(db_path)
    at = open_app(sam.id, PAGE)
    at.file_uploader[0].upload("b.json", _laptop_backup(tmp_path, 0), "application/json").run()
    assert at.text_input(key="consent-restore-file").label == "Alex's passcode"
    at.button(key="restore-file").click().run()
    assert [e.value for e in at.error] == [escape_markdown(NEEDS)]
    assert _weeks(db_path) == before

    at.text_input(key="consent-restore-file").input(PASSCODE)
    at.button(key="restore-file").click().run()
    assert [s.value for s in at.success] == ["Added 1 check-in from the backup."]
    assert (alex.id, current_week() - timedelta(weeks=6)) in _weeks(db_path)


def test_a_merge_of_only_your_own_check_ins_needs_no_other_passcode(db_path, guarded, tmp_path):
    alex, sam = guarded
    at = open_app(sam.id, PAGE)
    at.file_uploader[0].upload("b.json", _laptop_backup(tmp_path, 1), "application/json").run()
    assert not [t for t in at.text_input if t.key == "consent-restore-file"]
    at.button(key="restore-file").click().run()
    assert [s.value for s in at.success] == ["Added 1 check-in from the backup."]


def test_no_box_when_the_other_partner_has_no_passcode(db_path, guarded):
    alex, _ = guarded
    at = open_app(alex.id, PAGE)
    at.session_state["unlocked"] = {(str(db_path), alex.id): {}}
    at.run()
    assert not [t for t in at.text_input if t.key.startswith("consent-")]


def test_a_merge_that_cannot_happen_is_explained_not_crashed(db_path, guarded, tmp_path):
    alex, sam = guarded
    path = tmp_path / "strangers.db"
    store.initialise(path)
    with store.open_db(path) as db:
        store.setup_couple(db, ["Robin", "Kai"], Settings())
        raw = file_format.backup_json(db).encode()
    at = open_app(sam.id, PAGE)
    at.file_uploader[0].upload("b.json", raw, "application/json").run()
    assert not at.exception
    at.button(key="restore-file").click().run()
    assert not at.exception
    assert at.error[0].value.startswith(escape_markdown("Merging would give this Closer 4 people"))


SECRET = "alex-only-lighthouse"


def _alex_sealed_after_an_old_backup(db_path, couple):
    """A backup from before Alex set a passcode holds Alex's note in plain text; then Alex
    sets a passcode. Returns (alex, sam, the old backup's bytes, Alex's key)."""
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), answers(unsaid=(SECRET, False)))
        store.save_checkin(db, sam.id, current_week(), answers({"social": 6}))
    old = _own_backup(db_path)
    key, _ = give_passcode(db_path, alex.id, PASSCODE)
    return alex, sam, old, key


def test_replacing_with_an_older_backup_seals_the_notes_it_brings_back(db_path, couple):
    alex, sam, old, key = _alex_sealed_after_an_old_backup(db_path, couple)
    assert SECRET.encode() in old and SECRET.encode() not in db_path.read_bytes()

    at = _upload_replace(open_app(sam.id, PAGE), old)
    at.text_input(key="consent-restore-file").input(PASSCODE)
    at.button(key="restore-file").click().run()

    assert at.success[0].value.startswith("Restored.")
    assert SECRET.encode() not in db_path.read_bytes()
    with store.open_db(db_path, {alex.id: key}) as db:
        note = store.load_checkin(db, alex.id, current_week()).answers.reflections["unsaid"].text
    assert note == SECRET


def test_going_back_to_an_automatic_backup_seals_the_notes_it_brings_back(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), answers(unsaid=(SECRET, False)))
    folder = automatic.default_backups_dir(db_path)
    # Made before the passcode, and (set through the store, not Settings) never sealed since.
    copy = automatic.backup_file(db_path, folder, "weekly")
    key, _ = give_passcode(db_path, alex.id, PASSCODE)
    assert SECRET.encode() in copy.read_bytes()

    at = open_app(sam.id, PAGE)
    at.checkbox(key="saved-backup-sure").check()
    at.text_input(key="consent-saved-backup").input(PASSCODE)
    at.button(key="saved-backup-restore").click().run()

    assert not at.exception and at.success, [e.value for e in at.error]
    assert SECRET.encode() not in db_path.read_bytes()
    with store.open_db(db_path, {alex.id: key}) as db:
        note = store.load_checkin(db, alex.id, current_week()).answers.reflections["unsaid"].text
    assert note == SECRET
