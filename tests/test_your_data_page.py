"""The Your data page through AppTest: downloads offered, restores, summary, deleting."""

from __future__ import annotations

import json
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from closer import store
from closer.backup import automatic, erase, file_format
from closer.demo import demo_database_path, write_demo
from closer.markdown import escape_markdown
from closer.settings import Settings
from closer.weeks import week_label
from tests.apptest import APP, current_week, open_app
from tests.factories import answers

PAGE = "views/pages/your_data.py"


def weeks_ago(n: int) -> date:
    """The week `n` weeks before the current one, worked out when the test runs."""
    return current_week() - timedelta(weeks=n)


@pytest.fixture
def weeks(db_path, couple):
    """Both checked in this week; only Alex last week; only Sam the week before."""
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(
            db,
            alex.id,
            current_week(),
            answers(working=("alex shared walk", True), unsaid=("alex private worry", False)),
        )
        store.save_checkin(
            db,
            sam.id,
            current_week(),
            answers(appreciation=("sam shared thanks", True), self=("sam private diary", False)),
        )
        store.save_checkin(db, alex.id, weeks_ago(1), answers({"physical": 4}))
        store.save_checkin(db, sam.id, weeks_ago(2), answers({"social": 9}))
    return alex, sam


def _checkins(db_path: Path) -> set[tuple[str, date]]:
    with store.open_db(db_path) as db:
        names = {p.id: p.name for p in store.list_partners(db)}
        return {
            (names[c.partner_id], c.week)
            for found in store.load_weeks(db, store.checked_in_weeks(db)).values()
            for c in found
        }


def _summary(at: AppTest) -> str:
    """The summary preview: the code block holding the Markdown file's text."""
    return next(c.value for c in at.code if c.value.startswith("# Closer summary"))


