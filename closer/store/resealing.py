"""Private notes passed through a change of key: sealed, opened, forgotten, or counted.

A new passcode seals a partner's plain notes, a removed one opens them, a lost key drops
them, and a restore or an older copy brings notes that must be sealed on arrival.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from closer import vault
from closer.store.db import StoreError, open_db, write_transaction
from closer.store.model import Partner
from closer.store.schema import migrations
from closer.store.sealing import CSI_FIELD, _keyring, _reflection_field

# A private value as stored: its text (or ciphertext, or a CSI-4 JSON list) and whether it is
# sealed. A conversion returns the new pair, or None to drop the value.
Stored = tuple[str, bool]
Convert = Callable[[str, bool, str], Stored | None]


def _convert_private_notes(db: Database, partner_id: int, convert: Convert) -> None:
    """Pass every private note of a partner (current and saved versions) through convert.

    ``convert(value, sealed, place)`` returns the new (value, sealed), or None to drop the
    note. Private CSI-4 answers pass as the JSON list of their four values. Call inside a
    transaction.
    """
    memo: dict[tuple[str, str, bool], Stored | None] = {}

    def once(value: str, sealed: bool, place: str) -> Stored | None:
        # The row and its newest saved version hold the same value, and keep doing so.
        if (place, value, sealed) not in memo:
            memo[(place, value, sealed)] = convert(value, sealed, place)
        return memo[(place, value, sealed)]

    # Rows Closer can't read (closer_week, closer_answers: store.readable) are skipped; Your data
    # lists them for deletion.
    checkins = db.execute(
        "SELECT id, week FROM checkins WHERE partner_id = ? AND closer_week(week)", [partner_id]
    ).fetchall()
    for checkin_id, week in checkins:
        day = date.fromisoformat(week)
        csi_place = vault.place_of(partner_id, day, CSI_FIELD)
        for prompt, body, sealed in db.execute(
            "SELECT prompt, body, sealed FROM reflections WHERE checkin_id = ? AND shared = 0",
            [checkin_id],
        ).fetchall():
            new = once(
                body, bool(sealed), vault.place_of(partner_id, day, _reflection_field(prompt))
            )
            if new == (body, bool(sealed)):
                continue  # unchanged (already sealed, say): no write
            if new is None:
                db.execute(
                    "DELETE FROM reflections WHERE checkin_id = ? AND prompt = ?",
                    [checkin_id, prompt],
                )
            else:
                db.execute(
                    "UPDATE reflections SET body = ?, sealed = ? "
                    "WHERE checkin_id = ? AND prompt = ?",
                    [new[0], int(new[1]), checkin_id, prompt],
                )
        row = db.execute(
            "SELECT item1, item2, item3, item4, sealed FROM csi_answers "
            "WHERE checkin_id = ? AND shared = 0",
            [checkin_id],
        ).fetchone()
        if row is not None:
            before = (row[4], True) if row[4] is not None else (json.dumps(list(row[:4])), False)
            new = once(before[0], before[1], csi_place)
            if new == before:
                pass  # unchanged: no write
            elif new is None:
                db.execute("DELETE FROM csi_answers WHERE checkin_id = ?", [checkin_id])
            else:
                values, sealed_csi = _csi_columns(new)
                db.execute(
                    "UPDATE csi_answers SET item1 = ?, item2 = ?, item3 = ?, item4 = ?, "
                    "sealed = ? WHERE checkin_id = ?",
                    [*values, sealed_csi, checkin_id],
                )
        for revision_id, raw in db.execute(
            "SELECT id, answers FROM checkin_revisions WHERE checkin_id = ? "
            "AND closer_answers(answers)",
            [checkin_id],
        ).fetchall():
            converted = _convert_answers_json(raw, partner_id, day, once)
            if converted != raw:
                db.execute(
                    "UPDATE checkin_revisions SET answers = ? WHERE id = ?",
                    [converted, revision_id],
                )
    for week, raw in db.execute(
        "SELECT week, answers FROM checkin_drafts WHERE partner_id = ? "
        "AND closer_week(week) AND closer_answers(answers)",
        [partner_id],
    ).fetchall():
        db.execute(
            "UPDATE checkin_drafts SET answers = ? WHERE partner_id = ? AND week = ?",
            [
                _convert_answers_json(raw, partner_id, date.fromisoformat(week), once),
                partner_id,
                week,
            ],
        )


def _convert_answers_json(raw: str, partner_id: int, week: date, convert: Convert) -> str:
    """A saved version or draft (answers JSON) with its private parts passed through convert."""
    data = json.loads(raw)
    for prompt, reflection in list(data["reflections"].items()):
        if not reflection["shared"]:
            place = vault.place_of(partner_id, week, _reflection_field(prompt))
            new = convert(reflection["text"], reflection.get("sealed") is True, place)
            if new is None:
                del data["reflections"][prompt]
            else:
                reflection["text"] = new[0]
                reflection.pop("sealed", None)
                if new[1]:
                    reflection["sealed"] = True
    csi = data.get("csi")
    if csi and not csi["shared"]:
        place = vault.place_of(partner_id, week, CSI_FIELD)
        before = (csi["sealed"], True) if csi.get("sealed") else (json.dumps(csi["values"]), False)
        new = convert(before[0], before[1], place)
        if new is None:
            del data["csi"]
        else:
            values, sealed = _csi_columns(new)
            data["csi"] = {"values": list(values), "shared": False}
            if sealed:
                data["csi"]["sealed"] = sealed
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _csi_columns(stored: Stored) -> tuple[tuple[int | None, ...], str | None]:
    """Private CSI-4 answers as stored: four NULLs and the sealed value, or the four values."""
    value, sealed = stored
    if sealed:
        return (None, None, None, None), value
    return tuple(json.loads(value)), None


def _sealer(key: bytes) -> Convert:
    def seal_value(value: str, sealed: bool, place: str) -> Stored:
        return (value, True) if sealed else (vault.seal(key, value, place), True)

    return seal_value


def _opener(key: bytes) -> Convert:
    def open_value(value: str, sealed: bool, place: str) -> Stored:
        if not sealed:
            return value, False
        try:
            return vault.open_sealed(key, value, place), False
        except vault.VaultError:
            # Sealed under another key (a restored file): it stays as it is, still unreadable.
            return value, True

    return open_value


def _forgetter(value: str, sealed: bool, place: str) -> Stored | None:
    """Drop what is sealed (its key is lost), keep what is plain."""
    return None if sealed else (value, False)


@dataclass(frozen=True)
class SealedNotes:
    """How much of a partner's writing is sealed: notes, CSI-4 answers, earlier versions."""

    notes: int
    csi_answers: int
    earlier_versions: int


