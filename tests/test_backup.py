"""Backup, export, import and deletion of the couple's data, on real SQLite files."""

from __future__ import annotations

import copy
import json
import sqlite3
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from closer import backup, store
from closer.checkin import Answers, CsiAnswers, Reflection
from closer.settings import Settings
from closer.survey import dimension_keys, reflection_prompts
from tests.factories import MONDAY, answers

NOW = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
T = "2026-11-22T20:00:00+00:00"


# Each example makes two databases; in memory, where the system offers a RAM disk, the fsync
# of every commit costs nothing and the property test runs in seconds instead of a minute.
FAST_TMP = "/dev/shm" if Path("/dev/shm").is_dir() else None


def _counts(db_path: Path) -> dict[str, int]:
    with store.open_db(db_path) as db:
        return {name: db[name].count for name in db.table_names()}


def _tables(db_path: Path) -> dict:
    with store.open_db(db_path) as db:
        return backup.export_backup(db)["tables"]


def _fresh(path: Path) -> Path:
    store.initialise(path)
    return path


def _save(db_path: Path, partner_id: int, week: date, saved: Answers, at: str) -> None:
    with store.open_db(db_path) as db:
        store.save_checkin(db, partner_id, week, saved, saved_at=at)


# Round trip

TRICKY_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "**md** _x_ `code`",
            "<script>alert(1)</script>",
            "שלום, مرحبا 👩‍❤️‍👨",
            "\x00\x07\x1b[31m control",
            "\u202eRTL override",
            "line one\r\nline two\n\n",
        ]
    ),
)
ANSWERS = st.builds(
    Answers,
    scores=st.dictionaries(
        st.sampled_from(dimension_keys()), st.one_of(st.none(), st.integers(1, 10))
    ),
    wants_more=st.frozensets(st.sampled_from(dimension_keys())),
    reflections=st.dictionaries(
        st.sampled_from([p.key for p in reflection_prompts()]),
        st.builds(Reflection, TRICKY_TEXT, st.booleans()),
    ),
    csi=st.one_of(
        st.none(),
        st.builds(
            CsiAnswers,
            st.tuples(*[st.one_of(st.none(), st.integers(0, 5))] * 4),
            st.booleans(),
        ),
    ),
)
# (partner 0 or 1, weeks before MONDAY, the versions saved one after another)
HISTORIES = st.lists(
    st.tuples(
        st.sampled_from([0, 1]), st.integers(0, 2), st.lists(ANSWERS, min_size=1, max_size=3)
    ),
    max_size=4,
)


@settings(max_examples=60, deadline=None, database=None)
@given(HISTORIES)
def test_export_then_replace_into_a_fresh_database_gives_the_same_tables(history):
    with tempfile.TemporaryDirectory(dir=FAST_TMP) as tmp:
        source, target = _fresh(Path(tmp) / "source.db"), _fresh(Path(tmp) / "target.db")
        with store.open_db(source) as db:
            partners = store.setup_couple(db, ["Zoë", "李"], Settings())
            for n, (who, weeks_ago, versions) in enumerate(history):
                for v, saved in enumerate(versions):
                    week = MONDAY - timedelta(weeks=weeks_ago)
                    at = f"2026-11-{n + 1:02d}T20:{v:02d}:00+00:00"
                    store.save_checkin(db, partners[who].id, week, saved, saved_at=at)
            raw = backup.backup_json(db)
        with store.open_db(target) as db:
            backup.restore_backup(db, backup.read_backup(raw, db), "replace")
        assert _tables(target) == json.loads(raw)["tables"]


