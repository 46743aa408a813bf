"""A one-line page inside Closer's frame: what the frame alone costs in the browser.

browser_pages.py copies the app to a temporary folder and puts this file in place of
views/pages/home.py, so the page pays for app.py (the database checks, the sidebar, the name
chooser, both navigations, the typing script) and who_is_here() exactly as every real page
does, and draws one line.
"""

import streamlit as st

from views.parts.components import who_is_here

who_is_here()
st.title("Hello, frame")
