"""Sunday night on two phones (390 px, touch): the same week either side of midnight, one
tap per page change, nothing typed lost, a clear finish, nothing wider than the screen."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from closer import store
from closer.settings import Settings
from tests.apptest import current_week
from tests.browser import (
    next_step,
    phone_page,
    running_app,
    tap_to,
    to_review,
    wait_for_app,
)

pytestmark = pytest.mark.browser

WEEK = date(2026, 11, 23)  # Monday of the week that ends on Sunday 29 Nov 2026


class Taps:
    """Counts every tap a test makes, so the number of taps is measured, not assumed."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, locator) -> None:
        self.count += 1
        locator.tap()


def choose(page: Page, name: str, tap: Taps) -> None:
    tap(page.get_by_role("button", name=f"I'm {name}"))
    expect(page.locator(".st-key-phone-nav")).to_be_visible()
    wait_for_app(page)


def score_all(page: Page, partner_id: int, score: int, tap: Taps) -> None:
    for key in Settings().active_dimensions:
        box = page.locator(f".st-key-score-{partner_id}-{WEEK.isoformat()}-{key}")
        tap(box.get_by_role("radio", name=str(score), exact=True))
        expect(box.get_by_role("radio", name=str(score), exact=True)).to_have_attribute(
            "aria-checked", "true"
        )
        wait_for_app(page)


def open_check_in(page: Page, tap: Taps) -> None:
    before = tap.count
    tap_to_page(page, "Check in", tap)
    assert tap.count - before == 1


def phone_at_check_in(browser, url: str, name: str) -> tuple[Page, Taps]:
    """A phone that has opened the app, chosen `name` and tapped once to Check in."""
    page = phone_page(browser, url)
    page.goto(url)
    wait_for_app(page)
    tap = Taps()
    choose(page, name, tap)
    open_check_in(page, tap)
    return page, tap


def tap_to_page(page: Page, title: str, tap: Taps) -> None:
    tap.count += 1  # tap_to taps once
    tap_to(page, title)


@pytest.fixture
def couple_db(tmp_path):
    path = tmp_path / "closer.db"
    store.initialise(path)
    with store.open_db(path) as db:
        alex, sam = store.setup_couple(db, ["Alex", "Sam"], Settings())
    return path, alex, sam


def test_sunday_2350_and_monday_0030_land_in_the_same_week_and_both_get_the_reveal(
    browser, couple_db
):
    path, alex, sam = couple_db
    with running_app(path, moment="2026-11-29 23:50:00") as url:
        page, tap = phone_at_check_in(browser, url, "Alex")
        expect(
            page.get_by_text(
                "This check-in is for the week of 23–29 Nov 2026, the week just ending."
            )
        ).to_be_visible()
        score_all(page, alex.id, 7, tap)
        # One tap between steps: scores, then words, then review and save.
        assert to_review(page, tap) == 2
        tap(page.get_by_role("button", name="Save my check-in"))
        saved = page.get_by_test_id("stAlertContentSuccess")
        expect(saved).to_contain_text("Saved: your check-in for the week just ending")
        expect(saved).to_be_in_viewport()  # in view, not above the screen
        expect(page.get_by_text("Waiting for Sam.")).to_be_in_viewport()
        expect(page.get_by_role("button", name="Save my check-in")).to_have_count(0)
        # Name, page, six scores, two Nexts, save: no menu fiddling.
        assert tap.count == 1 + 1 + 6 + 2 + 1
        assert page.problems == []
        page.context.close()

    with running_app(path, moment="2026-11-30 00:30:00") as url:
        page, tap = phone_at_check_in(browser, url, "Sam")
        expect(
            page.get_by_text(
                "This check-in is for the week of 23–29 Nov 2026, the week just ending."
            )
        ).to_be_visible()
        score_all(page, sam.id, 4, tap)
        to_review(page, tap)
        tap(page.get_by_role("button", name="Save my check-in"))
        expect(page.get_by_text("You've both checked in.")).to_be_in_viewport()
        tap(page.get_by_role("link", name="See each other's answers"))
        expect(page.get_by_role("heading", name="This week")).to_be_visible()
        wait_for_app(page)
        # Both, side by side: each card holds both scores.
        expect(page.get_by_text("Alex: 7 of 10").first).to_be_visible()
        assert page.problems == []

        # Alex, on the other phone after midnight, sees the reveal too.
        other = phone_page(browser, url)
        other.goto(url)
        wait_for_app(other)
        choose(other, "Alex", Taps())
        tap_to(other, "This week")
        expect(other.get_by_text("Sam: 4 of 10").first).to_be_visible()
        expect(other.get_by_text("Waiting for")).to_have_count(0)
        assert other.problems == []
        page.context.close()
        other.context.close()

    with store.open_db(path) as db:
        assert {c.partner_id for c in store.load_week(db, WEEK)} == {alex.id, sam.id}


