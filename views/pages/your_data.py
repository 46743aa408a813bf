"""Your data: take a copy, bring one back, share a summary, or delete it for good."""

import hashlib
import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Literal

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from closer import security, store
from closer.backup import automatic, consent, erase, exports, file_format, restore, visible_copy
from closer.markdown import escape_markdown
from closer.weeks import checkin_week, relative_week_label, week_label
from closer.words import plural
from views.parts.components import session_keyring, who_is_here
from views.parts.notices import (
    DATABASE_ICON,
    ERROR_ICON,
    flash,
    show_flash,
    showing_store_errors,
)
from views.parts.unreadable import show_unreadable_rows

SUMMARY_WEEKS = 8
REPLACE_WORD = "replace"
DELETE_PHRASE = "delete everything"
FLASH = "your-data-flash"
# A change that reaches the other partner's data without their passcode is refused.
NEEDS_CONSENT: dict[type[Exception], str] = {consent.ConsentNeeded: ":material/lock:"}
REASONS = {
    "weekly": "Weekly",
    "before-upgrade": "Before Closer updated itself",
    "before-restore": "Before a restore",
}

st.title("Your data")
# Shown before who_is_here(): a restore may leave nobody chosen, and the news still belongs here.
show_flash(FLASH)

couple = who_is_here()
me = couple.me
if st.session_state.get("demo"):
    # The sample file sits beside the couple's own, so it would share their backups folder:
    # a restore or a backup made here could mix Robin and Kai into the couple's backups.
    st.info(
        "This page looks after your own data, so it rests while you explore the sample. Use "
        "*Back to my own data* in the sidebar to get to it.",
        icon=":material/science:",
    )
    st.stop()
today = date.today()
# The week the couple is in (their slot's window, as on every other page), for week names.
current = checkin_week(
    datetime.now(), couple.settings.checkin_weekday, couple.settings.checkin_time
)
backups_dir = automatic.default_backups_dir(couple.db_path)

with showing_store_errors(icon=DATABASE_ICON, stop=True):
    with store.open_db(couple.db_path) as db:
        partners = store.list_partners(db)
        weeks = store.checked_in_weeks(db)
        my_weeks = store.checked_in_weeks(db, me.id)
        _, setting_warnings = store.load_settings_checked(db)
        unreadable = store.unreadable_rows(db)
        other = couple.partner
        # Whether changing the other partner's data needs their passcode typed here.
        other_locked = (
            other is not None and store.load_unlock_state(db, other.id).passcode_hash is not None
        )
saved_backups = automatic.list_backups(backups_dir)


def on_click(export: Callable[[store.CloserDatabase], str]) -> Callable[[], str]:
    """A file built only when its button is clicked (on Streamlit's own thread, so its own
    connection): a decade of data would otherwise be exported on every rerun."""

    def build() -> str:
        with store.open_db(couple.db_path) as db:
            return export(db)

    return build


def done(message: str | None, *, still_me: bool = True, reset: tuple[str, ...] = ()) -> None:
    """Rerun with a confirmation; forget who is here when the data may now say someone else."""
    if message:
        flash(FLASH, message)
    # Widget values may not be set once their widgets have run, but they may be deleted: the
    # sidebar's "I am" forgets its choice, a ticked confirmation starts unticked again.
    for key in reset + (() if still_me else ("partner_id", "unlocked")):
        st.session_state.pop(key, None)
    st.rerun()


def still_here(db) -> bool:
    """Whether the person at the screen is still the same person, with the same id."""
    found = store.find_partner(db, me.name)
    return found is not None and found.id == me.id


def consent_box(key: str, needed: bool, reaches: str = "changes") -> str:
    """A box for the other partner's passcode, shown when this action reaches their data."""
    if not needed or other is None:
        return ""
    return st.text_input(
        f"{escape_markdown(other.name)}'s passcode",
        type="password",
        key=key,
        help=f"This also {reaches} {escape_markdown(other.name)}'s data, so "
        f"{escape_markdown(other.name)} types their "
        "passcode here to agree.",
    )


