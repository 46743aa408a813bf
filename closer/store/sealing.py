"""Private notes at rest: sealed with closer.vault, opened only with their author's key."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from closer import vault
from closer.checkin import (
    Answers,
)
from closer.store.db import StoreError

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
    sealed_prompts: frozenset[str]
    csi_values: tuple[int | None, ...]
    csi_sealed: str | None
    revision_json: str


def _stored_form(answers: Answers, key: bytes | None, partner_id: int, week: date) -> _StoredForm:
    data = json.loads(answers.to_json())
    bodies, sealed_prompts = {}, set()
    for prompt, reflection in answers.reflections.items():
        body = reflection.text
        if key is not None and not reflection.shared:
            place = vault.place_of(partner_id, week, _reflection_field(prompt))
            body = vault.seal(key, reflection.text, place)
            sealed_prompts.add(prompt)
            # The same sealed value in the row and its saved version: one secret, one copy.
            # Marked sealed by a field of its own: text that merely looks like ciphertext
            # (someone could type "sealed:v1:…") is never mistaken for it.
            data["reflections"][prompt].update(text=body, sealed=True)
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
    return _StoredForm(bodies, frozenset(sealed_prompts), csi_values, csi_sealed, revision_json)


def _open_text(
    keyring: vault.Keyring, partner_id: int, week: date, field: str, body: str, sealed: bool
) -> str:
    if not sealed:
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
        sealed = reflection.pop("sealed", False) is True
        # Sealed means private, whatever the flag in the saved version says.
        reflection["shared"] = bool(reflection["shared"]) and not sealed
        reflection["text"] = _open_text(
            keyring, partner_id, week, field, reflection["text"], sealed
        )
    csi = data.get("csi")
    if csi and csi.get("sealed"):
        csi["shared"] = False
        csi["values"] = list(_open_csi(keyring, partner_id, week, csi.pop("sealed")))
    return Answers.from_json(json.dumps(data))
