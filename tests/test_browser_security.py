"""In real Chromium: what people type is shown as typed on every page, and nothing leaves.

The payloads carry Markdown, HTML, script, images and links pointing at a closed local port
(127.0.0.1:9), Streamlit's colour and math syntax. Each has a marker word; wherever a marker
shows up on a page, the element holding it must hold the whole payload, character for
character. A rendered payload fails that: "**zqbold**" drawn bold leaves "zqbold" alone in a
<strong>, a link leaves "Kimz" alone in an <a>.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from closer import store
from closer.backup import exports, file_format
from closer.checkin import Answers, Reflection
from closer.settings import Settings
from closer.survey import reflection_prompts
from closer.weeks import week_label
from tests.apptest import current_week
from tests.browser import go_to, next_step, running_app, wait_for_app, watched_page

pytestmark = pytest.mark.browser

ME = "**Boaz** <i>"
PARTNER = "[Kimz](http://127.0.0.1:9/n)"
MINE = {
    "working": ("**zqbold** _zqital_ <b>zqtagb</b> <i>zqtagi</i>", True),
    "lacking": ("<script>alert(1)</script> <img src=x onerror=alert(2)>", True),
    "unsaid": ("![p](http://127.0.0.1:9/p.png) zqprivate", False),
    "appreciation": ("[link](http://127.0.0.1:9/x) :red[zqred] $zqmath$", True),
    "self": ("$zqself$ `zqcode` <i>zqown</i>", False),
}
THEIRS = {
    "working": ("![k](http://127.0.0.1:9/k.png) <b>zqkim</b>", True),
    "unsaid": ("zqsecretk, only Kimz may ever see this", False),
}
COMMITMENT = "**zqcommit** <img src=x onerror=alert(3)> [c](http://127.0.0.1:9/c)"
NEVER_SHOWN = "zqsecretk"

MARKERS = {
    "Boaz": ME,
    "Kimz": PARTNER,
    **{word: MINE["working"][0] for word in ("zqbold", "zqital", "zqtagb", "zqtagi")},
    "alert(1)": MINE["lacking"][0],
    "alert(2)": MINE["lacking"][0],
    "p.png": MINE["unsaid"][0],
    "zqprivate": MINE["unsaid"][0],
    "127.0.0.1:9/x": MINE["appreciation"][0],
    "zqred": MINE["appreciation"][0],
    "zqmath": MINE["appreciation"][0],
    "zqself": MINE["self"][0],
    "zqcode": MINE["self"][0],
    "zqown": MINE["self"][0],
    "k.png": THEIRS["working"][0],
    "zqkim": THEIRS["working"][0],
    "zqcommit": COMMITMENT,
    "alert(3)": COMMITMENT,
}

# Every text node under the app that holds a marker: does the element around it hold the whole
# payload? The summary preview is left out here: it holds the Markdown-escaped file text.
CHECK_VERBATIM = """
(markers) => {
  const problems = [];
  const app = document.querySelector("[data-testid='stApp']");
  const walker = document.createTreeWalker(app, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (element.closest("[data-testid='stCode']")) continue;
    for (const [marker, payload] of markers) {
      if (node.data.includes(marker) && !element.textContent.includes(payload)) {
        const block = element.closest("[data-testid^='st']");
        problems.push(`${marker} in ${element.outerHTML.slice(0, 120)} within ${
          block ? block.outerHTML.slice(0, 400) : "?"}`);
      }
    }
  }
  return problems;
}
"""

# Elements a payload would create if any page rendered it as Markdown or HTML.
RENDERED = "[data-testid='stMain'] :is(img, script, iframe, b, i, .katex, [class*='ColoredText'])"
# A Markdown link shows other words than its address. (A bare address that Markdown turns into
# a link still shows exactly what was typed: Streamlit's GFM autolinks text after escaping.)
LINKED_WORDS = """
() => [...document.querySelectorAll("[data-testid='stMain'] a[href*='127.0.0.1:9']")]
  .filter(a => a.textContent !== a.getAttribute("href"))
  .map(a => a.outerHTML.slice(0, 200))
