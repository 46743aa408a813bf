"""The floor for the Trends page: inside the same app frame, draw the same specs from memory.

page_times.py copies the app to a temporary folder and puts this file in place of
views/pages/trend_charts.py, so the floor pays for app.py's frame exactly as the real page does.
"""

import streamlit as st

from benchmarks import in_memory

st.title("Trends")
for spec in in_memory.specs.values():
    st.vega_lite_chart(
        {**spec, "usermeta": {"embedOptions": {"renderer": "canvas"}}}, theme=None, width="stretch"
    )
