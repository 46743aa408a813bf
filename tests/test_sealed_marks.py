"""A sealed note is told from text by its own mark, never by how its text begins."""

from __future__ import annotations

import json

from closer import store
from closer.backup import file_format, restore
from tests.factories import MONDAY, answers, give_passcode

LOOKALIKE = "sealed:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA my words, not ciphertext"


def test_a_note_typed_to_look_sealed_reads_back_as_typed(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=(LOOKALIKE, False)))
        mine = store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"]
        ((_, _, saved),) = store.load_revisions(db, alex.id, MONDAY)
    assert (mine.text, mine.shared) == (LOOKALIKE, False)
    assert saved.reflections["unsaid"].text == LOOKALIKE


def test_a_note_typed_to_look_sealed_is_sealed_with_the_rest(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=(LOOKALIKE, False)))
    key, _ = give_passcode(db_path, alex.id)
    assert b"my words, not ciphertext" not in db_path.read_bytes()
    with store.open_db(db_path) as db:
        assert store.count_sealed_notes(db, alex.id) == store.SealedNotes(1, 0, 0)
    with store.open_db(db_path, {alex.id: key}) as db:
        assert store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"].text == (
            LOOKALIKE
        )


def test_the_upgrade_marks_what_the_old_prefix_said_was_sealed(db_path, couple):
    alex, _ = couple
    key, _ = give_passcode(db_path, alex.id)
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=("only mine", False)))
        # As a database written before the mark existed holds it: prefix only, no mark.
        db.execute("UPDATE reflections SET sealed = 0")
        db.execute(
            "UPDATE checkin_revisions SET answers = replace(answers, ', \"sealed\": true', '')"
        )
        assert store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"].text != (
            "only mine"
        )
        store.mark_sealed_by_prefix(db)
        mine = store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"]
        ((_, _, saved),) = store.load_revisions(db, alex.id, MONDAY)
    assert mine.text == "only mine" and saved.reflections["unsaid"].text == "only mine"


def test_a_backup_from_before_the_mark_restores_its_sealed_notes_sealed(db_path, couple):
    alex, _ = couple
    key, _ = give_passcode(db_path, alex.id)
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(unsaid=("only mine", False)))
        data = json.loads(file_format.backup_json(db))
    # The same file as an earlier version wrote it: no 'sealed' column, no marks, older schema.
    data["schema"].remove(file_format.SEALED_MARK_MIGRATION)
    notes = data["tables"]["reflections"]
    at = notes["columns"].index("sealed")
    notes["columns"].pop(at)
    for row in notes["rows"]:
        row.pop(at)
    revisions = data["tables"]["checkin_revisions"]
    answers_at = revisions["columns"].index("answers")
    for row in revisions["rows"]:
        row[answers_at] = row[answers_at].replace(', "sealed": true', "")
    older = json.dumps(data)
    assert '"sealed": true' not in older

    with store.open_db(db_path, {alex.id: key}) as db:
        backup = file_format.read_backup(older, db)
        restore.restore_backup(db, backup, mode="replace", consented={alex.id})
        mine = store.load_checkin(db, alex.id, MONDAY).answers.reflections["unsaid"]
    assert (mine.text, mine.shared) == ("only mine", False)
