"""Screenshots of every page at desktop and phone width: `python -m tests.screenshots OUT_DIR`.

Not a test: a tool for looking at what we built. It seeds a database through closer.store,
serves the real app and saves one PNG per page, partner and width.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

from closer.demo import write_demo
from tests.browser import CHROMIUM_ARGS, chromium_path, running_app, wait_for_app

WIDTHS = (1280, 390)
PAGES = [
    "",
    "check-in",
    "this-week",
    "trends",
    "suggestions",
    "talk",
    "history",
    "settings",
    "your-data",
]


def seed(path: Path) -> None:
    """A realistic year for Robin and Kai, the same sample data the app offers."""
    write_demo(path, weeks=52, today=date.today())


def full_height(page) -> None:
    """Grow the viewport to the page's full height so the PNG shows the whole page."""
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stAppViewContainer], body')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(height, 6000)})
    page.wait_for_timeout(300)  # let charts and columns reflow at the new size


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        empty, seeded = Path(tmp) / "empty.db", Path(tmp) / "seeded.db"
        seed(seeded)
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
                    for path in sys.argv[2:] or PAGES:
                        page = browser.new_page(viewport={"width": width, "height": 900})
                        page.goto(f"{url}/{path}")
                        wait_for_app(page)
                        buttons = page.get_by_role("button", name="I'm Robin")
                        if buttons.count():
                            buttons.click()
                            wait_for_app(page)
                        full_height(page)
                        page.screenshot(path=out / f"{path or 'home'}-{width}.png")
                        page.close()
            browser.close()
    print(f"Screenshots in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
