"""What a page says after an action: a database problem in plain words, or news of a save."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from closer import store
from closer.markdown import escape_markdown

ERROR_ICON = ":material/error:"
DATABASE_ICON = ":material/database:"


@contextmanager
def showing_store_errors(
    where: DeltaGenerator | None = None,
    *,
    then: str = "",
    icon: str = ERROR_ICON,
    also: Mapping[type[Exception], str] | None = None,
    stop: bool = False,
) -> Iterator[None]:
    """Run a block of storage work; a database problem in it is shown, never raised.

    The message goes to ``where`` (the page when None), followed by ``then`` (what that
    means for the person). ``also`` maps further expected errors to their own icon;
    ``stop`` ends the page after the message, when nothing below can do without the data.
    Put what should happen only on success inside the block, after the storage work.
    """
    # The caller's own kinds first: a more particular error keeps its own icon.
    icons = {**(also or {}), store.StoreError: icon}
    kinds: tuple[type[Exception], ...] = tuple(icons)
    try:
        yield
    except kinds as error:
        shown = next(i for kind, i in icons.items() if isinstance(error, kind))
        words = escape_markdown(str(error)) + (f" {then}" if then else "")
        (st if where is None else where).error(words, icon=shown)
        if stop:
            st.stop()


def flash(key: str, news: str) -> None:
    """Keep news for the page's next run, where ``show_flash`` shows it once."""
    st.session_state[key] = news


def show_flash(key: str, where: DeltaGenerator | None = None) -> None:
    """Show the news kept under ``key`` once, as a success, and forget it."""
    news = st.session_state.pop(key, None)
    if news:
        (st if where is None else where).success(news, icon=":material/check_circle:")
