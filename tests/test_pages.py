"""Every page, run through AppTest against a real database file."""

from __future__ import annotations

from pathlib import Path

from closer import store
from closer.markdown import escape_markdown
from closer.passcode import KEY_VERIFIED
from closer.settings import Settings
from tests.apptest import (
    CHECKIN,
    fill_checkin,
    go_to_review,
    open_app,
    open_scores_tab,
    open_words_tab,
    texts_on_screen,
)
from tests.factories import set_passcode_hash


def test_empty_database_opens_onboarding(db_path):
    at = open_app()
    assert [t.value for t in at.title] == ["Welcome to Closer"]
    assert [t.label for t in at.text_input] == ["Your name", "Your partner's name (optional)"]
    assert all(c.value for c in at.checkbox)  # all six types on by default
    assert len(at.checkbox) == 6
    assert at.selectbox(key="weekday").value == 6  # Sunday
    assert at.time_input(key="time").value.strftime("%H:%M") == "20:00"


def test_onboarding_sets_up_couple_and_schedule(db_path):
    at = open_app()
    at.text_input(key="welcome-name-1").input("  Alex ")
    at.text_input(key="welcome-name-2").input("Sam")
    at.checkbox(key="dim-spiritual").uncheck()
    at.selectbox(key="weekday").set_value(4)
    at.button[0].click().run()
    assert not at.error
    with store.open_db(db_path) as db:
        assert [p.name for p in store.list_partners(db)] == ["Alex", "Sam"]
        settings = store.load_settings(db)
    assert "spiritual" not in settings.active_dimensions
    assert len(settings.active_dimensions) == 5
    assert settings.checkin_weekday == 4


def test_onboarding_errors_sit_next_to_fields_and_keep_what_was_typed(db_path):
    at = open_app()
    at.text_input(key="welcome-name-1").input("Sam")
    at.text_input(key="welcome-name-2").input(" sam ")
    for key in ("emotional", "physical", "intellectual", "spiritual", "social", "sexual"):
        at.checkbox(key=f"dim-{key}").uncheck()
    at.button[0].click().run()
    assert [e.value for e in at.error] == [
        "The two of you need different names here.",
        "Choose at least one thing to track.",
    ]
    assert at.text_input(key="welcome-name-1").value == "Sam"
    assert at.text_input(key="welcome-name-2").value == " sam "
    with store.open_db(db_path) as db:
        assert store.list_partners(db) == []


def test_solo_onboarding_is_allowed(db_path):
    at = open_app()
    at.text_input(key="welcome-name-1").input("Alex")
    at.button[0].click().run()
    with store.open_db(db_path) as db:
        assert [p.name for p in store.list_partners(db)] == ["Alex"]


def test_nobody_chosen_asks_who_is_here(couple):
    at = open_app()
    assert [t.value for t in at.title] == ["Who's here?"]
    assert [b.label for b in at.button] == ["I'm Alex", "I'm Sam"]
    assert not at.get("slider")


def test_choosing_who_is_here_with_a_button(couple):
    _, sam = couple
    at = open_app()
    next(b for b in at.button if b.label == "I'm Sam").click().run()
    assert not at.exception
    assert at.session_state["partner_id"] == sam.id
    assert at.title[0].value == "Hello, Sam"


def test_checkin_page_shows_unanswered_tap_scores_per_active_type(couple):
    alex, _ = couple
    at = open_app(alex.id, CHECKIN)
    assert [t.value for t in at.title] == ["Weekly check-in"]
    assert not at.get("slider")
    assert [p.value for p in at.pills] == [None] * 6
    assert at.pills[0].options == [str(n) for n in range(1, 11)]
    assert len(at.text_area) == 0  # only the open tab is drawn
    open_words_tab(at, alex.id)
    assert len(at.pills) == 0
    assert len(at.text_area) == 5
    assert [t.label for t in at.toggle] == ["Share with Sam"] * 5
    # "Something on my mind" starts private; everything else starts shared.
    assert [t.value for t in at.toggle] == [True, True, False, True, True]


