"""The deck in Chromium: ten cards by keyboard alone at 1280 px, one tap a card at 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from closer import store
from closer.settings import Settings
from tests.browser import go_to, phone_page, running_app, tap_to, wait_for_app, watched_page

pytestmark = pytest.mark.browser

CARD = ".st-key-deck-card h2"


@pytest.fixture
def couple_db(tmp_path):
    path = tmp_path / "closer.db"
    store.initialise(path)
    with store.open_db(path) as db:
        store.setup_couple(db, ["Alex", "Sam"], Settings())
    return path


def card(page: Page) -> str:
    return page.locator(CARD).inner_text()


def settled_on_new_card(page: Page, before: str) -> str:
    """Wait until another card is drawn and the run has finished; its question."""
    expect(page.locator(CARD)).not_to_have_text(before, timeout=20_000)
    wait_for_app(page)
    return card(page)


def kept_cards(path) -> list[tuple[int, int, int]]:
    with store.open_db(path) as db:
        return [
            (r["position"], r["skipped"], r["starred"])
            for r in db.query("SELECT * FROM deck_cards ORDER BY position")
        ]


def test_the_keyboard_alone_plays_ten_cards(browser, couple_db):
    with running_app(couple_db) as url:
        page = watched_page(browser, url, 1280)
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("button", name="I'm Alex").click()
        wait_for_app(page)
        go_to(page, "Deck")
        page.get_by_role("button", name="Start the evening").click()
        wait_for_app(page)
        # From here on, keys only (the button that started the evening has gone).
        seen = [card(page)]
        for number in range(2, 11):
            page.keyboard.press("Space" if number % 2 else "ArrowRight")
            seen.append(settled_on_new_card(page, seen[-1]))
        assert len(set(seen)) == 10
        page.keyboard.press("ArrowLeft")
        assert settled_on_new_card(page, seen[-1]) == seen[-2]
        page.keyboard.press("ArrowRight")
        assert settled_on_new_card(page, seen[-2]) == seen[-1]
        page.keyboard.press("s")
        expect(page.get_by_role("button", name="Unstar")).to_be_visible()
        wait_for_app(page)
        page.keyboard.press("ArrowDown")  # skip
        settled_on_new_card(page, seen[-1])
        assert len(kept_cards(couple_db)) == 11
        assert kept_cards(couple_db)[9] == (10, 1, 1)  # card ten: starred, then skipped
        assert page.problems == []
        page.close()


def test_on_a_phone_one_tap_a_card_and_nothing_is_wider_than_the_screen(browser, couple_db):
    width = 390
    with running_app(couple_db) as url:
        page = phone_page(browser, url, width)
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("button", name="I'm Sam").tap()
        wait_for_app(page)
        tap_to(page, "Deck")
        page.get_by_role("button", name="Start the evening").tap()
        wait_for_app(page)
        main = "document.querySelector('[data-testid=stMain]')"
        seen = [card(page)]
        for _ in range(5):
            next_button = page.locator(".st-key-deck-next button")
            box = next_button.bounding_box()
            # Big enough for a thumb, and on the first screen without scrolling.
            assert box["height"] >= 48 and box["width"] >= width * 0.8
            assert box["y"] + box["height"] <= 844
            next_button.tap()  # one tap
            seen.append(settled_on_new_card(page, seen[-1]))
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert page.evaluate(f"{main}.scrollWidth <= {main}.clientWidth")
        assert len(set(seen)) == 6
        page.get_by_role("button", name="Close the evening").tap()
        expect(page.locator(CARD)).to_contain_text("appreciated about each other tonight")
        wait_for_app(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.problems == []
        page.context.close()
