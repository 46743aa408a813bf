"""Who is at the screen, in a real browser: each phone's own code, and the keyboard after a name."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from closer import store
from closer.settings import Settings
from tests.browser import CHROMIUM_ARGS, chromium_path, phone_context, running_app, wait_for_app
from tests.factories import give_passcode

pytestmark = pytest.mark.browser

PASSCODES = {"Alex": "tulip 42", "Sam": "cedar 17"}
# A name the home network would give the computer (RFC 8375), which this browser resolves to
# loopback: the page opened on it is the page a couple opens on their laptop's own name.
HOME_NAME = "closer.home.arpa"


@pytest.fixture
def couple_with_passcodes(db_path):
    """Alex and Sam, each with a passcode, as `make run-home` requires."""
    with store.open_db(db_path) as db:
        alex, sam = store.setup_couple(db, ["Alex", "Sam"], Settings())
    for partner in (alex, sam):
        give_passcode(db_path, partner.id, PASSCODES[partner.name])
    return alex, sam


def unlock(page: Page, name: str) -> None:
    page.get_by_role("textbox", name="Passcode", exact=True).fill(PASSCODES[name])
    page.get_by_role("button", name="Unlock").click()


def test_each_partners_code_opens_their_own_phone_at_the_passcode(
    browser, db_path, couple_with_passcodes
):
    partners = couple_with_passcodes
    # Listening on the network as `make run-home` does, opened by the computer's home name.
    named = browser.browser_type.launch(
        executable_path=chromium_path(),
        headless=True,
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOME_NAME} 127.0.0.1"],
    )
    try:
        with running_app(db_path, address="0.0.0.0") as url:
            home = f"http://{HOME_NAME}:{urlsplit(url).port}"
            computer = named.new_page(viewport={"width": 1280, "height": 900})
            computer.goto(f"{home}/settings?me={partners[0].id}")
            wait_for_app(computer)
            unlock(computer, "Alex")
            expect(computer.get_by_role("heading", name="Settings", exact=True)).to_be_visible(
                timeout=20_000
            )
            wait_for_app(computer)
            computer.get_by_text("On your phones", exact=True).click()  # a folded section
            addresses = {}
            for partner in partners:
                code = computer.locator(f".st-key-phone-code-{partner.id}")
                expect(code.get_by_role("img")).to_be_visible()
                shown = code.get_by_test_id("stCode").inner_text().strip()
                # Their own check-in, by id: no name in an address (history, bookmarks, logs).
                assert shown == f"{home}/check-in?me={partner.id}"
                assert not re.search("alex|sam", shown, re.IGNORECASE)
                addresses[partner.name] = shown
            for name, address in addresses.items():
                phone = phone_context(named)
                page = phone.new_page()
                page.goto(address)
                wait_for_app(page)
                # Only the passcode is asked: the name is chosen by the address.
                expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
                expect(page.get_by_text(f"{name}'s view is protected")).to_be_visible()
                expect(page.get_by_role("heading", name="Who's here?")).to_have_count(0)
                expect(page.get_by_role("button", name=re.compile("^I'm "))).to_have_count(0)
                unlock(page, name)
                expect(page.get_by_role("heading", name="Weekly check-in")).to_be_visible(
                    timeout=20_000
                )
                wait_for_app(page)
                assert page.url == address  # the phone keeps remembering who uses it
                phone.close()
    finally:
        named.close()


def press_tab_until(page: Page, is_there: str, limit: int = 60) -> None:
    """Press Tab until the element with focus passes the test (a JS expression on `e`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return {is_there}; }})()"):
            return
    raise AssertionError(f"Tab never reached {is_there}")


def test_after_choosing_a_name_the_keyboard_is_in_the_passcode_box(
    browser, db_path, couple_with_passcodes
):
    with running_app(db_path) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Who's here?")).to_be_visible()
        # The keyboard alone: Tab to the name button, Enter, and type straight away.
        press_tab_until(page, "e.tagName === 'BUTTON' && e.innerText.trim().endsWith(\"I'm Alex\")")
        page.keyboard.press("Enter")
        box = page.get_by_role("textbox", name="Passcode", exact=True)
        expect(box).to_be_focused(timeout=20_000)
        page.keyboard.type(PASSCODES["Alex"])
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Hello, Alex")).to_be_visible(timeout=20_000)
        wait_for_app(page)

        # Handing over with "I am" in the sidebar: the partner's passcode box has the keyboard.
        press_tab_until(page, "e.getAttribute('role') === 'combobox'")
        page.keyboard.type("Sam")
        page.get_by_role("option", name="Sam", exact=True).wait_for()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Sam's view is protected")).to_be_visible(timeout=20_000)
        expect(box).to_be_focused(timeout=20_000)
        page.keyboard.type(PASSCODES["Sam"])
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Hello, Sam")).to_be_visible(timeout=20_000)
        page.close()
