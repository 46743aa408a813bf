"""The check-in keeps what is typed (drafts), catches a save from another tab, and shows its
author every earlier version."""

from __future__ import annotations

from closer import store
from tests.apptest import (
    CHECKIN,
    SAVE_LABELS,
    current_week,
    go_to_review,
    open_app,
    open_words_tab,
    this_week,
)
from tests.factories import answers, give_passcode

NOTE = "Thursday's walk, and what I didn't say after it"


def reflection_box(at, partner_id: int, prompt: str = "unsaid"):
    """A reflection's box, opening the tab it is in first when it is not open."""
    key = f"text-{partner_id}-{this_week()}-{prompt}"
    if not any(box.key == key for box in at.text_area):
        open_words_tab(at, partner_id)
    return at.text_area(key=key)


def press(at, label: str):
    if label in SAVE_LABELS:
        go_to_review(at)
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def test_words_typed_come_back_in_a_new_browser_session(db_path, couple):
    alex, _ = couple
    first = open_app(alex.id, CHECKIN)
    reflection_box(first, alex.id).input(NOTE).run()

    again = open_app(alex.id, CHECKIN)  # a reload, a closed tab, another phone
    # Said on the first step, where a reload starts.
    assert any(i.value.startswith("Here is what you were writing") for i in again.info)
    assert reflection_box(again, alex.id).value == NOTE
    with store.open_db(db_path) as db:
        assert store.load_checkin(db, alex.id, current_week()) is None  # not saved, only kept


def test_starting_again_forgets_the_draft(db_path, couple):
    alex, _ = couple
    at = open_app(alex.id, CHECKIN)
    reflection_box(at, alex.id).input(NOTE).run()
    press(open_app(alex.id, CHECKIN), "Start again from empty")
    assert reflection_box(open_app(alex.id, CHECKIN), alex.id).value == ""
    with store.open_db(db_path) as db:
        assert store.load_draft(db, alex.id, current_week()) is None


def test_a_sealed_persons_draft_is_in_no_byte_of_the_file(db_path, couple):
    alex, _ = couple
    give_passcode(db_path, alex.id, "tulip 42")
    at = open_app(alex.id)
    at.text_input(key=f"passcode-{alex.id}").input("tulip 42")
    press(at, "Unlock")
    at.switch_page(CHECKIN).run()
    reflection_box(at, alex.id).input(NOTE).run()
    with store.open_db(db_path) as db:
        assert store.load_draft(db, alex.id, current_week()) is not None
    assert NOTE.encode() not in db_path.read_bytes()


def test_a_save_from_an_older_tab_asks_which_version_stays(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), answers({"emotional": 5}))
    older = open_app(alex.id, CHECKIN)  # opened on revision 1
    newer = open_app(alex.id, CHECKIN)
    reflection_box(newer, alex.id, "working").input("from the phone").run()
    press(newer, "Save changes")

    reflection_box(older, alex.id, "working").input("from the laptop").run()
    press(older, "Save changes")
    assert any("another tab or on another device" in w.value for w in older.warning)
    with store.open_db(db_path) as db:
        kept = store.load_checkin(db, alex.id, current_week())
    assert (kept.revision, kept.answers.reflections["working"].text) == (2, "from the phone")

    press(older, "Keep what's on this page")
    with store.open_db(db_path) as db:
        kept = store.load_checkin(db, alex.id, current_week())
    assert (kept.revision, kept.answers.reflections["working"].text) == (3, "from the laptop")


def test_showing_the_other_version_loads_it_into_the_form(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), answers({"emotional": 5}))
    older = open_app(alex.id, CHECKIN)
    newer = open_app(alex.id, CHECKIN)
    reflection_box(newer, alex.id, "working").input("from the phone").run()
    press(newer, "Save changes")
    reflection_box(older, alex.id, "working").input("from the laptop").run()
    press(older, "Save changes")
    press(older, "Show the other version")
    assert reflection_box(older, alex.id, "working").value == "from the phone"


def test_earlier_versions_are_shown_to_their_author(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), answers(unsaid=("first try", False)))
        store.save_checkin(db, alex.id, current_week(), answers(unsaid=("second try", False)))
    at = open_app(alex.id, CHECKIN)
    (versions,) = [e for e in at.expander if e.label == "Earlier versions (1)"]
    assert "first try" in [t.value for t in versions.text]
    # Sam sees no version of Alex's anywhere: not on Sam's check-in, not in This week.
    for page in (CHECKIN, "views/pages/this_week.py", "views/pages/history.py"):
        shown = open_app(sam.id, page)
        assert "first try" not in [t.value for t in shown.text], page
        assert not [e for e in shown.expander if e.label.startswith("Earlier versions")]


def test_the_private_switch_says_what_private_means_with_and_without_a_passcode(db_path, couple):
    alex, sam = couple
    plain = [c.value for c in open_words_tab(open_app(sam.id, CHECKIN), sam.id).caption]
    assert any("Set a passcode in Settings to lock it in the file too" in c for c in plain)
    give_passcode(db_path, alex.id, "tulip 42")
    at = open_app(alex.id)
    at.text_input(key=f"passcode-{alex.id}").input("tulip 42")
    press(at, "Unlock")
    open_words_tab(at.switch_page(CHECKIN), alex.id)
    assert any("sealed in the file with your passcode" in c.value for c in at.caption)
