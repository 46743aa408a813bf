"""The phone's bottom bar at 390 px, touch: one tap from any scroll position, covering nothing."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from closer.demo import write_demo
from tests.browser import (
    HEADINGS,
    go_to,
    phone_page,
    running_app,
    tap_to,
    wait_for_app,
    watched_page,
)

pytestmark = pytest.mark.browser

WEEKLY = ("Home", "Check in", "This week", "Our talk")
TITLES = (*WEEKLY, "Trends", "Suggestions", "History", "Settings", "Your data")
# A fixed "today" for the sample year, so the pages are as long on any day the test runs.
TODAY = date(2026, 11, 22)


@pytest.fixture
def year_url(tmp_path):
    path = tmp_path / "closer.db"
    write_demo(path, weeks=52, today=TODAY)
    with running_app(path) as url:
        yield url


def as_robin(page: Page, url: str, path: str = "") -> None:
    page.goto(f"{url}/{path}")
    wait_for_app(page)
    chooser = page.get_by_role("button", name="I'm Robin")
    if chooser.count():
        chooser.tap()
        expect(chooser).to_have_count(0)
        wait_for_app(page)


def scroll_to(page: Page, fraction: float) -> None:
    """Scroll the page's own scroller to a fraction of its height (Streamlit scrolls stMain)."""
    page.evaluate(
        """f => { for (const el of [document.querySelector('[data-testid=stMain]'),
                                     document.scrollingElement]) {
                    if (el) el.scrollTop = (el.scrollHeight - el.clientHeight) * f; } }""",
        fraction,
    )


def test_one_tap_reaches_each_weekly_place_from_any_scroll_position(browser, year_url):
    page = phone_page(browser, year_url)
    as_robin(page, year_url)
    bar = page.locator(".st-key-phone-nav")
    for target in WEEKLY:
        # From a long page, reached the way a person would: More, then History.
        bar.get_by_role("button", name="More").tap()
        page.get_by_test_id("stPopoverBody").locator("a", has_text="History").tap()
        expect(page.get_by_role("heading", name="History", exact=True)).to_be_visible()
        wait_for_app(page)
        for fraction in (0.0, 0.5, 1.0):
            scroll_to(page, fraction)
            expect(bar).to_be_in_viewport()
            bar.locator("a", has_text=target).tap()  # the one tap
            heading = page.get_by_role("heading", name=HEADINGS.get(target, target), exact=True)
            expect(heading.first).to_be_visible(timeout=20_000)
            wait_for_app(page)
            if fraction < 1.0:
                bar.get_by_role("button", name="More").tap()
                page.get_by_test_id("stPopoverBody").locator("a", has_text="History").tap()
                expect(page.get_by_role("heading", name="History", exact=True)).to_be_visible()
                wait_for_app(page)
    assert page.problems == []


def page_height(page: Page) -> int:
    return page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")


def test_the_bar_covers_nothing_on_the_longest_page(browser, year_url):
    page = phone_page(browser, year_url)
    as_robin(page, year_url)
    heights = {}
    for title in TITLES:
        tap_to(page, title)
        heights[title] = page_height(page)
    longest = max(heights, key=heights.get)
    tap_to(page, longest)
    scroll_to(page, 1.0)
    page.wait_for_function(
        """() => { const m = document.querySelector('[data-testid=stMain]');
                   return Math.abs(m.scrollTop + m.clientHeight - m.scrollHeight) < 2; }"""
    )
    bar_top = page.locator(".st-key-phone-nav").bounding_box()["y"]
    # The page's last line (its last element with any size, in page order) ends above the bar.
    last_bottom = page.evaluate(
        """() => { const items = [...document.querySelectorAll(
                     '[data-testid=stMainBlockContainer] [data-testid=stElementContainer]')]
                     .filter(e => !e.closest('.st-key-phone-nav'))
                     .map(e => e.getBoundingClientRect()).filter(r => r.height > 0);
                   return items[items.length - 1].bottom; }"""
    )
    assert last_bottom <= bar_top, (longest, last_bottom, bar_top)


def test_no_bar_on_a_phone_turned_sideways(browser, year_url):
    page = phone_page(browser, year_url, width=844)
    as_robin(page, year_url)
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    expect(page.locator(".st-key-phone-nav")).to_be_hidden()
    assert page.problems == []


@pytest.mark.parametrize("width", [1280, 390])
def test_a_computer_gets_no_bar_and_reaches_every_page_from_the_sidebar(browser, year_url, width):
    # Not sent at all (hidden, it still cost the browser 10-14 ms of work on every click),
    # and a window narrowed to a phone's width still has Streamlit's own menu.
    page = watched_page(browser, year_url, width=width)
    page.goto(year_url)
    wait_for_app(page)
    page.get_by_role("button", name="I'm Robin").click()
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    wait_for_app(page)
    expect(page.locator(".st-key-phone-nav")).to_have_count(0)
    for title in TITLES:
        # In a narrow window the menu folds away after a choice: open it again where it did.
        expand = page.get_by_test_id("stExpandSidebarButton")
        if expand.is_visible():
            expand.click()
        go_to(page, title)
    assert page.problems == []


@pytest.fixture
def new_couple_url(db_path, couple):
    """Alex and Sam, set up a moment ago: no scores, so no care note links anywhere."""
    with running_app(db_path) as url:
        yield url


HELP_FROM = ("Home", "Check in", "This week", "Suggestions", "Our talk", "Settings")


def test_where_to_turn_is_reached_from_every_page_whatever_the_scores(browser, new_couple_url):
    # On a computer, one click in the sidebar's menu; on a phone, More and then the link.
    computer = watched_page(browser, new_couple_url)
    computer.goto(new_couple_url)
    wait_for_app(computer)
    computer.get_by_role("button", name="I'm Alex").click()
    expect(computer.get_by_role("heading", name="Hello, Alex")).to_be_visible()
    phone = phone_page(browser, new_couple_url)
    phone.goto(new_couple_url)
    wait_for_app(phone)
    phone.get_by_role("button", name="I'm Alex").tap()
    expect(phone.get_by_role("heading", name="Hello, Alex")).to_be_visible()
    for start in HELP_FROM:
        go_to(computer, start)
        go_to(computer, "Where to turn")
        tap_to(phone, start)
        tap_to(phone, "Where to turn")
    for page in (computer, phone):
        expect(page.get_by_text("domestic-abuse helpline").first).to_be_visible()
        assert page.problems == []
