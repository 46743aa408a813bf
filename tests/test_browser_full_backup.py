"""In real Chromium, as the other partner: a backup Sam downloads without Alex's passcode holds
none of what Alex has not shown Sam; the full backup waits for Alex's passcode."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from closer import store
from closer.settings import Settings
from closer.weeks import week_start
from tests.browser import go_to, running_app, switch_to, wait_for_app, watched_page
from tests.factories import answers, give_passcode

pytestmark = pytest.mark.browser

UNREVEALED = "zqunrevealedweek"
EARLIER = "zqearlierversion"
NOW_PRIVATE = "zqnowprivate"
DRAFT = "zqunsaveddraft"
SHARED = "zqsharedwalk"


@pytest.fixture
def alex_hides_things(tmp_path: Path) -> Path:
    """Alex (passcode 'tulip-42') has content Sam can't see: a week Sam hasn't checked in, an
    earlier version of a note since made private, and an unsaved draft."""
    path = tmp_path / "closer.db"
    store.initialise(path)
    with store.open_db(path) as db:
        alex, sam = store.setup_couple(db, ["Alex", "Sam"], Settings())
    key, _ = give_passcode(path, alex.id, "tulip-42")
    old = week_start(date.today()) - timedelta(weeks=3)
    with store.open_db(path, {alex.id: key}) as db:
        store.save_checkin(db, alex.id, old, answers(working=(EARLIER, True)))
        store.save_checkin(
            db, alex.id, old, answers(working=(NOW_PRIVATE, False), lacking=(SHARED, True))
        )
        store.save_checkin(db, sam.id, old, answers({"social": 6}))
        unrevealed = old + timedelta(weeks=1)
        store.save_checkin(db, alex.id, unrevealed, answers(working=(UNREVEALED, True)))
        store.save_draft(db, alex.id, old + timedelta(weeks=2), answers(working=(DRAFT, True)), 0)
    return path


def download(page, button: str) -> bytes:
    with page.expect_download() as caught:
        page.get_by_role("button", name=button).click()
    return Path(caught.value.path()).read_bytes()


def test_sams_download_holds_nothing_alex_has_not_shown_sam(browser, alex_hides_things):
    with running_app(alex_hides_things) as url:
        page = watched_page(browser, url)
        page.goto(url)
        wait_for_app(page)
        switch_to(page, "Sam")
        go_to(page, "Your data")
        copy = download(page, "Download a copy of what you can see")
        for marker in (UNREVEALED, EARLIER, NOW_PRIVATE, DRAFT, "sealed:"):
            assert marker.encode() not in copy, marker
        assert SHARED.encode() in copy  # what Alex shared in a week both checked in

        # The full backup: a wrong passcode gives nothing to download.
        box = page.get_by_role("textbox", name="Alex's passcode").first
        box.fill("a guess")
        page.get_by_role("button", name="Download everything").click()
        wait_for_app(page)
        expect(page.get_by_text("That isn't Alex's passcode. Nothing was changed.")).to_be_visible()
        assert page.get_by_role("button", name="Save the full backup").count() == 0

        box.fill("tulip-42")
        page.get_by_role("button", name="Download everything").click()
        wait_for_app(page)
        full = download(page, "Save the full backup")
        assert UNREVEALED.encode() in full and b"sealed:v1:" in full
        assert NOW_PRIVATE.encode() not in full  # sealed even in the full backup
        assert page.problems == []