"""


def record_rendered(page: Page, where: str) -> None:
    """Record (in page.problems) any payload this page rendered instead of showing it."""
    found = page.evaluate(CHECK_VERBATIM, list(MARKERS.items()))
    found += [e.evaluate("e => e.outerHTML.slice(0, 200)") for e in page.locator(RENDERED).all()]
    found += page.evaluate(LINKED_WORDS)
    if page.get_by_test_id("stException").count():
        found.append("an exception is shown")
    if NEVER_SHOWN in page.content():
        found.append("the partner's private note is on the page")
    page.problems += [f"{where}: {problem}" for problem in found]


def shown_as_text(page: Page, text: str) -> None:
    expect(page.get_by_test_id("stText").filter(has_text=text).first).to_have_text(text)


def seed_payloads(path: Path) -> tuple[store.Partner, date]:
    store.initialise(path)
    week = current_week()
    with store.open_db(path) as db:
        me, partner = store.setup_couple(db, [ME, PARTNER], Settings())
        for who, texts in ((me, MINE), (partner, THEIRS)):
            store.save_checkin(
                db,
                who.id,
                week,
                Answers(
                    {"emotional": 6, "physical": 4},
                    frozenset({"physical"}),
                    {key: Reflection(text, shared) for key, (text, shared) in texts.items()},
                ),
            )
        store.save_checkin(db, me.id, week - timedelta(weeks=1), Answers({"emotional": 7}))
        store.save_commitment(db, week, me.id, COMMITMENT)
    return me, week


def test_typed_text_is_shown_verbatim_on_every_page_and_nothing_leaves(browser, tmp_path):
    path = tmp_path / "closer.db"
    _, week = seed_payloads(path)
    labels = {p.key: p.label for p in reflection_prompts()}

    with running_app(path) as url:
        # From the root and through the sidebar only: a deep URL makes Streamlit probe
        # /<page>/_stcore/... first, and that probe's 404 would hide a real one.
        page = watched_page(browser, url)
        page.goto(url)
        wait_for_app(page)
        record_rendered(page, "who's here")
        page.get_by_role("button", name=f"I'm {ME}", exact=True).click()
        home = page.get_by_role("heading", name=f"Hello, {ME}", exact=True)
        expect(home).to_be_visible(timeout=20_000)
        wait_for_app(page)
        expect(page.get_by_test_id("stSidebar").get_by_text(f"Checking in as {ME}")).to_be_visible()
        record_rendered(page, "Home")

        go_to(page, "Check in")
        next_step(page, "In your words")
        for key, (text, _) in MINE.items():
            expect(page.get_by_role("textbox", name=labels[key])).to_have_value(text)
        expect(page.get_by_text(f"Share with {PARTNER}", exact=True).first).to_be_visible()
        record_rendered(page, "Check in")

        go_to(page, "This week")
        for text, _ in MINE.values():
            shown_as_text(page, text)
        shown_as_text(page, THEIRS["working"][0])
        record_rendered(page, "This week")

        for title in ("Trends", "Suggestions"):
            go_to(page, title)
            record_rendered(page, title)

        go_to(page, "Our talk")
        for text in (MINE["working"][0], MINE["appreciation"][0], THEIRS["working"][0], COMMITMENT):
            shown_as_text(page, text)
        record_rendered(page, "Our talk")

        go_to(page, "History")
        for text, _ in MINE.values():
            shown_as_text(page, text)
        record_rendered(page, "History")

        go_to(page, "Settings")
        expect(page.get_by_role("textbox", name="Name").first).to_have_value(ME)
        expect(page.get_by_role("textbox", name="Name").nth(1)).to_have_value(PARTNER)
        record_rendered(page, "Settings")

        go_to(page, "Your data")
        today = date.today()
        with store.open_db(path) as db:
            expected = exports.summary_markdown(db, current_week() - timedelta(weeks=7), today)
        preview = page.get_by_test_id("stCode").filter(has_text="# Closer summary")
        assert preview.text_content().strip() == expected.strip()
        for secret in ("zqprivate", "zqself", NEVER_SHOWN):
            assert secret not in expected
        assert f"## Week of {week_label(week)}" in expected
        record_rendered(page, "Your data")

        assert page.problems == [], "\n".join(page.problems)
        page.close()


def seed_couple(path: Path, weeks_ago: int, text: str) -> None:
    store.initialise(path)
    with store.open_db(path) as db:
        alex, _ = store.setup_couple(db, ["Alex", "Sam"], Settings())
        week = current_week() - timedelta(weeks=weeks_ago)
        store.save_checkin(
            db,
            alex.id,
            week,
            Answers({"emotional": 6}, frozenset(), {"working": Reflection(text, True)}),
        )


def test_downloads_and_restoring_a_backup_from_another_computer(browser, tmp_path):
    here, laptop = tmp_path / "here" / "closer.db", tmp_path / "laptop" / "closer.db"
    here.parent.mkdir()
    laptop.parent.mkdir()
    seed_couple(here, 0, "written on this computer")
    seed_couple(laptop, 3, "written on the laptop")
    upload = tmp_path / "closer-backup-laptop.json"
    with store.open_db(laptop) as db:
        upload.write_text(file_format.backup_json(db))
    older = current_week() - timedelta(weeks=3)
    today = date.today()

    with running_app(here) as url:
        page = watched_page(browser, url)
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("button", name="I'm Alex", exact=True).click()
        wait_for_app(page)
        go_to(page, "Your data")

        # What AppTest can't see: the files a click really saves.
        downloads = {}
        for label in (
            "Download a backup",
            "Download scores (CSV)",
            "Download the summary (.md)",
        ):
            with page.expect_download() as info:
                page.get_by_role("button", name=label).click()
            saved = info.value
            downloads[saved.suggested_filename] = Path(saved.path()).read_text()
        assert sorted(downloads) == sorted(
            [
                f"closer-backup-{today:%Y-%m-%d}.json",
                f"closer-scores-{today:%Y-%m-%d}.csv",
                f"closer-summary-{current_week() - timedelta(weeks=7):%Y-%m-%d}-to-"
                f"{today:%Y-%m-%d}.md",
            ]
        )
        mine = json.loads(downloads[f"closer-backup-{today:%Y-%m-%d}.json"])
        assert mine["app"] == "closer"
        assert "written on this computer" in json.dumps(mine)
        assert downloads[f"closer-scores-{today:%Y-%m-%d}.csv"].startswith(
            "week,partner,intimacy_type,score,more_of_this\n"
        )
        go_to(page, "Settings")
        page.get_by_text("Your check-in time", exact=True).click()  # a folded section
        with page.expect_download() as info:
            page.get_by_role("button", name="Add to my calendar").click()
        assert info.value.suggested_filename == "closer-checkin.ics"
        assert Path(info.value.path()).read_text().startswith("BEGIN:VCALENDAR")
        go_to(page, "Your data")

        # Restore: upload, look at the preview, add it to what's here.
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(upload)
        # The upload finishes, then the page reruns: give a busy machine time for both.
        expect(page.get_by_text("For Alex and Sam")).to_be_visible(timeout=20_000)
        wait_for_app(page)
        expect(page.get_by_text(f"1 check-in, in the week of {week_label(older)}")).to_be_visible()
        page.get_by_text("Add it to what's here").click()
        wait_for_app(page)
        page.get_by_role("button", name="Restore this backup").click()
        wait_for_app(page)
        expect(page.get_by_text("Added 1 check-in from the backup.")).to_be_visible(timeout=20_000)

        # History shows one week at a time: both weeks are there, each with its own note.
        go_to(page, "History")
        page.get_by_text(week_label(older), exact=True).click()
        wait_for_app(page)
        expect(page.get_by_text("written on the laptop")).to_be_visible()
        page.get_by_text(f"This week ({week_label(current_week())})", exact=True).click()
        wait_for_app(page)
        expect(page.get_by_text("written on this computer")).to_be_visible()

        assert page.problems == [], "\n".join(page.problems)
        page.close()