def test_export_has_every_table_but_the_migrations_in_key_order_with_unicode_kept(db_path, couple):
    alex, _ = couple
    _save(db_path, alex.id, MONDAY, answers({"physical": 7}, working=("Zoë 💛 עברית", True)), T)
    with store.open_db(db_path) as db:
        data = backup.export_backup(db, now=NOW)
        raw = backup.backup_json(db, now=NOW)
        tables = set(db.table_names())
        migrations = [m.name for m in store.migrations.applied(db)]
    assert list(data) == ["app", "format", "schema", "exported_at", "tables"]
    assert (data["app"], data["format"], data["schema"]) == ("closer", 1, migrations)
    assert migrations[0] == "m001_initial"
    assert data["exported_at"] == "2026-11-22T20:00:00+00:00"
    assert list(data["tables"]) == sorted(tables - {"_sqlite_migrations"})
    assert data["tables"]["partners"]["columns"][:3] == ["id", "name", "created_at"]
    assert [r[:2] for r in data["tables"]["partners"]["rows"]] == [[1, "Alex"], [2, "Sam"]]
    assert data["tables"]["reflections"]["rows"] == [[1, "working", "Zoë 💛 עברית", 1]]
    assert "Zoë 💛 עברית" in raw  # written as itself, not as \u escapes
    assert json.loads(raw) == data


# Reading a backup: every way a file can be wrong, with what the person reads


def _valid() -> dict:
    """A small, valid backup written out by hand."""
    return {
        "app": "closer",
        "format": 1,
        "schema": ["m001_initial"],
        "exported_at": T,
        "tables": {
            "partners": {"columns": ["id", "name", "created_at"], "rows": [[1, "Alex", T]]},
            "checkins": {
                "columns": ["id", "partner_id", "week", "revision", "created_at", "updated_at"],
                "rows": [[1, 1, "2026-11-16", 1, T, T]],
            },
            "scores": {
                "columns": ["checkin_id", "dimension", "score", "wants_more"],
                "rows": [[1, "physical", 7, 0], [1, "social", None, 1]],
            },
        },
    }


_DROP = object()


def _changed(path: str, value: object) -> str:
    """The valid backup as JSON with one value replaced, at a path such as 'tables/scores'."""
    data = copy.deepcopy(_valid())
    *parents, last = path.split("/")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is _DROP:
        del node[last]
    else:
        node[last] = value
    return json.dumps(data)


SCORES = "tables/scores/rows/0"