def agreed(typed: str, needed: bool, message, reaches: str = "changes") -> set[int] | None:
    """Who agreed: me, and the other partner if their passcode is right; None (said why) if not.

    A right passcode also opens the other partner's data key for this one change, kept in
    ``consent_keys``, so what a restore brings back for them is sealed with it.
    """
    if not needed or other is None:
        return {me.id}
    if not typed:
        message.error(
            escape_markdown(
                f"This also {reaches} {other.name}'s data, so it needs {other.name}'s passcode. "
                f"Ask {other.name} to type it above."
            ),
            icon=":material/lock:",
        )
        return None
    # The same try as the passcode screen (closer.security): counted before it is checked.
    try:
        key = security.consent(couple.db_path, other.id, typed, datetime.now(UTC))
    except security.PasscodeRefused as refused:
        seconds = math.ceil(refused.wait.total_seconds())
        words = (
            f"Too many wrong tries: wait {seconds} seconds before {other.name} types it again."
            if refused.wait
            else f"That isn't {other.name}'s passcode. Nothing was changed."
        )
        message.error(escape_markdown(words), icon=":material/lock:")
        return None
    if key is not None:
        consent_keys[other.id] = key
    return {me.id, other.id}


def keys_for_change() -> dict[int, bytes]:
    """My own data key and any the other partner lent by typing their passcode just now."""
    return {**session_keyring(couple.db_path), **consent_keys}


consent_keys: dict[int, bytes] = {}


def confirmed(
    button: str,
    *,
    key: str,
    icon: str,
    word: str = "",
    tick: str = "",
    confirm_key: str = "",
    consent_key: str = "",
    needs_consent: bool = False,
    reaches: str = "changes",
    primary: bool = False,
) -> tuple[set[int], DeltaGenerator] | None:
    """A change that can't be undone: type ``word`` or tick the box ``tick`` if asked, then press.

    The other partner's passcode is asked too when ``needs_consent`` (the action ``reaches``,
    "changes" or "holds", their data). Returns who agreed and where to say how it went once
    the button is pressed and all is confirmed; None before that, with what is missing said
    beside the button.
    """
    # No Markdown in a label: a screen reader would read its asterisks out (aria-label).
    typed = st.text_input(f"Type “{word}” to confirm", key=confirm_key) if word else ""
    ticked = st.checkbox(tick, key=confirm_key) if tick else False
    passcode = consent_box(consent_key, needs_consent, reaches)
    clicked = st.button(button, type="primary" if primary else "secondary", icon=icon, key=key)
    message = st.empty()
    if not clicked:
        return None
    if word and typed.strip().casefold() != word:
        message.error(f"Type {word} in the box above to confirm.", icon=ERROR_ICON)
        return None
    if tick and not ticked:
        message.error("Tick the box above to confirm.", icon=ERROR_ICON)
        return None
    consented = agreed(passcode, needs_consent, message, reaches)
    return None if consented is None else (consented, message)


def when(moment: datetime) -> str:
    return f"{moment:%a %-d %b %Y, %H:%M}"


def size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(1, round(n / 1024))} KB"


def repair_note(settings: list[str], rows: list[store.UnreadableRow]) -> str | None:
    """One calm note on what in the file Closer can't use and is carrying on without."""
    parts = []
    if settings:
        parts.append(
            "Some settings in the file aren't ones Closer can use, so it uses the usual ones "
            f"for now: {'; '.join(settings)}. Choose them again in Settings to put this right."
        )
    if rows:
        parts.append(
            f"{plural(len(rows), 'row')} in the file can't be read, so Closer leaves "
            "them out: see “Rows Closer can't read” below."
        )
    return " ".join(parts) or None


note = repair_note(setting_warnings, unreadable)
if note:
    st.warning(escape_markdown(note), icon=":material/build:")

st.markdown(
    "Everything Closer knows is in one file on this computer. Nothing is ever sent anywhere."
)
st.code(str(couple.db_path), language=None, wrap_lines=True)


st.subheader("Download a backup", anchor=False)


