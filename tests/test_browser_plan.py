"""In a real browser: pick a suggestion into the plan, find it on Our talk, and a week later
(the server's clock moved on with libfaketime) be asked about it at the next check-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from closer import plans, store
from closer.checkin import Answers, Reflection
from closer.settings import Settings
from tests.apptest import current_week
from tests.browser import go_to, next_step, running_app, to_review, wait_for_app, watched_page

pytestmark = pytest.mark.browser


def seed(path) -> None:
    """Alex and Sam, both checked in these last four weeks, physical falling."""
    store.initialise(path)
    week = current_week()
    with store.open_db(path) as db:
        alex, sam = store.setup_couple(db, ["Alex", "Sam"], Settings())
        for n, physical in zip(range(3, -1, -1), (7, 5, 4, 3), strict=True):
            for partner in (alex, sam):
                store.save_checkin(
                    db,
                    partner.id,
                    week - timedelta(weeks=n),
                    Answers(
                        {"physical": physical, "emotional": 7},
                        frozenset(),
                        {"appreciation": Reflection(f"thank you from {partner.name}", True)},
                    ),
                )


def test_a_picked_suggestion_lands_in_the_plan_and_on_our_talk(browser, tmp_path):
    path = tmp_path / "closer.db"
    seed(path)
    with running_app(path) as url:
        page = watched_page(browser, url)
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("button", name="I'm Alex").click()
        wait_for_app(page)
        go_to(page, "Suggestions")

        offer = page.locator("[class*='st-key-offer-physical-question-']").first
        key = next(c for c in offer.get_attribute("class").split() if c.startswith("st-key-"))
        question = plans.question_text(key.removeprefix("st-key-offer-physical-question-"))
        expect(offer).to_contain_text(question)
        offer.get_by_role("button", name="Add to this week's plan").click()
        wait_for_app(page)

        expect(offer.get_by_role("button", name="In this week's plan")).to_be_disabled()
        expect(page.locator(".st-key-plan-this-week")).to_contain_text(question)

        go_to(page, "Our talk")
        expect(page.locator(".st-key-talk-plan")).to_contain_text(question)
        expect(page.get_by_text("thank you from Sam")).to_be_visible()

        expect(page.get_by_test_id("stException")).to_have_count(0)
        assert page.problems == []
        page.close()

    with running_app(path, days_ahead=7) as url:  # next week
        page = watched_page(browser, url)
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("button", name="I'm Alex").click()
        wait_for_app(page)
        go_to(page, "Check in")
        seven = page.locator("[class*='st-key-score-']").first.get_by_role("radio", name="7")
        seven.click()
        expect(seven).to_have_attribute("aria-checked", "true")
        wait_for_app(page)
        next_step(page, "Last week's plan")  # one tap from the scores
        expect(page.get_by_role("heading", name="Last week's plan")).to_be_visible()
        item = page.locator("[class*='st-key-followup-']").filter(has_text=question)
        expect(item).to_have_count(1)
        item.get_by_text("We did this").click()
        wait_for_app(page)
        item.get_by_text("It helped", exact=True).click()
        wait_for_app(page)
        to_review(page)
        expect(page.get_by_text("We did this")).to_have_count(0)  # asked in its own step
        page.get_by_role("button", name="Save my check-in").click()
        expect(page.get_by_text("not answered:")).to_be_visible()
        wait_for_app(page)
        page.get_by_role("button", name="Save anyway").click()
        expect(page.get_by_text("Saved:")).to_be_visible()
        assert page.problems == []
        page.close()

    with store.open_db(path) as db:
        (followup,) = store.load_followups(db)
        (item,) = store.load_plan(db, current_week())
    assert (followup.plan_item_id, followup.done, followup.rating) == (item.id, True, 1)
