"""The floor for the Trends page: the same chart specs, drawn from memory, nothing else."""

import streamlit as st

from benchmarks import in_memory

for spec in in_memory.specs.values():
    st.vega_lite_chart(spec, theme=None)