def count_sealed_notes(db: Database, partner_id: int) -> SealedNotes:
    """What would become unreadable if this partner's key were lost."""
    notes, csi = db.execute(
        "SELECT"
        " (SELECT count(*) FROM reflections r JOIN checkins c ON c.id = r.checkin_id"
        "  WHERE c.partner_id = :p AND r.sealed = 1),"
        " (SELECT count(*) FROM csi_answers a JOIN checkins c ON c.id = a.checkin_id"
        "  WHERE c.partner_id = :p AND a.sealed IS NOT NULL)",
        {"p": partner_id},
    ).fetchone()
    earlier = db.execute(
        "SELECT v.answers FROM checkin_revisions v JOIN checkins c ON c.id = v.checkin_id"
        " WHERE c.partner_id = ? AND v.revision < c.revision",
        [partner_id],
    ).fetchall()
    return SealedNotes(notes, csi, sum(_holds_sealed(raw) for (raw,) in earlier))


def _holds_sealed(raw: str) -> bool:
    """Whether a saved version (answers JSON) holds anything sealed, read by its structure."""
    found: list[str] = []

    def note(value: str, sealed: bool, place: str) -> Stored:
        if sealed:
            found.append(place)
        return value, sealed

    try:
        _convert_answers_json(raw, 0, date.min, note)
    except (ValueError, KeyError, TypeError, AttributeError):
        return False  # unreadable: nothing in it can be opened either
    return bool(found)


def _has_plain_private_notes(db: Database, partner_id: int) -> bool:
    found: list[str] = []

    def note(value: str, sealed: bool, place: str) -> Stored:
        if not sealed:
            found.append(place)
        return value, sealed

    _convert_private_notes(db, partner_id, note)
    return bool(found)


def seal_restored_notes(db: Database) -> None:
    """Seal plain private notes that a restore brought in for partners with a key.

    Call inside the restore's transaction, with the keys of everyone whose data it reached
    in ``db.keyring``. A keyed partner whose plain notes arrived without their key in hand
    makes it raise StoreError, so the restore rolls back rather than leave them readable.
    """
    keyring = _keyring(db)
    for (partner_id,) in db.execute(
        "SELECT id FROM partners WHERE key_by_passcode IS NOT NULL ORDER BY id"
    ).fetchall():
        key = keyring.get(partner_id)
        if key is not None:
            _convert_private_notes(db, partner_id, _sealer(key))
            continue
        if _has_plain_private_notes(db, partner_id):
            raise StoreError(
                "This would bring back private notes of someone with a passcode without sealing "
                "them, so nothing was changed. Ask them to unlock Closer and try again."
            )


def apply_passcode_to_copy(path: Path, partner: Partner, key: bytes, *, seal: bool) -> bool:
    """Seal (or open) a partner's private notes inside a database copy, such as a backup.

    The partner is matched by id alone: a rename since the copy was made changes nothing
    (a name was never who someone is). Returns False, changing nothing, when the copy has no
    partner with this id. The copy is brought up to this schema first, then compacted
    (VACUUM) so no free page keeps the old text.
    """
    with open_db(path) as db:
        row = db.execute("SELECT 1 FROM partners WHERE id = ?", [partner.id]).fetchone()
        if row is None:
            return False
        if migrations.pending(db):
            with write_transaction(db):
                migrations.apply(db)
        with write_transaction(db):
            _convert_private_notes(db, partner.id, _sealer(key) if seal else _opener(key))
        db.execute("VACUUM")
    return True
