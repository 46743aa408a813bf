"""Guessing on two phones (390 px, touch): both turned it on, both guess in their check-in,
and after the reveal each reads "You guessed …; … said …" on This week."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from closer import store
from closer.settings import Settings
from tests.browser import next_step, phone_page, running_app, tap_to, to_review, wait_for_app
from tests.test_browser_accessibility import axe_violations

pytestmark = pytest.mark.browser

WEEK = date(2026, 11, 23)  # Monday of the week that ends on Sunday 29 Nov 2026
MOMENT = "2026-11-29 21:00:00"


def tap_choice(page: Page, key: str, name: str) -> None:
    """Tap one pill in a row (a score or a guess) and wait until it shows as chosen."""
    choice = page.locator(f".st-key-{key}").get_by_role("radio", name=name, exact=True)
    choice.tap()
    expect(choice).to_have_attribute("aria-checked", "true")
    wait_for_app(page)


def check_in_with_guesses(
    browser, url: str, partner: store.Partner, score: int, guesses: dict[str, str]
) -> Page:
    page = phone_page(browser, url)
    page.goto(url)
    wait_for_app(page)
    page.get_by_role("button", name=f"I'm {partner.name}").tap()
    expect(page.locator(".st-key-phone-nav")).to_be_visible()
    wait_for_app(page)
    tap_to(page, "Check in")
    prefix = f"{partner.id}-{WEEK.isoformat()}"
    for key in Settings().active_dimensions:
        tap_choice(page, f"score-{prefix}-{key}", str(score))
    next_step(page, "Your guesses", tap=True)
    for key, guess in guesses.items():
        tap_choice(page, f"guess-{prefix}-{key}", guess)
    assert axe_violations(page) == []  # the guess step: labels, contrast, roles
    to_review(page, lambda locator: locator.tap())
    expect(page.get_by_text("Your guesses", exact=True)).to_be_visible()
    page.get_by_role("button", name="Save my check-in").tap()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Saved")
    wait_for_app(page)
    return page


def test_both_guess_on_their_phones_and_each_reads_their_own_guess_beside_the_answer(
    browser, tmp_path
):
    path = tmp_path / "closer.db"
    store.initialise(path)
    with store.open_db(path) as db:
        alex, sam = store.setup_couple(db, ["Alex", "Sam"], Settings())
        store.set_guessing(db, alex.id, True)
        store.set_guessing(db, sam.id, True)
    with running_app(path, moment=MOMENT) as url:
        alex_phone = check_in_with_guesses(
            browser, url, alex, 7, {"emotional": "6", "physical": "Not sure"}
        )
        sam_phone = check_in_with_guesses(browser, url, sam, 8, {"emotional": "9"})
        for phone in (sam_phone, alex_phone):
            tap_to(phone, "This week")
            expect(
                phone.get_by_role("heading", name="How well you read each other")
            ).to_be_visible()
        box = alex_phone.locator(".st-key-week-guesses")
        expect(box).to_contain_text("EmotionalYou guessed 6; Sam said 8\nSam guessed 9; you said 7")
        expect(box).to_contain_text("PhysicalYou weren't sure; Sam said 8")
        box = sam_phone.locator(".st-key-week-guesses")
        expect(box).to_contain_text(
            "EmotionalYou guessed 9; Alex said 7\nAlex guessed 6; you said 8"
        )
        expect(box).to_contain_text("PhysicalAlex wasn't sure; you said 8")
        for phone in (alex_phone, sam_phone):
            assert axe_violations(phone) == []
            # Nothing wider than the phone's screen.
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390
            assert phone.problems == []
            phone.context.close()
