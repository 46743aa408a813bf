"""How much work the browser's main thread does on a page switch, as CPU time, per page.

Run: `.venv/bin/python -m benchmarks.browser_work [--weeks 520] [--repeats 9] [--pages ...]`.
Not a test: timings depend on the machine. On a shared machine the wall clock of
browser_pages.py moves with everyone else's load; the renderer's own thread time (Chromium
tracing's `tdur` of each top-level task on `CrRendererMain`) moves much less, so this is the
one to compare two versions of a page with when the load is high. It serves Closer on sample
data, chooses Robin, and for each page switches away (to Settings) and back `--repeats`
times, tracing each switch back until 0.3 s after it has settled; it prints the median and
the fastest, in ms, beside the same page of Streamlit's own navigation with one-line pages
(navigation_floor.py). The first switch to each page warms caches and is not counted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from benchmarks.browser_pages import PAGES, navigation_app, sample_and_browser, wait_until_settled
from tests.browser import HEADINGS, running_app, wait_for_app

TRACED = ["devtools.timeline", "toplevel", "disabled-by-default-devtools.timeline"]


def main_thread_ms(trace: bytes) -> float:
    """CPU time of the renderer's main thread's top-level tasks in a trace, in ms."""
    events = json.loads(trace)["traceEvents"]
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    return sum(
        e.get("tdur", 0) / 1000
        for e in events
        if e.get("name") == "RunTask" and e.get("ph") == "X" and (e["pid"], e["tid"]) in main
    )


def work_per_page(browser, url: str, pages: list[str], repeats: int, who: str | None) -> dict:
    """(median, fastest) main-thread ms of switching to each page, in one session."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(url)
    wait_for_app(page)
    if who:
        page.get_by_role("button", name=f"I'm {who}").click()
        wait_until_settled(page, HEADINGS["Home"])

    def switch(title: str) -> None:
        page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
        wait_until_settled(page, HEADINGS.get(title, title))

    found = {}
    for title in pages:
        away = "Settings" if title != "Settings" else "Home"
        times = []
        for _ in range(repeats + 1):
            switch(away)
            time.sleep(0.2)  # let the last page's late work finish outside the trace
            browser.start_tracing(page=page, categories=TRACED)
            switch(title)
            time.sleep(0.3)  # charts and fonts may still draw after the settled frame
            times.append(main_thread_ms(browser.stop_tracing()))
        found[title] = (statistics.median(times[1:]), min(times[1:]))
    page.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=520)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--pages", nargs="*", default=PAGES, help="page titles to time")
    args = parser.parse_args()
    with sample_and_browser(args.weeks) as (folder, db_path, browser):
        navigation = navigation_app(folder / "navigation")
        with running_app(db_path, app_dir=navigation.parent) as url:
            floor = work_per_page(browser, url, args.pages, args.repeats, None)
        with running_app(db_path) as url:
            closer = work_per_page(browser, url, args.pages, args.repeats, "Robin")
    print(f"{args.weeks} weeks of sample data, main-thread CPU ms of {args.repeats} switches\n")
    print("| page | median | fastest | one-line page, median | fastest | × (fastest) |")
    print("|---|---:|---:|---:|---:|---:|")
    for title, (median, fastest) in closer.items():
        floor_median, floor_fastest = floor[title]
        print(
            f"| {title} | {median:.0f} | {fastest:.0f} | {floor_median:.0f} "
            f"| {floor_fastest:.0f} | {fastest / floor_fastest:.2f} |"
        )


if __name__ == "__main__":
    main()
