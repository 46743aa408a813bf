"""Reads that change only when a check-in is saved, kept between reruns per data version."""

from datetime import date

import pandas as pd
import streamlit as st
from sqlite_utils import Database

from closer import store
from views.parts.components import Couple


def recent_scores(couple: Couple, db: Database, since: date) -> pd.DataFrame:
    """Every score from the week `since` on (store.load_scores), read again only after a save.

    Both partners' scores, as the store gives them: each page still passes them through
    `visible_scores` for its viewer.
    """
    names = tuple(p.name for p in (couple.me, couple.partner) if p is not None)
    return _scores(str(couple.db_path), store.data_version(db), names, since, db)


# A year of scores took 15-35 ms to read on ten years of sample data, on every rerun of Home,
# Suggestions and Our talk. The data version changes with every check-in saved, edited,
# deleted or restored; the names are in the key because each row carries its partner's name.
@st.cache_data(max_entries=32, show_spinner=False)
def _scores(
    db_path: str, version: str, names: tuple[str, ...], since: date, _db: Database
) -> pd.DataFrame:
    """The scores of one file at one data version (db_path, version and names are the key)."""
    return store.load_scores(_db, since=since)
