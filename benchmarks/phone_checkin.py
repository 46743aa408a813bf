"""Sunday night on two phones: taps and times for a full check-in, against a 10-year history.

Run: `.venv/bin/python -m benchmarks.phone_checkin [--weeks 520] [--switches 12]`.
Both partners (Robin and Kai from closer.demo, with every week up to last week) check in
on a 390 px touch screen in Chromium against `streamlit run`: choose their name, open the
check-in, tap six scores, save. The script counts every tap and times page switches (tap to
the new page idle) and the save (tap to the confirmation, idle). The same run times a
one-line Streamlit app served the same way (a page switch, and a button press timed to the
"Saved" line it shows), and each time is also shown as a ratio to it. Wall times in a real
browser: they vary by about ±30 % on a shared machine, so read the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from benchmarks.browser_pages import CLICK_CLOCK, wait_until_settled
from closer import store
from closer.demo import write_demo
from closer.settings import DEFAULT_TIME, DEFAULT_WEEKDAY
from closer.weeks import checkin_week
from tests.browser import (
    CHROMIUM_ARGS,
    HEADINGS,
    chromium_path,
    phone_context,
    running_app,
    to_review,
    wait_for_app,
)

SWITCH_ROUND = ("This week", "Trends", "Our talk", "Home", "History", "Check in")
ONE_LINE_APP = """import streamlit as st

def one():
    st.title("One")

def two():
    st.title("Two")

pg = st.navigation([st.Page(one, title="One"), st.Page(two, title="Two")], position="hidden")
st.page_link(st.Page(two, title="Two") if pg.title == "One" else st.Page(one, title="One"))
if st.button("Save"):
    st.session_state["saves"] = st.session_state.get("saves", 0) + 1
if "saves" in st.session_state:
    st.success(f"Saved {st.session_state['saves']}")
pg.run()
"""


class Phone:
    """One partner's phone: a 390 px touch page that counts its taps."""

    def __init__(self, browser, url: str) -> None:
        context = phone_context(browser)
        self.page: Page = context.new_page()
        self.page.goto(url)
        wait_for_app(self.page)
        self.page.evaluate(CLICK_CLOCK)
        self.taps = 0

    def tap(self, locator) -> float:
        """Tap, and return the moment of the tap (perf_counter)."""
        self.taps += 1
        started = time.perf_counter()
        locator.tap()
        return started

    def switch(self, title: str) -> tuple[float, float]:
        """Open a page from the bottom bar (under More for all but the weekly four); seconds
        from the (last) tap to the page settled, (wall, in page) as in browser_pages."""
        if title in ("Home", "Check in", "This week", "Our talk"):
            return self.open(self.page.locator(".st-key-phone-nav a", has_text=title), title)
        self.tap(self.page.locator(".st-key-phone-nav").get_by_role("button", name="More"))
        link = self.page.get_by_test_id("stPopoverBody").locator("a", has_text=title)
        return self.open(link, title)

    def open(self, link, heading) -> tuple[float, float]:
        """Tap a link; seconds until the page showing `heading` has settled (wall, in page)."""
        started = self.tap(link)
        settled_at = wait_until_settled(self.page, HEADINGS.get(heading, heading))
        wall = time.perf_counter() - started
        return wall, (settled_at - self.page.evaluate("window.clickedAt")) / 1000


