"""Passcode operations as an attacker would try them: the other partner, an edited file, a kill."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from closer import security, store, vault
from closer.backup import automatic
from closer.passcode import KEY_VERIFIED, hash_passcode, verify_passcode
from closer.reveal import view_week
from tests.apptest import open_app
from tests.factories import MONDAY, answers, give_passcode

SETTINGS = "views/pages/our_settings.py"
NOW = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
MARKER = "a-private-lighthouse-note"


def press(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def everything_on_screen(at) -> str:
    """Every text, code block, caption and message the page shows, in one string."""
    parts = [e.value for kind in ("code", "text", "markdown", "caption") for e in getattr(at, kind)]
    parts += [
        e.value for kind in ("success", "info", "warning", "error") for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def test_the_recovery_code_never_follows_the_browser_to_the_other_partner(db_path, couple):
    alex, sam = couple
    at = open_app(alex.id, SETTINGS)
    at.text_input(key="passcode-new").input("tulip 42")
    at.text_input(key="passcode-repeat").input("tulip 42")
    press(at, "Set passcode")  # and Alex walks away without "I've written it down"
    code = at.code[0].value
    assert len(code) == 24 and code in everything_on_screen(at)

    at.session_state["partner_id"] = sam.id  # the same browser, now Sam's
    at.run()
    assert code not in everything_on_screen(at)
    at.switch_page("views/pages/home.py").run()
    assert at.title[0].value == "Hello, Sam"
    assert code not in everything_on_screen(at)

    at.session_state["partner_id"] = alex.id  # back to Alex: the passcode, and no code
    at.run()
    assert at.title[0].value == "Welcome back"
    at.text_input(key=f"passcode-{alex.id}").input("tulip 42")
    press(at, "Unlock")
    at.run()
    assert at.title[0].value == "Hello, Alex"
    assert code not in everything_on_screen(at)


def test_a_partner_with_a_key_is_checked_by_the_key_alone(db_path, couple):
    alex, _ = couple
    key, _ = give_passcode(db_path, alex.id, "tulip 42")
    with store.open_db(db_path) as db:
        stored = store.load_unlock_state(db, alex.id).passcode_hash
    # No hash beside the key: a copied file offers only the slow key wrap to guess against.
    assert stored == KEY_VERIFIED
    assert not verify_passcode("tulip 42", stored)
    assert security.unlock(db_path, alex.id, "tulip 42", NOW, backups=None).key == key
    with pytest.raises(security.WrongPasscode):
        security.unlock(db_path, alex.id, "tulip 43", NOW, backups=None)


def test_a_new_key_is_wrapped_at_current_guidance():
    wrapped = vault.wrap_key(vault.new_data_key(), "tulip 42", "passcode")
    assert wrapped.split("$")[1:4] == [str(2**17), "8", "1"]  # OWASP: scrypt N=2^17, r=8, p=1


@pytest.mark.parametrize("passcode", ["1234", "12345", ""])
def test_passcodes_shorter_than_six_characters_are_refused(db_path, couple, passcode):
    alex, _ = couple
    with pytest.raises(security.PasscodeRefused, match="at least 6 characters"):
        security.set_passcode(db_path, alex.id, passcode, passcode, backups=None)
    with store.open_db(db_path) as db:
        assert store.load_unlock_state(db, alex.id).passcode_hash is None


@pytest.mark.parametrize("n", [2**40, 2**21, 3 * 2**15, 2**10])
def test_a_tampered_kdf_cost_is_refused_before_any_work(db_path, couple, n):
    alex, _ = couple
    give_passcode(db_path, alex.id, "tulip 42")
    with store.open_db(db_path) as db:
        wrapped = store.load_wrapped_keys(db, alex.id).by_passcode
        parts = wrapped.split("$")
        parts[1] = str(n)
        db.execute(
            "UPDATE partners SET key_by_passcode = ? WHERE id = ?", ["$".join(parts), alex.id]
        )
    started = time.perf_counter()
    with pytest.raises(security.WrongPasscode):
        security.unlock(db_path, alex.id, "tulip 42", NOW, backups=None)
    # Not a speed claim: 2**40 would take hours and terabytes (it raised MemoryError before).
    assert time.perf_counter() - started < 60


@pytest.mark.parametrize("n", [2**40, 2**21])
def test_an_older_hash_with_a_tampered_cost_never_verifies(n):
    parts = hash_passcode("tulip 42").split("$")
    parts[1] = str(n)
    assert not verify_passcode("tulip 42", "$".join(parts))


def test_a_swapped_key_reads_as_locked_with_a_calm_message(db_path, couple):
    alex, sam = couple
    give_passcode(db_path, alex.id, "tulip 42")
    give_passcode(db_path, sam.id, "daisy 17")
    with store.open_db(db_path) as db:
        sams = store.load_wrapped_keys(db, sam.id).by_passcode
        db.execute("UPDATE partners SET key_by_passcode = ? WHERE id = ?", [sams, alex.id])
    at = open_app(alex.id)
    at.text_input(key=f"passcode-{alex.id}").input("tulip 42")  # Alex's right passcode
    press(at, "Unlock")
    assert at.title[0].value == "Welcome back"
    assert [e.value for e in at.error] == ["That passcode isn't right."]


def test_a_key_without_a_hash_still_asks_for_the_passcode_and_never_crashes(db_path, couple):
    alex, _ = couple
    key, _ = give_passcode(db_path, alex.id, "tulip 42")
    with store.open_db(db_path) as db:
        db.execute("UPDATE partners SET passcode_hash = NULL WHERE id = ?", [alex.id])
        assert store.partners_without_passcode(db) == ["Sam"]
    at = open_app(alex.id)
    assert at.title[0].value == "Welcome back"  # not Alex's view for anyone who asks
    at.text_input(key=f"passcode-{alex.id}").input("tulip 42")
    press(at, "Unlock")
    at.switch_page(SETTINGS).run()
    assert not at.exception
    assert [b.label for b in at.button if b.label == "Change passcode"] == ["Change passcode"]
    at.text_input(key="passcode-current").input("tulip 42")
    at.text_input(key="passcode-new").input("daisy 17")
    at.text_input(key="passcode-repeat").input("daisy 17")
    press(at, "Change passcode")
    assert at.success[0].value == "Passcode changed. Your recovery code stays the same."
    assert security.unlock(db_path, alex.id, "daisy 17", NOW, backups=None).key == key


def test_a_flipped_shared_flag_never_hands_a_sealed_note_to_the_partner(db_path, couple):
    alex, sam = couple
    key, _ = give_passcode(db_path, alex.id, "tulip 42")
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=(MARKER, False)))
        store.save_checkin(db, sam.id, MONDAY, answers())
        # What a planted trigger or a hand edit does: the row now claims to be shared.
        db.execute("UPDATE reflections SET shared = 1")
        db.execute(
            "UPDATE checkin_revisions SET answers = replace(answers, "
            "'\"shared\": false', '\"shared\": true')"
        )
    with store.open_db(db_path) as db:
        seen_by_sam = view_week(MONDAY, sam.id, alex.id, store.load_week(db, MONDAY))
        alexs_versions = store.load_revisions(db, alex.id, MONDAY)
    assert "unsaid" not in seen_by_sam.theirs.answers.reflections
    assert all(not a.reflections["unsaid"].shared for _, _, a in alexs_versions)
    with store.open_db(db_path, {alex.id: key}) as db:
        mine = store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"]
    assert (mine.text, mine.shared) == (MARKER, False)


def test_sealing_the_backups_resumes_at_the_next_unlock_after_a_kill(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=(MARKER, False)))
    folder = automatic.default_backups_dir(db_path)
    copies = [
        automatic.backup_file(db_path, folder, "weekly", datetime(2026, 11, d, 20, 0))
        for d in (1, 8, 15)
    ]
    # A kill after set-passcode's main commit, before the backups were reached: the file is
    # sealed, its backups still plain, and the marker written before the commit is still there.
    (folder / f".sealing-partner-{alex.id}").touch()
    opened = security.set_passcode(db_path, alex.id, "tulip 42", "tulip 42", backups=None)
    assert MARKER.encode() not in db_path.read_bytes()
    assert all(MARKER.encode() in c.read_bytes() for c in copies)
    assert security.backups_left_plain(folder, alex.id)

    at = open_app(alex.id, SETTINGS)  # what the page says meanwhile: it asks to unlock first
    at.text_input(key=f"passcode-{alex.id}").input("tulip 42")
    press(at, "Unlock")
    at.run()

    assert not security.backups_left_plain(folder, alex.id)
    assert all(MARKER.encode() not in c.read_bytes() for c in copies)
    with store.open_db(copies[0], {alex.id: opened.key}) as db:
        assert store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"].text == (
            MARKER
        )


def test_settings_says_plainly_while_backups_are_left_plain(db_path, couple):
    alex, _ = couple
    folder = automatic.default_backups_dir(db_path)
    opened = security.set_passcode(db_path, alex.id, "tulip 42", "tulip 42", backups=folder)
    assert not security.backups_left_plain(folder, alex.id)
    (folder / f".sealing-partner-{alex.id}").touch()
    at = open_app(alex.id)
    at.session_state["unlocked"] = {(str(db_path), alex.id): {"key": opened.key}}
    at.switch_page(SETTINGS).run()
    assert any("cut short" in w.value for w in at.warning)


def test_consent_never_changes_the_other_partners_key_nor_shows_a_code(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        db.execute(
            "UPDATE partners SET passcode_hash = ? WHERE id = ?",
            [hash_passcode("tulip 42"), alex.id],
        )  # a passcode from before notes were sealed
    assert security.consent(db_path, alex.id, "tulip 42", NOW) is None
    with store.open_db(db_path) as db:
        assert store.load_wrapped_keys(db, alex.id) == store.WrappedKeys(None, None)
    with pytest.raises(security.WrongPasscode):
        security.consent(db_path, alex.id, "tulip 43", NOW)
