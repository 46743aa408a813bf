"""What only a real browser shows: the whole weekly flow in Chromium, against `streamlit run`."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import wait_for_app

pytestmark = pytest.mark.browser

PAYLOAD = "**hi** <b>x</b> ![p](http://127.0.0.1:9/p.png)"


def watched_page(browser, width: int = 1280):
    """A new page that records console errors and every URL it requests."""
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.console_errors = []
    page.requested = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.on("request", lambda r: page.requested.append(r.url))
    return page


def go_to(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_for_app(page)


def switch_to(page: Page, name: str) -> None:
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=name, exact=True).click()
    wait_for_app(page)


def check_in(page: Page, steps_right: int, texts: dict[str, str]) -> None:
    """Move the first slider by steps_right, type the reflections, save."""
    slider = page.get_by_role("slider").first
    slider.focus()
    for _ in range(steps_right):
        slider.press("ArrowRight")
    for label, text in texts.items():
        page.get_by_role("textbox", name=label).fill(text)
    page.get_by_test_id("stFormSubmitButton").click()
    wait_for_app(page)


def test_onboarding_checkins_reveal_and_verbatim_text(browser, app_url):
    page = watched_page(browser)
    page.goto(app_url)
    wait_for_app(page)

    # Onboarding: a wrong entry keeps what was typed and says what is wrong.
    page.get_by_role("textbox", name="Your name").fill("Alex")
    page.get_by_role("textbox", name="Your partner's name (optional)").fill("ALEX")
    page.get_by_test_id("stFormSubmitButton").click()
    wait_for_app(page)
    expect(page.get_by_text("The two of you need different names here.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your name")).to_have_value("Alex")
    page.get_by_role("textbox", name="Your partner's name (optional)").fill("Sam")
    page.get_by_test_id("stFormSubmitButton").click()
    wait_for_app(page)

    # Alex checks in with the payload as a shared reflection.
    expect(page.get_by_role("heading", name="Weekly check-in")).to_be_visible()
    check_in(
        page,
        2,
        {
            "What is working well between us": PAYLOAD,
            "Something on my mind I haven't brought up yet": "alex private worry",
        },
    )
    expect(page.get_by_text("Saved. That's 1 week you've checked in.")).to_be_visible()
    expect(page.get_by_role("slider").first).to_have_value("7")

    go_to(page, "This week")
    expect(page.get_by_text("Waiting for Sam.")).to_be_visible()

    # Sam sees that Alex checked in, and nothing of Alex's.
    switch_to(page, "Sam")
    expect(page.get_by_text("Alex has checked in.")).to_be_visible()
    expect(page.get_by_text("alex private worry")).to_have_count(0)
    expect(page.get_by_text(PAYLOAD)).to_have_count(0)

    go_to(page, "Check in")
    check_in(page, 0, {"Something I appreciate about you": "thanks for dinner"})
    expect(page.get_by_text("You've both checked in")).to_be_visible()

    go_to(page, "This week")
    # Verbatim: the exact characters appear as text, nothing is bold, no image element.
    expect(page.get_by_test_id("stText").filter(has_text=PAYLOAD)).to_have_count(1)
    expect(page.locator("[data-testid='stMain'] img")).to_have_count(0)
    expect(page.locator("[data-testid='stMain'] b")).to_have_count(0)
    expect(page.get_by_text("thanks for dinner")).to_be_visible()
    expect(page.get_by_text("alex private worry")).to_have_count(0)

    # Back to Alex: Sam's shared note visible, Alex's own private note marked as private.
    switch_to(page, "Alex")
    expect(page.get_by_text("thanks for dinner")).to_be_visible()
    expect(page.get_by_text("alex private worry")).to_be_visible()
    expect(page.get_by_text("only you can see this")).to_be_visible()

    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert not [url for url in page.requested if "127.0.0.1:9/" in url]
    # Private means private: the page loads nothing from anywhere but the app itself.
    assert [url for url in page.requested if not url.startswith(app_url)] == []
    assert page.console_errors == []
    page.close()
