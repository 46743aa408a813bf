"""Closer's frame: page config, the database, who is using the app, and the navigation."""

import os
from datetime import date
from pathlib import Path

import streamlit as st

from closer import backup_files, files, store
from closer.markdown import escape_markdown
from views.parts.components import (
    current_db_path,
    forget_other_unlocks,
    is_unlocked,
    remember_unlock,
)
from views.parts.navigation import phone_nav, remember_partner, remembered_partner
from views.parts.notifications import start_scheduler_once
from views.parts.passcode_forms import show_new_recovery_code, unlock_form
from views.parts.phones import guard_other_devices
from views.parts.typing_pause import send_words_after_pause


def leave_demo() -> None:
    """Return this browser session to the couple's own database."""
    st.session_state["demo"] = False
    st.session_state["partner_id"] = None


# A local icon file: a Material or emoji page icon makes the browser fetch it from the internet.
ICON = Path(__file__).parent / "data" / "icon.png"
st.set_page_config(page_title="Closer", page_icon=str(ICON), layout="centered")
# Whatever the shell's umask, anything this process writes (SQLite's own temporary files
# included) is for this account alone; closer.files also sets the modes it needs itself.
os.umask(0o077)


def back_up(path: Path, reason: str) -> None:
    """Copy the database into data/backups (SQLite's online backup) and keep the newest 12."""
    folder = backup_files.default_backups_dir(path)
    backup_files.backup_file(path, folder, reason)
    backup_files.prune_backups(folder)


db_path = current_db_path()
try:
    # Cheap when the schema is current (a few table look-ups), so it runs on every rerun:
    # a file moved or replaced while the app is open is caught here, not mid-page.
    store.initialise(db_path, before_upgrade=lambda path: back_up(path, "before-upgrade"))
    # Backups made by older versions, before files were kept private.
    files.tighten_folder(backup_files.default_backups_dir(db_path))
    with store.open_db(db_path) as db:
        partners = store.list_partners(db)
        _, unusable_settings = store.load_settings_checked(db)
except store.StoreError as error:
    st.title("Closer can't open its database")
    st.error(escape_markdown(str(error)), icon=":material/database:")
    st.stop()

# Check-in time and the morning nudge: one scheduler per server process, whichever tab asks.
start_scheduler_once()

# Listening on the home network (make run-home): phones wait until every partner has a passcode.
guard_other_devices(store.database_path())


# Once per browser session is enough to notice a new week; the sample data needs none.
if partners and not st.session_state.get("demo") and "weekly-backup" not in st.session_state:
    st.session_state["weekly-backup"] = True
    try:
        if backup_files.weekly_backup_due(backup_files.default_backups_dir(db_path), date.today()):
            back_up(db_path, "weekly")
    except store.StoreError as error:
        # A missed backup must not lock the couple out: say so, and carry on.
        st.warning(
            f"This week's automatic backup didn't work. {escape_markdown(str(error))}",
            icon=":material/backup:",
        )

if not partners:
    pg = st.navigation(
        [
            st.Page(
                "views/pages/welcome.py",
                title="Welcome",
                icon=":material/waving_hand:",
                url_path="set-up",  # the same page as "Set up" below, so Start lands there
            )
        ]
    )
    pg.run()
    st.stop()

with st.sidebar:
    if st.session_state.get("demo"):
        st.warning(
            "You're exploring **sample data**: a made-up year of Robin and Kai.",
            icon=":material/science:",
        )
        st.button("Back to my own data", on_click=leave_demo, type="primary")
    ids = [p.id for p in partners]
    names = {p.id: p.name for p in partners}
    if len(partners) == 1:
        st.session_state["partner_id"] = partners[0].id
    elif not st.session_state.get("demo") and "address-read" not in st.session_state:
        # A new session (a reload on a phone): the address remembers who uses it, never the
        # unlock. Once only: a name forgotten on purpose later (a restore) stays forgotten.
        st.session_state["address-read"] = True
        if st.session_state.get("partner_id") is None:
            st.session_state["partner_id"] = remembered_partner(ids)
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
    if not st.session_state.get("demo"):
        remember_partner(me)
    if me is not None:
        st.caption(f"Checking in as **{escape_markdown(names[me])}**")

# A passcode is asked once per browser session; choosing another name forgets the unlock.
# An unlock belongs to one partner of one database file (the sample data's Robin is not
# partner 1 of the couple's own file).
forget_other_unlocks(db_path, me)
locked = False
if me is not None and not is_unlocked(db_path, me):
    with store.open_db(db_path) as db:
        locked = store.load_unlock_state(db, me).passcode_hash is not None
    if not locked:
        remember_unlock(db_path, me)

# The full navigation is always built, so any URL resolves; while locked, no page runs.
pg = st.navigation(
    pages := [
        st.Page("views/pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page(
            "views/pages/check_in.py",
            title="Check in",
            icon=":material/edit_note:",
            url_path="check-in",
        ),
        st.Page(
            "views/pages/this_week.py",
            title="This week",
            icon=":material/favorite:",
            url_path="this-week",
        ),
        st.Page("views/pages/trend_charts.py", title="Trends", icon=":material/monitoring:"),
        st.Page("views/pages/suggestions.py", title="Suggestions", icon=":material/lightbulb:"),
        st.Page(
            "views/pages/conversation.py",
            title="Our talk",
            icon=":material/forum:",
            url_path="talk",
        ),
        st.Page("views/pages/history.py", title="History", icon=":material/calendar_month:"),
        st.Page("views/pages/our_settings.py", title="Settings", icon=":material/settings:"),
        st.Page(
            "views/pages/welcome.py", title="Set up", icon=":material/checklist:", url_path="set-up"
        ),
        st.Page(
            "views/pages/your_data.py",
            title="Your data",
            icon=":material/shield:",
            url_path="your-data",
        ),
    ],
    position="hidden" if locked else "sidebar",
)
if me is not None and not locked:
    phone_nav(pages, pg)
    with st.sidebar:
        send_words_after_pause()
if st.session_state.get("demo"):
    st.info(
        "**Sample data.** Everything you see belongs to Robin and Kai, who don't exist. "
        "Your own data is untouched.",
        icon=":material/science:",
    )
    st.button("Back to my own data", on_click=leave_demo, key="leave-demo-page")
if locked:
    unlock_form(me)
else:
    # A recovery code just made stays at the top of every page until it is written down
    # (Settings shows it where the passcode was set, in view).
    if pg.title not in ("Settings", "Set up"):
        show_new_recovery_code()
    if unusable_settings and pg.title != "Your data":
        # Every page carries on with the usual values; Your data says which and how to fix it.
        st.warning(
            "Some settings in Closer's file can't be used, so the usual ones stand in for now. "
            "Your data says which; choose them again in Settings to put this right.",
            icon=":material/build:",
        )
    pg.run()
