"""Restored data obeys the same rules as typed data; a file that breaks one changes nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

import pytest

from closer import store
from closer.backup import file_format, restore
from tests.backups import REVISION, T, exported_tables, valid_backup
from tests.factories import set_passcode_hash

PARTNERS = "tables/partners/rows"
CHECKIN = "tables/checkins/rows/0"
REVISIONS = "tables/checkin_revisions/rows"


def _set(data: dict, path: str, value: object) -> None:
    *parents, last = path.split("/")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[int(last) if isinstance(node, list) else last] = value


def _file(*changes: tuple[str, object]) -> str:
    data = copy.deepcopy(valid_backup())
    for path, value in changes:
        _set(data, path, value)
    return json.dumps(data)


def _settings(key: str, value: str) -> tuple[str, object]:
    return "tables/settings", {"columns": ["key", "value"], "rows": [[key, value]]}


def _answers(text: str) -> str:
    data = json.loads(REVISION)
    data["reflections"] = {"working": {"text": text, "shared": True}}
    return json.dumps(data)


CAN_T = "The backup can't be used: "
BROKEN: list[tuple[str, str, str]] = [
    (
        "two names equal ignoring case",
        _file((PARTNERS, [[1, "Avery", T], [2, "AVERY", T]])),
        "table 'partners' row 2: “AVERY” and “Avery” are the same name ignoring case, and the "
        "two of you need different names",
    ),
    (
        "a hidden character in a name",
        _file((f"{PARTNERS}/0/1", "Al\u202eex")),
        "table 'partners' row 1: the name “Al\u202eex”: This name contains hidden characters. "
        "Please retype it.",
    ),
    (
        "a web address as a name",
        _file((f"{PARTNERS}/0/1", "www.example.com")),
        "table 'partners' row 1: the name “www.example.com”: Names can't contain a web address.",
    ),
    (
        "a name too long",
        _file((f"{PARTNERS}/0/1", "A" * 41)),
        f"table 'partners' row 1: the name “{'A' * 39}…”: Names can be up to 40 characters "
        "(41 now).",
    ),
    (
        "a name with spaces around it",
        _file((f"{PARTNERS}/0/1", " Alex ")),
        "table 'partners' row 1: the name “ Alex ”: Names can't start or end with spaces.",
    ),
    (
        "a week before 2000",
        _file((f"{CHECKIN}/2", "1999-12-27")),
        "table 'checkins' row 1: the week 1999-12-27 is outside the weeks Closer keeps "
        "(2000-01-03 to 2036-11-22, ten years after the backup was made)",
    ),
    (
        "a week far ahead",
        _file((f"{CHECKIN}/2", "2036-11-24")),
        "table 'checkins' row 1: the week 2036-11-24 is outside the weeks Closer keeps "
        "(2000-01-03 to 2036-11-22, ten years after the backup was made)",
    ),
    (
        "weekday 7",
        _file(_settings("checkin_weekday", "7")),
        "table 'settings' row 1: checkin_weekday must be a day from 0 (Monday) to 6 (Sunday)",
    ),
    (
        "weekday true",
        _file(_settings("checkin_weekday", "true")),
        "table 'settings' row 1: checkin_weekday must be a day from 0 (Monday) to 6 (Sunday)",
    ),
    (
        "time 25:00",
        _file(_settings("checkin_time", '"25:00"')),
        "table 'settings' row 1: checkin_time must be a time of day such as 20:00",
    ),
    (
        "an unknown type tracked",
        _file(_settings("active_dimensions", '["emotional", "cuddles"]')),
        "table 'settings' row 1: active_dimensions must list one or more of emotional, "
        "physical, intellectual, spiritual, social, sexual, each once",
    ),
    (
        "no type tracked",
        _file(_settings("active_dimensions", "[]")),
        "table 'settings' row 1: active_dimensions must list one or more of emotional, "
        "physical, intellectual, spiritual, social, sexual, each once",
    ),
    (
        "CSI-4 on as text",
        _file(_settings("csi_enabled", '"yes"')),
        "table 'settings' row 1: csi_enabled must be true or false",
    ),
    (
        "a setting that isn't JSON",
        _file(_settings("csi_enabled", "maybe")),
        "table 'settings' row 1: csi_enabled must be a value Closer saves, not this text",
    ),
    (
        "a check-in without saved versions",
        _file((REVISIONS, [])),
        "table 'checkins' row 1: the check-in has no saved versions in 'checkin_revisions'",
    ),
    (
        "versions numbered with a gap",
        _file((f"{CHECKIN}/3", 2), (REVISIONS, [[1, 1, 1, T, REVISION], [2, 1, 3, T, REVISION]])),
        "table 'checkins' row 1: its saved versions must be numbered 1 to 2, once each",
    ),
    (
        "a latest version that says something else",
        _file((f"{REVISIONS}/0/4", REVISION.replace("7", "8"))),
        "table 'checkins' row 1: its latest saved version must hold the check-in's answers, as "
        "Closer saves them",
    ),
    (
        "a control character in an old version",
        _file(
            (f"{CHECKIN}/3", 2),
            (REVISIONS, [[1, 1, 1, T, _answers("bell\x07")], [2, 1, 2, T, REVISION]]),
        ),
        "table 'checkin_revisions' row 1 (reflection:working): This text contains hidden "
        "control characters (often from a paste). Retype the affected part and save again",
    ),
    (
        "an old version too long",
        _file(
            (f"{CHECKIN}/3", 2),
            (REVISIONS, [[1, 1, 1, T, _answers("a" * 2001)], [2, 1, 2, T, REVISION]]),
        ),
        "table 'checkin_revisions' row 1 (reflection:working): This is 2,001 characters; the "
        "limit is 2,000. Everything you wrote is still here: shorten it a little, then save",
    ),
]


@pytest.mark.parametrize("mode", ["replace", "merge"])
@pytest.mark.parametrize(("raw", "message"), [pytest.param(r, m, id=i) for i, r, m in BROKEN])
def test_a_file_breaking_a_rule_is_refused_with_the_rule_and_changes_nothing(
    db_path, couple, raw, message, mode
):
    alex, sam = couple
    before = exported_tables(db_path)
    with store.open_db(db_path) as db:
        with pytest.raises(file_format.BackupError) as caught:
            file_format.read_backup(raw, db)
        assert str(caught.value) == f"{CAN_T}{message}. Nothing was changed."
        # Also when a caller skips reading and hands restore a backup it built itself.
        unchecked = file_format._parse(raw)
        with pytest.raises(file_format.BackupError):
            restore.restore_backup(db, unchecked, mode, consented={alex.id, sam.id})
    assert exported_tables(db_path) == before


@pytest.mark.parametrize(
    "change",
    [
        (f"{CHECKIN}/2", "2000-01-03"),
        (f"{CHECKIN}/2", "2036-11-17"),
        (f"{PARTNERS}/0/1", "Zoë 李"),
        (f"{REVISIONS}/0/4", REVISION.replace('["social"]', '["social", "sexual"]')),
    ],
    ids=["first week", "last week", "any script", "more-of-this on a type not scored"],
)
def test_what_typed_data_may_hold_is_accepted(db_path, change):
    with store.open_db(db_path) as db:
        file_format.read_backup(_file(change), db)


def _forged(checkin_rows: list[list], revision_rows: list[list]) -> Callable[[], str]:
    def build() -> str:
        data = valid_backup()
        data["tables"]["partners"]["rows"] = [[7, "alex", T]]  # named like Alex, ignoring case
        data["tables"]["checkins"]["rows"] = checkin_rows
        data["tables"]["scores"]["rows"] = [[9, "physical", 1, 0]]
        data["tables"]["checkin_revisions"]["rows"] = revision_rows
        return json.dumps(data)

    return build


ONLY_PHYSICAL_1 = '{"reflections": {}, "scores": {"physical": 1}, "wants_more": []}'


def test_a_merge_cannot_attach_an_invented_check_in_without_its_history(db_path, couple):
    alex, sam = couple
    raw = _forged([[9, 7, "2026-11-09", 1, T, T]], [])()
    before = exported_tables(db_path)
    with store.open_db(db_path) as db, pytest.raises(file_format.BackupError) as caught:
        file_format.read_backup(raw, db)
    assert "has no saved versions" in str(caught.value)
    assert exported_tables(db_path) == before


def test_a_merge_with_a_consistent_invented_check_in_still_needs_the_partner(db_path, couple):
    from closer.backup.consent import ConsentNeeded
    from closer.passcode import hash_passcode

    alex, sam = couple
    with store.open_db(db_path) as db:
        set_passcode_hash(db, alex.id, hash_passcode("alex-1234"))
    raw = _forged([[9, 7, "2026-11-09", 1, T, T]], [[1, 9, 1, T, ONLY_PHYSICAL_1]])()
    before = exported_tables(db_path)
    with store.open_db(db_path) as db:
        found = file_format.read_backup(raw, db)
        with pytest.raises(ConsentNeeded):
            restore.restore_backup(db, found, "merge", consented={sam.id})
    assert exported_tables(db_path) == before
