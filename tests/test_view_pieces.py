"""The pieces pages share: store problems and saved news, plan items, the check-in slot."""

from __future__ import annotations

from datetime import time

from streamlit.testing.v1 import AppTest


def _store_problem(where: str, then: str, stop: bool, raised: str) -> None:
    import streamlit as st

    from closer import store
    from closer.backup import file_format
    from views.parts.notices import showing_store_errors

    errors = {
        "store": store.StoreError("The file is *busy*."),
        "backup": file_format.BackupError("Not a backup."),
        "other": ValueError("not ours"),
    }
    place = st.empty() if where == "placeholder" else None
    with showing_store_errors(
        place, then=then, also={file_format.BackupError: ":material/lock:"}, stop=stop
    ):
        st.text("before")
        if raised in errors:
            raise errors[raised]
        st.text("after")
    st.text("below")


def _run_store_problem(where="page", then="", stop=False, raised="store") -> AppTest:
    at = AppTest.from_function(_store_problem, args=(where, then, stop, raised), default_timeout=30)
    return at.run()


def test_a_store_problem_is_shown_escaped_with_what_it_means():
    at = _run_store_problem(then="Nothing was saved.")
    assert not at.exception
    assert [e.value for e in at.error] == [r"The file is \*busy\*\. Nothing was saved."]
    assert at.error[0].icon == ":material/error:"
    # The rest of the block is skipped; the page goes on below it.
    assert [t.value for t in at.text] == ["before", "below"]


def test_a_store_problem_can_end_the_page():
    at = _run_store_problem(stop=True)
    assert [e.value for e in at.error] == [r"The file is \*busy\*\."]
    assert [t.value for t in at.text] == ["before"]


def test_another_expected_error_keeps_its_own_icon_and_place():
    at = _run_store_problem(where="placeholder", raised="backup")
    assert [(e.value, e.icon) for e in at.error] == [(r"Not a backup\.", ":material/lock:")]


def test_without_a_problem_the_whole_block_runs():
    at = _run_store_problem(raised="none")
    assert not at.error
    assert [t.value for t in at.text] == ["before", "after", "below"]


def test_an_unexpected_error_is_not_swallowed():
    at = _run_store_problem(raised="other")
    assert not at.error
    assert len(at.exception) == 1  # the page's own error screen, as for any bug
    assert [t.value for t in at.text] == ["before"]


def _flash_page() -> None:
    import streamlit as st

    from views.parts.notices import flash, show_flash

    show_flash("news")
    if st.button("Save", key="save"):
        flash("news", "Saved.")
        st.rerun()


def test_flash_news_is_shown_once_after_the_rerun():
    at = AppTest.from_function(_flash_page, default_timeout=30).run()
    assert not at.success
    at.button(key="save").click().run()
    assert [(s.value, s.icon) for s in at.success] == [("Saved.", ":material/check_circle:")]
    at.run()
    assert not at.success


def _plan_items() -> None:
    from closer import store
    from views.parts.plan_item import show_plan_item

    week = __import__("datetime").date(2026, 11, 30)
    show_plan_item(store.PlanItem(1, week, "question", "emo-l-01", "emotional", 1, None))
    show_plan_item(store.PlanItem(2, week, "exercise", "twenty-second-hug", "physical", 1, None))
    show_plan_item(
        store.PlanItem(3, week, "commitment", None, None, 2, "**Cook** on Thursday"),
        "**Sam will:**",
    )


def test_a_plan_item_reads_the_same_everywhere():
    at = AppTest.from_function(_plan_items, default_timeout=30).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == [
        r":material/chat_bubble: What was the nicest small moment of your day today\?",
        r":material/directions_walk: **The 20\-second hug**",
        ":material/volunteer_activism: **Sam will:**",
    ]
    # A promise is shown exactly as typed, never as Markdown.
    assert [t.value for t in at.text] == ["**Cook** on Thursday"]


def _slot(prefix: str) -> None:
    from datetime import time

    import streamlit as st

    from views.parts.checkin_slot import pick_checkin_slot

    day, at = pick_checkin_slot(2, time(19, 30), key_prefix=prefix)
    st.text(f"{day} {at:%H:%M}")


def test_the_slot_pickers_start_at_the_slot_and_return_the_choice():
    at = AppTest.from_function(_slot, args=("settings-",), default_timeout=30).run()
    assert at.selectbox(key="settings-weekday").value == 2
    assert at.selectbox(key="settings-weekday").format_func(2) == "Wednesday"
    assert at.text[0].value == "2 19:30"
    at.selectbox(key="settings-weekday").set_value(6)
    at.time_input(key="settings-time").set_value(time(7, 15)).run()
    assert at.text[0].value == "6 07:15"
