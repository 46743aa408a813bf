"""Screenshots of every page at desktop and phone width: `python -m tests.screenshots OUT_DIR`.

Not a test: a tool for looking at what we built. It seeds a database through closer.store,
serves the real app and saves one PNG per page, partner and width.

`python -m tests.screenshots OUT_DIR [--one-week] [URL_PATH ...]`: `--one-week` shows a
couple's very first week instead of the sample year; a path such as `trends@All` picks that
Trends range first.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from closer.demo import sample_today, write_demo
from tests.browser import CHROMIUM_ARGS, PAGE_PATHS, chromium_path, running_app, wait_for_app

WIDTHS = (1280, 390)
PAGES = PAGE_PATHS


def seed(path: Path, weeks: int = 52) -> None:
    """A realistic year for Robin and Kai (the app's sample data), or their first week(s)."""
    write_demo(path, weeks=weeks, today=sample_today(datetime.now()))


def full_height(page) -> None:
    """Grow the viewport to the page's full height so the PNG shows the whole page."""
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stAppViewContainer], body')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(height, 6000)})
    page.wait_for_timeout(300)  # let charts and columns reflow at the new size


def main(out: Path, paths: list[str], one_week: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        empty, seeded = Path(tmp) / "empty.db", Path(tmp) / "seeded.db"
        seed(seeded, 1 if one_week else 52)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            with running_app(empty) as url:
                for width in WIDTHS:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(url)
                    wait_for_app(page)
                    full_height(page)
                    page.screenshot(path=out / f"welcome-{width}.png")
                    page.close()
            with running_app(seeded) as url:
                for width in WIDTHS:
                    for target in paths or PAGES:
                        path, _, choice = target.partition("@")
                        page = browser.new_page(viewport={"width": width, "height": 900})
                        page.goto(f"{url}/{path}")
                        wait_for_app(page)
                        buttons = page.get_by_role("button", name="I'm Robin")
                        if buttons.count():
                            buttons.click()
                            # The page may still report its last run as finished: wait
                            # until the chooser has gone, then until the new run is done.
                            expect(buttons).to_have_count(0)
                            wait_for_app(page)
                        if choice:
                            page.get_by_test_id("stButtonGroup").get_by_text(
                                choice, exact=True
                            ).click()
                            wait_for_app(page)
                        full_height(page)
                        name = (path or "home") + (f"-{choice.replace(' ', '')}" if choice else "")
                        page.screenshot(path=out / f"{name}-{width}.png")
                        page.close()
            browser.close()
    print(f"Screenshots in {out}")


if __name__ == "__main__":
    args = sys.argv[1:]
    one_week = "--one-week" in args
    args = [a for a in args if a != "--one-week"]
    main(Path(args[0] if args else "screenshots"), args[1:], one_week)
