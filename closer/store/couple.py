"""The partners and the couple's settings."""

from __future__ import annotations

import json
from datetime import time

from sqlite_utils import Database

from closer.checkin import (
    validate_partner_name,
)
from closer.settings import SETTING_KEYS, Settings, setting_problem
from closer.store.db import StoreError, _now, write_transaction
from closer.store.model import Partner
from closer.words import cut


def load_settings(db: Database) -> Settings:
    """The couple's settings, with defaults for anything not yet chosen or not usable."""
    return load_settings_checked(db)[0]


def load_settings_checked(db: Database) -> tuple[Settings, list[str]]:
    """The couple's settings, a default for each stored value Closer can't use, and a note
    on each such value for the person at the screen."""
    stored = {row["key"]: row["value"] for row in db["settings"].rows}
    raw, warnings = {}, []
    for key in SETTING_KEYS:
        if key not in stored:
            continue
        problem = setting_problem(key, stored[key])
        if problem:
            # One damaged value must not stop every page: its default stands in, and the
            # person is told so they can choose it again in Settings.
            warnings.append(f"{key} {problem}, but the file holds {cut(stored[key])!r}")
        else:
            raw[key] = json.loads(stored[key])
    defaults = Settings()
    settings = Settings(
        active_dimensions=tuple(raw.get("active_dimensions", defaults.active_dimensions)),
        checkin_weekday=raw.get("checkin_weekday", defaults.checkin_weekday),
        checkin_time=time.fromisoformat(raw.get("checkin_time", defaults.checkin_time.isoformat())),
        csi_enabled=raw.get("csi_enabled", defaults.csi_enabled),
        living_together=raw.get("living_together", defaults.living_together),
        guessing_partners=frozenset(raw.get("guessing_partners", [])),
    )
    return settings, warnings


def set_guessing(db: Database, partner_id: int, on: bool) -> None:
    """Turn one partner's guessing before the reveal on or off (the other's choice stays)."""
    with write_transaction(db):
        row = db.execute("SELECT value FROM settings WHERE key = 'guessing_partners'").fetchone()
        ids: set[int] = set()
        if row is not None and setting_problem("guessing_partners", row[0]) is None:
            ids = set(json.loads(row[0]))
        ids = ids | {partner_id} if on else ids - {partner_id}
        db.execute(
            "INSERT INTO settings (key, value) VALUES ('guessing_partners', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [json.dumps(sorted(ids))],
        )


def save_settings(db: Database, settings: Settings) -> None:
    """Store the couple's settings."""
    with write_transaction(db):
        _write_settings(db, settings)


def list_partners(db: Database) -> list[Partner]:
    """Partners in the order they joined."""
    return [Partner(r["id"], r["name"]) for r in db["partners"].rows_where(order_by="id")]


def rename_partner(
    db: Database, partner_id: int, name: str, new_partner: str | None = None
) -> None:
    """Rename one partner (pages pass only the viewer's own id), optionally adding the second.

    Both names follow the same rules as on the welcome page; all or nothing.
    """
    with write_transaction(db):
        others = [r[0] for r in db.execute("SELECT name FROM partners WHERE id != ?", [partner_id])]
        name, problem = validate_partner_name(name, others)
        if problem:
            raise StoreError(problem)
        db.execute("UPDATE partners SET name = ? WHERE id = ?", [name, partner_id])
        if new_partner is None:
            return
        if len(others) >= 1:
            raise StoreError("Closer is made for two: both partners are already set up.")
        new_partner, problem = validate_partner_name(new_partner, [name])
        if problem:
            raise StoreError(problem)
        db.execute("INSERT INTO partners (name, created_at) VALUES (?, ?)", [new_partner, _now()])


def setup_couple(db: Database, names: list[str], settings: Settings) -> list[Partner]:
    """First run: add the partners and the settings in one transaction."""
    with write_transaction(db):
        if db.execute("SELECT count(*) FROM partners").fetchone()[0]:
            raise StoreError("Closer is already set up. Change names on the Settings page.")
        now = _now()
        for name in names:
            db.execute("INSERT INTO partners (name, created_at) VALUES (?, ?)", [name, now])
        _write_settings(db, settings)
    return list_partners(db)


def _write_settings(db: Database, settings: Settings) -> None:
    """Write settings inside a transaction the caller already holds.

    Who guesses is left alone: each partner turns it on for themselves (set_guessing), and a
    Settings built from a form must not turn the other's choice off.
    """
    values = {
        "active_dimensions": list(settings.active_dimensions),
        "checkin_weekday": settings.checkin_weekday,
        "checkin_time": settings.checkin_time.strftime("%H:%M"),
        "csi_enabled": settings.csi_enabled,
        "living_together": settings.living_together,
    }
    db.table("settings").upsert_all(
        ({"key": key, "value": json.dumps(value)} for key, value in values.items()), pk="key"
    )


def partners_without_passcode(db: Database) -> list[str]:
    """The names of partners who have no passcode, in joining order."""
    return [
        row[0]
        for row in db.execute(
            "SELECT name FROM partners WHERE passcode_hash IS NULL AND key_by_passcode IS NULL "
            "ORDER BY id"
        )
    ]


def find_partner(db: Database, name: str) -> Partner | None:
    """The partner with this name, ignoring case and surrounding spaces."""
    row = db.execute(
        "SELECT id, name FROM partners WHERE name = ? COLLATE NOCASE", [name.strip()]
    ).fetchone()
    return Partner(*row) if row else None
