"""Closer's frame: page config, the database, who is using the app, and the navigation."""

from pathlib import Path

import streamlit as st

from closer import store
from closer.markdown import escape_markdown
from views.components import unlock_form

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
        [st.Page("views/welcome.py", title="Welcome", icon=":material/waving_hand:")]
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
    me = st.session_state["partner_id"]
    if me is not None:
        st.caption(f"Checking in as **{escape_markdown(names[me])}**")

# A passcode is asked once per browser session; choosing another name forgets the unlock.
locked = False
if me is not None and st.session_state.get("unlocked_id") != me:
    with store.open_db(db_path) as db:
        locked = store.load_unlock_state(db, me).passcode_hash is not None
    if not locked:
        st.session_state["unlocked_id"] = me

# The full navigation is always built, so any URL resolves; while locked, no page runs.
pg = st.navigation(
    [
        st.Page("views/checkin.py", title="Check in", icon=":material/edit_note:", default=True),
        st.Page(
            "views/this_week.py",
            title="This week",
            icon=":material/favorite:",
            url_path="this-week",
        ),
        st.Page("views/history.py", title="History", icon=":material/calendar_month:"),
        st.Page("views/settings.py", title="Settings", icon=":material/settings:"),
    ],
    position="hidden" if locked else "sidebar",
)
if locked:
    unlock_form(me)
else:
    pg.run()