def check_in(phone: Phone, partner: store.Partner, active: tuple[str, ...], week: date) -> float:
    """One partner's whole check-in; returns the save time in seconds."""
    page = phone.page
    phone.tap(page.get_by_role("button", name=f"I'm {partner.name}"))
    expect(page.locator(".st-key-phone-nav")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    phone.switch("Check in")
    for n, key in enumerate(active):
        box = page.locator(f".st-key-score-{partner.id}-{week.isoformat()}-{key}")
        choice = box.get_by_role("radio", name=str(5 + n % 4), exact=True)
        phone.tap(choice)
        expect(choice).to_have_attribute("aria-checked", "true")
        wait_for_app(page)
    # The check-in is in steps: the save is on the last one.
    to_review(page, phone.tap)
    return save(phone, "Save my check-in")


def save(phone: Phone, label: str) -> float:
    """Tap a save button; seconds from the tap to the confirmation, idle."""
    started = phone.tap(phone.page.get_by_role("button", name=label))
    # Checked every frame, as the one-line app's "Saved" line is (see wait_until_settled).
    phone.page.wait_for_function(
        "() => document.querySelector('[data-testid=stAlertContentSuccess]')", timeout=30_000
    )
    wait_for_app(phone.page)
    return time.perf_counter() - started


def save_again(phone: Phone) -> float:
    """Bring the form back and save it unchanged (a new revision); the save's seconds."""
    phone.tap(phone.page.get_by_role("button", name="Change my answers"))
    expect(phone.page.get_by_role("button", name="Change my answers")).to_have_count(0)
    wait_for_app(phone.page)
    to_review(phone.page, phone.tap)
    return save(phone, "Save changes")


def time_one_line_app(browser, folder: Path, switches: int) -> tuple[tuple[float, float], float]:
    """Median page switch (wall, in page) and median button press of a one-line app, in s."""
    (folder / "app.py").write_text(ONE_LINE_APP)
    with running_app(folder / "unused.db", app_dir=folder) as url:
        phone = Phone(browser, url)
        switch_times, press_times = [], []
        for i in range(switches):
            target = "Two" if i % 2 == 0 else "One"
            switch_times.append(phone.open(phone.page.get_by_role("link", name=target), target))
        for n in range(1, max(3, switches // 3) + 1):
            # Timed to its confirmation, as Closer's save is: a press alone may be timed
            # before its rerun has even started.
            started = phone.tap(phone.page.get_by_role("button", name="Save"))
            phone.page.wait_for_function(
                "(text) => [...document.querySelectorAll('[data-testid=stAlertContentSuccess]')]"
                ".some(a => a.innerText.trim() === text)",
                arg=f"Saved {n}",
                timeout=30_000,
            )
            wait_for_app(phone.page)
            press_times.append(time.perf_counter() - started)
        phone.page.context.close()
    return medians(switch_times), statistics.median(press_times)


def medians(times: list[tuple[float, float]]) -> tuple[float, float]:
    """The median of each clock: (wall, in page)."""
    return tuple(statistics.median(t[clock] for t in times) for clock in (0, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=520)
    parser.add_argument("--switches", type=int, default=12, help="page switches per partner")
    parser.add_argument("--saves", type=int, default=3, help="saves per partner (then re-saves)")
    args = parser.parse_args()
    week = checkin_week(datetime.now(), DEFAULT_WEEKDAY, DEFAULT_TIME)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        path = Path(tmp) / "closer.db"
        # History up to last week, so this week's check-in is still to do for both.
        write_demo(path, weeks=args.weeks, today=week - timedelta(days=1))
        with store.open_db(path) as db:
            partners = store.list_partners(db)
            active = store.load_settings(db).active_dimensions
        taps, saves, switches = {}, [], {}
        with running_app(path) as url:
            for partner in partners:
                phone = Phone(browser, url)
                saves.append(check_in(phone, partner, active, week))
                taps[partner.name] = phone.taps
                saves += [save_again(phone) for _ in range(args.saves - 1)]
                for i in range(args.switches):
                    title = SWITCH_ROUND[i % len(SWITCH_ROUND)]
                    switches.setdefault(title, []).append(phone.switch(title))
                phone.page.context.close()
        one_line_switch, one_line_press = time_one_line_app(browser, Path(tmp), args.switches)
        browser.close()

    every_switch = [t for times in switches.values() for t in times]
    (switch, switch_in_page), saved = medians(every_switch), statistics.median(saves)
    floor, floor_in_page = one_line_switch
    print(f"\nPhone check-in at 390 px with touch, {args.weeks} weeks of history\n")
    print("| measure | Closer | one-line page | ratio |")
    print("|---|---:|---:|---:|")
    for name, count in taps.items():
        print(f"| taps to check in ({name}) | {count} | | |")
    rows = [
        (f"page switch, median of {len(every_switch)}, in page", switch_in_page, floor_in_page),
        (f"page switch, median of {len(every_switch)}, wall", switch, floor),
        (f"save, median of {len(saves)}, wall", saved, one_line_press),
    ]
    rows += [
        (f"switch to {title}, median of {len(times)}, in page", medians(times)[1], floor_in_page)
        for title, times in switches.items()
    ]
    for name, closer_s, floor_s in rows:
        print(
            f"| {name} | {closer_s * 1000:.0f} ms | {floor_s * 1000:.0f} ms "
            f"| {closer_s / floor_s:.1f}x |"
        )


if __name__ == "__main__":
    main()
