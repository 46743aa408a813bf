"""Guesses at the partner's scores: kept inside the guesser's answers, read back by every reader."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from closer import store
from closer.backup import exports, file_format, restore, visible_copy
from closer.checkin import Answers, stored_answers_problem, validate_answers
from closer.settings import Settings, setting_problem
from tests.factories import MONDAY, write_raw

ACTIVE = ["emotional", "physical", "social"]


def test_answers_json_keeps_guesses_and_leaves_them_out_when_there_are_none():
    given = Answers({"emotional": 7}, guesses={"emotional": 6, "physical": None})
    raw = given.to_json()
    assert json.loads(raw)["guesses"] == {"emotional": 6, "physical": None}
    assert Answers.from_json(raw) == given
    # Older rows (and check-ins without guesses) have no "guesses" at all, and read as {}.
    plain = Answers({"emotional": 7}).to_json()
    assert "guesses" not in json.loads(plain)
    assert Answers.from_json(plain).guesses == {}


@pytest.mark.parametrize(
    ("guesses", "field", "words"),
    [
        ({"emotional": 11}, "guess:emotional", "Guesses go from 1 to 10"),
        ({"emotional": 0}, "guess:emotional", "Guesses go from 1 to 10"),
        ({"emotional": True}, "guess:emotional", "Guesses go from 1 to 10"),
        ({"emotional": "7"}, "guess:emotional", "Guesses go from 1 to 10"),
        ({"spiritual": 5}, "guess:spiritual", "not part of your check-in"),
    ],
)
def test_a_guess_outside_one_to_ten_or_for_an_unknown_type_is_refused(guesses, field, words):
    errors = validate_answers(Answers({"emotional": 7}, guesses=guesses), ACTIVE)
    assert words in errors[field]


def test_good_guesses_and_not_sure_pass():
    given = Answers({"emotional": 7}, guesses={"emotional": 1, "physical": 10, "social": None})
    assert validate_answers(given, ACTIVE) == {}


@pytest.mark.parametrize(
    ("guesses", "problem"),
    [
        ({"emotional": 11}, "its guesses aren't guesses from 1 to 10"),
        ({"emotional": 2.5}, "its guesses aren't guesses from 1 to 10"),
        ({"emotional": False}, "its guesses aren't guesses from 1 to 10"),
        ({"not-a-type": 5}, "its guesses aren't for Closer's intimacy types"),
        ([5, 6], "its guesses aren't for Closer's intimacy types"),
    ],
)
def test_a_stored_bad_guess_is_read_as_a_stranger_wrote_it(guesses, problem):
    raw = json.dumps({"scores": {}, "wants_more": [], "reflections": {}, "guesses": guesses})
    assert stored_answers_problem(raw) == problem


def test_a_stored_good_guess_reads():
    raw = Answers({"emotional": 7}, guesses={"emotional": 6, "social": None}).to_json()
    assert stored_answers_problem(raw) is None


def test_guesses_survive_a_save_a_new_version_and_a_draft_in_a_real_file(db_path, couple):
    alex, _ = couple
    first = Answers({"emotional": 7}, guesses={"emotional": 6, "physical": None})
    with store.open_db(db_path) as db:
        store.save_draft(db, alex.id, MONDAY, first, 0)
        assert store.load_draft(db, alex.id, MONDAY).answers.guesses == first.guesses
        store.save_checkin(db, alex.id, MONDAY, first)
        assert store.load_checkin(db, alex.id, MONDAY).answers.guesses == first.guesses
        # A second version without guesses: the current answers have none, the first keeps its.
        store.save_checkin(db, alex.id, MONDAY, Answers({"emotional": 8}))
        assert store.load_checkin(db, alex.id, MONDAY).answers.guesses == {}
        versions = store.load_revisions(db, alex.id, MONDAY)
    assert [v[2].guesses for v in versions] == [first.guesses, {}]


def test_each_partner_turns_guessing_on_for_themselves_only(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        assert store.load_settings(db).guessing_partners == frozenset()  # off by default
        store.set_guessing(db, alex.id, True)
        store.set_guessing(db, sam.id, True)
        store.set_guessing(db, sam.id, False)
        assert store.load_settings(db).guessing_partners == {alex.id}
        # Saving the other settings (a Settings built from a form) leaves the choice alone.
        store.save_settings(db, Settings(csi_enabled=False))
        assert store.load_settings(db).guessing_partners == {alex.id}
        stored = db.execute("SELECT value FROM settings WHERE key = 'guessing_partners'")
        assert json.loads(stored.fetchone()[0]) == [alex.id]  # ids, never names
    assert setting_problem("guessing_partners", '["Alex"]') == "must list partner ids, each once"
    assert setting_problem("guessing_partners", "[1, 1]") == "must list partner ids, each once"
    assert setting_problem("guessing_partners", "[1, 2]") is None


def _both_with_a_guess(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.set_guessing(db, alex.id, True)
        store.save_checkin(db, alex.id, MONDAY, Answers({"emotional": 7}, guesses={"emotional": 4}))
        store.save_checkin(db, sam.id, MONDAY, Answers({"emotional": 8}))
        # The week after: Alex has guessed, Sam has not checked in yet.
        store.save_checkin(
            db,
            alex.id,
            MONDAY + timedelta(weeks=1),
            Answers({"emotional": 6}, guesses={"emotional": 9}),
        )


def test_a_backup_keeps_guesses_and_the_choice_and_restores_them(db_path, couple, tmp_path):
    alex, _ = couple
    _both_with_a_guess(db_path, couple)
    with store.open_db(db_path) as db:
        raw = file_format.backup_json(db)
    assert '\\"guesses\\": {\\"emotional\\": 4}' in raw
    other = tmp_path / "other.db"
    store.initialise(other)
    with store.open_db(other) as db:
        restore.restore_backup(db, file_format.read_backup(raw, db), "replace", consented=())
        assert store.load_checkin(db, alex.id, MONDAY).answers.guesses == {"emotional": 4}
        assert store.load_settings(db).guessing_partners == {alex.id}


def test_a_backup_with_a_bad_guess_is_refused(db_path, couple):
    _both_with_a_guess(db_path, couple)
    with store.open_db(db_path) as db:
        backup = file_format.export_backup(db)
    revisions = backup["tables"]["checkin_revisions"]
    at = revisions["columns"].index("answers")
    for row in revisions["rows"]:
        row[at] = row[at].replace('"emotional": 4', '"emotional": 40')
    with store.open_db(db_path) as db, pytest.raises(file_format.BackupError):
        file_format.read_backup(json.dumps(backup), db)


def test_the_copy_of_what_you_can_see_holds_the_partners_guesses_only_once_revealed(
    db_path, couple
):
    alex, sam = couple
    _both_with_a_guess(db_path, couple)
    with store.open_db(db_path) as db:
        for_sam = visible_copy.visible_backup_json(db, sam.id)
        for_alex = visible_copy.visible_backup_json(db, alex.id)
    # Sam sees Alex's revealed guess (4) and never the guess for the week Sam hasn't answered.
    assert '\\"guesses\\": {\\"emotional\\": 4}' in for_sam
    assert '\\"emotional\\": 9' not in for_sam
    assert '\\"guesses\\": {\\"emotional\\": 9}' in for_alex


def test_the_summary_to_share_leaves_guesses_out(db_path, couple):
    _both_with_a_guess(db_path, couple)
    with store.open_db(db_path) as db:
        summary = exports.summary_markdown(db, MONDAY, MONDAY + timedelta(days=13))
    # The revealed week's scores are there; no guess (4, or the unrevealed 9) is.
    assert "| Emotional | 7 | 8 |" in summary
    assert "guess" not in summary.lower()
    assert "| 4 |" not in summary and "| 9 |" not in summary


def test_a_damaged_current_version_gives_no_guesses_and_the_scores_still_show(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, Answers({"emotional": 7}, guesses={"emotional": 6}))
        assert store.load_guesses(db, alex.id) == {MONDAY: {"emotional": 6}}
    # A guess of 60 written straight into the file: read as a stranger's, so not at all.
    write_raw(
        db_path,
        "UPDATE checkin_revisions SET answers = replace(answers, '\"emotional\": 6', "
        "'\"emotional\": 60')",
    )
    with store.open_db(db_path) as db:
        loaded = store.load_checkin(db, alex.id, MONDAY)
        assert (loaded.answers.scores, loaded.answers.guesses) == ({"emotional": 7}, {})
        assert store.load_guesses(db, alex.id) == {}
