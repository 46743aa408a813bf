"""Private notes at rest: sealed with closer.vault, opened only with their author's key."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from closer import vault
from closer.checkin import (
    Answers,
)
from closer.store.db import StoreError, open_db, write_transaction
from closer.store.model import Partner
from closer.store.schema import migrations

CSI_FIELD = "csi"


def _keyring(db: Database) -> vault.Keyring:
    return getattr(db, "keyring", None) or {}


def _reflection_field(prompt: str) -> str:
    return f"reflection:{prompt}"


def has_private_key(db: Database, partner_id: int) -> bool:
    """Whether this partner's private notes are sealed in the file (they have a passcode key)."""
    row = db.execute("SELECT key_by_passcode FROM partners WHERE id = ?", [partner_id]).fetchone()
    return bool(row and row[0])


def _sealing_key(db: Database, partner_id: int) -> bytes | None:
    """The key this partner's private notes are sealed with, or None when they have none."""
    if not has_private_key(db, partner_id):
        return None
    key = _keyring(db).get(partner_id)
    if key is None:
        # Writing their notes in plain text would undo the promise; refuse instead.
        raise StoreError(
            "These private notes are locked with a passcode that hasn't been entered in this "
            "browser. Unlock first, then save again. Nothing was changed."
        )
    return key


@dataclass(frozen=True)
class _StoredForm:
    """A check-in as it is written to the file: private parts sealed when there is a key."""

    bodies: dict[str, str]
    csi_values: tuple[int | None, ...]
    csi_sealed: str | None
    revision_json: str


def _stored_form(answers: Answers, key: bytes | None, partner_id: int, week: date) -> _StoredForm:
    data = json.loads(answers.to_json())
    bodies = {}
    for prompt, reflection in answers.reflections.items():
        body = reflection.text
        if key is not None and not reflection.shared:
            place = vault.place_of(partner_id, week, _reflection_field(prompt))
            body = vault.seal(key, reflection.text, place)
            # The same sealed value in the row and its saved version: one secret, one copy.
            data["reflections"][prompt]["text"] = body
        bodies[prompt] = body
    csi_values: tuple[int | None, ...] = (None, None, None, None)
    csi_sealed = None
    if answers.csi is not None:
        csi_values = tuple(answers.csi.values)
        if key is not None and not answers.csi.shared:
            place = vault.place_of(partner_id, week, CSI_FIELD)
            csi_sealed = vault.seal(key, json.dumps(list(csi_values)), place)
            csi_values = (None,) * len(csi_values)
            data["csi"] = {"values": list(csi_values), "shared": False, "sealed": csi_sealed}
    revision_json = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return _StoredForm(bodies, csi_values, csi_sealed, revision_json)


def _open_text(keyring: vault.Keyring, partner_id: int, week: date, field: str, body: str) -> str:
    if not vault.is_sealed(body):
        return body
    opened = vault.open_or_locked(
        keyring, partner_id, body, vault.place_of(partner_id, week, field)
    )
    return vault.LOCKED_TEXT if opened is None else opened


def _open_csi(
    keyring: vault.Keyring, partner_id: int, week: date, sealed: str
) -> tuple[int | None, ...]:
    place = vault.place_of(partner_id, week, CSI_FIELD)
    opened = vault.open_or_locked(keyring, partner_id, sealed, place)
    # Locked answers read as unanswered: no total, nothing charted, nothing inferred.
    return (None, None, None, None) if opened is None else tuple(json.loads(opened))


def _open_revision(keyring: vault.Keyring, partner_id: int, week: date, raw: str) -> Answers:
    data = json.loads(raw)
    for prompt, reflection in data["reflections"].items():
        field = _reflection_field(prompt)
        reflection["text"] = _open_text(keyring, partner_id, week, field, reflection["text"])
    csi = data.get("csi")
    if csi and csi.get("sealed"):
        csi["values"] = list(_open_csi(keyring, partner_id, week, csi.pop("sealed")))
    return Answers.from_json(json.dumps(data))