def download_backup() -> None:
    """The full backup, or without the other partner's passcode a copy of what I can see."""

    def full_backup_button(label: str, key: str, data: str | Callable[[], str]) -> None:
        st.download_button(
            label,
            key=key,
            data=data,
            file_name=f"closer-backup-{today:%Y-%m-%d}.json",
            mime="application/json",
            icon=":material/download:",
            on_click="ignore",
        )

    if not other_locked or other is None:
        st.markdown(
            "One file with everything in Closer: every check-in, your settings and plans, and "
            "**both of your private notes** (sealed for whoever has a passcode). Keep it "
            "somewhere only the two of you can open. Passcodes are not in it, and bringing it "
            "back leaves each of your passcodes as it is."
        )
        full_backup_button(
            "Download a backup", "download-backup", on_click(file_format.backup_json)
        )
        return
    name = escape_markdown(other.name)
    st.markdown(
        f"**A copy of what you can see**: all of yours, and of {name}'s only what Closer "
        f"shows you here: their check-ins for the weeks you have both done, with what they "
        f"shared. {name}'s private notes, earlier versions, unsaved drafts and any week you "
        "haven't both checked in are not in it."
    )
    st.download_button(
        "Download a copy of what you can see",
        data=on_click(lambda db: visible_copy.visible_backup_json(db, me.id)),
        file_name=f"closer-my-copy-{today:%Y-%m-%d}.json",
        mime="application/json",
        icon=":material/download:",
        on_click="ignore",
        key="download-my-copy",
    )
    st.markdown(
        f"**Everything**: a full backup holds all of {name}'s data too (their private notes "
        f"only sealed), so it needs {name}'s passcode, as a restore does. Passcodes are not "
        "in it."
    )
    confirm = confirmed(
        "Download everything",
        key="full-backup",
        icon=":material/lock_open:",
        consent_key="consent-full-backup",
        needs_consent=True,
        reaches="holds",
    )
    if confirm is None:
        return
    _, message = confirm
    with showing_store_errors(message, icon=DATABASE_ICON):
        with store.open_db(couple.db_path) as db:
            backup = file_format.backup_json(db)
        # Built now, for this one agreement: the next rerun asks again.
        full_backup_button("Save the full backup", "download-full-backup", backup)
        st.caption(f"{name} agreed to this one download: anything else on this page asks again.")


download_backup()


st.subheader("Restore from a backup file", anchor=False)
st.markdown(
    "Choose a backup file Closer made. You'll see what's in it before anything changes, and "
    "Closer keeps a copy of what's here now among the automatic backups first."
)
round_ = st.session_state.get("restore-round", 0)
uploaded = st.file_uploader(
    "Backup file",
    type=["json"],
    key=f"restore-upload-{round_}",
    max_upload_size=file_format.MAX_BACKUP_BYTES // 2**20,
)


def merge_reaches(raw: bytes, found) -> set[int]:
    """Whose data merging this file would add to; worked out once per file, not per rerun."""
    try:
        with store.open_db(couple.db_path) as db:
            key = (hashlib.sha256(raw).hexdigest(), store.data_version(db))
            cached = st.session_state.get("restore-reaches")
            if not cached or cached[0] != key:
                cached = (key, restore.merge_reaches(db, found))
                st.session_state["restore-reaches"] = cached
    except (file_format.BackupError, store.StoreError):
        # Restoring will say what is wrong; it also refuses by itself without consent.
        return set()
    return cached[1]


def restore_from_file(raw: bytes) -> None:
    """Read, preview, and on request restore an uploaded backup; errors change nothing."""
    try:
        with store.open_db(couple.db_path) as db:
            found = file_format.read_backup(raw, db)
    except file_format.BackupError as error:
        st.error(
            f"{escape_markdown(str(error))} Your data here is unchanged.", icon=":material/error:"
        )
        return
    except store.StoreError as error:
        st.error(escape_markdown(str(error)), icon=":material/database:")
        return

    preview = file_format.preview(found)
    names = " and ".join(escape_markdown(n) for n in preview.partner_names) or "nobody yet"
    checkins = plural(preview.checkins, "check-in")
    if preview.first_week == preview.last_week and preview.first_week:
        checkins += f", in the week of {week_label(preview.first_week)}"
    elif preview.first_week and preview.last_week:
        checkins += (
            f", from the week of {week_label(preview.first_week)} "
            f"to the week of {week_label(preview.last_week)}"
        )
    st.markdown(
        f"**In this backup**\n\n"
        f"- Made {when(preview.exported_at.astimezone())}\n"
        f"- For {names}\n"
        f"- {checkins}"
    )

    modes: list[Literal["merge", "replace"]] = ["merge", "replace"]
    mode = st.radio(
        "How should it come back?",
        modes,
        format_func={"merge": "Add it to what's here", "replace": "Replace what's here"}.get,
        captions=[
            "Adds the check-ins the backup has and Closer doesn't. Nothing here changes: "
            "where both have the same person's week, the one here stays.",
            "Closer becomes exactly the backup. Anything here that isn't in it, such as "
            "check-ins made since, is gone.",
        ],
        key="restore-mode",
    )
    replacing = mode == "replace"
    needed = (
        other is not None and other_locked and (replacing or other.id in merge_reaches(raw, found))
    )
    confirm = confirmed(
        "Restore this backup",
        key="restore-file",
        icon=":material/settings_backup_restore:",
        word=REPLACE_WORD if replacing else "",
        confirm_key="restore-confirm",
        consent_key="consent-restore-file",
        needs_consent=needed,
        primary=True,
    )
    if confirm is None:
        return
    consented, message = confirm
    refused: dict[type[Exception], str] = {
        file_format.BackupError: ERROR_ICON,
        consent.ConsentNeeded: ERROR_ICON,
    }
    with showing_store_errors(message, icon=DATABASE_ICON, also=refused):
        automatic.backup_file(couple.db_path, backups_dir, "before-restore")
        with store.open_db(couple.db_path, keys_for_change()) as db:
            added = restore.restore_backup(db, found, mode, consented=consented)
            same_person = still_here(db)
        restored(mode, added, same_person)