CASES = [
    (
        "invalid JSON",
        '{"app": "closer",',
        "This file isn't a Closer backup: it isn't valid JSON (Expecting property name "
        "enclosed in double quotes at line 1, column 18).",
    ),
    ("not an object", "[1, 2, 3]", "This file isn't a Closer backup."),
    ("another app", _changed("app", "diary"), "This file isn't a Closer backup."),
    (
        "not UTF-8",
        "\xff\xfe{}".encode("latin-1"),
        "This file isn't a Closer backup: it isn't UTF-8 text.",
    ),
    (
        "newer format",
        _changed("format", 2),
        "This backup was made by a newer version of Closer. Update Closer, then try again.",
    ),
    (
        "newer schema",
        _changed("schema", ["m001_initial", "m002_plans"]),
        "This backup was made by a newer version of Closer. Update Closer, then try again.",
    ),
    (
        "missing column",
        _changed("tables/partners", {"columns": ["id", "created_at"], "rows": [[1, T]]}),
        "The backup is damaged: table 'partners' has no column 'name'.",
    ),
    ("no tables", _changed("tables", _DROP), "The backup is damaged: it has no 'tables'."),
    (
        "bad export time",
        _changed("exported_at", "last Tuesday"),
        "The backup is damaged: its 'exported_at' isn't a date and time.",
    ),
    (
        "unknown table",
        _changed("tables/plans", {"columns": ["id"], "rows": []}),
        "The backup is damaged: it has a table 'plans' that this version of Closer doesn't have.",
    ),
    (
        "unknown column",
        _changed("tables/partners/columns/1", "nickname"),
        "The backup is damaged: table 'partners' has a column 'nickname' that this version "
        "of Closer doesn't have.",
    ),
    (
        "header narrower than rows",
        _changed("tables/partners/columns", ["id", "created_at"]),
        "The backup is damaged: table 'partners' row 1 has 3 values, expected 2.",
    ),
    (
        "row too wide",
        _changed("tables/scores/rows/1", [1, "social", None, 1, "extra"]),
        "The backup is damaged: table 'scores' row 2 has 5 values, expected 4.",
    ),
    (
        "number for text",
        _changed("tables/partners/rows/0/1", 42),
        "The backup is damaged: table 'partners' row 1: name must be text.",
    ),
    (
        "broken text",
        _changed("tables/partners/rows/0/1", "\ud83d"),  # half an emoji
        "The backup is damaged: table 'partners' row 1: name must be text without broken "
        "characters.",
    ),
    (
        "text for number",
        _changed("tables/checkins/rows/0/3", "1"),
        "The backup is damaged: table 'checkins' row 1: revision must be a whole number.",
    ),
    (
        "empty revision",
        _changed("tables/checkins/rows/0/3", None),
        "The backup is damaged: table 'checkins' row 1: revision must be filled in.",
    ),
    (
        "score 11",
        _changed(f"{SCORES}/2", 11),
        "The backup is damaged: table 'scores' row 1: score must be a whole number from 1 "
        "to 10 or empty.",
    ),
    (
        "score 7.5",
        _changed(f"{SCORES}/2", 7.5),
        "The backup is damaged: table 'scores' row 1: score must be a whole number from 1 "
        "to 10 or empty.",
    ),
    (
        "boolean 2",
        _changed(f"{SCORES}/3", 2),
        "The backup is damaged: table 'scores' row 1: wants_more must be 0 or 1.",
    ),
    (
        "boolean true",
        _changed(f"{SCORES}/3", True),
        "The backup is damaged: table 'scores' row 1: wants_more must be 0 or 1.",
    ),
    (
        "week not a Monday",
        _changed("tables/checkins/rows/0/2", "2026-11-17"),
        "The backup is damaged: table 'checkins' row 1: week must be the date of a Monday, "
        "such as 2026-11-16.",
    ),
    (
        "dangling reference",
        _changed(f"{SCORES}/0", 9),
        "The backup is damaged: table 'scores' row 1 refers to a row of 'checkins' that "
        "isn't in the backup.",
    ),
    (
        "repeated key",
        _changed("tables/scores/rows/1/1", "physical"),
        "The backup is damaged: table 'scores' row 2 repeats row 1 (the same checkin_id and "
        "dimension).",
    ),
    (
        "three partners",
        _changed("tables/partners/rows", [[1, "A", T], [2, "B", T], [3, "C", T]]),
        "This backup has 3 partners, and Closer is made for two.",
    ),
    (
        "too big",
        b" " * (50 * 1024 * 1024 + 1),
        "This file is too big to be a Closer backup (51 MB; backups are at most 50 MB).",
    ),
]


@pytest.mark.parametrize(("raw", "message"), [pytest.param(r, m, id=i) for i, r, m in CASES])
def test_read_backup_refuses_with_a_message_for_a_person(db_path, raw, message):
    with store.open_db(db_path) as db, pytest.raises(backup.BackupError) as caught:
        backup.read_backup(raw, db)
    assert str(caught.value) == message


def test_read_backup_accepts_the_valid_example_as_bytes_with_a_byte_order_mark(db_path):
    raw = b"\xef\xbb\xbf" + json.dumps(_valid()).encode()
    with store.open_db(db_path) as db:
        read = backup.read_backup(raw, db)
    assert backup.preview(read) == backup.BackupPreview(
        partner_names=("Alex",),
        checkins=1,
        first_week=date(2026, 11, 16),
        last_week=date(2026, 11, 16),
        exported_at=NOW,
    )


def test_an_older_backup_without_a_later_column_restores_with_it_empty(db_path, couple):
    with store.open_db(db_path) as db:
        raw = backup.backup_json(db)
        db["partners"].add_column("nickname", str)  # as a later migration would
        backup.restore_backup(db, backup.read_backup(raw, db), "replace")
        rows = list(db["partners"].rows)
    assert [(r["name"], r["nickname"]) for r in rows] == [("Alex", None), ("Sam", None)]