def _open_without_weekly_backup(partner_id: int) -> AppTest:
    """The page as a session that has already had this week's automatic backup."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.session_state["partner_id"] = partner_id
    at.session_state["weekly-backup"] = True
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _backup_of(path: Path, names: list[str], checkins: list[tuple[int, date, str]]) -> bytes:
    """A backup file of a separate database holding these partners and shared reflections."""
    store.initialise(path)
    with store.open_db(path) as db:
        partners = store.setup_couple(db, names, Settings())
        for who, week, text in checkins:
            store.save_checkin(db, partners[who].id, week, answers(working=(text, True)))
        return file_format.backup_json(db).encode()


def test_page_shows_every_section_for_a_couple_with_data(weeks):
    alex, _ = weeks
    at = open_app(alex.id, PAGE)
    assert [t.value for t in at.title] == ["Your data"]
    assert [s.value for s in at.subheader] == [
        "Download a backup",
        "Restore from a backup file",
        "Scores for a spreadsheet",
        "A summary to share",
        "Automatic backups",
        "Delete",
    ]
    assert not at.error


def test_downloads_are_offered_as_the_right_kinds_of_file(weeks):
    alex, _ = weeks
    at = open_app(alex.id, PAGE)
    # AppTest keeps neither the file name nor the data; the browser test downloads them.
    buttons = {b.label: b.proto for b in at.download_button}
    assert list(buttons) == [
        "Download a backup",
        "Download scores (CSV)",
        "Download the summary (.md)",
    ]
    # The whole-history files are built only when clicked; the short summary is inline.
    assert buttons["Download a backup"].deferred_file_id
    assert buttons["Download scores (CSV)"].deferred_file_id
    assert Path(buttons["Download the summary (.md)"].url).suffix == ".md"
    assert not any(b.disabled for b in buttons.values())


def test_scores_download_waits_for_a_first_checkin(couple):
    alex, _ = couple
    at = open_app(alex.id, PAGE)
    assert at.download_button(key="download-scores").proto.disabled
    assert "after your first check-in" in " ".join(c.value for c in at.caption)


def test_page_says_where_the_data_and_its_backups_live(db_path, couple):
    alex, _ = couple
    at = open_app(alex.id, PAGE)
    shown = [c.value for c in at.code]
    assert str(db_path) in shown
    assert str(db_path.parent / "backups") in shown


def test_page_rests_while_exploring_the_sample_data(db_path, couple):
    write_demo(demo_database_path(), 3)
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.session_state["demo"] = True
    at.session_state["partner_id"] = 1
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "it rests while you explore the sample" in at.info[-1].value
    assert not at.download_button
    assert not [b for b in at.button if b.key == "delete-everything-button"]


def test_summary_preview_is_plain_text_with_shared_reflections_only(weeks):
    alex, _ = weeks
    at = open_app(alex.id, PAGE)
    preview = _summary(at)
    assert preview.startswith("# Closer summary: Alex and Sam")
    assert "alex shared walk" in preview
    assert "sam shared thanks" in preview
    assert "alex private worry" not in preview
    assert "sam private diary" not in preview
    # Shown as text, never rendered: no Markdown element carries the summary.
    assert not [m for m in at.markdown if "alex shared walk" in m.value]


def test_summary_follows_the_chosen_dates(weeks):
    alex, _ = weeks
    at = open_app(alex.id, PAGE)
    # Both ends set: "To" defaults to today, which on a Monday is before Tuesday.
    at.date_input(key="summary-to").set_value(current_week() + timedelta(days=6))
    at.date_input(key="summary-from").set_value(current_week() + timedelta(days=1)).run()
    assert f"## Week of {week_label(current_week())}" in _summary(at)
    assert f"## Week of {week_label(weeks_ago(1))}" not in _summary(at)

    at.date_input(key="summary-to").set_value(weeks_ago(1)).run()
    assert [e.value for e in at.error] == ["The end date is before the start date."]
    assert "Download the summary (.md)" not in [b.label for b in at.download_button]


def test_delete_a_week_offers_only_my_own_weeks(weeks):
    alex, sam = weeks
    assert open_app(alex.id, PAGE).selectbox(key="delete-week").options == [
        f"This week ({week_label(current_week())})",
        f"Last week ({week_label(weeks_ago(1))})",
    ]
    assert open_app(sam.id, PAGE).selectbox(key="delete-week").options == [
        f"This week ({week_label(current_week())})",
        week_label(weeks_ago(2)),
    ]


def test_delete_a_week_needs_the_box_ticked(db_path, weeks):
    alex, _ = weeks
    before = _checkins(db_path)
    at = open_app(alex.id, PAGE)
    at.button(key="delete-week-button").click().run()
    assert [e.value for e in at.error] == ["Tick the box above to confirm."]
    assert _checkins(db_path) == before


def test_delete_a_week_deletes_only_my_checkin_for_that_week(db_path, weeks):
    alex, sam = weeks
    at = open_app(alex.id, PAGE)
    at.selectbox(key="delete-week").set_value(current_week())
    at.checkbox(key="delete-week-sure").check()
    at.button(key="delete-week-button").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        f"Deleted your check-in for the week of {week_label(current_week())}."
    ]
    assert _checkins(db_path) == {
        ("Sam", current_week()),
        ("Alex", weeks_ago(1)),
        ("Sam", weeks_ago(2)),
    }
    with store.open_db(db_path) as db:
        assert store.load_revisions(db, alex.id, current_week()) == []
        assert store.load_checkin(db, sam.id, current_week()).answers.reflections
    # The confirmation starts unticked again, and the deleted week is no longer offered.
    assert not at.checkbox(key="delete-week-sure").value
    assert at.selectbox(key="delete-week").options == [f"Last week ({week_label(weeks_ago(1))})"]


@pytest.mark.parametrize(
    "typed", ["", "delete", "everything", "delete  everything", "delete everything now"]
)
def test_delete_everything_needs_the_exact_phrase(db_path, weeks, typed):
    alex, _ = weeks
    before = _checkins(db_path)
    at = open_app(alex.id, PAGE)
    at.text_input(key="delete-everything-phrase").input(typed)
    at.button(key="delete-everything-button").click().run()
    assert [e.value for e in at.error] == ["Type delete everything in the box above to confirm."]
    assert _checkins(db_path) == before
    with store.open_db(db_path) as db:
        assert len(store.list_partners(db)) == 2


def test_delete_everything_deletes_it_all_and_shows_welcome(db_path, weeks):
    alex, _ = weeks
    at = open_app(alex.id, PAGE)
    at.text_input(key="delete-everything-phrase").input("delete everything")
    at.button(key="delete-everything-button").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Welcome to Closer"]
    # Nobody is "here" any more, and no passcode unlock lingers for whoever sets up next.
    assert "partner_id" not in at.session_state
    assert "unlocked" not in at.session_state
    with store.open_db(db_path) as db:
        assert store.list_partners(db) == []
        assert store.checked_in_weeks(db) == []
        assert file_format.export_backup(db)["tables"]["settings"]["rows"] == []
    # The automatic backup made when the app opened is still there.
    assert automatic.list_backups(db_path.parent / "backups")


def test_restore_merge_adds_the_backups_weeks(db_path, weeks, tmp_path):
    alex, _ = weeks
    older, oldest = current_week() - timedelta(weeks=5), current_week() - timedelta(weeks=9)
    raw = _backup_of(
        tmp_path / "laptop.db",
        ["alex", "Sam"],
        [(0, older, "from the laptop"), (1, oldest, "sam on the laptop")],
    )
    at = open_app(alex.id, PAGE)
    at.file_uploader[0].upload("closer-backup.json", raw, "application/json").run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "For alex and Sam" in shown
    assert (
        f"2 check-ins, from the week of {week_label(oldest)} to the week of {week_label(older)}"
        in shown
    )
    assert at.radio(key="restore-mode").value == "merge"

    at.button(key="restore-file").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Added 2 check-ins from the backup."]
    # "alex" is Alex (names match ignoring case): no third person appears.
    assert {("Alex", older), ("Sam", oldest)} < _checkins(db_path)
    assert len(_checkins(db_path)) == 6
    reasons = [b.reason for b in automatic.list_backups(db_path.parent / "backups")]
    assert "before-restore" in reasons
    # The uploader starts empty again, so the same file isn't offered a second time.
    assert at.file_uploader[0].value is None
    assert at.session_state["partner_id"] == alex.id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"not json at all", "This file isn't a Closer backup: it isn't valid JSON"),
        (b'{"app": "other"}', "This file isn't a Closer backup."),
        (
            json.dumps(
                {
                    "app": "closer",
                    "format": 1,
                    "schema": [],
                    "exported_at": "2026-11-22T20:00:00+00:00",
                    "tables": {"![p](http://127.0.0.1:9/p.png)": {"columns": [], "rows": []}},
                }
            ).encode(),
            # The file's own words reach the screen escaped: no image is ever fetched.
            "a table '![p](http://127.0.0.1:9/p.png)'",
        ),
    ],
)
def test_a_file_that_cannot_be_restored_is_explained_and_changes_nothing(
    db_path, weeks, raw, expected
):
    alex, _ = weeks
    before = _checkins(db_path)
    at = open_app(alex.id, PAGE)
    at.file_uploader[0].upload("backup.json", raw, "application/json").run()
    assert not at.exception
    assert len(at.error) == 1
    # Every message is escaped for Markdown (a backup's table names come from the file).
    assert escape_markdown(expected) in at.error[0].value
    assert at.error[0].value.endswith("Your data here is unchanged.")
    assert not [b for b in at.button if b.key == "restore-file"]
    assert _checkins(db_path) == before


def test_a_merge_that_would_make_four_people_is_refused_next_to_the_button(
    db_path, weeks, tmp_path
):
    alex, _ = weeks
    raw = _backup_of(tmp_path / "other.db", ["Robin", "Kai"], [(0, weeks_ago(2), "hello")])
    before = _checkins(db_path)
    at = open_app(alex.id, PAGE)
    at.file_uploader[0].upload("b.json", raw, "application/json").run()
    at.button(key="restore-file").click().run()
    assert not at.exception
    assert len(at.error) == 1
    assert escape_markdown("Merging would give this Closer 4 people") in at.error[0].value
    assert _checkins(db_path) == before
    with store.open_db(db_path) as db:
        assert [p.name for p in store.list_partners(db)] == ["Alex", "Sam"]


def test_restore_replace_needs_the_typed_word(db_path, weeks, tmp_path):
    alex, _ = weeks
    raw = _backup_of(tmp_path / "old.db", ["Alex", "Sam"], [(1, weeks_ago(2), "old times")])
    before = _checkins(db_path)
    at = open_app(alex.id, PAGE)
    at.file_uploader[0].upload("b.json", raw, "application/json").run()
    at.radio(key="restore-mode").set_value("replace").run()
    at.text_input(key="restore-confirm").input("yes")
    at.button(key="restore-file").click().run()
    assert [e.value for e in at.error] == ["Type replace in the box above to confirm."]
    assert _checkins(db_path) == before


def test_restore_replace_makes_the_data_exactly_the_backup(db_path, weeks, tmp_path):
    alex, _ = weeks
    raw = _backup_of(tmp_path / "old.db", ["Alex", "Sam"], [(1, weeks_ago(2), "old times")])
    at = open_app(alex.id, PAGE)
    at.file_uploader[0].upload("b.json", raw, "application/json").run()
    at.radio(key="restore-mode").set_value("replace").run()
    at.text_input(key="restore-confirm").input("replace")
    at.button(key="restore-file").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Restored. Closer now holds exactly what the backup")
    assert "Your passcodes are as they were" in at.success[0].value
    assert _checkins(db_path) == {("Sam", weeks_ago(2))}
    # Same person, same id: Alex is still the one at the screen.
    assert at.session_state["partner_id"] == alex.id
    assert [t.value for t in at.title] == ["Your data"]


def test_restore_replace_with_other_people_asks_who_is_here(db_path, weeks, tmp_path):
    alex, _ = weeks
    raw = _backup_of(tmp_path / "other.db", ["Robin", "Kai"], [(0, weeks_ago(2), "hello")])
    at = open_app(alex.id, PAGE)
    at.file_uploader[0].upload("b.json", raw, "application/json").run()
    at.radio(key="restore-mode").set_value("replace").run()
    at.text_input(key="restore-confirm").input("Replace ")
    at.button(key="restore-file").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Restored.")
    # Robin now has Alex's old id: this browser must not quietly become Robin.
    assert at.session_state["partner_id"] is None
    assert [b.label for b in at.button] == ["I'm Robin", "I'm Kai"]


def test_automatic_backups_empty_state(couple):
    alex, _ = couple
    at = _open_without_weekly_backup(alex.id)
    assert "No automatic backups yet." in " ".join(c.value for c in at.caption)
    assert not [b for b in at.button if b.key == "saved-backup-restore"]


def test_automatic_backups_are_listed_newest_first(db_path, couple):
    alex, _ = couple
    folder = db_path.parent / "backups"
    automatic.backup_file(db_path, folder, "weekly", now=datetime(2026, 11, 2, 9, 5))
    automatic.backup_file(db_path, folder, "before-upgrade", now=datetime(2026, 11, 9, 21, 30))
    at = _open_without_weekly_backup(alex.id)
    (table,) = [t.value for t in at.table]
    assert table[["Made", "Why"]].to_numpy().tolist() == [
        ["Mon 9 Nov 2026, 21:30", "Before Closer updated itself"],
        ["Mon 2 Nov 2026, 09:05", "Weekly"],
    ]
    assert all(size.endswith(" KB") for size in table["Size"])
    assert at.selectbox(key="saved-backup").options == [
        "Mon 9 Nov 2026, 21:30",
        "Mon 2 Nov 2026, 09:05",
    ]


def test_restore_an_automatic_backup_after_confirming(db_path, weeks):
    alex, _ = weeks
    at = open_app(alex.id, PAGE)  # opening the app this week made a weekly backup
    with store.open_db(db_path) as db:
        erase.delete_week(db, current_week())
    before = _checkins(db_path)
    at.run()
    at.button(key="saved-backup-restore").click().run()
    assert [e.value for e in at.error] == ["Tick the box above to confirm."]
    assert _checkins(db_path) == before

    at.checkbox(key="saved-backup-sure").check()
    at.button(key="saved-backup-restore").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Restored the copy from")
    assert ("Alex", current_week()) in _checkins(db_path)
    reasons = [b.reason for b in automatic.list_backups(db_path.parent / "backups")]
    assert sorted(reasons) == ["before-restore", "weekly"]


def test_config_listens_on_this_computer_only_and_sends_no_statistics():
    config = tomllib.loads((APP.parent / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["browser"]["gatherUsageStats"] is False