def restored(mode: str, added: restore.Restored, same_person: bool) -> None:
    """Say what a restore brought back, and start the restore section afresh."""
    st.session_state["restore-round"] = round_ + 1
    if mode == "replace":
        news = (
            "Restored. Closer now holds exactly what the backup holds: "
            f"{plural(added.checkins, 'check-in')}. What was here before is kept among the "
            "automatic backups below. Your passcodes are as they were."
        )
    elif added.checkins or added.partners:
        new = [plural(added.checkins, "check-in")]
        if added.partners:
            new.append(plural(added.partners, "person"))
        news = f"Added {' and '.join(new)} from the backup."
    else:
        news = "Everything in the backup was already here: nothing needed adding."
    done(news, still_me=same_person, reset=("restore-mode", "restore-confirm"))


if uploaded is not None:
    restore_from_file(uploaded.getvalue())


st.subheader("Scores for a spreadsheet", anchor=False)
st.markdown(
    "Your scores as a CSV file, one row per person, week and intimacy type, ready for Excel, "
    "Numbers or LibreOffice: all of yours, and your partner's for the weeks you have both "
    "checked in, as Closer shows them. No reflections are in it."
)
st.download_button(
    "Download scores (CSV)",
    data=on_click(lambda db: exports.scores_csv(db, me.id)),
    file_name=f"closer-scores-{today:%Y-%m-%d}.csv",
    mime="text/csv",
    icon=":material/table_view:",
    on_click="ignore",
    disabled=not weeks,
    key="download-scores",
)
if not weeks:
    st.caption("Your scores can be downloaded here after your first check-in.")


st.subheader("A summary to share", anchor=False)
st.markdown(
    "For a counsellor, or just for the two of you: scores week by week and the reflections "
    "you **both chose to share**. Private notes are never in it, and a week only one of you "
    "has checked in stays hidden, as it does here."
)
left, right = st.columns(2)
start = left.date_input(
    "From", value=current - timedelta(weeks=SUMMARY_WEEKS - 1), key="summary-from"
)
end = right.date_input("To", value=today, key="summary-to")
if end < start:
    st.error("The end date is before the start date.", icon=":material/error:")
else:
    with showing_store_errors(icon=DATABASE_ICON):
        with store.open_db(couple.db_path) as db:
            summary = exports.summary_markdown(db, start, end)
        # In an expander at full length: a fixed-height box would scroll, and a scrolling
        # box the keyboard cannot reach hides the end of the file from keyboard users.
        with st.expander("The file's text, exactly as it will be saved (Markdown)"):
            st.code(summary, language=None, wrap_lines=True)
        st.download_button(
            "Download the summary (.md)",
            data=summary,
            file_name=f"closer-summary-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.md",
            mime="text/markdown",
            icon=":material/description:",
            on_click="ignore",
            key="download-summary",
        )


st.subheader("Automatic backups", anchor=False)
st.markdown(
    "Closer copies its whole file into the folder below the first time it opens each week, "
    f"before it updates how it stores things, and before any restore. It keeps the newest "
    f"{automatic.KEEP_BACKUPS}."
)
st.code(str(backups_dir), language=None, wrap_lines=True)


