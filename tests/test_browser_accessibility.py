"""Accessibility in the real browser: axe-core on every page, and the keyboard alone."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from closer.demo import write_demo
from tests.browser import PAGE_PATHS, running_app, wait_for_app, watched_page

pytestmark = pytest.mark.browser

PAGES = PAGE_PATHS
BLOCKING = {"serious", "critical"}


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core findings on the page as it is, one line each."""
    # The package ships axe.min.js and injects it into the page: nothing is fetched.
    from axe_playwright_python.sync_playwright import Axe

    # Streamlit fades elements left from the previous run ("stale") while a rerun is under
    # way; a faded paragraph fails contrast. Check the page as it is at rest: on a busy
    # machine a late rerun can otherwise be caught half-way (seen once under a full run).
    wait_for_app(page)
    page.wait_for_function(
        "document.querySelectorAll('[data-stale=\"true\"]').length === 0", timeout=20_000
    )
    found = Axe().run(page).response["violations"]
    return [
        f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def open_as_robin(browser, url: str, path: str, width: int):
    page = watched_page(browser, url, width)
    page.goto(f"{url}/{path}")
    wait_for_app(page)
    robin = page.get_by_role("button", name="I'm Robin")
    if robin.count():
        robin.click()
        wait_for_app(page)
    return page


def outside_deep_link_probes(problems: list[str], url: str, name: str) -> list[str]:
    """Problems other than the 404 Streamlit's frontend expects when probing a deep link."""
    probe = f"404 {url}/{name}/_stcore/"
    return [p for p in problems if not p.startswith(probe) and "status of 404" not in p]


def test_no_serious_axe_findings_on_any_page_at_desktop_and_phone_width(browser, tmp_path):
    path = tmp_path / "closer.db"
    write_demo(path, weeks=52, today=date.today())
    found: dict[str, list[str]] = {}
    with running_app(path) as url:
        for width in (1280, 390):
            for name in PAGES:
                page = open_as_robin(browser, url, name, width)
                if name == "your-data":
                    # The summary's text is behind an expander: check it open too.
                    page.get_by_text("The file's text, exactly as it will be saved").click()
                    wait_for_app(page)
                found[f"{name or 'home'} at {width}"] = axe_violations(page)
                assert outside_deep_link_probes(page.problems, url, name) == []
                page.close()
    assert {where: v for where, v in found.items() if v} == {}


def test_no_serious_axe_findings_on_the_welcome_page(browser, app_url):
    for width in (1280, 390):
        page = watched_page(browser, app_url, width)
        page.goto(app_url)
        wait_for_app(page)
        assert axe_violations(page) == []
        assert page.problems == []
        page.close()


FOCUSED = """() => {
  const e = document.activeElement;
  const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText)
    || e.innerText || '';
  // An icon is drawn from a font ligature, so its name is text too: keep the last line.
  return (e.getAttribute('role') || e.type || e.tagName.toLowerCase()) + '|'
    + label.trim().split('\\n').pop();
}"""


def tab_to(page, wanted: str, limit: int = 120) -> list[str]:
    """Press Tab until `wanted` ("role|label") has focus; return what was passed on the way."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused == wanted:
            return passed
        passed.append(focused)
    raise AssertionError(f"Tab never reached {wanted}; passed {passed}")


def test_check_in_and_this_week_with_the_keyboard_alone(browser, tmp_path):
    from closer import store
    from closer.settings import Settings
    from tests.apptest import current_week
    from tests.browser import go_to
    from tests.factories import answers

    path = tmp_path / "closer.db"
    store.initialise(path)
    week = current_week()
    with store.open_db(path) as db:
        alex, sam = store.setup_couple(db, ["Alex", "Sam"], Settings())
        store.save_checkin(db, sam.id, week, answers({"physical": 8}, lacking=("walks", True)))
    with running_app(path) as url:
        page = watched_page(browser, url)
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("button", name="I'm Alex").click()
        wait_for_app(page)
        go_to(page, "Check in")

        # Every score, both boxes under each, every note and its share switch, then Save:
        # all reached with Tab, in order, and answered with the keyboard.
        tab_to(page, "button|Help for Emotional")
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED) == "radio|1"  # the scores are one radio group per type
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Space")
        wait_for_app(page)
        # The one with focus wears a dashed ring; the chosen one is filled: never the same.
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert ring == "dashed"
        page.keyboard.press("ArrowLeft")
        chosen = "document.querySelector('[class*=st-key-score-] [aria-checked=true]')"
        assert page.evaluate(f"getComputedStyle({chosen}).outlineStyle") != "dashed"
        page.keyboard.press("ArrowRight")
        passed = tab_to(page, "submit|Next: In your words")
        assert passed.count("radio|1") == 5  # the other five types
        assert passed.count("checkbox|Skip") == 6
        assert passed.count("checkbox|More of this") == 6
        # The next step, with the keyboard: focus stays in the form, at the new step.
        page.keyboard.press("Enter")
        wait_for_app(page)
        in_step = "document.activeElement.closest(\"[class*='st-key-checkin-step-words']\")"
        page.wait_for_function(f"() => {in_step} !== null")
        tab_to(page, "textarea|What is working well between us")
        page.keyboard.type("the keyboard works")
        passed = tab_to(page, "submit|Next: Review and save")
        assert passed.count("switch|Share with Sam") == 5
        page.keyboard.press("Enter")
        wait_for_app(page)
        page.wait_for_function(
            "() => document.activeElement.closest(\"[class*='st-key-checkin-step-review']\")"
            " !== null"
        )
        tab_to(page, "submit|Save my check-in")
        page.keyboard.press("Enter")
        wait_for_app(page)
        # Five types left alone: asked once, answered with the keyboard too.
        tab_to(page, "submit|Save anyway")
        page.keyboard.press("Enter")
        wait_for_app(page)
        expect(page.get_by_text("You've both checked in")).to_be_visible()

        # This week: mark Sam's note for the talk and reply to it, keyboard only.
        go_to(page, "This week")
        expect(page.get_by_text("the keyboard works")).to_be_visible()
        tab_to(page, "checkbox|Let's talk about this")  # under Alex's own note
        tab_to(page, "checkbox|Let's talk about this")  # under Sam's
        page.keyboard.press("Space")
        wait_for_app(page)
        tab_to(page, "textarea|Reply to Sam")
        page.keyboard.type("yes, Sunday")
        tab_to(page, "submit|Reply")
        page.keyboard.press("Enter")
        wait_for_app(page)
        # The reply is saved, then the page runs again to show it as sent: on a busy machine
        # that second run can start after wait_for_app has already seen the first one end.
        reply = page.get_by_test_id("stText").filter(has_text="yes, Sunday")
        expect(reply).to_have_count(1, timeout=20_000)
        assert page.problems == []
        page.close()
    with store.open_db(path) as db:
        mine = store.load_checkin(db, alex.id, week)
        assert mine.answers.scores["emotional"] == 6
        marks = store.load_talk_marks(db, week)
        assert [(m.note_author_id, m.prompt, m.marked_by) for m in marks] == [
            (sam.id, "lacking", alex.id)
        ]
        assert [r.body for r in store.load_note_replies(db, week)] == ["yes, Sunday"]
