"""Each partner's own colour, the same on every page and in every chart."""

from __future__ import annotations

from collections.abc import Sequence

# Okabe–Ito: distinguishable with the common colour-vision deficiencies. Blue and
# vermillion come first because they also differ strongly in lightness; nothing is told
# by colour alone (names and shapes go with it).
PARTNER_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")


def partner_colour(partner_ids: Sequence[int], partner_id: int) -> str:
    """A partner's colour, by their place among the couple's ids (lowest id first)."""
    ordered = sorted(partner_ids)
    place = ordered.index(partner_id) if partner_id in ordered else len(ordered)
    return PARTNER_COLOURS[place % len(PARTNER_COLOURS)]