def _database_refuses() -> str:
    # Valid row by row, but the unique, case-blind partner name stops the insert.
    data = _valid()
    data["tables"]["partners"]["rows"] = [[1, "Alex", T], [2, "ALEX", T]]
    return json.dumps(data)


def _merge_to_three() -> str:
    # A third person: Jo matches neither Alex nor Sam.
    data = _valid()
    data["tables"]["partners"]["rows"] = [[1, "Jo", T]]
    return json.dumps(data)


@pytest.mark.parametrize("mode", ["replace", "merge"])
def test_a_restore_that_fails_part_way_changes_nothing(db_path, couple, mode):
    alex, _ = couple
    _save(db_path, alex.id, MONDAY, answers({"physical": 7}), T)
    before, counts = _tables(db_path), _counts(db_path)
    raw = _database_refuses() if mode == "replace" else _merge_to_three()
    with store.open_db(db_path) as db, pytest.raises(backup.BackupError) as caught:
        backup.restore_backup(db, backup.read_backup(raw, db), mode)
    assert "Nothing was changed." in str(caught.value)
    assert _counts(db_path) == counts
    assert _tables(db_path) == before


def test_restore_checks_a_backup_again_even_if_built_by_hand(db_path, couple):
    bad = backup.Backup(
        schema=("m001_initial",),
        exported_at=NOW,
        tables={"partners": backup.BackupTable(("id", "name", "created_at"), ((1, None, T),))},
    )
    counts = _counts(db_path)
    with store.open_db(db_path) as db, pytest.raises(backup.BackupError, match="must be filled"):
        backup.restore_backup(db, bad, "replace")
    assert _counts(db_path) == counts


# Merge


def test_merge_keeps_existing_check_ins_and_adds_the_imported_versions_to_their_history(
    db_path, couple, tmp_path
):
    alex, sam = couple
    ours = answers({"physical": 8}, working=("ours", True))
    _save(db_path, alex.id, MONDAY, ours, "2026-11-17T20:00:00+00:00")
    _save(db_path, sam.id, MONDAY - timedelta(weeks=1), answers({"social": 6}), T)
    untouched_week = MONDAY - timedelta(weeks=1)

    # The other copy: same people (other ids, other case), overlapping and new weeks.
    other = _fresh(tmp_path / "other.db")
    with store.open_db(other) as db:
        other_sam, other_alex = store.setup_couple(db, ["sam", "ALEX"], Settings(checkin_weekday=2))
    v1 = answers({"physical": 3}, working=("theirs v1", True))
    v2 = answers({"physical": 4}, working=("theirs v2", True))
    samnew = answers({"emotional": 9}, lacking=("sam new", True))
    older = answers({"intellectual": 5})
    _save(other, other_alex.id, MONDAY, v1, "2026-11-16T09:00:00+00:00")
    _save(other, other_alex.id, MONDAY, v2, "2026-11-18T09:00:00+00:00")
    _save(other, other_sam.id, MONDAY, samnew, "2026-11-19T09:00:00+00:00")
    _save(other, other_alex.id, MONDAY - timedelta(weeks=2), older, "2026-11-03T09:00:00+00:00")
    with store.open_db(other) as db:
        raw = backup.backup_json(db)

    with store.open_db(db_path) as db:
        added = backup.restore_backup(db, backup.read_backup(raw, db), "merge")
        # No settings (the existing ones win) and no partners (matched by name).
        assert {table: n for table, n in added.items() if n} == {
            "checkins": 2,  # Sam's this week, Alex's two weeks ago
            "scores": 2,
            "reflections": 1,
            "checkin_revisions": 4,  # one each for the new check-ins, two for Alex's history
        }
        assert store.list_partners(db) == [alex, sam]
        assert store.load_settings(db).checkin_weekday == Settings().checkin_weekday
        current = store.load_checkin(db, alex.id, MONDAY)
        assert (current.revision, current.answers) == (3, ours)
        assert store.load_revisions(db, alex.id, MONDAY) == [
            (1, "2026-11-16T09:00:00+00:00", v1),
            (2, "2026-11-18T09:00:00+00:00", v2),
            (3, "2026-11-17T20:00:00+00:00", ours),  # the current version stays last
        ]
        assert store.load_checkin(db, sam.id, MONDAY).answers == samnew
        assert store.load_checkin(db, alex.id, MONDAY - timedelta(weeks=2)).answers == older
        assert store.load_checkin(db, sam.id, untouched_week).answers == answers({"social": 6})
        after_first = backup.export_backup(db)["tables"]

        # Merging the same file again finds everything already there.
        again = backup.restore_backup(db, backup.read_backup(raw, db), "merge")
        assert set(again.values()) == {0}
        assert backup.export_backup(db)["tables"] == after_first

        # The next save continues the history instead of clashing with an imported number.
        assert store.save_checkin(db, alex.id, MONDAY, v2).revision == 4


