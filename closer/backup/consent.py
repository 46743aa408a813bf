"""Consent: changing or removing a partner's data needs that partner's passcode, if they have one.

Replacing everything, going back to an automatic backup, deleting everything and a merge that
adds to the other partner's check-ins all reach into the other partner's data. The page asks
for their passcode; the functions that change data refuse without it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

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


SWAPPED = (
    "This backup numbers the two of you the other way round from this Closer, so restoring it "
    "in place of what's here would hand one person's passcode to the other. Nothing was "
    "changed. Add it to what's here instead."
)


def swaps_people(
    here: Iterable[store.Partner], restored: Iterable[store.Partner], guarded: Collection[int]
) -> bool:
    """Whether restored data would give a passcode to someone else: ids the other way round.

    Passcodes and keys stay with their partner id through every restore. A file whose ids run
    the other way round (another computer, where the two were set up in the other order)
    names a person here under another id, and would hand that id's passcode to them, or
    theirs to someone else: refused while either id is guarded (has a passcode or a key).
    Names only spot the swap; they never decide who anyone is.
    """
    names_here = {p.id: p.name.casefold() for p in here}
    return any(
        name == p.name.casefold() and p.id != id_here and {p.id, id_here} & set(guarded)
        for p in restored
        for id_here, name in names_here.items()
    )


def guarded_ids(credentials: Mapping[int, Mapping[str, object]]) -> set[int]:
    """The partner ids with a passcode or a key, from store.load_credentials."""
    return {
        partner_id
        for partner_id, values in credentials.items()
        if values.get("passcode_hash") or values.get("key_by_passcode")
    }
