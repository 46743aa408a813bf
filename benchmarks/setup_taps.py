"""From a fresh database to both partners checked in on two phones: taps and seconds.

Run: `.venv/bin/python -m benchmarks.setup_taps`. Chromium against `streamlit run` on an
empty database. On the computer (1280 px): Welcome (two names, Start), then Set up: a
passcode for Alex (typed twice, set, then "I've written it down: over to Sam", one tap that
acknowledges the recovery code and hands the computer over), the same for Sam. Then each
partner on a phone (390 px, touch): the phone opens the address in that partner's own QR
code (their check-in, the phone remembering who uses it; scanning is not counted), then the
passcode, Unlock, six scores, "Next" through the check-in's remaining steps, Save. Every tap
and click is counted; typing into a field counts one tap (to put the cursor there). The
restart with `make run-home` between the computer and the phones is one command, not
measured: the phones here open the same loopback address.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from closer.settings import Settings
from tests.browser import CHROMIUM_ARGS, chromium_path, phone_context, running_app, wait_for_app

PASSCODES = {"Alex": "tulip-42", "Sam": "cedar-17"}


class Counted:
    """A page whose taps (or clicks) are counted."""

    def __init__(self, page: Page, touch: bool) -> None:
        self.page, self.touch, self.taps, self.steps = page, touch, 0, 0

    def tap(self, locator) -> None:
        self.taps += 1
        locator.tap() if self.touch else locator.click()

    def type_into(self, locator, text: str) -> None:
        self.tap(locator)
        locator.fill(text)


def set_passcode(screen: Counted, name: str, then: str | None = None) -> None:
    """Type a passcode twice, set it, and write down its recovery code (then hand over)."""
    page = screen.page
    expect(page.get_by_text(f"A passcode for you, {name}")).to_be_visible(timeout=20_000)
    screen.type_into(page.get_by_role("textbox", name="New passcode", exact=True), PASSCODES[name])
    screen.type_into(
        page.get_by_role("textbox", name="New passcode again", exact=True), PASSCODES[name]
    )
    screen.tap(page.get_by_role("button", name="Set passcode"))
    wait_for_app(page)
    written = f"I've written it down: over to {then}" if then else "I've written it down"
    screen.tap(page.get_by_role("button", name=written, exact=True))
    wait_for_app(page)


def on_the_computer(browser, url: str) -> Counted:
    screen = Counted(browser.new_page(viewport={"width": 1280, "height": 900}), touch=False)
    page = screen.page
    page.goto(url)
    wait_for_app(page)
    screen.type_into(page.get_by_role("textbox", name="Your name", exact=True), "Alex")
    screen.type_into(page.get_by_role("textbox", name="Your partner's name (optional)"), "Sam")
    screen.tap(page.get_by_role("button", name="Start"))
    wait_for_app(page)
    # Writing the recovery code down and handing the computer over are one tap.
    set_passcode(screen, "Alex", then="Sam")
    set_passcode(screen, "Sam")
    return screen


def on_a_phone(browser, url: str, name: str) -> Counted:
    context = phone_context(browser)
    phone = Counted(context.new_page(), touch=True)
    page = phone.page
    partner_id = 1 if name == "Alex" else 2
    # What the partner's own QR code in Set up holds: their check-in, and who uses the phone.
    page.goto(f"{url}/check-in?me={partner_id}")
    wait_for_app(page)
    phone.type_into(page.get_by_role("textbox", name="Passcode", exact=True), PASSCODES[name])
    phone.tap(page.get_by_role("button", name="Unlock"))
    expect(page.get_by_role("heading", name="Weekly check-in")).to_be_visible(timeout=20_000)
    wait_for_app(page)
    for n, key in enumerate(Settings().active_dimensions):
        box = page.locator(f"[class*='st-key-score-{partner_id}-'][class*='-{key}']")
        choice = box.get_by_role("radio", name=str(6 + n % 3), exact=True)
        phone.tap(choice)
        expect(choice).to_have_attribute("aria-checked", "true")
        wait_for_app(page)
    # The check-in's steps after the scores (its words, the monthly questions when due), each
    # left as it is with its "Next", up to the review and its Save.
    phone.steps = 0
    for _ in range(5):
        onward = page.get_by_role("button", name=re.compile("^Next: "))
        if onward.count() == 0:
            break
        label = onward.first.inner_text().strip().split("\n")[-1]
        phone.tap(onward.first)
        phone.steps += 1
        expect(page.get_by_role("button", name=label, exact=True)).to_have_count(0)
        wait_for_app(page)
    phone.tap(page.get_by_role("button", name="Save my check-in"))
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_be_visible(timeout=20_000)
    context.close()
    return phone


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        with running_app(Path(tmp) / "closer.db") as url:
            started = time.perf_counter()
            computer = on_the_computer(browser, url)
            set_up = time.perf_counter() - started
            alex = on_a_phone(browser, url, "Alex")
            sam = on_a_phone(browser, url, "Sam")
            total = time.perf_counter() - started
        browser.close()
    rows = [
        ("computer: Welcome and two passcodes", computer.taps),
        (f"Alex's phone: passcode, Unlock, six scores, {alex.steps} Next, Save", alex.taps),
        ("Sam's phone: the same", sam.taps),
    ]
    print("| step | taps |\n|---|---:|")
    for label, taps in rows:
        print(f"| {label} | {taps} |")
    print(f"| **in all** | **{sum(t for _, t in rows)}** |")
    print(f"\nseconds of the machine's own work, set-up: {set_up:.1f}, in all: {total:.1f}")


if __name__ == "__main__":
    main()
