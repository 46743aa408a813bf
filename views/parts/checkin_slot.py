"""The day and time pickers for the weekly check-in slot, on Welcome and in Settings."""

from __future__ import annotations

from datetime import time

import streamlit as st

from closer.weeks import WEEKDAYS


def pick_checkin_slot(weekday: int, at: time, *, key_prefix: str = "") -> tuple[int, time]:
    """A day and a time side by side, starting at the given slot; returns what is chosen."""
    left, right = st.columns(2)
    day = left.selectbox(
        "Day",
        range(7),
        index=weekday,
        format_func=WEEKDAYS.__getitem__,
        key=f"{key_prefix}weekday",
    )
    # Quarter hours: a calendar slot, not a stopwatch.
    chosen = right.time_input("Time", value=at, step=900, key=f"{key_prefix}time")
    return day, chosen
