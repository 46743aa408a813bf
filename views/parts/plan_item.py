"""One item of a week's plan, drawn the same on Suggestions, Our talk and the check-in."""

from __future__ import annotations

import streamlit as st

from closer import plans, store
from closer.markdown import escape_markdown
from views.parts.components import show_text

KIND_ICONS = {
    "question": ":material/chat_bubble:",
    "exercise": ":material/directions_walk:",
    "commitment": ":material/volunteer_activism:",
}


def show_plan_item(item: store.PlanItem, whose: str = "") -> None:
    """A picked question or exercise by its icon and words, or a promise exactly as typed.

    ``whose`` is the line above a promise (already escaped), such as "**Alex will:**".
    """
    if item.kind == "commitment":
        st.markdown(f"{KIND_ICONS['commitment']} {whose}")
        show_text(item.body or "")
        return
    text = escape_markdown(plans.catalogue_text(item.kind, item.item_id))
    # An exercise is a title, with its steps elsewhere; a question is read out as it stands.
    st.markdown(f"{KIND_ICONS[item.kind]} " + (f"**{text}**" if item.kind == "exercise" else text))
