"""Shared fixtures: a real SQLite file in a temp dir, set up the way the app sets it up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from closer import store
from closer.settings import Settings

# No notice scheduler on the real clock in the app under test (AppTest or a served app):
# tests drive closer.notify.tick with moments of their own.
os.environ["CLOSER_NO_SCHEDULER"] = "1"


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An initialised, empty Closer database, also what the app opens via CLOSER_DB."""
    path = tmp_path / "closer.db"
    store.initialise(path)
    monkeypatch.setenv("CLOSER_DB", str(path))
    return path


@pytest.fixture
def couple(db_path: Path) -> tuple[store.Partner, store.Partner]:
    """Alex and Sam, tracking all six types, checking in Sundays at 20:00."""
    with store.open_db(db_path) as db:
        alex, sam = store.setup_couple(db, ["Alex", "Sam"], Settings())
    return alex, sam


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium (or $CHROMIUM_PATH) driven by Playwright, shared by the browser tests."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as p:
        found = chromium_path()
        launched = p.chromium.launch(executable_path=found, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def app_url(tmp_path: Path):
    """The real app served by `streamlit run` on a free loopback port, on a fresh database."""
    from tests.browser import running_app

    with running_app(tmp_path / "closer.db") as url:
        yield url


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool:
    """Run a test once more if it failed while Closer's week changed under it (Monday 12:00).

    Such a test saw two different "this weeks" (its own and the page's, a moment apart),
    as `make clock`'s run started at Monday 11:59 makes one test do; the second try runs
    wholly inside the new week, so it shows whether the test itself is sound.
    """
    from _pytest.runner import runtestprotocol

    from tests.apptest import current_week

    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    week = current_week()
    reports = runtestprotocol(item, nextitem=nextitem, log=False)
    if any(r.failed for r in reports) and current_week() != week:
        if isinstance(item, pytest.Function):
            item._initrequest()  # fresh fixtures for the second try
        reports = runtestprotocol(item, nextitem=nextitem, log=False)
    for report in reports:
        item.ihook.pytest_runtest_logreport(report=report)
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True
