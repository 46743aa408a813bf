"""The published JSON Schema of a backup (data/backup.schema.json) and what it refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from closer import store, survey
from closer.backup import file_format
from closer.checkin import Answers, CsiAnswers, Reflection
from closer.deck import CardRecord
from closer.plan_items import FollowupAnswer, Rating
from closer.store.tables import LOCAL_TABLES
from tests.backups import NOW, valid_backup
from tests.factories import MONDAY


def _full_export(db_path, couple) -> dict:
    """An export with a row in every table, written the way the app writes them."""
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(
            db,
            alex.id,
            MONDAY,
            Answers(
                {"physical": 7, "social": None},
                frozenset({"physical"}),
                {"working": Reflection("Walks 🌳\nand talks", True)},
                CsiAnswers((6, 5, 0, None), False),
            ),
        )
        store.add_plan_item(db, MONDAY, "question", "q-001", "emotional", alex.id)
        store.save_commitment(db, MONDAY, sam.id, "Cook on Friday")
        plan = store.load_plan(db, MONDAY)[0]
        store.save_followups(db, sam.id, {plan.id: FollowupAnswer(True, Rating.HELPED)})
        store.save_note_reply(db, MONDAY, alex.id, "working", sam.id, "Me too")
        store.set_talk_mark(db, MONDAY, alex.id, "working", sam.id, True)
        store.save_draft(
            db,
            sam.id,
            MONDAY,
            Answers({"social": 4}, reflections={"unsaid": Reflection("Hm", False)}),
            0,
        )
        evening = store.start_deck_evening(db, NOW, 30)
        store.save_deck_cards(db, evening, [CardRecord(1, "emo-l-01", False, True)])
        store.set_deck_opt_in(db, sam.id, True)
        return json.loads(file_format.backup_json(db))


def _rows_as_objects(data: dict) -> dict[str, list[dict]]:
    """What any JSON Schema tool is told to check per table: rows keyed by column name."""
    return {
        name: [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]]
        for name, table in data["tables"].items()
    }


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(file_format.file_schema())


def test_the_apps_own_export_validates_with_any_json_schema_tool(db_path, couple):
    data = _full_export(db_path, couple)
    schema = file_format.file_schema()
    assert all(table["rows"] for table in data["tables"].values())  # every table has a row
    Draft202012Validator(schema).validate(data)
    for name, rows in _rows_as_objects(data).items():
        row_schema = {**schema["$defs"][f"{name}_row"], "$defs": schema["$defs"]}
        for row in rows:
            Draft202012Validator(row_schema).validate(row)


def test_the_schema_describes_every_table_and_column_this_version_has(db_path):
    schema = file_format.file_schema()
    with store.open_db(db_path) as db:
        columns = {
            name: [c.name for c in db[name].columns]
            for name in db.table_names()
            if name != "_sqlite_migrations" and name not in LOCAL_TABLES
        }
    described = {
        key.removesuffix("_row"): list(rule["properties"])
        for key, rule in schema["$defs"].items()
        if key.endswith("_row")
    }
    credentials = set(store.CREDENTIAL_COLUMNS)
    assert described == {
        name: [c for c in cols if not (name == "partners" and c in credentials)]
        for name, cols in columns.items()
    }


def test_the_schemas_lists_of_types_and_questions_are_the_surveys():
    rows = file_format.file_schema()["$defs"]
    assert rows["scores_row"]["properties"]["dimension"]["enum"] == list(survey.dimension_keys())
    assert rows["talk_marks_row"]["properties"]["prompt"]["enum"] == [
        p.key for p in survey.reflection_prompts()
    ]
    assert rows["reflections_row"]["properties"]["prompt"]["enum"] == [
        p.key for p in survey.reflection_prompts()
    ]
    plain = rows["reflections_row"]["properties"]["body"]["anyOf"][1]
    assert plain["maxLength"] == survey.REFLECTION_MAX_CHARS


def _with_table(name: str, columns: list[str], rows: list[list], sealed: bool = False) -> str:
    data = valid_backup()
    data["tables"][name] = {"columns": columns, "rows": rows}
    if sealed:  # the check-in's saved version holds the same sealed values, as Closer writes it
        saved = json.loads(data["tables"]["checkin_revisions"]["rows"][0][4])
        for row in rows:
            if name == "reflections":
                saved["reflections"][row[1]] = {"text": row[2], "shared": bool(row[3])}
            else:
                saved["csi"] = {"values": row[1:5], "shared": bool(row[5]), "sealed": row[6]}
        data["tables"]["checkin_revisions"]["rows"][0][4] = json.dumps(saved)
    return json.dumps(data)


REFLECTION = ["checkin_id", "prompt", "body", "shared"]
CSI = ["checkin_id", "item1", "item2", "item3", "item4", "shared", "sealed"]
DAMAGED = "The backup is damaged: "
BAD_FILES = [
    (
        "unknown intimacy type",
        _with_table("scores", ["checkin_id", "dimension", "score", "wants_more"], [[1, "x", 5, 0]]),
        "table 'scores' row 1: dimension must be one of Closer's intimacy types: emotional, "
        "physical, intellectual, spiritual, social, sexual.",
    ),
    (
        "unknown question",
        _with_table("reflections", REFLECTION, [[1, "dreams", "hi", 1]]),
        "table 'reflections' row 1: prompt must be one of Closer's reflection questions: "
        "working, lacking, unsaid, appreciation, self.",
    ),
    (
        "reflection too long",
        _with_table("reflections", REFLECTION, [[1, "working", "a" * 2001, 1]]),
        "table 'reflections' row 1: body must be text of at most 2,000 characters without "
        "hidden control characters (or sealed text).",
    ),
    (
        "control character",
        _with_table("reflections", REFLECTION, [[1, "working", "bell\x07", 1]]),
        "table 'reflections' row 1: body must be text of at most 2,000 characters without "
        "hidden control characters (or sealed text).",
    ),
    (
        "CSI-4 answer out of range",
        _with_table("csi_answers", CSI, [[1, 7, 0, 0, 0, 0, None]]),
        "table 'csi_answers' row 1: item1 must be a whole number from 0 to 6 or empty.",
    ),
    (
        "sealed CSI-4 that isn't sealed",
        _with_table("csi_answers", CSI, [[1, None, None, None, None, 0, "6,5,0,1"]]),
        "table 'csi_answers' row 1: sealed must be sealed text or empty.",
    ),
    (
        "unknown setting",
        _with_table("settings", ["key", "value"], [["theme", '"dark"']]),
        "table 'settings' row 1: key must be one of Closer's settings: active_dimensions, "
        "checkin_weekday, checkin_time, csi_enabled, living_together or guessing_partners.",
    ),
    (
        "format as text",
        json.dumps(valid_backup() | {"format": "1"}),
        "its 'format' isn't a version number.",
    ),
    (
        "columns not a list",
        _with_table("settings", "key, value", []),  # type: ignore[arg-type]
        "table 'settings' has a 'columns' that isn't a list of names.",
    ),
    (
        "a column twice",
        _with_table("settings", ["key", "key"], []),
        "table 'settings' names a column twice.",
    ),
    (
        "rows not a list",
        json.dumps(valid_backup() | {"tables": {"settings": {"columns": ["key"], "rows": 3}}}),
        "table 'settings' has a 'rows' that isn't a list.",
    ),
    (
        "a row not a list",
        _with_table("settings", ["key", "value"], ["checkin_time"]),
        "table 'settings' row 1 isn't a list of values.",
    ),
    (
        "a table without columns",
        json.dumps(valid_backup() | {"tables": {"settings": {"rows": []}}}),
        "table 'settings' needs 'columns' and 'rows'.",
    ),
]


@pytest.mark.parametrize(("raw", "message"), [pytest.param(r, m, id=i) for i, r, m in BAD_FILES])
def test_a_file_the_schema_refuses_gets_a_message_naming_the_place(db_path, raw, message):
    with store.open_db(db_path) as db, pytest.raises(file_format.BackupError) as caught:
        file_format.read_backup(raw, db)
    assert str(caught.value) == DAMAGED + message


SEALED_NOTE = "sealed:v1:" + "x" * 5000
SEALED = [
    # This file is from before sealed notes had a mark (schema m001): the old prefix says it.
    (
        "reflections",
        REFLECTION,
        [[1, "unsaid", SEALED_NOTE, 0]],
        [(1, "unsaid", SEALED_NOTE, 0, 1)],
    ),
    (
        "csi_answers",
        CSI,
        [[1, None, None, None, None, 0, "sealed:abc"]],
        [(1, None, None, None, None, 0, "sealed:abc")],
    ),
]


@pytest.mark.parametrize(("name", "columns", "rows", "read"), SEALED, ids=["reflection", "csi"])
def test_sealed_private_content_is_text_of_any_length(db_path, name, columns, rows, read):
    with store.open_db(db_path) as db:
        found = file_format.read_backup(_with_table(name, columns, rows, sealed=True), db)
    assert found.tables[name].rows == tuple(read)


def test_unmarked_text_that_looks_sealed_obeys_the_typed_rules(db_path):
    long_lookalike = [[1, "unsaid", "sealed:" + "x" * 5000, 0]]
    with store.open_db(db_path) as db, pytest.raises(file_format.BackupError, match="2,000"):
        file_format.read_backup(_with_table("reflections", REFLECTION, long_lookalike), db)


def test_the_readme_links_the_schema():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "(data/backup.schema.json)" in readme


def test_a_plan_for_the_two_of_you_survives_a_backup(db_path, couple):
    # A question from "The two of you" is planned with the area "us", not an intimacy type.
    from closer.content import GENERAL
    from tests.factories import MONDAY

    alex, _ = couple
    with store.open_db(db_path) as db:
        store.add_plan_item(db, MONDAY, "question", "us-light-01", GENERAL, alex.id)
        raw = file_format.backup_json(db)
        backup = file_format.read_backup(raw, db)
    plans = backup.tables["plan_items"].records()
    assert [(p["item_id"], p["dimension"]) for p in plans] == [("us-light-01", "us")]
