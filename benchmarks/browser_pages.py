"""How long a page switch takes in a real browser, against a one-line Streamlit page.

Run: `.venv/bin/python -m benchmarks.browser_pages [--weeks 520] [--repeats 7]`.
Not a test: timings depend on the machine. It serves Closer on sample data of `--weeks`
weeks (closer.demo, Robin and Kai) and, in the same run, a two-page app whose pages are
one line each (the floor). In one browser session per app it switches page from the
sidebar, `--repeats` times per page. Two clocks, both stopped on the first frame where the
new page's heading is shown, its run has finished, nothing is loading and every chart is
drawn (checked every frame):
- *in page*: from the click's arrival in the page (the browser's own clock), which is
  what a person waits for;
- *wall*: from Playwright's click call, which adds Playwright's own checks before it
  clicks (about 40 ms, the same for every page), so its ratios look kinder.
The table shows medians in ms and the ratios to the floors'.
The second floor is Closer's navigation with one-line pages (navigation_floor.py: the same
page config and icon, nine pages with the same titles, icons and url paths, two name buttons
in the sidebar, served with Closer's .streamlit options; `--floor-defaults` serves it with
Streamlit's defaults, as tables before 7 Dec 12:00 did): what Streamlit itself costs for our
switches. Each page is held against the
same page there, on both clocks; the target is at most 2x, on the wall clock.
A third app is Closer itself with Home replaced by one line (frame_floor.py): the *frame
page* row is what the frame alone costs (database checks, sidebar, name chooser, both
navigations), and the last column is each page's ratio to it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

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


# The first frame where `heading` is shown, the run has finished, nothing is loading and
# every chart is drawn: performance.now() then, or false. Checked every animation frame.
SETTLED = """(source) => {
  const app = document.querySelector('[data-testid=stApp]');
  const shown = [...document.querySelectorAll('h1, h2, h3')]
    .some(h => new RegExp(source).test(h.innerText.trim()));
  const idle = app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && document.querySelectorAll('[data-testid=stSkeleton]').length === 0;
  const drawn = [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
    .every(c => c.querySelector('svg, canvas'));
  return shown && idle && drawn && performance.now();
}"""

# Notes the moment a click reaches the page, on the browser's clock.
CLICK_CLOCK = """() => document.addEventListener(
  'click', () => { window.clickedAt = performance.now(); }, {capture: true})"""


# What the page shows when it has not settled: said in the error, for the next person.
STATE = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  return {url: location.pathname,
    script: app.getAttribute('data-test-script-state'),
    connection: app.getAttribute('data-test-connection-state'),
    headings: [...document.querySelectorAll('h1, h2')].map(h => h.innerText.trim()).slice(0, 3),
    loading: document.querySelectorAll('[data-testid=stSkeleton]').length};
}"""


def wait_until_settled(page, heading: str | re.Pattern) -> float:
    """Wait for the first frame where the page has settled; performance.now() then, in ms."""
    # Not expect(...).to_be_visible() nor wait_for_selector: after their first quarter
    # second they re-check only every half second, so a page that took 0.3 s was timed at
    # about 0.77 s (Playwright's backoff). wait_for_function checks every frame.
    source = heading.pattern if isinstance(heading, re.Pattern) else f"^{re.escape(heading)}$"
    try:
        return page.wait_for_function(SETTLED, arg=source, timeout=30_000).json_value()
    except PlaywrightTimeoutError:
        raise RuntimeError(f"never settled on {source!r}: {page.evaluate(STATE)}") from None


def switch(page, title: str) -> tuple[float, float]:
    """Click a sidebar link; seconds until the page has settled: (in page, wall)."""
    start = time.perf_counter()
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    settled_at = wait_until_settled(page, HEADINGS.get(title, title))
    wall = time.perf_counter() - start
    return (settled_at - page.evaluate("window.clickedAt")) / 1000, wall


def time_switches(browser, url: str, pages: list[str], away: str, repeats: int, who: str | None):
    """Median ms (in page, wall) of switching to each page from `away`, in one session."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(url)
    wait_for_app(page)
    page.evaluate(CLICK_CLOCK)
    if who:
        page.get_by_role("button", name=f"I'm {who}").click()
        # Not wait_for_app: it can pass before the click's rerun has begun, and a switch
        # sent then overtakes the choice (the browser still holds "nobody" for "I am").
        wait_until_settled(page, HEADINGS["Home"])
    medians = {}
    for title in pages:
        times = []
        for _ in range(repeats + 1):  # the first switch to a page warms caches: not counted
            switch(page, away if title != away else pages[0])
            times.append(switch(page, title))
        medians[title] = tuple(
            statistics.median(t[clock] for t in times[1:]) * 1000 for clock in (0, 1)
        )
    page.close()
    return medians


@contextmanager
def sample_and_browser(weeks: int) -> Iterator[tuple[Path, Path, Browser]]:
    """A temporary folder, `weeks` of sample data in it, and Chromium: (folder, db, browser)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_path = folder / "closer.db"
        write_demo(db_path, weeks=weeks, today=date.today())
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield folder, db_path, browser
            finally:
                browser.close()


def source_app(folder: Path, source: str) -> Path:
    """`source` as app.py of a new `folder`, served the way tests.browser serves Closer."""
    folder.mkdir()
    (folder / "app.py").write_text(source)
    return folder / "app.py"


def frame_app(folder: Path) -> Path:
    """A copy of Closer whose Home is one line (frame_floor.py), in `folder`: its app.py."""
    folder.mkdir()
    shutil.copy(ROOT / "app.py", folder)
    shutil.copytree(ROOT / ".streamlit", folder / ".streamlit")
    shutil.copytree(ROOT / "closer", folder / "closer")
    shutil.copytree(ROOT / "views", folder / "views")
    shutil.copytree(ROOT / "data", folder / "data", ignore=shutil.ignore_patterns("*.db*"))
    shutil.copy(ROOT / "benchmarks" / "frame_floor.py", folder / "views" / "pages" / "home.py")
    return folder / "app.py"


def navigation_app(folder: Path, options: bool = True) -> Path:
    """navigation_floor.py as app.py of `folder`, with Closer's icon and Streamlit options."""
    folder.mkdir()
    shutil.copy(ROOT / "benchmarks" / "navigation_floor.py", folder / "app.py")
    shutil.copy(ROOT / "data" / "icon.png", folder)
    if options:
        # The same options as Closer (theme, toolbar, no collection after each rerun), so
        # the floor differs from Closer only in what the pages draw.
        shutil.copytree(ROOT / ".streamlit", folder / ".streamlit")
    return folder / "app.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=520)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--pages", nargs="*", default=PAGES, help="page titles to time")
    parser.add_argument(
        "--floor-defaults",
        action="store_true",
        help="serve the one-line navigation with Streamlit's default options (earlier tables)",
    )
    args = parser.parse_args()
    with sample_and_browser(args.weeks) as (folder, db_path, browser):
        floor = source_app(folder / "floor", FLOOR_APP)
        with running_app(db_path, {"PYTHONPATH": str(ROOT)}, app_dir=floor.parent) as url:
            base = time_switches(browser, url, ["Two"], "One", args.repeats, None)["Two"]
        navigation = navigation_app(folder / "navigation", not args.floor_defaults)
        with running_app(db_path, app_dir=navigation.parent) as url:
            nav = time_switches(browser, url, args.pages, "Settings", args.repeats, None)
        frame = frame_app(folder / "frame")
        with running_app(db_path, app_dir=frame.parent) as url:
            in_frame = time_switches(browser, url, ["Home"], "Settings", args.repeats, "Robin")
        with running_app(db_path) as url:
            closer = time_switches(browser, url, args.pages, "Settings", args.repeats, "Robin")
    print(f"{args.weeks} weeks of sample data, median of {args.repeats} switches, in ms\n")
    frame_ms = in_frame["Home"][0]
    print(
        "| page | wall | same page, one-line | × | in page | same page, one-line | × "
        "| × frame page (in page) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| two-page one-line app | {base[1]:.0f} | | | {base[0]:.0f} | | | |")
    frame_row = in_frame["Home"]
    print(
        f"| frame page (one line in Closer's frame) | {frame_row[1]:.0f} | {nav['Home'][1]:.0f} "
        f"| {frame_row[1] / nav['Home'][1]:.2f} | {frame_row[0]:.0f} | {nav['Home'][0]:.0f} "
        f"| {frame_row[0] / nav['Home'][0]:.2f} | 1.00 |"
    )
    for title, (in_page, wall) in closer.items():
        floor_in_page, floor_wall = nav[title]
        print(
            f"| {title} | {wall:.0f} | {floor_wall:.0f} | {wall / floor_wall:.2f} "
            f"| {in_page:.0f} | {floor_in_page:.0f} | {in_page / floor_in_page:.2f} "
            f"| {in_page / frame_ms:.2f} |"
        )


if __name__ == "__main__":
    main()
