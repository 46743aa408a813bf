"""Drafts kept as a partner types, sealed like their notes, and saves from a stale tab caught."""

from __future__ import annotations

import pytest

from closer import store, vault
from closer.checkin import Reflection
from tests.factories import MONDAY, answers, give_passcode

NOTE = "half a sentence about Thursday"


def test_a_draft_comes_back_until_the_check_in_is_saved(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        assert store.load_draft(db, alex.id, MONDAY) is None
        store.save_draft(db, alex.id, MONDAY, answers({"physical": 3}, unsaid=(NOTE, False)), 0)
        draft = store.load_draft(db, alex.id, MONDAY)
        assert draft.answers.scores == {"physical": 3}
        assert draft.answers.reflections["unsaid"] == Reflection(NOTE, False)
        assert draft.base_revision == 0
        assert store.load_draft(db, sam.id, MONDAY) is None  # drafts are per partner

        store.save_checkin(db, alex.id, MONDAY, draft.answers, expected_revision=0)
        assert store.load_draft(db, alex.id, MONDAY) is None


def test_a_keyed_partners_private_draft_is_sealed_in_the_file(db_path, couple):
    alex, _ = couple
    key, _ = give_passcode(db_path, alex.id)
    with store.open_db(db_path, {alex.id: key}) as db:
        store.save_draft(db, alex.id, MONDAY, answers(unsaid=(NOTE, False)), 0)
    assert NOTE.encode() not in db_path.read_bytes()
    with store.open_db(db_path, {alex.id: key}) as db:
        assert store.load_draft(db, alex.id, MONDAY).answers.reflections["unsaid"].text == NOTE
    with store.open_db(db_path) as db:
        assert store.load_draft(db, alex.id, MONDAY).answers.reflections["unsaid"].text == (
            vault.LOCKED_TEXT
        )
        with pytest.raises(store.StoreError, match="Unlock first"):
            store.save_draft(db, alex.id, MONDAY, answers(unsaid=("plain", False)), 0)


def test_setting_a_passcode_seals_an_existing_draft_and_removing_opens_it(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_draft(db, alex.id, MONDAY, answers(unsaid=(NOTE, False)), 0)
    key, _ = give_passcode(db_path, alex.id)
    assert NOTE.encode() not in db_path.read_bytes()
    with store.open_db(db_path, {alex.id: key}) as db:
        store.remove_passcode(db, alex.id, key)
    with store.open_db(db_path) as db:
        assert store.load_draft(db, alex.id, MONDAY).answers.reflections["unsaid"].text == NOTE


def test_a_save_from_a_tab_opened_before_another_save_is_refused(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(working=("first", True)))
        # Two tabs open revision 1; the newer one saves first.
        store.save_checkin(
            db,
            alex.id,
            MONDAY,
            answers(working=("newer tab", True)),
            saved_at="2026-11-22T21:04:00+00:00",
            expected_revision=1,
        )
        with pytest.raises(store.StaleCheckin) as caught:
            store.save_checkin(
                db, alex.id, MONDAY, answers(working=("older tab", True)), expected_revision=1
            )
        assert (caught.value.revision, caught.value.saved_at) == (2, "2026-11-22T21:04:00+00:00")
        current = store.load_checkin(db, alex.id, MONDAY)
    assert current.answers.reflections["working"].text == "newer tab"
    assert current.revision == 2


def test_a_first_save_expects_revision_zero(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, MONDAY, answers(), expected_revision=0)
        with pytest.raises(store.StaleCheckin):
            store.save_checkin(db, alex.id, MONDAY, answers(), expected_revision=0)