def test_checkin_saves_and_confirms_with_week_count(db_path, couple):
    alex, _ = couple
    at = fill_checkin(open_app(alex.id, CHECKIN), alex.id, {"physical": 8, "sexual": None})
    assert "That's 1 week you've checked in." in at.success[0].value
    with store.open_db(db_path) as db:
        saved = store.load_checkin(db, alex.id, store.checked_in_weeks(db)[0])
    # Only what was given: a score, a skip (None), and four types absent (not answered).
    assert saved.answers.scores == {"physical": 8, "sexual": None}


def test_bad_reflection_is_refused_next_to_the_field_and_kept(db_path, couple):
    alex, _ = couple
    pasted = "we talked\x1b[31m a lot"
    at = fill_checkin(open_app(alex.id, CHECKIN), alex.id, {"physical": 8}, {"working": pasted})
    # Said by the Save button, naming the step and the note.
    assert [e.value for e in at.error] == [
        "In your words, “What is working well between us”: This text contains hidden "
        "control characters (often from a paste). Retype the affected part and save again.",
    ]
    open_words_tab(at, alex.id)
    assert at.text_area(key=at.text_area[0].key).value == pasted
    assert open_scores_tab(at, alex.id).pills[1].value == 8
    with store.open_db(db_path) as db:
        assert store.checked_in_weeks(db) == []


def test_an_over_long_reflection_is_kept_with_a_message_and_not_saved(db_path, couple):
    alex, _ = couple
    at = open_words_tab(open_app(alex.id, CHECKIN), alex.id)
    # No cap in the widget: a browser drops a paste over max_chars whole.
    assert {t.max_chars for t in at.text_area} == {0}  # 0: no limit
    long_text = "a" * 2999 + "z"
    at.text_area(key=at.text_area[0].key).input(long_text).run()
    assert at.warning[0].value == (
        "This is 3,000 characters; the limit is 2,000. "
        "Everything you wrote is still here: shorten it a little, then save."
    )
    at = fill_checkin(at, alex.id, {"physical": 8})
    assert "This is 3,000 characters" in at.error[0].value
    assert open_words_tab(at, alex.id).text_area[0].value == long_text
    with store.open_db(db_path) as db:
        assert store.checked_in_weeks(db) == []


def test_everything_skipped_and_empty_is_refused(db_path, couple):
    alex, _ = couple
    skip_all = dict.fromkeys(
        ["emotional", "physical", "intellectual", "spiritual", "social", "sexual"]
    )
    at = fill_checkin(open_app(alex.id, CHECKIN), alex.id, skip_all)
    assert at.error[0].value.startswith("There is nothing to save yet")
    with store.open_db(db_path) as db:
        assert store.checked_in_weeks(db) == []


def test_reopening_shows_saved_answers(couple):
    alex, _ = couple
    fill_checkin(open_app(alex.id, CHECKIN), alex.id, {"physical": 9}, {"working": "our walk"})
    at = open_app(alex.id, CHECKIN)
    assert at.pills[1].value == 9
    # Said once, on the first step, with the week's choice; later steps name only the week.
    assert "earlier version is kept" in at.info[0].value
    words = open_words_tab(at, alex.id)
    assert words.text_area[0].value == "our walk"
    assert not any("earlier version is kept" in i.value for i in words.info)
    assert not words.radio  # the week's choice is on the first step only
    assert "For the week of" in words.caption[0].value
    assert any(b.label == "Save changes" for b in go_to_review(at).button)


