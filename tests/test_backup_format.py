"""The JSON backup file: what an export holds, and every way a file can be refused."""

from __future__ import annotations

import copy
import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from closer import store
from closer.backup import file_format, restore
from closer.checkin import Answers, CsiAnswers, Reflection
from closer.settings import Settings
from closer.store.tables import LOCAL_TABLES
from closer.survey import dimension_keys, reflection_prompts
from tests.backups import (
    FAST_TMP,
    NOW,
    T,
    exported_tables,
    fresh_db,
    save,
    valid_backup,
)
from tests.factories import MONDAY, answers, set_passcode_hash

# What a person can type: any text but hidden control characters (line breaks and tabs are fine).
TRICKY_TEXT = st.one_of(
    st.text(
        st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n\r\t"),
        max_size=60,
    ),
    st.sampled_from(
        [
            "**md** _x_ `code`",
            "<script>alert(1)</script>",
            "שלום, مرحبا 👩‍❤️‍👨",
            "tab\tand [31m text",
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
        source, target = fresh_db(Path(tmp) / "source.db"), fresh_db(Path(tmp) / "target.db")
        with store.open_db(source) as db:
            partners = store.setup_couple(db, ["Zoë", "李"], Settings())
            for n, (who, weeks_ago, versions) in enumerate(history):
                for v, saved in enumerate(versions):
                    week = MONDAY - timedelta(weeks=weeks_ago)
                    at = f"2026-11-{n + 1:02d}T20:{v:02d}:00+00:00"
                    store.save_checkin(db, partners[who].id, week, saved, saved_at=at)
            raw = file_format.backup_json(db)
        with store.open_db(target) as db:
            restore.restore_backup(db, file_format.read_backup(raw, db), "replace", consented=())
        assert exported_tables(target) == json.loads(raw)["tables"]


def test_export_has_every_table_but_the_migrations_in_key_order_with_unicode_kept(db_path, couple):
    alex, _ = couple
    save(db_path, alex.id, MONDAY, answers({"physical": 7}, working=("Zoë 💛 עברית", True)), T)
    with store.open_db(db_path) as db:
        data = file_format.export_backup(db, now=NOW)
        raw = file_format.backup_json(db, now=NOW)
        tables = set(db.table_names())
        migrations = [m.name for m in store.migrations.applied(db)]
    assert list(data) == ["app", "format", "schema", "exported_at", "tables"]
    assert (data["app"], data["format"], data["schema"]) == ("closer", 1, migrations)
    assert migrations[0] == "m001_initial"
    assert data["exported_at"] == "2026-11-22T20:00:00+00:00"
    # Notification addresses and the notice log stay on this computer (tokens, like passcodes).
    assert list(data["tables"]) == sorted(tables - {"_sqlite_migrations"} - LOCAL_TABLES)
    assert data["tables"]["partners"]["columns"][:3] == ["id", "name", "created_at"]
    assert [r[:2] for r in data["tables"]["partners"]["rows"]] == [[1, "Alex"], [2, "Sam"]]
    assert data["tables"]["reflections"]["rows"] == [[1, "working", "Zoë 💛 עברית", 1, 0]]
    assert "Zoë 💛 עברית" in raw  # written as itself, not as \u escapes
    assert json.loads(raw) == data


_DROP = object()


def _changed(path: str, value: object) -> str:
    """The valid backup as JSON with one value replaced, at a path such as 'tables/scores'."""
    data = copy.deepcopy(valid_backup())
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
        "The backup is damaged: table 'checkins' row 1: revision must be a whole number, 1 or "
        "more.",
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
    with store.open_db(db_path) as db, pytest.raises(file_format.BackupError) as caught:
        file_format.read_backup(raw, db)
    assert str(caught.value) == message


def test_read_backup_accepts_the_valid_example_as_bytes_with_a_byte_order_mark(db_path):
    raw = b"\xef\xbb\xbf" + json.dumps(valid_backup()).encode()
    with store.open_db(db_path) as db:
        read = file_format.read_backup(raw, db)
    assert file_format.preview(read) == file_format.BackupPreview(
        partner_names=("Alex",),
        checkins=1,
        first_week=date(2026, 11, 16),
        last_week=date(2026, 11, 16),
        exported_at=NOW,
    )


def test_passcode_hashes_never_leave_in_a_backup(db_path, couple):
    from closer.passcode import hash_passcode

    alex, _ = couple
    with store.open_db(db_path) as db:
        stored = hash_passcode("1234")
        set_passcode_hash(db, alex.id, stored)
        store.record_unlock(db, alex.id, success=False)
        exported = file_format.export_backup(db)
        text = file_format.backup_json(db)
    assert exported["tables"]["partners"]["columns"] == ["id", "name", "created_at"]
    assert stored.split("$")[-1] not in text
