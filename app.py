"""Closer's frame: page config, the database, who is using the app, and the navigation."""

from pathlib import Path

import streamlit as st

from closer import store
from closer.markdown import escape_markdown

# A local icon file: a Material or emoji page icon makes the browser fetch it from the internet.
ICON = Path(__file__).parent / "data" / "icon.png"
st.set_page_config(page_title="Closer", page_icon=str(ICON), layout="centered")

db_path = store.database_path()
try:
    # Cheap when the schema is current (a few table look-ups), so it runs on every rerun:
    # a file moved or replaced while the app is open is caught here, not mid-page.
    store.initialise(db_path)
    with store.open_db(db_path) as db:
        partners = store.list_partners(db)
except store.StoreError as error:
    st.title("Closer can't open its database")
    st.error(str(error), icon=":material/database:")
    st.stop()

if not partners:
    pg = st.navigation(
        [st.Page("pages/welcome.py", title="Welcome", icon=":material/waving_hand:")]
    )
    pg.run()
    st.stop()

with st.sidebar:
    ids = [p.id for p in partners]
    names = {p.id: p.name for p in partners}
    if len(partners) == 1:
        st.session_state["partner_id"] = partners[0].id
    elif st.session_state.get("partner_id") not in ids:
        st.session_state["partner_id"] = None
    st.selectbox(
        "I am",
        ids,
        format_func=names.get,
        key="partner_id",
        index=None,
        placeholder="Choose your name",
        disabled=len(partners) == 1,
        help="Each of you sees your own private notes only. Switch here when you hand over.",
    )
    if st.session_state["partner_id"] is not None:
        st.caption(f"Checking in as **{escape_markdown(names[st.session_state['partner_id']])}**")

pg = st.navigation(
    [
        st.Page("pages/checkin.py", title="Check in", icon=":material/edit_note:", default=True),
        st.Page(
            "pages/this_week.py",
            title="This week",
            icon=":material/favorite:",
            url_path="this-week",
        ),
        st.Page("pages/history.py", title="History", icon=":material/calendar_month:"),
        st.Page("pages/settings.py", title="Settings", icon=":material/settings:"),
    ]
)
pg.run()
