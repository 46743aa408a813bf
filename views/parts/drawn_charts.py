"""Vega-Lite specs drawn on a canvas, each dataset turned into Arrow once, not on every rerun."""

import streamlit as st
from streamlit import dataframe_util

from closer import charts


def draw(spec: dict) -> None:
    """A Vega-Lite spec as wide as its column, drawn on a canvas."""
    # A canvas draws these charts noticeably faster than an SVG of one node per mark, axis
    # label and gridline (measured with benchmarks.browser_pages); the summary line and
    # "Show as table" are the charts' text alternative either way.
    ready = {**spec, "usermeta": charts.CANVAS}
    if "datasets" in spec:
        # Streamlit sends datasets given as bytes as they are, and converts any other on
        # every rerun (16-25 ms for the Trends lines on ten years of sample data).
        ready["datasets"] = {
            name: arrow_bytes(name, rows) for name, rows in spec["datasets"].items()
        }
    st.vega_lite_chart(ready, theme=None, width="stretch")


# Keyed by the dataset's name alone: Altair names each dataset after a hash of its rows
# ("data-" and 32 hex digits of their SHA-256), so the same name always holds the same rows.
@st.cache_data(max_entries=256, show_spinner=False)
def arrow_bytes(name: str, _rows: list[dict]) -> bytes:
    """A chart's dataset as Arrow bytes, exactly as Streamlit would convert it when drawn."""
    return dataframe_util.convert_anything_to_arrow_bytes(_rows)
