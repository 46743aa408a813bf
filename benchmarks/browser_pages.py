"""How long a page switch takes in a real browser, against a one-line Streamlit page.

Run: `.venv/bin/python -m benchmarks.browser_pages [--weeks 520] [--repeats 7]`.
Not a test: timings depend on the machine. It serves Closer on sample data of `--weeks`
weeks (closer.demo, Robin and Kai) and, in the same run, a two-page app whose pages are
one line each (the floor). In one browser session per app it switches page from the
sidebar, `--repeats` times per page, and times from the click until the new page has run
and every chart on it is drawn. The table shows the median in ms and the ratio to the
floor's median; the target is at most 2x.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

from closer.demo import write_demo
from tests.browser import CHROMIUM_ARGS, HEADINGS, chromium_path, running_app, wait_for_app

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "Home",
    "Check in",
    "This week",
    "Trends",
    "Suggestions",
    "Our talk",
    "History",
    "Settings",
    "Your data",
]
FLOOR_APP = """
import streamlit as st

st.navigation([st.Page(lambda: st.title("One"), title="One"),
               st.Page(lambda: st.title("Two"), title="Two", url_path="two")]).run()
"""


def wait_for_heading(page, name: str | re.Pattern) -> None:
    """Wait until a heading reads `name` (a string, or a pattern), checked every frame."""
    # Not expect(...).to_be_visible(): after its first quarter second it re-checks only every
    # half second, so a page that took 0.3 s was timed at 0.77 s (Playwright's backoff).
    source = name.pattern if isinstance(name, re.Pattern) else f"^{re.escape(name)}$"
    page.wait_for_function(
        "(source) => [...document.querySelectorAll('h1, h2, h3')]"
        ".some(h => new RegExp(source).test(h.innerText.trim()))",
        arg=source,
        timeout=30_000,
    )


def switch(page, title: str) -> float:
    """Click a sidebar link; seconds until the page has run and its charts are drawn."""
    start = time.perf_counter()
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_for_heading(page, HEADINGS.get(title, title))
    wait_for_app(page)
    page.wait_for_function(
        "[...document.querySelectorAll('[data-testid=stVegaLiteChart]')]"
        ".every(c => c.querySelector('svg, canvas'))",
        timeout=30_000,
    )
    return time.perf_counter() - start


def time_switches(browser, url: str, pages: list[str], away: str, repeats: int, who: str | None):
    """Median ms of switching to each page from `away`, in one browser session."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(url)
    wait_for_app(page)
    if who:
        page.get_by_role("button", name=f"I'm {who}").click()
        wait_for_app(page)
    medians = {}
    for title in pages:
        times = []
        for _ in range(repeats + 1):  # the first switch to a page warms caches: not counted
            switch(page, away if title != away else pages[0])
            times.append(switch(page, title))
        medians[title] = statistics.median(times[1:]) * 1000
    page.close()
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=520)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--pages", nargs="*", default=PAGES, help="page titles to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_path = folder / "closer.db"
        write_demo(db_path, weeks=args.weeks, today=date.today())
        # The baseline is served as app.py of its own folder, the way tests.browser serves.
        floor = folder / "floor" / "app.py"
        floor.parent.mkdir()
        floor.write_text(FLOOR_APP)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            with running_app(db_path, {"PYTHONPATH": str(ROOT)}, app_dir=floor.parent) as url:
                base = time_switches(browser, url, ["Two"], "One", args.repeats, None)["Two"]
            with running_app(db_path) as url:
                closer = time_switches(browser, url, args.pages, "Settings", args.repeats, "Robin")
            browser.close()
    print(f"{args.weeks} weeks of sample data, median of {args.repeats} switches, in ms\n")
    print("| page | ms | × one-line page |\n|---|---:|---:|")
    print(f"| one-line page | {base:.0f} | 1.00 |")
    for title, ms in closer.items():
        print(f"| {title} | {ms:.0f} | {ms / base:.2f} |")


if __name__ == "__main__":
    main()
