"""On a phone, a bar at the bottom: the four weekly places one tap away, the rest under More.

And the phone remembers who uses it: the partner's id in the address (?me=2), so a reload
or a home-screen icon goes straight to that person's passcode. Never the unlock: that lives
in the browser session alone, so a reload always asks for the passcode again.
"""

import streamlit as st
from streamlit.navigation.page import StreamlitPage

# Streamlit's sidebar menu stays open over the page after a tap on a phone, and a row of
# links at the top is gone once the page is scrolled. This bar is fixed to the bottom at
# phone widths (hidden elsewhere), and the page leaves room below its last line for it.
BAR_HEIGHT_REM = 4.25
NAV_CSS = f"""<style>
@media (min-width: 641px) {{ .st-key-phone-nav {{ display: none !important; }} }}
@media (max-width: 640px) {{
  .st-key-phone-nav {{
    position: fixed !important; left: 0; right: 0; bottom: 0; z-index: 999990;
    width: 100% !important; min-height: {BAR_HEIGHT_REM}rem;
    flex-wrap: nowrap !important; justify-content: space-around; align-items: stretch;
    gap: 0 !important; padding: 0.2rem 0.25rem calc(0.2rem + env(safe-area-inset-bottom));
    background: var(--st-background-color, #fff); border-top: 1px solid rgba(49, 51, 63, 0.2);
  }}
  .st-key-phone-nav > div {{ flex: 1 1 0; min-width: 0; width: auto !important; }}
  .st-key-phone-nav a, .st-key-phone-nav [data-testid="stPopoverButton"] {{
    flex-direction: column; align-items: center; justify-content: center; gap: 0.1rem;
    min-height: 3.5rem; width: 100%; padding: 0.2rem 0.1rem; border: none;
    background: transparent; font-size: 0.75rem; line-height: 1.1;
  }}
  .st-key-phone-nav [data-testid="stPopoverButton"] span[data-has-shortcut] {{
    flex-direction: column; gap: 0.1rem;
  }}
  .st-key-phone-nav [data-testid="stPopoverButton"] div[aria-hidden="true"] {{ display: none; }}
  .st-key-phone-nav a p, .st-key-phone-nav button p {{ font-size: 0.75rem; margin: 0; }}
  [data-testid="stMainBlockContainer"] {{
    padding-bottom: calc({BAR_HEIGHT_REM + 2}rem + env(safe-area-inset-bottom)) !important;
  }}
}}
</style>"""
EVERY_WEEK = ("Home", "Check in", "This week", "Our talk")
REMEMBERED = "me"


def says_it_is_a_phone(user_agent: str | None) -> bool:
    """Whether a browser's user agent says it is a phone: phone browsers put "Mobile" in it.

    Tablets and phones asking for the desktop site leave it out and get Streamlit's own menu,
    as a computer does; they are wider than the bar's 640 px anyway.
    """
    return "Mobi" in (user_agent or "")


def phone_nav(pages: list[StreamlitPage], current: StreamlitPage | None = None) -> None:
    """On a phone, the bottom bar: Home, Check in, This week, Our talk, and More for the rest."""
    # Sent only to phones: hidden on a computer, its links and menu still cost the browser
    # 10-14 ms of work on every click (benchmarks.browser_work's measure, A/B in one run).
    if not says_it_is_a_phone(st.context.headers.get("User-Agent")):
        return
    st.html(NAV_CSS)
    weekly = {p.title: p for p in pages if p.title in EVERY_WEEK}
    with st.container(horizontal=True, key="phone-nav", gap=None, wrap=False):
        for title in EVERY_WEEK:
            page = weekly[title]
            st.page_link(page, label=title, icon=page.icon)
        # A key of its own on each page: otherwise the popover comes back after a page change
        # believing it is still open, and the next tap on More only closes it.
        more = f"phone-more-{current.url_path if current else ''}"
        with st.popover("More", icon=":material/menu:", key=more):
            for page in pages:
                if page.title not in EVERY_WEEK:
                    st.page_link(page, label=page.title, icon=page.icon)


def remembered_partner(ids: list[int]) -> int | None:
    """The partner this phone was last used by (from the address), if they are still here."""
    raw = st.query_params.get(REMEMBERED)
    if raw is None or not raw.isdigit():
        return None
    found = int(raw)
    return found if found in ids else None


def remember_partner(partner_id: int | None) -> None:
    """Keep who uses this phone in the address, so a reload only asks for their passcode."""
    if partner_id is None:
        if REMEMBERED in st.query_params:
            del st.query_params[REMEMBERED]
    elif st.query_params.get(REMEMBERED) != str(partner_id):
        st.query_params[REMEMBERED] = str(partner_id)