def test_merge_into_an_empty_database_gives_the_backups_data(db_path, couple, tmp_path):
    alex, sam = couple
    _save(db_path, alex.id, MONDAY, answers({"physical": 7}, working=("hi", False)), T)
    _save(db_path, sam.id, MONDAY, answers({"physical": 5}), T)
    with store.open_db(db_path) as db:
        raw = backup.backup_json(db)
    empty = _fresh(tmp_path / "empty.db")
    with store.open_db(empty) as db:
        backup.restore_backup(db, backup.read_backup(raw, db), "merge")
    assert _tables(empty) == json.loads(raw)["tables"]


def _add_plans_table(db_path: Path) -> None:
    """A table a later migration might add, to show nothing here is tied to today's tables."""
    with store.open_db(db_path) as db:
        db["plans"].create(
            {"id": int, "partner_id": int, "title": str, "week": str},
            pk="id",
            not_null={"partner_id", "title"},
            foreign_keys=[("partner_id", "partners", "id")],
        )
        # A partial unique index: a merge can only learn of a clash by trying the insert.
        db.execute("CREATE UNIQUE INDEX plans_once ON plans (partner_id, week) WHERE week > ''")


def test_a_table_added_later_is_exported_restored_merged_and_deleted(db_path, couple, tmp_path):
    _add_plans_table(db_path)
    other = _fresh(tmp_path / "other.db")
    _add_plans_table(other)
    with store.open_db(other) as db:
        sam, _ = store.setup_couple(db, ["Sam", "Jo"], Settings())
        db["plans"].insert({"partner_id": sam.id, "title": "Picnic 🧺", "week": "2026-11-16"})
        raw = backup.backup_json(db)
    assert json.loads(raw)["tables"]["plans"]["rows"] == [[1, 1, "Picnic 🧺", "2026-11-16"]]
    fresh = _fresh(tmp_path / "fresh.db")
    _add_plans_table(fresh)
    with store.open_db(fresh) as db:
        backup.restore_backup(db, backup.read_backup(raw, db), "replace")
    assert _tables(fresh) == json.loads(raw)["tables"]
    with store.open_db(db_path) as db:
        db["partners"].delete_where("name = ?", ["Alex"])  # leave room for Jo
        backup.restore_backup(db, backup.read_backup(raw, db), "merge")
        assert store.list_partners(db) == [store.Partner(2, "Sam"), store.Partner(3, "Jo")]
        # The plan follows Sam from id 1 in the backup to id 2 here.
        assert [(r["partner_id"], r["title"]) for r in db["plans"].rows] == [(2, "Picnic 🧺")]
        again = backup.restore_backup(db, backup.read_backup(raw, db), "merge")
        assert set(again.values()) == {0}
        assert db["plans"].count == 1
        backup.delete_everything(db)
        assert db["plans"].count == 0


# Exports for people


