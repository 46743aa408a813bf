"""What helps us's three labels as badges, drawn the same on Trends and Suggestions."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from closer import helps

# Streamlit's own names for a badge's colours (st.badge's `color`).
BadgeColour = Literal["blue", "green", "gray"]

BADGES: dict[str, tuple[BadgeColour, str]] = {
    helps.SEEMS_TO_HELP: ("green", ":material/trending_up:"),
    helps.NO_SIGN_YET: ("gray", ":material/trending_flat:"),
    helps.TOO_EARLY: ("blue", ":material/hourglass_empty:"),
}


def helps_badge(label: str) -> None:
    """A finding's label ('seems to help', 'no sign yet', 'too early to tell') as its badge."""
    colour, icon = BADGES[label]
    st.badge(label.capitalize(), icon=icon, color=colour)
