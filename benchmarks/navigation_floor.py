"""Closer's navigation with one-line pages: what Streamlit itself costs for our page switches.

browser_pages.py serves this file as app.py of a folder of its own, with data/icon.png beside
it: the same page config and icon, the same nine pages (titles, icons, url paths), two name
buttons in the sidebar, and each page one heading. No database, no gate, no frame.
"""

from pathlib import Path

import streamlit as st

st.set_page_config(
    page_title="Closer", page_icon=str(Path(__file__).parent / "icon.png"), layout="centered"
)
# (title, icon, url path) as app.py builds them; url paths Streamlit infers are written out.
PAGES = [
    ("Home", ":material/home:", ""),
    ("Check in", ":material/edit_note:", "check-in"),
    ("This week", ":material/favorite:", "this-week"),
    ("Trends", ":material/monitoring:", "trend_charts"),
    ("Suggestions", ":material/lightbulb:", "suggestions"),
    ("Our talk", ":material/forum:", "talk"),
    ("History", ":material/calendar_month:", "history"),
    ("Settings", ":material/settings:", "our_settings"),
    ("Your data", ":material/shield:", "your-data"),
]


# The heading the benchmark waits for on each page (tests.browser.HEADINGS), as in Closer.
HEADINGS = {"Home": "Hello, Robin", "Check in": "Weekly check-in"}


def one_line(title: str):
    """A page that only shows its heading."""
    return lambda: st.title(HEADINGS.get(title, title))


with st.sidebar:
    for name in ("Robin", "Kai"):
        st.button(f"I'm {name}", key=f"choose-{name}", type="primary", width="stretch")
st.navigation(
    [
        st.Page(one_line(title), title=title, icon=icon, url_path=path, default=not path)
        for title, icon, path in PAGES
    ]
).run()
