"""Closer's frame: page config, the database, who is using the app, and the navigation."""

import os
from datetime import date
from pathlib import Path

import streamlit as st

from closer import files, store
from closer.backup import automatic
from closer.markdown import escape_markdown
from views.parts.components import Household, current_db_path, read_household
from views.parts.navigation import phone_nav, remember_partner, remembered_partner
from views.parts.notifications import start_scheduler_once
from views.parts.passcode_forms import show_new_recovery_code, unlock_form
from views.parts.phones import guard_other_devices
from views.parts.typing_pause import send_words_after_pause

# A local icon file: a Material or emoji page icon makes the browser fetch it from the internet.
ICON = Path(__file__).parent / "data" / "icon.png"


@st.cache_resource(show_spinner=False)
def icon() -> bytes:
    """The page icon's bytes, read once per server process."""
    return ICON.read_bytes()


def back_up(path: Path, reason: str) -> None:
    """Copy the database into data/backups (SQLite's online backup) and keep the newest 12."""
    folder = automatic.default_backups_dir(path)
    automatic.backup_file(path, folder, reason)
    automatic.prune_backups(folder)


MISSING = (0,)


def file_identity(path: Path) -> tuple[int, ...]:
    """What changes when the file is replaced, moved or written back from its -wal."""
    try:
        found = path.stat()
    except OSError:
        return MISSING
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


def set_up(db_path: Path) -> None:
    """Create or upgrade the file (a backup before an upgrade), refusing one not Closer's."""
    store.initialise(db_path, before_upgrade=lambda path: back_up(path, "before-upgrade"))
    # Backups made by older versions, before files were kept private.
    files.tighten_folder(automatic.default_backups_dir(db_path))


# max_entries: the couple's own file and the sample data, with room for replaced files.
@st.cache_resource(show_spinner=False, max_entries=8)
def prepare_database(path: str, identity: tuple[int, ...]) -> None:
    """set_up once per server process and file identity, not on every click.

    The file's identity changes when it is replaced or moved while the app is open (and when
    a write is checkpointed into it), so the checks run again then. A failure is not cached:
    it is tried again on the next rerun.
    """
    set_up(Path(path))


@st.cache_resource(show_spinner=False)
def tidy_up_once(path: Path) -> None:
    """Once per start of Closer: remove what a restore cut short (say, by a kill) left behind."""
    automatic.remove_restore_leftovers(path)


def open_household(db_path: Path) -> Household:
    """Set up the file if it is new or changed, then read who is here; stops with the reason."""
    try:
        tidy_up_once(db_path)
        identity = file_identity(db_path)
        if identity == MISSING:
            set_up(db_path)  # not cached: once made, the file has an identity of its own
        else:
            prepare_database(str(db_path), identity)
        return read_household(db_path)
    except store.StoreError as error:
        st.title("Closer can't open its database")
        st.error(escape_markdown(str(error)), icon=":material/database:")
        st.stop()


def weekly_backup(db_path: Path) -> None:
    """Once per browser session is enough to notice a new week; the sample data needs none."""
    if st.session_state.get("demo") or "weekly-backup" in st.session_state:
        return
    st.session_state["weekly-backup"] = True
    try:
        if automatic.weekly_backup_due(automatic.default_backups_dir(db_path), date.today()):
            back_up(db_path, "weekly")
    except store.StoreError as error:
        # A missed backup must not lock the couple out: say so, and carry on.
        st.warning(
            f"This week's automatic backup didn't work. {escape_markdown(str(error))}",
            icon=":material/backup:",
        )


def leave_demo() -> None:
    """Return this browser session to the couple's own database."""
    st.session_state["demo"] = False
    st.session_state["partner_id"] = None


def sidebar(household: Household) -> None:
    """The sample-data notice and "I am" (who is chosen was settled by read_household)."""
    partners = household.partners
    with st.sidebar:
        if st.session_state.get("demo"):
            st.warning(
                "You're exploring **sample data**: a made-up year of Robin and Kai.",
                icon=":material/science:",
            )
            st.button("Back to my own data", on_click=leave_demo, type="primary")
        names = {p.id: p.name for p in partners}
        st.selectbox(
            "I am",
            list(names),
            format_func=lambda partner_id: names[partner_id],
            key="partner_id",
            index=None,
            placeholder="Choose your name",
            disabled=len(partners) == 1,
            help="Each of you sees your own private notes only. Switch here when you hand over.",
        )
        me = st.session_state["partner_id"]
        if me is not None:
            st.caption(f"Checking in as **{escape_markdown(names[me])}**")
    if not st.session_state.get("demo"):
        remember_partner(me)


