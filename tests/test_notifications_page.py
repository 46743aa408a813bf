"""Settings' notifications: each partner's own addresses, a test in words, a failure shown."""

from __future__ import annotations

import threading

from closer import store
from tests.apptest import fill_checkin, open_app, texts_on_screen
from tests.test_notifications import closed_port, inbox  # noqa: F401 (the fixture)

SETTINGS = "views/pages/our_settings.py"
CHECKIN = "views/pages/check_in.py"


def add_on_page(at, url: str):
    at.text_input(key="notify-new").input(url)
    next(b for b in at.button if b.label == "Add address").click().run()
    assert not at.exception, at.exception
    return at


def test_add_an_address_and_send_a_test(db_path, couple, inbox):  # noqa: F811
    alex, sam = couple
    at = open_app(alex.id, SETTINGS)
    add_on_page(at, inbox.url("alex"))
    assert "Address added. Send a test to see it arrive." in [s.value for s in at.success]
    shown = texts_on_screen(at)
    assert "JSON · json://…alex" in shown
    assert not any(inbox.url("alex") in text for text in shown)  # the token part stays hidden
    at.button(key="notify-test").click().run()
    assert [s.value for s in at.success] == ["The test was sent. Did it arrive?"]
    assert [b["title"] for b in inbox.bodies] == ["Closer"]
    # Sam sees none of Alex's addresses.
    at = open_app(sam.id, SETTINGS)
    assert not any("alex" in text for text in texts_on_screen(at))


def test_an_address_apprise_does_not_know_is_refused_next_to_it(db_path, couple):
    alex, _ = couple
    at = add_on_page(open_app(alex.id, SETTINGS), "not an address")
    assert [e.value.replace("\\", "") for e in at.error] == [
        "An address has no spaces in it: check what was pasted."
    ]
    with store.open_db(db_path) as db:
        assert store.load_addresses(db, alex.id) == []


def test_a_failing_address_never_fails_a_save_and_settings_says_so(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.add_address(db, sam.id, f"json://127.0.0.1:{closed_port()}/sam")
    at = open_app(alex.id, CHECKIN)
    fill_checkin(at, alex.id, {"emotional": 7})
    assert at.success, "the save was confirmed"
    for thread in threading.enumerate():
        if thread.name == "closer-notices":
            thread.join()
    at = open_app(sam.id, SETTINGS)
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert "last notice failed: JSON didn't take it" in warnings


def test_each_settings_section_saves_alone(db_path, couple):
    """A change typed in one section and not saved stays out of another section's save."""
    alex, _ = couple
    at = open_app(alex.id, SETTINGS)
    # The first two open, the rest folded, in the order people need them.
    headings = [h.value for h in at.subheader] + [e.label for e in at.expander]
    assert headings == [
        "You",
        "Your passcode",
        "On your phones",
        "Notifications",
        "Your check-in time",
        "What you track",
        "Sample data",
    ]
    at.text_input(key=f"name-{alex.id}").input("Alexandra")
    at.checkbox(key="settings-dim-spiritual").uncheck()
    at.selectbox(key="settings-weekday").set_value(4)
    next(b for b in at.button if b.label == "Save" and b.form_id == "schedule").click().run()
    with store.open_db(db_path) as db:
        settings = store.load_settings(db)
        names = [p.name for p in store.list_partners(db)]
    assert settings.checkin_weekday == 4
    assert "spiritual" in settings.active_dimensions
    assert names == ["Alex", "Sam"]
    at.checkbox(key="settings-dim-spiritual").uncheck()
    next(b for b in at.button if b.label == "Save" and b.form_id == "tracking").click().run()
    with store.open_db(db_path) as db:
        settings = store.load_settings(db)
        names = [p.name for p in store.list_partners(db)]
    assert "spiritual" not in settings.active_dimensions and settings.checkin_weekday == 4
    assert names == ["Alex", "Sam"]


def test_a_sections_save_is_confirmed_inside_that_section(db_path, couple):
    """Folded sections: the news of a save is where the person is looking, not at the top."""
    alex, _ = couple
    at = open_app(alex.id, SETTINGS)
    at.selectbox(key="settings-weekday").set_value(4)
    next(b for b in at.button if b.label == "Save" and b.form_id == "schedule").click().run()
    assert not at.exception
    slot = next(e for e in at.expander if e.label == "Your check-in time")
    assert [s.value for s in slot.success] == ["Check-in time saved: Fridays at 20:00."]
    assert [s.value for s in at.success] == ["Check-in time saved: Fridays at 20:00."]