def test_turning_a_type_off_removes_it_from_the_form(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_settings(db, Settings(("emotional", "physical")))
    at = open_app(alex.id, CHECKIN)
    assert [p.label for p in at.pills] == ["Emotional", "Physical"]


def test_this_week_page_with_nothing_yet(couple):
    alex, _ = couple
    at = open_app(alex.id, "views/pages/this_week.py")
    assert at.info[0].value == "Nobody has checked in for this week yet."


def test_history_page_empty_state(couple):
    alex, _ = couple
    at = open_app(alex.id, "views/pages/history.py")
    assert "first check-in" in at.info[0].value


def test_history_lists_weeks_newest_first(db_path, couple):
    from datetime import timedelta

    from tests.apptest import current_week
    from tests.factories import answers

    alex, _ = couple
    this_week = current_week()
    with store.open_db(db_path) as db:
        for weeks_ago in (0, 2):
            store.save_checkin(db, alex.id, this_week - timedelta(weeks=weeks_ago), answers())
    at = open_app(alex.id, "views/pages/history.py")
    weeks = at.radio(key="history-week-0")
    assert len(weeks.options) == 2
    assert weeks.options[0].startswith("This week")
    assert at.caption[0].value == "2 weeks with a check-in, newest first."
    assert "history-range" not in [b.key for b in at.selectbox]  # one page: no choice


def test_history_pages_by_week_ranges(db_path, couple):
    from datetime import date, timedelta

    from tests.factories import answers

    alex, _ = couple
    first = date(2026, 1, 5)
    with store.open_db(db_path) as db:
        for n in range(10):
            store.save_checkin(db, alex.id, first + timedelta(weeks=n), answers())
    at = open_app(alex.id, "views/pages/history.py")
    ranges = at.selectbox(key="history-range")
    # Newest first, eight weeks a page: 9 Mar back to 19 Jan, then 12 and 5 Jan.
    assert ranges.options == ["19 Jan 2026 – 9 Mar 2026", "5 Jan 2026 – 12 Jan 2026"]
    assert len(at.radio(key="history-week-0").options) == 8
    ranges.set_value(1).run()
    assert at.radio(key="history-week-1").options == ["12–18 Jan 2026", "5–11 Jan 2026"]


def test_settings_page_renames_and_validates(db_path, couple):
    alex, sam = couple
    at = open_app(sam.id, "views/pages/our_settings.py")
    at.text_input(key=f"name-{sam.id}").input("alex")
    next(b for b in at.button if b.label == "Save names").click().run()
    assert at.error[0].value == "The two of you need different names here."
    assert at.text_input(key=f"name-{sam.id}").value == "alex"
    at.text_input(key=f"name-{sam.id}").input("Samira")
    next(b for b in at.button if b.label == "Save names").click().run()
    assert at.success[0].value == "Names saved."
    with store.open_db(db_path) as db:
        assert [p.name for p in store.list_partners(db)] == ["Alex", "Samira"]


def test_settings_turning_a_type_off_keeps_history(db_path, couple):
    alex, _ = couple
    fill_checkin(open_app(alex.id, CHECKIN), alex.id, {"spiritual": 3})
    at = open_app(alex.id, "views/pages/our_settings.py")
    at.checkbox(key="settings-dim-spiritual").uncheck()
    next(b for b in at.button if b.label == "Save" and b.form_id == "tracking").click().run()
    with store.open_db(db_path) as db:
        assert "spiritual" not in store.load_settings(db).active_dimensions
        assert "spiritual" in set(store.load_scores(db)["dimension"])
    at = open_app(alex.id, "views/pages/history.py")
    assert any("Spiritual" in t for t in texts_on_screen(at))  # its card, in history


def test_unreadable_database_file_gets_a_clear_message(tmp_path, monkeypatch):
    path = tmp_path / "closer.db"
    path.write_text("not a database at all")
    monkeypatch.setenv("CLOSER_DB", str(path))
    at = open_app()
    assert at.title[0].value == "Closer can't open its database"
    # Escaped for Markdown, so a path with underscores shows as typed, not in italics.
    assert escape_markdown(str(path)) in at.error[0].value
    assert path.read_text() == "not a database at all"


def test_passcode_set_then_asked_once_per_session_and_switch_forgets(db_path, couple):
    alex, sam = couple
    at = open_app(alex.id, "views/pages/our_settings.py")
    at.text_input(key="passcode-new").input("tulip 42")
    at.text_input(key="passcode-repeat").input("tulpi")
    next(b for b in at.button if b.label == "Set passcode").click().run()
    assert "don't match" in at.error[0].value
    at.text_input(key="passcode-repeat").input("tulip 42")
    next(b for b in at.button if b.label == "Set passcode").click().run()
    assert at.success[0].value.startswith("Passcode set.")
    with store.open_db(db_path) as db:
        stored = store.load_unlock_state(db, alex.id).passcode_hash
    # No hash to guess against: only the wrapped key checks the passcode.
    assert stored == KEY_VERIFIED

    at = open_app(alex.id)  # a new browser session
    assert at.title[0].value == "Welcome back"
    assert not at.slider  # nothing of Alex's before the passcode
    at.text_input(key=f"passcode-{alex.id}").input("wrong")
    next(b for b in at.button if b.label == "Unlock").click().run()
    assert at.error[0].value == "That passcode isn't right."
    at.text_input(key=f"passcode-{alex.id}").input("tulip 42")
    next(b for b in at.button if b.label == "Unlock").click().run()
    assert (str(db_path), alex.id) in at.session_state["unlocked"]
    at.run()
    assert at.title[0].value == "Hello, Alex"

    at.session_state["partner_id"] = sam.id  # switch person: Sam has no passcode
    at.run()
    assert at.title[0].value == "Hello, Sam"
    at.session_state["partner_id"] = alex.id  # and back: asked again
    at.run()
    assert at.title[0].value == "Welcome back"


def test_five_wrong_tries_make_the_next_one_wait(db_path, couple):
    from closer.passcode import hash_passcode

    alex, _ = couple
    with store.open_db(db_path) as db:
        set_passcode_hash(db, alex.id, hash_passcode("tulip 42"))
        for _ in range(5):
            store.record_unlock(db, alex.id, success=False)
    at = open_app(alex.id)
    assert "next try opens in" in at.warning[0].value
    at.text_input(key=f"passcode-{alex.id}").input("tulip 42")  # even the right one waits
    next(b for b in at.button if b.label == "Unlock").click().run()
    assert at.warning[0].value.startswith("Please wait")
    assert at.title[0].value == "Welcome back"


def test_first_visit_of_the_week_makes_one_backup(db_path, couple):
    from closer.backup import automatic

    folder = automatic.default_backups_dir(db_path)
    open_app(couple[0].id)
    open_app(couple[1].id)  # a second session the same week adds none
    made = automatic.list_backups(folder)
    assert [b.reason for b in made] == ["weekly"]


def test_an_upgrade_takes_a_backup_first(tmp_path, monkeypatch):
    import shutil

    from closer.backup import automatic

    fixture = Path(__file__).parent / "fixtures" / "closer-v1.db"
    path = tmp_path / "closer.db"
    shutil.copy(fixture, path)
    monkeypatch.setenv("CLOSER_DB", str(path))
    open_app()
    made = automatic.list_backups(automatic.default_backups_dir(path))
    assert "before-upgrade" in [b.reason for b in made]
    with store.open_db(made[-1].path) as db:  # the copy is of the old schema
        assert [m.name for m in store.migrations.applied(db)] == ["m001_initial"]


def test_settings_schedule_offers_a_new_calendar_file_and_csi_can_be_turned_off(db_path, couple):
    alex, _ = couple
    at = open_app(alex.id, "views/pages/our_settings.py")
    (download,) = at.get("download_button")
    assert download.proto.label == "Add to my calendar"
    at.selectbox(key="settings-weekday").set_value(0)
    next(b for b in at.button if b.label == "Save" and b.form_id == "schedule").click().run()
    assert at.success[0].value == "Check-in time saved: Mondays at 20:00."
    (download,) = at.get("download_button")
    assert download.proto.label == "Get the new calendar entry"
    at.toggle(key="settings-csi").set_value(False)
    next(b for b in at.button if b.label == "Save" and b.form_id == "tracking").click().run()
    with store.open_db(db_path) as db:
        settings = store.load_settings(db)
    assert (settings.checkin_weekday, settings.csi_enabled) == (0, False)


def test_this_week_alone_before_checking_in_says_nobody_has_yet(db_path):
    # Alone (no partner yet) and not checked in: the week has nothing to show, and says so
    # (this state once read the missing check-in's answers and raised).
    with store.open_db(db_path) as db:
        (alex,) = store.setup_couple(db, ["Alex"], Settings())
    at = open_app(alex.id, "views/pages/this_week.py")
    assert not at.exception
    assert [i.value for i in at.info] == ["Nobody has checked in for this week yet."]
