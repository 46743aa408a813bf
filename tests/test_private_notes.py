"""Private notes sealed at rest: only their author's key opens them, in the file and its copies."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closer import security, store, vault
from closer.backup import automatic, exports, file_format
from closer.checkin import Answers, CsiAnswers, Reflection
from closer.reveal import view_week
from closer.settings import Settings
from tests.factories import MONDAY, answers, give_passcode

MARKER = "lighthouse-7f3a-only-mine"
SHARED = "shared-walk-by-the-river"
# Longer than a 4 KiB page, so it also lives in overflow pages that must not keep a copy.
LONG_MARKER = MARKER + " " + "x" * 6000


def file_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as another account on the computer reads them."""
    found = b""
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if part.exists():
            found += part.read_bytes()
    return found


def private_checkin(marker: str = MARKER) -> Answers:
    return Answers(
        scores={"emotional": 6},
        reflections={"unsaid": Reflection(marker, False), "working": Reflection(SHARED, True)},
        csi=CsiAnswers((4, 3, 2, 5), shared=False),
    )


def test_a_wrapped_key_opens_only_with_its_own_secret_and_purpose():
    key = vault.new_data_key()
    wrapped = vault.wrap_key(key, "correct horse", "passcode")
    assert vault.unwrap_key(wrapped, "correct horse", "passcode") == key
    with pytest.raises(vault.VaultError):
        vault.unwrap_key(wrapped, "correct hors", "passcode")
    with pytest.raises(vault.VaultError):
        vault.unwrap_key(wrapped, "correct horse", "recovery")
    with pytest.raises(vault.VaultError):
        vault.unwrap_key("not a wrapped key", "correct horse", "passcode")


def test_a_sealed_value_opens_only_in_its_own_place_with_its_own_key():
    key = vault.new_data_key()
    here = vault.place_of(1, MONDAY, "reflection:unsaid")
    sealed = vault.seal(key, MARKER, here)
    assert MARKER not in sealed and sealed.startswith("sealed:v1:")
    assert vault.open_sealed(key, sealed, here) == MARKER
    for elsewhere in (
        vault.place_of(2, MONDAY, "reflection:unsaid"),
        vault.place_of(1, MONDAY + timedelta(weeks=1), "reflection:unsaid"),
        vault.place_of(1, MONDAY, "reflection:working"),
    ):
        with pytest.raises(vault.VaultError):
            vault.open_sealed(key, sealed, elsewhere)
    with pytest.raises(vault.VaultError):
        vault.open_sealed(vault.new_data_key(), sealed, here)
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(vault.VaultError):
        vault.open_sealed(key, tampered, here)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("7k2m-qx9d-0rtb-h4nc-zw8p", "7K2M-QX9D-0RTB-H4NC-ZW8P"),
        ("7K2M QX9D 0RTB H4NC ZW8P", "7K2M-QX9D-0RTB-H4NC-ZW8P"),
        ("7K2MQX9DORTBH4NCZW8P", "7K2M-QX9D-0RTB-H4NC-ZW8P"),  # O read as zero
        (" 1ILo-0000-0000-0000-0000 ", "1110-0000-0000-0000-0000"),
    ],
)
def test_a_recovery_code_reads_back_however_it_was_copied(typed, canonical):
    assert vault.normalise_recovery_code(typed) == canonical


def test_a_new_recovery_code_is_five_groups_of_four_from_the_plain_alphabet():
    code = vault.new_recovery_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4, 4, 4]
    assert set("".join(groups)) <= set(vault.RECOVERY_ALPHABET)
    assert vault.normalise_recovery_code(code) == code


def test_with_a_passcode_a_new_private_note_is_in_no_byte_of_the_file(db_path, couple):
    alex, sam = couple
    key, _ = give_passcode(db_path, alex.id)
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, private_checkin(LONG_MARKER))
    assert MARKER.encode() not in file_bytes(db_path)
    assert SHARED.encode() in file_bytes(db_path)  # what is shared stays plain

    with store.open_db(db_path, {alex.id: key}) as db:
        mine = store.load_checkin(db, alex.id, MONDAY)
        (record,) = store.load_csi(db)
        ((_, _, saved),) = store.load_revisions(db, alex.id, MONDAY)
    assert mine.answers.reflections["unsaid"] == Reflection(LONG_MARKER, False)
    assert mine.answers.csi == CsiAnswers((4, 3, 2, 5), False)
    assert record.values == (4, 3, 2, 5)
    assert saved.reflections["unsaid"].text == LONG_MARKER