def test_scores_csv_is_long_form_sorted_with_skips_empty(db_path, couple):
    alex, sam = couple
    _save(db_path, alex.id, MONDAY, answers({"physical": 7, "emotional": None}, ("physical",)), T)
    _save(db_path, sam.id, MONDAY, answers({"social": 4}), T)
    _save(db_path, alex.id, MONDAY - timedelta(weeks=1), answers({"sexual": 10}), T)
    with store.open_db(db_path) as db:
        store.rename_partner(db, sam.id, "=Sam")
        csv_text = backup.scores_csv(db)
    assert csv_text == (
        "week,partner,intimacy_type,score,more_of_this\n"
        "2026-11-09,Alex,sexual,10,no\n"
        "2026-11-16,Alex,emotional,,no\n"
        "2026-11-16,Alex,physical,7,yes\n"
        "2026-11-16,'=Sam,social,4,no\n"  # never a spreadsheet formula
    )


def test_scores_csv_of_an_empty_database_is_just_the_header(db_path):
    with store.open_db(db_path) as db:
        assert backup.scores_csv(db) == "week,partner,intimacy_type,score,more_of_this\n"


def test_summary_has_scores_and_shared_reflections_and_never_private_ones(db_path, couple):
    alex, sam = couple
    alex_week = answers(
        {"physical": 7, "emotional": None},
        ("physical",),
        working=("We laughed **a lot**", True),
        unsaid=("PRIVATE: I feel lonely", False),
    )
    sam_week = answers(
        {"physical": 5}, appreciation=("Thank you for the soup", True), self=("SECRET", False)
    )
    _save(db_path, alex.id, MONDAY, alex_week, T)
    _save(db_path, sam.id, MONDAY, sam_week, T)
    _save(db_path, alex.id, MONDAY - timedelta(weeks=1), answers(working=("ALONE", True)), T)
    _save(db_path, alex.id, MONDAY - timedelta(weeks=2), answers(working=("BEFORE", True)), T)
    with store.open_db(db_path) as db:
        summary = backup.summary_markdown(db, date(2026, 11, 14), date(2026, 11, 22))
    assert "PRIVATE" not in summary and "SECRET" not in summary
    assert "ALONE" not in summary  # Sam hasn't checked in that week: nothing is revealed
    assert "BEFORE" not in summary  # outside the period
    assert summary == (
        "# Closer summary: Alex and Sam\n"
        "\n"
        "From 14 Nov 2026 to 22 Nov 2026: 2 weeks with check-ins.\n"
        "\n"
        "Scores go from 1 to 10; “more of this” means its author would like more of it. "
        "Only what each of you chose to share is here: private reflections are left out.\n"
        "\n"
        "## Week of 9–15 Nov 2026\n"
        "\n"
        "Only Alex checked in this week, so its answers stay hidden.\n"
        "\n"
        "## Week of 16–22 Nov 2026\n"
        "\n"
        "| Intimacy type | Alex | Sam |\n"
        "| --- | --- | --- |\n"
        "| Emotional | skipped | – |\n"
        "| Physical | 7, more of this | 5 |\n"
        "\n"
        "### Alex’s reflections\n"
        "\n"
        "**What is working well between us**\n"
        "\n"
        r"> We laughed \*\*a lot\*\*" + "\n"
        "\n"
        "### Sam’s reflections\n"
        "\n"
        "**Something I appreciate about you**\n"
        "\n"
        "> Thank you for the soup\n"
    )


