"""Home's top: the greeting, where this week's check-in stands, and the plan you're living."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import streamlit as st

from closer import nudges, plans, store
from closer.markdown import escape_markdown
from closer.reveal import WeekStatus, view_week
from views.parts.components import Couple
from views.parts.plan_item import show_plan_item

CHECK_IN = "views/pages/check_in.py"
THIS_WEEK = "views/pages/this_week.py"


# A page link, not a button with st.switch_page (which drops the sidebar's "I am" in a
# browser), drawn as a wide primary button so it is the obvious next tap.
# The theme's own primary colour (.streamlit/config.toml), which reads at 4.5:1 under white:
# Streamlit sets no CSS variable for it, and a fallback red failed the contrast check.
# Streamlit's own hover background for a page link is pale and would win on hover (and, on
# a phone, stay after the tap that opened the page): white on it was unreadable.
BIG_LINK_CSS = """<style>
[class*="st-key-big-link-"] a {
  background: PRIMARY !important; border-radius: 0.5rem;
  justify-content: center; min-height: 3rem;
}
[class*="st-key-big-link-"] a:hover { filter: brightness(0.9); }
[class*="st-key-big-link-"] a, [class*="st-key-big-link-"] a * { color: #fff !important; }
</style>"""


def big_link(label: str, page: str, key: str, icon: str) -> None:
    """One tap to a page, as wide and as bold as a primary button."""
    st.html(BIG_LINK_CSS.replace("PRIMARY", str(st.get_option("theme.primaryColor"))))
    with st.container(key=f"big-link-{key}"):
        st.page_link(page, label=f"**{label}**", icon=icon, width="stretch")


def show_week_at_home(couple: Couple, current: date, now: datetime) -> None:
    """The greeting, then this week's state in big words on check-in day, and the plan."""
    me, partner, settings = couple.me, couple.partner, couple.settings
    with couple.open_db() as db:
        checkins = store.load_week(db, current)
        plan_by_week = {w: store.load_plan(db, w) for w in (current, current - timedelta(weeks=1))}
    view = view_week(current, me.id, partner.id if partner else None, checkins)
    lived = nudges.plan_week(current, [w for w, items in plan_by_week.items() if items])
    checkin_time = nudges.is_checkin_time(now, settings.checkin_weekday, settings.checkin_time)
    them = escape_markdown(partner.name) if partner else ""

    st.title(f"Hello, {escape_markdown(me.name)}")
    with st.container(key="home-week"):
        if view.status is WeekStatus.SOLO and view.mine is not None:
            st.success("This week's check-in is done.", icon=":material/check_circle:")
        elif view.status is WeekStatus.REVEALED:
            st.subheader("Your week is ready", anchor=False)
            st.caption("You've both checked in: see each other's answers side by side.")
            big_link("See this week together", THIS_WEEK, "home-reveal", ":material/favorite:")
        elif view.status is WeekStatus.WAITING_FOR_PARTNER:
            st.info(
                f"You've checked in. Waiting for {them}: you'll see each other's answers once "
                "they have too.",
                icon=":material/hourglass_top:",
            )
        else:
            if checkin_time:
                st.header("It's check-in time", anchor=False)
            if view.status is WeekStatus.WAITING_FOR_ME:
                st.subheader(f"{them} has checked in — your turn", anchor=False)
            else:
                st.info("You haven't checked in this week yet.", icon=":material/edit_note:")
                if partner is not None and checkin_time:
                    st.caption(f"{them} hasn't checked in yet either.")
            big_link("Check in now", CHECK_IN, "home-check-in", ":material/edit_note:")

        if lived is not None:
            items = plan_by_week[lived]
            promised = plans.commitments(items)
            st.subheader("Your plan this week", anchor=False)
            for item in items:
                if item.kind != "commitment":
                    show_plan_item(item)
            people = [me] + ([partner] if partner else [])
            for person in people:
                if person.id in promised:
                    who = "You" if person.id == me.id else escape_markdown(person.name)
                    show_plan_item(promised[person.id], f"**{who} will:**")
