"""A copy of what you can see: a backup holding only what the reveal rule shows one partner.

A full backup is everyone's data: the other partner's weeks you have not both checked in,
their private notes (sealed or not), their earlier versions and unsaved drafts. Without their
consent a partner may take only this copy: all of their own, and of the other partner's what
Closer shows them on screen. It is still a backup Closer can restore.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from sqlite_utils import Database

from closer.backup.file_format import export_backup

Row = dict[str, Any]


def visible_tables(tables: Mapping[str, Mapping[str, Any]], viewer_id: int) -> dict[str, Any]:
    """The tables of an exported backup cut down to what the viewer may see.

    Of every other partner: only check-ins of weeks the viewer has checked in too, each with
    its shared reflections and shared CSI-4 answers, and one saved version (its current
    answers without the private parts, numbered 1); their follow-ups on plan items the viewer
    answered too; their replies and talk marks in weeks the viewer can see; never a draft.
    Names, settings and plans are the couple's own and stay whole. A table this function has
    no rule for is left out: nothing is shared by default.
    """
    rows = {name: _records(body) for name, body in tables.items()}
    checkins = rows.get("checkins", [])
    mine_weeks = {c["week"] for c in checkins if c["partner_id"] == viewer_id}
    others = {p["id"] for p in rows.get("partners", [])} | {c["partner_id"] for c in checkins}
    others -= {viewer_id}
    # The other partners' check-ins the viewer sees: in weeks everyone has checked in.
    by_week: dict[str, set[int]] = {}
    for c in checkins:
        by_week.setdefault(c["week"], set()).add(c["partner_id"])
    revealed = {w for w in mine_weeks if others <= by_week.get(w, set())}
    kept = {c["id"]: c for c in checkins if c["partner_id"] == viewer_id or c["week"] in revealed}
    theirs = {i for i, c in kept.items() if c["partner_id"] != viewer_id}

    def own_or_shared(row: Row) -> bool:
        return row["checkin_id"] in kept and (row["checkin_id"] not in theirs or row["shared"])

    shared_notes = {
        (kept[r["checkin_id"]]["week"], kept[r["checkin_id"]]["partner_id"], r["prompt"])
        for r in rows.get("reflections", [])
        if own_or_shared(r) and r["shared"]
    }

    def about_a_note_i_see(author: str) -> Callable[[Row], bool]:
        def keep(row: Row) -> bool:
            if row[author] == viewer_id:
                return True
            note = (row["week"], row["note_author_id"], row["prompt"])
            return row["week"] in revealed and note in shared_notes

        return keep

    answered = {
        f["plan_item_id"] for f in rows.get("followups", []) if f["partner_id"] == viewer_id
    }
    rules: dict[str, Callable[[Row], bool]] = {
        "partners": lambda r: True,
        "settings": lambda r: True,
        "plan_items": lambda r: True,
        "checkins": lambda r: r["id"] in kept,
        "scores": lambda r: r["checkin_id"] in kept,
        "reflections": own_or_shared,
        "csi_answers": own_or_shared,
        "checkin_revisions": lambda r: (
            r["checkin_id"] in kept
            and (
                r["checkin_id"] not in theirs or r["revision"] == kept[r["checkin_id"]]["revision"]
            )
        ),
        "checkin_drafts": lambda r: r["partner_id"] == viewer_id,
        "followups": lambda r: r["partner_id"] == viewer_id or r["plan_item_id"] in answered,
        "note_replies": about_a_note_i_see("author_id"),
        "talk_marks": about_a_note_i_see("marked_by"),
    }
    out = {}
    for name, body in tables.items():
        rule = rules.get(name)
        if rule is None:
            continue
        found = [r for r in rows[name] if rule(r)]
        if name == "checkins":
            found = [r | {"revision": 1} if r["id"] in theirs else r for r in found]
        elif name == "checkin_revisions":
            found = [
                r | {"revision": 1, "answers": without_private_answers(r["answers"])}
                if r["checkin_id"] in theirs
                else r
                for r in found
            ]
        columns = list(body["columns"])
        out[name] = {"columns": columns, "rows": [[r[c] for c in columns] for r in found]}
    return out


def _records(body: Mapping[str, Any]) -> list[Row]:
    return [dict(zip(body["columns"], row, strict=True)) for row in body["rows"]]


def without_private_answers(raw: str) -> str:
    """A saved version's answers JSON as the partner sees it: shared reflections and CSI-4 only."""
    data = json.loads(raw)
    data["reflections"] = {k: r for k, r in data.get("reflections", {}).items() if r["shared"]}
    if data.get("csi") and not data["csi"].get("shared"):
        del data["csi"]
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def export_visible(db: Database, viewer_id: int) -> dict[str, Any]:
    """A backup of what the viewer can see (see visible_tables), in the backup file's format."""
    backup = export_backup(db)
    return backup | {"tables": visible_tables(backup["tables"], viewer_id)}


def visible_backup_json(db: Database, viewer_id: int) -> str:
    """The copy of what the viewer can see, as JSON text ready to save to a file."""
    # As file_format.backup_json writes a full backup.
    return json.dumps(export_visible(db, viewer_id), ensure_ascii=False, allow_nan=False)
