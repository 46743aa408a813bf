"""The phone remembers who uses it (the id in the address), never the unlock."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest import APP
from tests.factories import give_passcode


def reload_with(query: dict[str, str]) -> AppTest:
    """A new browser session on an address with these query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_choosing_a_name_puts_it_in_the_address(couple):
    at = reload_with({})
    assert at.title[0].value == "Who's here?"
    at.button(key="choose-2").click().run()
    assert at.query_params["me"] == "2"


def test_a_reload_goes_straight_to_the_remembered_person(couple):
    at = reload_with({"me": "2"})
    assert at.session_state["partner_id"] == 2
    assert at.title[0].value == "Hello, Sam"


def test_a_reload_asks_only_the_passcode_never_remembers_the_unlock(db_path, couple):
    give_passcode(db_path, 2, "tulip 42")
    at = reload_with({"me": "2"})
    assert at.title[0].value == "Welcome back"
    assert at.text_input(key="passcode-2").value == ""


def test_an_address_naming_nobody_here_is_ignored(couple):
    for value in ("7", "x", "-1", ""):
        at = reload_with({"me": value})
        assert at.title[0].value == "Who's here?"
