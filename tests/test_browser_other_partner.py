"""In real Chromium, as the curious partner: my partner's sealed notes never reach my screen
or any file I can download, and my own unlock opens them for me alone."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from closer import store
from closer.checkin import Answers, CsiAnswers, Reflection
from closer.settings import Settings
from closer.weeks import week_start
from tests.browser import go_to, running_app, switch_to, wait_for_app, watched_page
from tests.factories import give_passcode

pytestmark = pytest.mark.browser

MARKER = "zqlighthouse"
SHARED = "zqriverwalk"


@pytest.fixture
def couple_with_a_secret(tmp_path: Path):
    """Alex (passcode 'tulip') wrote a sealed private note; Sam (no passcode) checked in too."""
    path = tmp_path / "closer.db"
    store.initialise(path)
    with store.open_db(path) as db:
        alex, sam = store.setup_couple(db, ["Alex", "Sam"], Settings())
    key, _ = give_passcode(path, alex.id, "tulip 42")
    # Last week and this one: whichever side of the week's edge the test runs, both show.
    for week in (week_start(date.today()) - timedelta(weeks=1), week_start(date.today())):
        with store.open_db(path, {alex.id: key}) as db:
            store.save_checkin(
                db,
                alex.id,
                week,
                Answers(
                    scores={"emotional": 6},
                    reflections={
                        "unsaid": Reflection(f"{MARKER} only mine", False),
                        "working": Reflection(SHARED, True),
                    },
                    csi=CsiAnswers((1, 1, 1, 1), False),
                ),
            )
            store.save_checkin(db, sam.id, week, Answers(scores={"emotional": 8}))
    return path


def download(page, button: str) -> bytes:
    with page.expect_download() as caught:
        page.get_by_role("button", name=button).click()
    return Path(caught.value.path()).read_bytes()


def test_as_the_other_partner_no_page_and_no_download_holds_the_sealed_note(
    browser, couple_with_a_secret
):
    assert MARKER.encode() not in couple_with_a_secret.read_bytes()
    with running_app(couple_with_a_secret) as url:
        page = watched_page(browser, url)
        page.goto(url)
        wait_for_app(page)
        switch_to(page, "Sam")
        for title in ("This week", "History", "Trends", "Your data"):
            go_to(page, title)
            assert MARKER not in page.content(), title
        assert SHARED in page.content()  # the summary holds what Alex shared

        # Without Alex's passcode Sam's backup is a copy of what Sam sees: not even sealed.
        backup_file = download(page, "Download a copy of what you can see")
        scores = download(page, "Download scores (CSV)")
        assert MARKER.encode() not in backup_file and b"sealed:" not in backup_file
        assert SHARED.encode() in backup_file
        assert MARKER.encode() not in scores
        assert page.problems == []


def test_the_author_unlocks_and_reads_their_own_note(browser, couple_with_a_secret):
    with running_app(couple_with_a_secret) as url:
        page = watched_page(browser, url)
        page.goto(url)
        wait_for_app(page)
        switch_to(page, "Alex")
        expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
        page.get_by_label("Passcode").fill("tulip 42")
        page.get_by_role("button", name="Unlock").click()
        wait_for_app(page)
        go_to(page, "History")
        expect(page.get_by_text(f"{MARKER} only mine").first).to_be_visible()
        assert page.problems == []


def test_as_the_other_partner_a_restore_cannot_reach_the_sealed_note(
    browser, couple_with_a_secret, tmp_path
):
    # Sam's own download, brought back with Replace: it needs Alex's passcode, and a guess
    # changes nothing; the page never shows the note, whatever Sam tries.
    with running_app(couple_with_a_secret) as url:
        page = watched_page(browser, url)
        page.goto(url)
        wait_for_app(page)
        switch_to(page, "Sam")
        go_to(page, "Your data")
        upload = tmp_path / "closer-backup.json"
        upload.write_bytes(download(page, "Download a copy of what you can see"))
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(upload)
        expect(page.get_by_text("For Alex and Sam")).to_be_visible(timeout=20_000)
        wait_for_app(page)
        page.get_by_text("Replace what's here", exact=True).click()
        wait_for_app(page)
        # Named as shown, with no Markdown for a screen reader to spell out.
        page.get_by_role("textbox", name="Type “replace” to confirm", exact=True).fill("replace")
        # The second of the page's passcode boxes belongs to this restore (the first guards
        # the full backup; others the automatic backups and deleting everything, further down).
        page.get_by_role("textbox", name="Alex's passcode").nth(1).fill("a guess")
        page.get_by_role("button", name="Restore this backup").click()
        wait_for_app(page)
        expect(page.get_by_text("That isn't Alex's passcode. Nothing was changed.")).to_be_visible()
        assert MARKER not in page.content()
        for title in ("History", "This week"):
            go_to(page, title)
            assert MARKER not in page.content(), title
        assert page.problems == []
    with store.open_db(couple_with_a_secret) as db:
        assert store.load_unlock_state(db, 1).failed_unlocks == 1  # the guess counted


def test_a_recovery_code_left_on_screen_never_reaches_the_other_partner(browser, tmp_path):
    path = tmp_path / "closer.db"
    store.initialise(path)
    with store.open_db(path) as db:
        store.setup_couple(db, ["Alex", "Sam"], Settings())
    with running_app(path) as url:
        page = watched_page(browser, url)
        page.goto(url)
        wait_for_app(page)
        switch_to(page, "Alex")
        go_to(page, "Settings")
        page.get_by_label("New passcode", exact=True).fill("tulip 42")
        page.get_by_label("New passcode again", exact=True).fill("tulip 42")
        page.get_by_role("button", name="Set passcode").click()
        wait_for_app(page)
        code_box = page.locator("[data-testid='stCode']").first
        expect(code_box).to_be_visible()
        code = code_box.inner_text().strip()
        assert len(code) == 24
        # Alex walks off without "I've written it down"; Sam takes the same browser.
        switch_to(page, "Sam")
        for title in ("Home", "Settings", "This week", "Your data"):
            go_to(page, title)
            assert code not in page.content(), title
        assert page.problems == []