def test_without_the_key_a_sealed_note_reads_as_locked_and_its_answers_as_unanswered(
    db_path, couple
):
    alex, sam = couple
    key, _ = give_passcode(db_path, alex.id)
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, private_checkin())
    # Sam's session holds only Sam's key (here: none at all).
    with store.open_db(db_path) as db:
        raw = store.load_checkin(db, alex.id, MONDAY)
        (record,) = store.load_csi(db)
    assert raw.answers.reflections["unsaid"].text == vault.LOCKED_TEXT
    assert raw.answers.reflections["working"].text == SHARED
    assert record.values == (None, None, None, None)


def test_saving_a_keyed_partners_notes_without_their_key_is_refused_and_stores_nothing(
    db_path, couple
):
    alex, _ = couple
    give_passcode(db_path, alex.id)
    with store.open_db(db_path) as db:
        with pytest.raises(store.StoreError, match="Unlock first"):
            store.save_checkin(db, alex.id, MONDAY, private_checkin())
        assert store.load_checkin(db, alex.id, MONDAY) is None
    assert MARKER.encode() not in file_bytes(db_path)


def test_a_sealed_note_moved_to_another_week_does_not_open(db_path, couple):
    alex, _ = couple
    key, _ = give_passcode(db_path, alex.id)
    later = MONDAY + timedelta(weeks=1)
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, private_checkin())
        store.save_checkin(db, alex.id, later, private_checkin("another week's note"))
        # Someone with the file copies this week's sealed note over next week's.
        db.execute(
            "UPDATE reflections SET body = (SELECT r.body FROM reflections r JOIN checkins c "
            "ON c.id = r.checkin_id WHERE c.week = ? AND r.prompt = 'unsaid') WHERE checkin_id = "
            "(SELECT id FROM checkins WHERE week = ?) AND prompt = 'unsaid'",
            [MONDAY.isoformat(), later.isoformat()],
        )
        moved = store.load_checkin(db, alex.id, later)
    assert moved.answers.reflections["unsaid"].text == vault.LOCKED_TEXT


def test_setting_a_passcode_seals_what_was_written_before_and_leaves_no_plain_copy(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, private_checkin("first draft " + LONG_MARKER))
        store.save_checkin(db, alex.id, MONDAY, private_checkin(LONG_MARKER))
        store.save_checkin(db, sam.id, MONDAY, answers(unsaid=("sam's own private", False)))
    assert MARKER.encode() in file_bytes(db_path)

    key, _ = give_passcode(db_path, alex.id)

    assert MARKER.encode() not in file_bytes(db_path)
    # Sam set no passcode: Sam's private note stays plain (the toggle says so).
    assert b"sam's own private" in file_bytes(db_path)
    with store.open_db(db_path, {alex.id: key}) as db:
        versions = [
            a.reflections["unsaid"].text for _, _, a in store.load_revisions(db, alex.id, MONDAY)
        ]
        (csi,) = store.load_csi(db)
    assert versions == ["first draft " + LONG_MARKER, LONG_MARKER]
    assert csi.values == (4, 3, 2, 5)


def test_removing_a_passcode_opens_every_note_back_into_plain_text(db_path, couple):
    alex, _ = couple
    key, _ = give_passcode(db_path, alex.id)
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, private_checkin())
        store.remove_passcode(db, alex.id, key)
    with store.open_db(db_path) as db:
        mine = store.load_checkin(db, alex.id, MONDAY)
        assert store.load_wrapped_keys(db, alex.id) == store.WrappedKeys(None, None)
        assert store.load_unlock_state(db, alex.id).passcode_hash is None
    assert mine.answers.reflections["unsaid"] == Reflection(MARKER, False)
    assert mine.answers.csi == CsiAnswers((4, 3, 2, 5), False)


