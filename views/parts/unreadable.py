"""Your data's list of rows Closer can't read, and the button that deletes one's own."""

import pandas as pd
import streamlit as st

from closer import store
from closer.markdown import escape_markdown
from closer.words import plural
from views.parts.notices import DATABASE_ICON, flash, showing_store_errors


def show_unreadable_rows(
    db_path, rows: list[store.UnreadableRow], me: store.Partner, names: dict[int, str], news: str
) -> None:
    """List the rows every page leaves out; delete the viewer's own (and nobody's) on request.

    ``news`` is the flash key the page shows its confirmations under.
    """
    if not rows:
        return
    st.subheader("Rows Closer can't read", anchor=False)
    st.markdown(
        f"Closer's file holds {plural(len(rows), 'row')} it can't read, perhaps written by "
        "another program or left by a damaged disk. Every page leaves them out, so nothing "
        "else is affected. Delete yours here, or go back to an automatic backup from before "
        "they appeared."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "What": [r.what for r in rows],
                "Week": [r.week for r in rows],
                "Whose": [
                    "Both of you" if r.owner_id is None else names.get(r.owner_id, "Both of you")
                    for r in rows
                ],
                "Why": [r.problem for r in rows],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    mine = [r for r in rows if r.owner_id in (None, me.id)]
    others = sorted({names[r.owner_id] for r in rows if r.owner_id not in (None, me.id)})
    if others:
        st.caption(
            f"Only {escape_markdown(' and '.join(others))} can delete the rows that are theirs."
        )
    if not mine:
        return
    if st.button(
        f"Delete {'it' if len(mine) == 1 else f'these {len(mine)}'}"
        if len(mine) == len(rows)
        else f"Delete the {len(mine)} that aren't {escape_markdown(' or '.join(others))}'s",
        icon=":material/delete:",
        key="delete-unreadable",
    ):
        with showing_store_errors(icon=DATABASE_ICON):
            with store.open_db(db_path) as db:
                deleted = sum(
                    store.delete_unreadable_row(db, r.table, r.rowid, me.id) for r in mine
                )
            flash(news, f"Deleted {plural(deleted, 'row')} Closer couldn't read.")
            st.rerun()
