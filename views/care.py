"""The care note: a calm pointer to outside help when the check-ins say things feel heavy."""

from __future__ import annotations

from datetime import date

import streamlit as st

from closer import csi4, plans, store
from closer.reveal import visible_scores
from views.components import Couple


def show_care_note(couple: Couple) -> None:
    """Show the care note this partner should see, if any; nothing at all otherwise."""
    me, partner = couple.me, couple.partner
    today = date.today()
    with store.open_db(couple.db_path) as db:
        records = store.load_csi(db)
        scores = store.load_scores(db, since=plans.csi_window_start(today))
    partner_ids = [me.id] + ([partner.id] if partner else [])
    scores = visible_scores(scores, me.id, partner_ids)
    latest = plans.latest_csi(records, since=plans.csi_window_start(today))
    seen = csi4.visible_csi(latest, me.id, plans.checkin_weeks(scores, me.id))
    means = plans.weekly_couple_means(scores, since=plans.care_window_start(today))
    note = csi4.care_note(me.id, plans.csi_results(seen), means)
    if note is not None:
        st.info(note.text, icon=":material/volunteer_activism:")