def test_a_forgotten_passcode_without_recovery_code_drops_only_the_sealed_notes(db_path, couple):
    alex, _ = couple
    key, _ = give_passcode(db_path, alex.id)
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, private_checkin("old version"))
        store.save_checkin(db, alex.id, MONDAY, private_checkin())
        assert store.count_sealed_notes(db, alex.id) == store.SealedNotes(1, 1, 1)
        store.forget_passcode(db, alex.id)
    with store.open_db(db_path) as db:
        mine = store.load_checkin(db, alex.id, MONDAY)
        versions = store.load_revisions(db, alex.id, MONDAY)
        assert store.count_sealed_notes(db, alex.id) == store.SealedNotes(0, 0, 0)
    assert mine.answers.reflections == {"working": Reflection(SHARED, True)}
    assert mine.answers.scores == {"emotional": 6}
    assert mine.answers.csi is None
    assert [list(a.reflections) for _, _, a in versions] == [["working"], ["working"]]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    notes=st.lists(
        st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
            str.strip
        ),
        min_size=4,
        max_size=4,
    )
)
def test_set_change_remove_with_notes_in_between_never_loses_or_garbles_a_note(tmp_path, notes):
    path = tmp_path / f"closer-{abs(hash(tuple(notes)))}.db"
    path.unlink(missing_ok=True)
    store.initialise(path)
    with store.open_db(path) as db:
        (alex,) = store.setup_couple(db, ["Alex"], Settings())
    weeks = [MONDAY + timedelta(weeks=n) for n in range(4)]

    def write(n: int, keyring: dict) -> None:
        with store.open_db(path, keyring) as db:
            store.save_checkin(db, alex.id, weeks[n], answers(unsaid=(notes[n], False)))

    write(0, {})
    key, _ = give_passcode(path, alex.id, "first one")
    write(1, {alex.id: key})
    now = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
    changed = security.change_passcode(
        path, alex.id, "first one", "second one", "second one", now, backups=None
    )
    assert changed.key == key and changed.recovery_code is None
    write(2, {alex.id: key})
    security.remove_passcode(path, alex.id, "second one", now, backups=None)
    write(3, {})
    with store.open_db(path) as db:
        found = [
            store.load_checkin(db, alex.id, w).answers.reflections["unsaid"].text for w in weeks
        ]
    assert found == [n.strip() and n for n in notes]
    assert not any(vault.is_sealed(json.dumps(f)) for f in found)


def test_automatic_backups_made_before_and_after_hold_no_plain_copy(db_path, couple, tmp_path):
    alex, _ = couple
    folder = tmp_path / "backups"
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, private_checkin(LONG_MARKER))
    before = automatic.backup_file(db_path, folder, "weekly")
    assert MARKER.encode() in before.read_bytes()

    key, _ = give_passcode(db_path, alex.id)
    assert store.apply_passcode_to_copy(before, alex, key, seal=True) is True
    after = automatic.backup_file(db_path, folder, "weekly")

    for copy in (before, after):
        assert MARKER.encode() not in copy.read_bytes()
        with store.open_db(copy, {alex.id: key}) as db:
            assert (
                store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"].text
                == LONG_MARKER
            )


def test_a_copy_without_this_partners_id_is_left_alone(db_path, couple, tmp_path):
    _, sam = couple
    other = tmp_path / "other.db"
    store.initialise(other)
    with store.open_db(other) as db:
        store.setup_couple(db, ["Robin"], Settings())
    key = vault.new_data_key()
    assert store.apply_passcode_to_copy(other, sam, key, seal=True) is False


def test_the_json_backup_csv_and_summary_hold_no_plain_private_note(db_path, couple):
    alex, sam = couple
    key, _ = give_passcode(db_path, alex.id)
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, private_checkin())
        store.save_checkin(db, sam.id, MONDAY, answers())
    # Even built with Alex's own key in hand, the files that travel carry the sealed form.
    with store.open_db(db_path, {alex.id: key}) as db:
        exported = file_format.backup_json(db)
        csv_text = exports.scores_csv(db, sam.id)
        summary = exports.summary_markdown(db, MONDAY, MONDAY + timedelta(days=6))
    assert MARKER not in exported and "sealed:v1:" in exported
    assert MARKER not in csv_text
    # The summary escapes punctuation, so look for a word of the marker and the escaped text.
    assert "lighthouse" not in summary
    assert r"shared\-walk\-by\-the\-river" in summary


def test_the_partner_never_sees_a_sealed_note_through_the_reveal(db_path, couple):
    alex, sam = couple
    key, _ = give_passcode(db_path, alex.id)
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, private_checkin())
    with store.open_db(db_path) as db:
        store.save_checkin(db, sam.id, MONDAY, answers())
        view = view_week(MONDAY, sam.id, alex.id, store.load_week(db, MONDAY))
    assert set(view.theirs.answers.reflections) == {"working"}
