"""The "Explore with sample data" button, offered on the welcome page and in Settings."""

from datetime import datetime

import streamlit as st

from closer import store
from closer.demo import demo_database_path, sample_today, write_demo
from closer.markdown import escape_markdown


def explore_sample_data_button() -> None:
    """A button that writes a fresh sample year to its own file and switches this session to it."""
    st.button("Explore with sample data", icon=":material/science:", on_click=_switch_to_sample)
    if problem := st.session_state.pop("sample-data-error", None):
        st.error(escape_markdown(problem), icon=":material/error:")


def _switch_to_sample() -> None:
    # A callback runs before the sidebar's "I am" exists, so it may reset who is here.
    try:
        write_demo(demo_database_path(), weeks=52, today=sample_today(datetime.now()))
    except store.StoreError as error:
        st.session_state["sample-data-error"] = str(error)
        return
    st.session_state["demo"] = True
    st.session_state["partner_id"] = None
