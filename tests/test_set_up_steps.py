"""Welcome's optional steps after names and the slot: passcode, notifications, phones."""

from __future__ import annotations

from closer import store
from tests.apptest import open_app


def start(at):
    at.text_input(key="welcome-name-1").input("Alex")
    at.text_input(key="welcome-name-2").input("Sam")
    next(b for b in at.button if b.label == "Start").click().run()
    assert not at.exception, at.exception
    return at


def test_start_leads_to_the_optional_steps_each_skippable(db_path):
    at = start(open_app())
    assert at.title[0].value == "Set up, if you like"
    # Step 1: a passcode for the one at the screen, the stock form, and a hand-over to Sam.
    assert at.text_input(key="passcode-new") is not None
    assert at.button(key="set-up-hand-over").label == "Hand over to Sam for theirs"
    at.button(key="set-up-next").click().run()
    assert [s.value for s in at.subheader] == ["A nudge on your phone"]
    assert at.text_input(key="notify-new") is not None
    at.button(key="set-up-next").click().run()
    assert [s.value for s in at.subheader] == ["Use it on your phones"]
    assert "make run-home" in " ".join(m.value for m in at.markdown)
    assert any(link.proto.label == "**Done for now: go to Home**" for link in at.get("page_link"))


def test_a_passcode_set_in_the_steps_is_kept_and_the_partner_takes_over(db_path):
    at = start(open_app())
    at.text_input(key="passcode-new").input("tulip 42")
    at.text_input(key="passcode-repeat").input("tulip 42")
    next(b for b in at.button if b.label == "Set passcode").click().run()
    assert not at.exception
    with store.open_db(db_path) as db:
        assert store.partners_without_passcode(db) == ["Sam"]
    # While the recovery code is shown, the only way on to Sam is to say it's written down.
    code = at.code[0].value
    assert len(code) == 24
    assert not [b for b in at.button if b.key == "set-up-hand-over"]
    written = at.button(key="recovery-code-hand-over")
    assert written.label == "I've written it down: over to Sam"
    written.click().run()
    assert not at.exception
    assert at.session_state["partner_id"] == 2
    assert code not in [c.value for c in at.code]
    assert at.title[0].value == "Set up, if you like"
    assert any(s.value == "A passcode for you, Sam" for s in at.subheader)
    assert not [b for b in at.button if b.key == "set-up-hand-over"]  # Alex has one


def test_set_up_stays_reachable_later(db_path, couple):
    at = open_app(couple[0].id, "views/pages/welcome.py")
    assert at.title[0].value == "Set up, if you like"


def test_written_down_alone_keeps_the_computer_and_offers_the_hand_over(db_path):
    at = start(open_app())
    at.text_input(key="passcode-new").input("tulip 42")
    at.text_input(key="passcode-repeat").input("tulip 42")
    next(b for b in at.button if b.label == "Set passcode").click().run()
    at.button(key="recovery-code-done").click().run()
    assert not at.exception
    assert at.session_state["partner_id"] == 1
    assert not at.code  # the recovery code is gone once written down
    assert at.button(key="set-up-hand-over").label == "Hand over to Sam for theirs"
    assert at.expander[0].label == "Change or remove your passcode"