def partner_from_address(household: Household) -> bool:
    """A new session (a reload on a phone): the address remembers who uses it, never the unlock.

    Read once per session, so a name forgotten on purpose later (a restore) stays forgotten.
    True when it chose someone, so the frame reads who is here again.
    """
    if st.session_state.get("demo") or "address-read" in st.session_state:
        return False
    st.session_state["address-read"] = True
    if len(household.partners) < 2 or st.session_state.get("partner_id") is not None:
        return False
    found = remembered_partner([p.id for p in household.partners])
    if found is None:
        return False
    st.session_state["partner_id"] = found
    return True


def pages() -> list[st.Page]:
    """Every page, in the sidebar's order."""
    return [
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
        # url_path keeps each address what it was before the pages moved (bookmarks, links).
        st.Page(
            "views/pages/trend_charts.py",
            title="Trends",
            icon=":material/monitoring:",
            url_path="trends",
        ),
        st.Page("views/pages/suggestions.py", title="Suggestions", icon=":material/lightbulb:"),
        st.Page(
            "views/pages/conversation.py",
            title="Our talk",
            icon=":material/forum:",
            url_path="talk",
        ),
        st.Page("views/pages/deck.py", title="Deck", icon=":material/style:", url_path="deck"),
        st.Page("views/pages/history.py", title="History", icon=":material/calendar_month:"),
        st.Page(
            "views/pages/our_settings.py",
            title="Settings",
            icon=":material/settings:",
            url_path="settings",
        ),
        st.Page(
            "views/pages/welcome.py", title="Set up", icon=":material/checklist:", url_path="set-up"
        ),
        st.Page(
            "views/pages/your_data.py",
            title="Your data",
            icon=":material/shield:",
            url_path="your-data",
        ),
        # Help, including for anyone who doesn't feel safe at home: one tap from every page.
        st.Page(
            "views/pages/where_to_turn.py",
            title="Where to turn",
            icon=":material/support:",
            url_path="where-to-turn",
        ),
    ]


def main() -> None:
    """The frame around every page: the file, who is here, the gate, then the page itself."""
    st.set_page_config(page_title="Closer", page_icon=icon(), layout="centered")
    # Whatever the shell's umask, anything this process writes (SQLite's own temporary files
    # included) is for this account alone; closer.files also sets the modes it needs itself.
    os.umask(0o077)
    db_path = current_db_path()
    household = open_household(db_path)
    if partner_from_address(household):
        household = read_household(db_path)
    # Check-in time and the morning nudge: one scheduler per server process, whichever tab asks.
    start_scheduler_once()
    # Listening on the home network (make run-home): phones wait until every partner has a
    # passcode.
    guard_other_devices(store.database_path())
    if not household.partners:
        # The same address as "Set up" below, so Start lands there.
        welcome = st.Page(
            "views/pages/welcome.py",
            title="Welcome",
            icon=":material/waving_hand:",
            url_path="set-up",
        )
        st.navigation([welcome]).run()
        return
    weekly_backup(db_path)
    sidebar(household)
    me = st.session_state["partner_id"]
    # The full navigation is always built, so any URL resolves; while locked, no page runs.
    # A passcode is asked once per browser session (read_household settled it).
    every_page = pages()
    pg = st.navigation(every_page, position="hidden" if household.locked else "sidebar")
    if me is not None and not household.locked:
        phone_nav(every_page, pg)
        with st.sidebar:
            send_words_after_pause()
    if st.session_state.get("demo"):
        st.info(
            "**Sample data.** Everything you see belongs to Robin and Kai, who don't exist. "
            "Your own data is untouched.",
            icon=":material/science:",
        )
        st.button("Back to my own data", on_click=leave_demo, key="leave-demo-page")
    if household.locked:
        unlock_form(me)
        return
    # A recovery code just made stays at the top of every page until it is written down
    # (Settings shows it where the passcode was set, in view).
    if pg.title not in ("Settings", "Set up"):
        show_new_recovery_code(me)
    if household.unusable_settings and pg.title != "Your data":
        # Every page carries on with the usual values; Your data says which and how to fix it.
        st.warning(
            "Some settings in Closer's file can't be used, so the usual ones stand in for now. "
            "Your data says which; choose them again in Settings to put this right.",
            icon=":material/build:",
        )
    pg.run()


main()