def _convert_private_notes(
    db: Database, partner_id: int, convert: Callable[[str, str], str | None]
) -> None:
    """Pass every private note of a partner (current and saved versions) through convert.

    ``convert(value, place)`` returns the new stored value, or None to drop the note. Private
    CSI-4 answers pass as the JSON list of their four values. Call inside a transaction.
    """
    memo: dict[tuple[str, str], str | None] = {}

    def once(value: str, place: str) -> str | None:
        # The row and its newest saved version hold the same value, and keep doing so.
        if (place, value) not in memo:
            memo[(place, value)] = convert(value, place)
        return memo[(place, value)]

    checkins = db.execute(
        "SELECT id, week FROM checkins WHERE partner_id = ?", [partner_id]
    ).fetchall()
    for checkin_id, week in checkins:
        day = date.fromisoformat(week)
        csi_place = vault.place_of(partner_id, day, CSI_FIELD)
        for prompt, body in db.execute(
            "SELECT prompt, body FROM reflections WHERE checkin_id = ? AND shared = 0",
            [checkin_id],
        ).fetchall():
            new = once(body, vault.place_of(partner_id, day, _reflection_field(prompt)))
            if new == body:
                continue  # unchanged (already sealed, say): no write
            if new is None:
                db.execute(
                    "DELETE FROM reflections WHERE checkin_id = ? AND prompt = ?",
                    [checkin_id, prompt],
                )
            else:
                db.execute(
                    "UPDATE reflections SET body = ? WHERE checkin_id = ? AND prompt = ?",
                    [new, checkin_id, prompt],
                )
        row = db.execute(
            "SELECT item1, item2, item3, item4, sealed FROM csi_answers "
            "WHERE checkin_id = ? AND shared = 0",
            [checkin_id],
        ).fetchone()
        if row is not None:
            before = row[4] or json.dumps(list(row[:4]))
            new = once(before, csi_place)
            if new == before:
                pass  # unchanged: no write
            elif new is None:
                db.execute("DELETE FROM csi_answers WHERE checkin_id = ?", [checkin_id])
            else:
                values, sealed = _csi_columns(new)
                db.execute(
                    "UPDATE csi_answers SET item1 = ?, item2 = ?, item3 = ?, item4 = ?, "
                    "sealed = ? WHERE checkin_id = ?",
                    [*values, sealed, checkin_id],
                )
        for revision_id, raw in db.execute(
            "SELECT id, answers FROM checkin_revisions WHERE checkin_id = ?", [checkin_id]
        ).fetchall():
            converted = _convert_answers_json(raw, partner_id, day, once)
            if converted != raw:
                db.execute(
                    "UPDATE checkin_revisions SET answers = ? WHERE id = ?",
                    [converted, revision_id],
                )
    for week, raw in db.execute(
        "SELECT week, answers FROM checkin_drafts WHERE partner_id = ?", [partner_id]
    ).fetchall():
        db.execute(
            "UPDATE checkin_drafts SET answers = ? WHERE partner_id = ? AND week = ?",
            [
                _convert_answers_json(raw, partner_id, date.fromisoformat(week), once),
                partner_id,
                week,
            ],
        )


def _convert_answers_json(
    raw: str, partner_id: int, week: date, convert: Callable[[str, str], str | None]
) -> str:
    """A saved version or draft (answers JSON) with its private parts passed through convert."""
    data = json.loads(raw)
    for prompt, reflection in list(data["reflections"].items()):
        if not reflection["shared"]:
            place = vault.place_of(partner_id, week, _reflection_field(prompt))
            new = convert(reflection["text"], place)
            if new is None:
                del data["reflections"][prompt]
            else:
                reflection["text"] = new
    csi = data.get("csi")
    if csi and not csi["shared"]:
        place = vault.place_of(partner_id, week, CSI_FIELD)
        new = convert(csi.get("sealed") or json.dumps(csi["values"]), place)
        if new is None:
            del data["csi"]
        else:
            values, sealed = _csi_columns(new)
            data["csi"] = {"values": list(values), "shared": False}
            if sealed:
                data["csi"]["sealed"] = sealed
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _csi_columns(value: str) -> tuple[tuple[int | None, ...], str | None]:
    """Private CSI-4 answers as stored: four NULLs and the sealed value, or the four values."""
    if vault.is_sealed(value):
        return (None, None, None, None), value
    return tuple(json.loads(value)), None


def _sealer(key: bytes) -> Callable[[str, str], str]:
    return lambda value, place: value if vault.is_sealed(value) else vault.seal(key, value, place)


def _opener(key: bytes) -> Callable[[str, str], str]:
    def open_value(value: str, place: str) -> str:
        if not vault.is_sealed(value):
            return value
        try:
            return vault.open_sealed(key, value, place)
        except vault.VaultError:
            # Sealed under another key (a restored file): it stays as it is, still unreadable.
            return value

    return open_value


@dataclass(frozen=True)
class SealedNotes:
    """How much of a partner's writing is sealed: notes, CSI-4 answers, earlier versions."""

    notes: int
    csi_answers: int
    earlier_versions: int


def count_sealed_notes(db: Database, partner_id: int) -> SealedNotes:
    """What would become unreadable if this partner's key were lost."""
    notes, csi, versions = db.execute(
        "SELECT"
        " (SELECT count(*) FROM reflections r JOIN checkins c ON c.id = r.checkin_id"
        "  WHERE c.partner_id = :p AND r.body LIKE 'sealed:%'),"
        " (SELECT count(*) FROM csi_answers a JOIN checkins c ON c.id = a.checkin_id"
        "  WHERE c.partner_id = :p AND a.sealed IS NOT NULL),"
        " (SELECT count(*) FROM checkin_revisions v JOIN checkins c ON c.id = v.checkin_id"
        "  WHERE c.partner_id = :p AND v.revision < c.revision AND v.answers LIKE '%sealed:%')",
        {"p": partner_id},
    ).fetchone()
    return SealedNotes(notes, csi, versions)


def _has_plain_private_notes(db: Database, partner_id: int) -> bool:
    found: list[str] = []

    def note(value: str, place: str) -> str:
        if not vault.is_sealed(value):
            found.append(place)
        return value

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
