"""Setting, changing and removing a passcode on Settings, with the recovery code shown once."""

from __future__ import annotations

import re

from closer import store, vault
from closer.backup import automatic
from closer.checkin import Reflection
from closer.passcode import hash_passcode
from tests.apptest import open_app
from tests.factories import MONDAY, answers, give_passcode, set_passcode_hash

SETTINGS = "views/pages/our_settings.py"
NOTE = "what I haven't said yet"


def press(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def set_passcode(at, passcode: str, *, written_down: bool = True):
    """Set a passcode on Settings and, by default, say the recovery code is written down."""
    at.text_input(key="passcode-new").input(passcode)
    at.text_input(key="passcode-repeat").input(passcode)
    press(at, "Set passcode")
    return press(at, "I've written it down") if written_down else at


def test_setting_a_passcode_seals_my_notes_and_shows_the_recovery_code_once(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=(NOTE, False)))
    folder = automatic.default_backups_dir(db_path)
    earlier = automatic.backup_file(db_path, folder, "weekly")

    at = set_passcode(open_app(alex.id, SETTINGS), "tulip 42", written_down=False)

    assert at.success[0].value == (
        "Passcode set. Your private notes are now sealed in the file and in 1 automatic backup."
    )
    (code,) = [c.value for c in at.code if re.fullmatch(r"(\w{4}-){4}\w{4}", c.value)]
    assert "only way back to your private notes" in " ".join(m.value for m in at.markdown)
    for path in (db_path, earlier):
        assert NOTE.encode() not in path.read_bytes()
    # The code really opens the key, and the session can still read its own notes.
    with store.open_db(db_path) as db:
        wrapped = store.load_wrapped_keys(db, alex.id)
    key = vault.unwrap_key(wrapped.by_recovery, code, "recovery")
    with store.open_db(db_path, {alex.id: key}) as db:
        assert store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"] == Reflection(
            NOTE, False
        )

    # The form waits until the code is written down; then the code is gone for good.
    assert not [b for b in at.button if b.label in ("Set passcode", "Change passcode")]
    press(at, "I've written it down")
    assert code not in [c.value for c in at.code]
    assert [b.label for b in at.button if b.label == "Change passcode"] == ["Change passcode"]
    at.run()
    assert code not in [c.value for c in at.code]


def test_changing_the_passcode_keeps_the_key_and_the_recovery_code(db_path, couple):
    alex, _ = couple
    at = set_passcode(open_app(alex.id, SETTINGS), "tulip 42")
    with store.open_db(db_path) as db:
        before = store.load_wrapped_keys(db, alex.id)
    key = vault.unwrap_key(before.by_passcode, "tulip 42", "passcode")

    at.text_input(key="passcode-current").input("tulip 42")
    at.text_input(key="passcode-new").input("daisy 17")
    at.text_input(key="passcode-repeat").input("daisy 17")
    press(at, "Change passcode")

    assert at.success[0].value == "Passcode changed. Your recovery code stays the same."
    with store.open_db(db_path) as db:
        after = store.load_wrapped_keys(db, alex.id)
    assert after.by_recovery == before.by_recovery
    assert vault.unwrap_key(after.by_passcode, "daisy 17", "passcode") == key


def test_a_wrong_current_passcode_changes_nothing(db_path, couple):
    alex, _ = couple
    at = set_passcode(open_app(alex.id, SETTINGS), "tulip 42")
    with store.open_db(db_path) as db:
        before = store.load_wrapped_keys(db, alex.id)
    at.text_input(key="passcode-current").input("tulpi")
    press(at, "Remove passcode")
    assert [e.value for e in at.error] == ["Your current passcode isn't right."]
    with store.open_db(db_path) as db:
        assert store.load_wrapped_keys(db, alex.id) == before


def test_removing_the_passcode_opens_my_notes_again(db_path, couple):
    alex, _ = couple
    at = set_passcode(open_app(alex.id, SETTINGS), "tulip 42")
    with store.open_db(db_path) as db:
        key = vault.unwrap_key(
            store.load_wrapped_keys(db, alex.id).by_passcode, "tulip 42", "passcode"
        )
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=(NOTE, False)))
    assert NOTE.encode() not in db_path.read_bytes()

    at.text_input(key="passcode-current").input("tulip 42")
    press(at, "Remove passcode")

    assert at.success[0].value.startswith("Passcode removed.")
    with store.open_db(db_path) as db:
        assert store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"].text == NOTE
        assert store.load_unlock_state(db, alex.id).passcode_hash is None


def unlock(at, partner_id: int, passcode: str):
    at.text_input(key=f"passcode-{partner_id}").input(passcode)
    return press(at, "Unlock")


def held_keys(at) -> dict:
    held = at.session_state["unlocked"] if "unlocked" in at.session_state else {}
    return {k: v.get("key") for k, v in held.items() if v.get("key")}


def test_unlocking_puts_my_key_in_this_session_only(db_path, couple):
    alex, _ = couple
    key, _ = give_passcode(db_path, alex.id, "tulip 42")
    at = open_app(alex.id)
    assert at.title[0].value == "Welcome back"
    assert held_keys(at) == {}
    unlock(at, alex.id, "tulip 42")
    assert held_keys(at) == {(str(db_path), alex.id): key}
    # Another browser session starts with nothing.
    assert held_keys(open_app(alex.id)) == {}


def test_a_passcode_from_before_sealing_seals_my_notes_at_the_next_unlock(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=(NOTE, False)))
        set_passcode_hash(db, alex.id, hash_passcode("tulip 42"))
    assert NOTE.encode() in db_path.read_bytes()

    at = unlock(open_app(alex.id), alex.id, "tulip 42")

    assert NOTE.encode() not in db_path.read_bytes()
    codes = [c.value for c in at.code if re.fullmatch(r"(\w{4}-){4}\w{4}", c.value)]
    assert len(codes) == 1  # the new recovery code, at the top of the page
    ((_, key),) = held_keys(at).items()
    with store.open_db(db_path, {alex.id: key}) as db:
        assert store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"].text == NOTE


def test_wrong_current_passcodes_in_settings_wait_like_the_unlock(db_path, couple):
    alex, _ = couple
    at = set_passcode(open_app(alex.id, SETTINGS), "tulip 42")
    for _ in range(5):
        at.text_input(key="passcode-current").input("wrong")
        press(at, "Remove passcode")
    at.text_input(key="passcode-current").input("tulip 42")  # even the right one waits now
    press(at, "Remove passcode")
    assert at.warning[0].value.startswith("Please wait")
    with store.open_db(db_path) as db:
        assert store.load_unlock_state(db, alex.id).passcode_hash is not None
