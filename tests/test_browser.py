"""What only a real browser shows: the whole weekly flow in Chromium, against `streamlit run`."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import (
    go_to,
    next_step,
    phone_page,
    switch_to,
    tap_to,
    to_review,
    wait_for_app,
    watched_page,
)

pytestmark = pytest.mark.browser

PAYLOAD = "**hi** <b>x</b> ![p](http://127.0.0.1:9/p.png)"


def check_in(page: Page, score: int, texts: dict[str, str]) -> None:
    """Give the first type a score, type the reflections, save (leaving the rest unanswered)."""
    first_type = page.locator("[class*='st-key-score-']").first
    choice = first_type.get_by_role("radio", name=str(score), exact=True)
    choice.click()
    expect(choice).to_have_attribute("aria-checked", "true")
    wait_for_app(page)
    next_step(page, "In your words")
    for label, text in texts.items():
        page.get_by_role("textbox", name=label).fill(text)
    to_review(page)
    page.get_by_role("button", name="Save my check-in").click()
    expect(page.get_by_text("not answered:")).to_be_visible()
    wait_for_app(page)
    page.get_by_role("button", name="Save anyway").click()
    wait_for_app(page)


def test_onboarding_checkins_reveal_and_verbatim_text(browser, app_url):
    page = watched_page(browser, app_url)
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

    # Alex lands on the optional set-up steps, skips them to Home, then checks in with the
    # payload as a shared reflection.
    expect(page.get_by_role("heading", name="Set up, if you like")).to_be_visible()
    page.get_by_role("link", name="Done for now: go to Home").click()
    expect(page.get_by_role("heading", name="Hello, Alex")).to_be_visible()
    wait_for_app(page)
    go_to(page, "Check in")
    check_in(
        page,
        7,
        {
            "What is working well between us": PAYLOAD,
            "Something on my mind I haven't brought up yet": "alex private worry",
        },
    )
    expect(page.get_by_text("That's 1 week you've checked in.")).to_be_visible()
    expect(page.get_by_text("Waiting for Sam.")).to_be_visible()

    go_to(page, "This week")
    expect(page.get_by_text("Waiting for Sam.")).to_be_visible()

    # Sam sees that Alex checked in, and nothing of Alex's.
    switch_to(page, "Sam")
    expect(page.get_by_text("Alex has checked in.")).to_be_visible()
    expect(page.get_by_text("alex private worry")).to_have_count(0)
    expect(page.get_by_text(PAYLOAD)).to_have_count(0)

    go_to(page, "Check in")
    check_in(page, 5, {"Something I appreciate about you": "thanks for dinner"})
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
    # Private means private: nothing fetched from the payload's address or anywhere else.
    assert page.problems == []
    page.close()


def test_passcode_gate_holds_even_for_a_direct_url_right_after_start(browser, tmp_path):
    """The first request after a server start goes straight to /history: it must be gated."""
    from closer import store
    from closer.passcode import hash_passcode
    from closer.settings import Settings
    from tests.browser import running_app
    from tests.factories import set_passcode_hash

    path = tmp_path / "closer.db"
    store.initialise(path)
    with store.open_db(path) as db:
        alex, _ = store.setup_couple(db, ["Alex", "Sam"], Settings())
        store.save_checkin(db, alex.id, _this_week(), _private())
        set_passcode_hash(db, alex.id, hash_passcode("tulip 42"))

    with running_app(path) as url:
        page = watched_page(browser, url)
        page.goto(f"{url}/history")
        wait_for_app(page)
        page.get_by_role("button", name="I'm Alex").click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
        expect(page.get_by_text("alex diary")).to_have_count(0)
        page.get_by_label("Passcode").fill("wrong")
        page.get_by_test_id("stFormSubmitButton").click()
        wait_for_app(page)
        expect(page.get_by_text("That passcode isn't right.")).to_be_visible()
        page.get_by_label("Passcode").fill("tulip 42")
        page.get_by_test_id("stFormSubmitButton").click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name="History")).to_be_visible()
        expect(page.get_by_text("alex diary")).to_be_visible()

        switch_to(page, "Sam")
        expect(page.get_by_text("alex diary")).to_have_count(0)
        switch_to(page, "Alex")  # switching person forgot the unlock
        expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
        # On a deep link Streamlit's frontend first probes /history/_stcore/... for its own
        # config, gets 404, then uses the root: that probe (and its console line) is expected.
        probes = [e for e in page.problems if e.startswith("404 ") and "/history/_stcore/" in e]
        others = [e for e in page.problems if e not in probes and "status of 404" not in e]
        assert probes and others == []
        assert sum("status of 404" in e for e in page.problems) == len(probes)
        page.close()


def _this_week():
    from tests.apptest import current_week

    return current_week()


def _private():
    from closer.checkin import Answers, Reflection

    return Answers({"physical": 6}, frozenset(), {"unsaid": Reflection("alex diary", False)})


def test_trends_draws_every_chart_on_sample_data(browser, tmp_path):
    from datetime import date

    from closer.demo import write_demo
    from tests.browser import running_app

    path = tmp_path / "closer.db"
    write_demo(path, weeks=52, today=date.today())
    with running_app(path) as url:
        for width in (1280, 390):
            page = watched_page(browser, url) if width == 1280 else phone_page(browser, url)
            page.goto(url)
            wait_for_app(page)
            page.get_by_role("button", name="I'm Robin").click()
            wait_for_app(page)
            if width == 390:
                tap_to(page, "Trends")  # the phone's row of links: the sidebar stays shut
            else:
                go_to(page, "Trends")
            # One tab at a time is drawn: the lines (a panel per type), the wheel, the gap
            # the heatmap and the dot plot of what helps (the sample year has no CSI-4, so
            # no monthly tab).
            tabs = ["Over time", "Wheel", "Side by side", "Whole picture", "What helps us"]
            expect(page.get_by_role("tab")).to_have_text(tabs)
            for tab in tabs:
                page.get_by_role("tab", name=tab).click()
                expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
                wait_for_app(page)
                chart = page.get_by_test_id("stVegaLiteChart")
                expect(chart).to_have_count(1)
                # Vega draws into an svg or a canvas once the spec is valid and rendered.
                expect(chart.locator("svg, canvas").first).to_be_visible()
            assert page.problems == []
            page.close()


# Each partner keeps one colour everywhere, by their place among the ids (closer.colours):
# Robin (the first id) blue, Kai orange, whoever is looking.
BAR_COLOURS = {"Robin": "rgb(0, 114, 178)", "Kai": "rgb(213, 94, 0)"}
BAR_FILLS = """() => [...document.querySelectorAll('[data-testid=stProgress]')].map(bar => [
  bar.innerText.split(':')[0].trim(),
  getComputedStyle(bar.querySelector('[data-testid=stProgressBarTrack] > div')).backgroundColor])"""


@pytest.mark.parametrize(("me", "partner"), [("Robin", "Kai"), ("Kai", "Robin")])
def test_each_partners_score_bars_are_in_their_own_colour(browser, tmp_path, me, partner):
    from datetime import date

    from closer.demo import write_demo
    from tests.browser import running_app

    path = tmp_path / "closer.db"
    # A fixed Wednesday, on the server's clock too: the newest week shown is the same whatever
    # the day the suite runs (a Monday just after midnight, 31 December).
    write_demo(path, weeks=3, today=date(2026, 11, 25))
    with running_app(path, moment="2026-11-25 20:00:00") as url:
        page = watched_page(browser, url)
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("button", name=f"I'm {me}").click()
        wait_for_app(page)
        go_to(page, "History")
        expect(page.get_by_test_id("stProgress").first).to_be_visible()
        bars = page.evaluate(BAR_FILLS)
        # Each bar is labelled with whose it is ("You: 7 of 10", "Kai: 5 of 10").
        expected = {"You": BAR_COLOURS[me], partner: BAR_COLOURS[partner]}
        assert sorted({who for who, _ in bars}) == sorted(expected), bars
        assert all(colour == expected[who] for who, colour in bars), bars
        assert len(bars) >= 8, bars
        assert page.problems == []
        page.close()
