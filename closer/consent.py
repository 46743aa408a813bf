"""Consent: changing or removing a partner's data needs that partner's passcode, if they have one.

Replacing everything, going back to an automatic backup, deleting everything and a merge that
adds to the other partner's check-ins all reach into the other partner's data. The page asks
for their passcode; the functions that change data refuse without it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlite_utils import Database

from closer import store


class ConsentNeeded(Exception):
    """The change reaches into the data of partners with a passcode who have not agreed."""

    def __init__(self, partners: list[store.Partner]) -> None:
        self.partners = partners
        names = " and ".join(p.name for p in partners)
        super().__init__(
            f"This changes {names}'s data, so it needs {names}'s passcode. Nothing was changed."
        )


def needing_consent(
    db: Database, partner_ids: Iterable[int], consented: Collection[int]
) -> list[store.Partner]:
    """The partners among partner_ids who have a passcode and have not agreed, in joining order."""
    wanted = set(partner_ids) - set(consented)
    return [
        p
        for p in store.list_partners(db)
        if p.id in wanted and store.load_unlock_state(db, p.id).passcode_hash is not None
    ]


def require_consent(db: Database, partner_ids: Iterable[int], consented: Collection[int]) -> None:
    """Raise ConsentNeeded unless every partner with a passcode among partner_ids agreed."""
    missing = needing_consent(db, partner_ids, consented)
    if missing:
        raise ConsentNeeded(missing)