def restore_saved_backup() -> None:
    """Pick an automatic backup and put it back, after a confirmation."""
    # A static table, not st.dataframe: its interactive grid cost the browser about 40 ms
    # of main-thread time on every visit to this page, for at most a dozen rows. Cells are
    # Markdown in st.table; all of these are Closer's own words (a backup's reason is
    # lowercase words and dashes, checked when the file is named).
    st.table(
        pd.DataFrame(
            {
                "Made": [when(b.created) for b in saved_backups],
                "Why": [
                    REASONS.get(b.reason, b.reason.replace("-", " ").capitalize())
                    for b in saved_backups
                ],
                "Size": [size(b.size) for b in saved_backups],
            }
        ),
        hide_index=True,
        border="horizontal",
    )
    chosen = st.selectbox(
        "Go back to",
        saved_backups,
        format_func=lambda b: when(b.created),
        key="saved-backup",
    )
    confirm = confirmed(
        "Restore this copy",
        key="saved-backup-restore",
        icon=":material/settings_backup_restore:",
        tick="I understand everything in Closer now is replaced by this copy",
        confirm_key="saved-backup-sure",
        consent_key="consent-saved-backup",
        needs_consent=other_locked,
    )
    if confirm is None:
        return
    consented, message = confirm
    with showing_store_errors(message, icon=DATABASE_ICON, also=NEEDS_CONSENT):
        automatic.restore_backup_file(
            chosen.path,
            couple.db_path,
            backups_dir,
            consented=consented,
            keyring=keys_for_change(),
        )
        with store.open_db(couple.db_path) as db:
            same_person = still_here(db)
        done(
            f"Restored the copy from {when(chosen.created)}, with your passcodes as they are "
            "now. What was here just before is kept as a new automatic backup, so you can go "
            "back.",
            still_me=same_person,
            reset=("saved-backup", "saved-backup-sure"),
        )


if saved_backups:
    restore_saved_backup()
else:
    st.caption("No automatic backups yet. The first one is made the next time Closer starts.")


st.divider()
show_unreadable_rows(couple.db_path, unreadable, me, {p.id: p.name for p in partners}, FLASH)
st.subheader("Delete", anchor=False)
partner_note = (
    f" {escape_markdown(couple.partner.name)}'s check-in for that week stays: only they can "
    "delete theirs."
    if couple.partner
    else ""
)
st.markdown(
    "**One week's check-in.** Your own check-in for the week you choose goes for good, with "
    f"its scores, notes and every earlier version.{partner_note} Automatic backups made "
    "earlier still hold it until newer ones replace them."
)
if not my_weeks:
    st.caption("You haven't checked in yet, so there's nothing of yours to delete.")
else:
    week = st.selectbox(
        "Week",
        my_weeks,
        format_func=lambda w: relative_week_label(w, current),
        key="delete-week",
    )
    confirm = confirmed(
        "Delete my check-in",
        key="delete-week-button",
        icon=":material/delete:",
        tick="I understand my check-in for this week is gone for good",
        confirm_key="delete-week-sure",
    )
    if confirm is not None:
        message = confirm[1]
        with showing_store_errors(message, icon=DATABASE_ICON):
            with store.open_db(couple.db_path) as db:
                erase.delete_week(db, week, partner_id=me.id)
            done(
                f"Deleted your check-in for the week of {week_label(week)}.",
                reset=("delete-week", "delete-week-sure"),
            )

st.markdown(
    "**Everything.** Every check-in, note, plan and setting, and both of your names: Closer "
    "starts again at its welcome page. The automatic backups stay in their folder (shown "
    "above) until you delete them yourself, and so do any backup files you downloaded."
)
confirm = confirmed(
    "Delete everything",
    key="delete-everything-button",
    icon=":material/delete_forever:",
    word=DELETE_PHRASE,
    confirm_key="delete-everything-phrase",
    consent_key="consent-delete-everything",
    needs_consent=other_locked,
)
if confirm is not None:
    consented, message = confirm
    with showing_store_errors(message, icon=DATABASE_ICON, also=NEEDS_CONSENT):
        with store.open_db(couple.db_path) as db:
            erase.delete_everything(db, consented=consented)
        # Closer shows its welcome page next: no message would wait here for a later visit.
        done(None, still_me=False, reset=("delete-everything-phrase",))
