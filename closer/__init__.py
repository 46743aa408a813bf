"""Closer's core: storage, survey, analysis and charts, with no Streamlit in sight."""
