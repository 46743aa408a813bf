"""On a phone, every page one tap away: a row of links at the top of the page."""

import streamlit as st
from streamlit.navigation.page import StreamlitPage

# Streamlit's sidebar menu stays open over the page after a tap on a phone, so a page
# change costs three taps there. This row replaces it at phone widths and hides elsewhere.
NAV_CSS = """<style>
@media (min-width: 641px) { .st-key-phone-nav { display: none !important; } }
.st-key-phone-nav { gap: 0.25rem 0.4rem !important; margin-bottom: 0.25rem; }
.st-key-phone-nav a { padding: 0.3rem 0.55rem; min-height: 2.5rem; }
</style>"""


def phone_nav(pages: list[StreamlitPage]) -> None:
    """Links to every page in one wrapped row, shown only on narrow screens."""
    st.html(NAV_CSS)
    with st.container(horizontal=True, key="phone-nav", gap="small"):
        for page in pages:
            st.page_link(page, label=page.title, icon=page.icon)
