"""Accessibility in the real browser: axe-core on every page, and the keyboard alone."""

from __future__ import annotations

from datetime import date

import pytest

from closer.demo import write_demo
from tests.browser import running_app, wait_for_app, watched_page

pytestmark = pytest.mark.browser

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
BLOCKING = {"serious", "critical"}


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core findings on the page as it is, one line each."""
    # The package ships axe.min.js and injects it into the page: nothing is fetched.
    from axe_playwright_python.sync_playwright import Axe

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