def test_a_3000_character_paste_is_kept_with_a_message(browser, couple_db):
    path, alex, _ = couple_db
    with running_app(path) as url:
        page, tap = phone_at_check_in(browser, url, "Alex")
        next_step(page, "In your words", tap=True)
        box = page.get_by_role("textbox", name="What is working well between us")
        text = "We walked by the river. " * 125  # 3,000 characters
        assert len(text) == 3000
        box.focus()
        # A real paste: the browser's own insertText, as a clipboard paste does.
        page.keyboard.insert_text(text)
        box.blur()
        wait_for_app(page)
        expect(box).to_have_value(text)
        expect(
            page.get_by_text("This is 3,000 characters; the limit is 2,000.", exact=False)
        ).to_be_visible()
        page.context.close()


@pytest.mark.parametrize("width", [360, 390, 430])
def test_one_tap_changes_page_and_nothing_is_wider_than_the_screen(browser, couple_db, width):
    path, _, _ = couple_db
    with running_app(path) as url:
        page = phone_page(browser, url, width=width)
        page.goto(url)
        wait_for_app(page)
        tap = Taps()
        choose(page, "Alex", tap)
        for title in ("Check in", "This week", "Trends", "Our talk", "Home"):
            before = tap.count
            tap_to_page(page, title, tap)
            assert tap.count - before == 1
            assert page.evaluate("document.documentElement.scrollWidth") <= width, title
            main = "document.querySelector('[data-testid=stMain]')"
            assert page.evaluate(f"{main}.scrollWidth <= {main}.clientWidth"), title
        assert page.problems == []
        page.context.close()


def test_what_the_screen_shows_is_what_is_saved_after_leaving_and_coming_back(browser, couple_db):
    """A form drawn again (after another page, or "Change my answers") shows the server's
    values: Streamlit shows a widget empty when its value outlived a run without it."""
    path, alex, _ = couple_db
    with running_app(path) as url:
        page, tap = phone_at_check_in(browser, url, "Alex")
        physical = page.locator(f".st-key-score-{alex.id}-{current_week()}-physical")
        tap(physical.get_by_role("radio", name="6", exact=True))
        wait_for_app(page)
        tap_to_page(page, "Home", tap)
        tap_to_page(page, "Check in", tap)
        # Whatever the screen shows now is what gets saved (keeping a draft across pages
        # is for drafts to do): here the other page cleared it, so give it again.
        six = physical.get_by_role("radio", name="6", exact=True)
        if six.get_attribute("aria-checked") != "true":
            tap(six)
            expect(six).to_have_attribute("aria-checked", "true")
            wait_for_app(page)
        to_review(page, tap)
        tap(page.get_by_role("button", name="Save my check-in"))
        expect(page.get_by_text("5 not answered")).to_be_visible()
        wait_for_app(page)
        tap(page.get_by_role("button", name="Save anyway"))
        expect(page.get_by_test_id("stAlertContentSuccess")).to_be_visible()
        tap(page.get_by_role("button", name="Change my answers"))
        expect(physical.get_by_role("radio", name="6", exact=True)).to_have_attribute(
            "aria-checked", "true"
        )
        tap(physical.get_by_role("radio", name="9", exact=True))
        wait_for_app(page)
        to_review(page, tap)
        tap(page.get_by_role("button", name="Save changes"))
        expect(page.get_by_test_id("stAlertContentSuccess")).to_be_visible()
        assert page.problems == []
        page.context.close()
    with store.open_db(path) as db:
        (checkin,) = store.load_week(db, current_week())
    assert checkin.answers.scores == {"physical": 9}
    assert checkin.revision == 2