def test_summary_keeps_hostile_text_inside_its_quote_as_plain_characters(db_path, couple):
    alex, sam = couple
    typed = (
        "# Not a heading\n- not a list\n1. not a list\n> not a quote\n```\n"
        "<script>alert(1)</script>\n![pixel](http://evil.example/p.png)\n"
        "[link](http://evil.example)\n---\n    code?\n\nnew paragraph\x1b"
    )
    _save(db_path, alex.id, MONDAY, answers(working=(typed, True)), T)
    _save(db_path, sam.id, MONDAY, answers(), T)
    with store.open_db(db_path) as db:
        store.rename_partner(db, sam.id, "Sam | *Bo*")
        summary = backup.summary_markdown(db, MONDAY, MONDAY)
    quote = "\n".join(
        [
            r"> \# Not a heading\ ".rstrip(),
            r"> \- not a list\ ".rstrip(),
            r"> 1\. not a list\ ".rstrip(),
            r"> \> not a quote\ ".rstrip(),
            r"> \`\`\`\ ".rstrip(),
            r"> \<script\>alert(1)\</script\>\ ".rstrip(),
            r"> !\[pixel\](http://evil.example/p.png)\ ".rstrip(),
            r"> \[link\](http://evil.example)\ ".rstrip(),
            r"> \---\ ".rstrip(),
            r"> code?",
            r">",
            r"> new paragraph",
        ]
    )
    assert f"**What is working well between us**\n\n{quote}\n" in summary
    assert r"| Intimacy type | Alex | Sam \| \*Bo\* |" in summary
    assert [line for line in summary.splitlines() if line.startswith("#")] == [
        "# Closer summary: Alex and Sam \\| \\*Bo\\*",
        "## Week of 16–22 Nov 2026",
        "### Alex’s reflections",
        "### Sam \\| \\*Bo\\*’s reflections",
    ]


# Backup files


def test_backup_file_is_one_standalone_copy_named_by_time_and_reason(db_path, couple):
    backups = db_path.parent / "backups"
    now = datetime(2026, 11, 22, 20, 0, 5)
    first = backup.backup_file(db_path, backups, "weekly", now=now)
    second = backup.backup_file(db_path, backups, "weekly", now=now)
    assert (first.name, second.name) == (
        "closer-20261122-200005-weekly.db",
        "closer-20261122-200005-weekly-2.db",
    )
    assert sorted(p.name for p in backups.iterdir()) == sorted([first.name, second.name])
    with store.open_db(first) as db:
        assert [p.name for p in store.list_partners(db)] == ["Alex", "Sam"]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    with pytest.raises(ValueError):
        backup.backup_file(db_path, backups, "../escape")


def test_prune_keeps_the_twelve_newest_and_ignores_other_files(db_path, tmp_path):
    backups = tmp_path / "backups"
    start = datetime(2026, 1, 5, 9, 0)
    made = [
        backup.backup_file(db_path, backups, "weekly", now=start + timedelta(weeks=i))
        for i in range(14)
    ]
    (backups / "notes.txt").write_text("keep me")
    removed = backup.prune_backups(backups)
    listed = backup.list_backups(backups)
    assert removed == [made[1], made[0]]
    assert [b.path for b in listed] == made[:1:-1]  # newest first
    assert listed[0].created == datetime(2026, 4, 6, 9, 0)
    assert listed[0].reason == "weekly"
    assert (backups / "notes.txt").exists()


@pytest.mark.parametrize(
    ("made", "today", "due"),
    [
        (None, date(2026, 11, 22), True),
        (datetime(2026, 11, 16, 0, 0, 0), date(2026, 11, 22), False),  # Monday, same week
        (datetime(2026, 11, 15, 23, 59, 59), date(2026, 11, 16), True),  # Sunday before
        (datetime(2026, 11, 22, 23, 59, 59), date(2026, 11, 22), False),
        (datetime(2026, 12, 28, 12, 0, 0), date(2027, 1, 3), False),  # ISO week 53 of 2026
        (datetime(2025, 11, 17, 12, 0, 0), date(2026, 11, 17), True),  # same week a year ago
    ],
)
def test_weekly_backup_is_due_when_none_was_made_this_iso_week(db_path, made, today, due):
    backups = db_path.parent / "backups"
    if made:
        backup.backup_file(db_path, backups, "weekly", now=made)
    assert backup.weekly_backup_due(backups, today) is due