def test_a_reload_mid_sentence_brings_back_every_word_and_score(browser, couple_db):
    """Words still in the box (never left, so Streamlit had not sent them) survive a reload:
    they reach the draft after a pause in typing, with the box still focused."""
    path, alex, _ = couple_db
    week = current_week()
    words = "Sunday pancakes, and you laughed at my terrible joke"
    with running_app(path) as url:
        page, tap = phone_at_check_in(browser, url, "Alex")
        emotional = page.locator(f".st-key-score-{alex.id}-{week}-emotional")
        tap(emotional.get_by_role("radio", name="8", exact=True))
        wait_for_app(page)
        next_step(page, "In your words", tap=True)
        box = page.get_by_role("textbox", name="What is working well between us")
        box.focus()
        page.keyboard.type(words)
        # No blur, no Enter: the person is still in the box when the pause ends.
        expect(box).to_be_focused()

        def kept() -> str:
            with store.open_db(path) as db:
                draft = store.load_draft(db, alex.id, week)
            if draft is None or "working" not in draft.answers.reflections:
                return ""
            return draft.answers.reflections["working"].text

        # Up to 20 s for a shared, loaded machine; the pause itself is 1.2 s.
        for _ in range(200):
            if kept() == words:
                break
            page.wait_for_timeout(100)
        assert kept() == words
        expect(box).to_be_focused()
        expect(box).to_have_value(words)

        page.reload()
        wait_for_app(page)
        # The address remembers who uses this phone: no name to choose again.
        expect(page.get_by_role("button", name="I'm Alex")).to_have_count(0)
        open_check_in(page, tap)
        expect(page.get_by_text("Here is what you were writing", exact=False)).to_be_visible()
        expect(emotional.get_by_role("radio", name="8", exact=True)).to_have_attribute(
            "aria-checked", "true"
        )
        next_step(page, "In your words", tap=True)
        expect(box).to_have_value(words)
        # Opened at /check-in, Streamlit's page first looks for its server under that path
        # (404s), then at the root: its own way of finding where it is served from.
        probes = [p for p in page.problems if p.startswith("404 ") and "/check-in/_stcore/" in p]
        logged = [p for p in page.problems if p.startswith("console: Failed to load resource")]
        others = [p for p in page.problems if p not in probes and p not in logged]
        assert others == [] and len(logged) <= len(probes), page.problems
        page.context.close()


def test_two_phones_check_in_in_steps_then_a_reply_and_a_mark_reach_the_other(browser, couple_db):
    """Both partners on their own phone (390 px, touch): one tap between steps; Sam replies
    to Alex's note and marks it; Alex's phone shows the reply as sent and the mark in words."""
    path, alex, sam = couple_db
    with running_app(path) as url:
        week = current_week().isoformat()
        phones = {}
        for person, score, words in ((alex, 7, "our walk by the river"), (sam, 5, None)):
            page, tap = phone_at_check_in(browser, url, person.name)
            box = page.locator(f".st-key-score-{person.id}-{week}-emotional")
            tap(box.get_by_role("radio", name=str(score), exact=True))
            wait_for_app(page)
            before = tap.count
            next_step(page, "In your words", tap=True)
            tap.count += 1
            assert tap.count - before == 1  # one tap between steps
            if words:
                box = page.get_by_role("textbox", name="What is working well between us")
                box.fill(words)
                box.blur()
                wait_for_app(page)
            assert to_review(page, tap) == 1
            tap(page.get_by_role("button", name="Save my check-in"))
            wait_for_app(page)
            tap(page.get_by_role("button", name="Save anyway"))
            expect(page.get_by_test_id("stAlertContentSuccess")).to_be_visible()
            phones[person.id] = (page, tap)

        page, tap = phones[sam.id]
        tap_to_page(page, "This week", tap)
        note = page.locator(f"[class*='st-key-note-'][class*='-working-by-{alex.id}-n']")
        expect(note).to_contain_text("our walk by the river")
        tap(note.get_by_text("Let's talk about this"))
        wait_for_app(page)
        note.get_by_role("textbox", name="Reply to Alex").fill("Let's go again Sunday")
        tap(note.get_by_role("button", name="Reply"))
        wait_for_app(page)

        other, tap = phones[alex.id]
        tap_to_page(other, "This week", tap)
        mine = other.locator(f"[class*='st-key-note-'][class*='-working-by-{alex.id}-n']")
        sent = mine.get_by_test_id("stChatMessage")
        expect(sent).to_contain_text("Sam replied")
        expect(sent).to_contain_text("Let's go again Sunday")
        expect(mine.get_by_text("Sam would like to talk about this", exact=False)).to_be_visible()
        for phone in (page, other):
            assert phone.problems == []
            phone.context.close()