def test_restore_backup_file_brings_back_deleted_data_while_others_are_connected(
    db_path, couple, tmp_path
):
    alex, _ = couple
    _save(db_path, alex.id, MONDAY, answers({"physical": 7}), T)
    backups = tmp_path / "backups"
    saved = backup.backup_file(db_path, backups, "manual", now=datetime(2026, 11, 20, 8, 0))
    with store.open_db(db_path) as db:
        backup.delete_week(db, MONDAY)
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("SELECT count(*) FROM checkins").fetchone() == (0,)
        safety = backup.restore_backup_file(saved, db_path, backups)
        assert other.execute("SELECT count(*) FROM checkins").fetchone() == (1,)
    finally:
        other.close()
    with store.open_db(db_path) as db:
        assert store.load_checkin(db, alex.id, MONDAY).answers == answers({"physical": 7})
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert safety is not None and safety.name.endswith("-before-restore.db")
    assert _counts(safety)["checkins"] == 0  # the state just before the restore


def test_restore_backup_file_refuses_a_file_that_is_not_a_closer_database(
    db_path, couple, tmp_path
):
    stranger = tmp_path / "holiday.db"
    with sqlite3.connect(stranger) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.close()
    text = tmp_path / "notes.db"
    text.write_text("not a database at all")
    counts = _counts(db_path)
    for path in (stranger, text):
        with pytest.raises(store.StoreError, match="is not a Closer backup"):
            backup.restore_backup_file(path, db_path, tmp_path / "backups")
    assert _counts(db_path) == counts
    assert not (tmp_path / "backups").exists()  # refused before any safety copy


# Deleting


def test_delete_week_removes_only_that_partners_week_with_everything_it_holds(db_path, couple):
    alex, sam = couple
    last_week = MONDAY - timedelta(weeks=1)
    for partner in (alex, sam):
        for week in (MONDAY, last_week):
            _save(db_path, partner.id, week, answers({"physical": 5}, working=("x", True)), T)
    _save(db_path, alex.id, MONDAY, answers({"physical": 6}, working=("y", True)), T)
    before = _counts(db_path)
    with store.open_db(db_path) as db:
        assert backup.delete_week(db, MONDAY, alex.id) == 1
        left = {(c.partner_id, c.week) for w in (MONDAY, last_week) for c in store.load_week(db, w)}
        assert left == {(sam.id, MONDAY), (alex.id, last_week), (sam.id, last_week)}
    assert _counts(db_path) == before | {
        "checkins": 3,
        "scores": 3,
        "reflections": 3,
        "checkin_revisions": 3,  # Alex's two versions of this week went with it
    }
    with store.open_db(db_path) as db:
        assert backup.delete_week(db, MONDAY) == 1  # Sam's, the one left
        assert store.load_week(db, MONDAY) == []
        assert len(store.load_week(db, last_week)) == 2


def test_delete_everything_empties_every_table_and_keeps_the_schema(db_path, couple):
    alex, _ = couple
    marker = "unmistakable-secret-7f3a"
    _save(db_path, alex.id, MONDAY, answers(unsaid=(marker, False)), T)
    assert marker.encode() in _file_bytes(db_path)
    migrations = _counts(db_path)["_sqlite_migrations"]
    with store.open_db(db_path) as db:
        backup.delete_everything(db)
    counts = _counts(db_path)
    assert counts.pop("_sqlite_migrations") == migrations
    assert set(counts.values()) == {0}
    assert marker.encode() not in _file_bytes(db_path)  # overwritten, not just unlinked
    store.initialise(db_path)
    with store.open_db(db_path) as db:
        assert store.setup_couple(db, ["Alex", "Sam"], Settings())


def _file_bytes(db_path: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)
    )


def test_passcode_hashes_never_leave_in_a_backup(db_path, couple):
    from closer.passcode import hash_passcode

    alex, _ = couple
    with store.open_db(db_path) as db:
        stored = hash_passcode("1234")
        store.set_passcode_hash(db, alex.id, stored)
        store.record_unlock(db, alex.id, success=False)
        exported = backup.export_backup(db)
        text = backup.backup_json(db)
    assert exported["tables"]["partners"]["columns"] == ["id", "name", "created_at"]
    assert stored.split("$")[-1] not in text
