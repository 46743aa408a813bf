"""Home carries the week: check-in time, who has checked in, the reveal a tap away, the plan.

The couple's slot is set from the test's own clock (a minute ago: check-in time now; in
three hours: not yet), so each test means the same thing at any hour it runs.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from closer import store
from closer.settings import Settings
from closer.weeks import checkin_week
from tests.apptest import open_app, texts_on_screen
from tests.factories import answers

HOME = "views/pages/home.py"


def set_slot(db_path, moment: datetime) -> date:
    """Put the couple's slot at `moment` (weekday and minute); returns the week of now."""
    at = time(moment.hour, moment.minute)
    with store.open_db(db_path) as db:
        store.save_settings(db, Settings(checkin_weekday=moment.weekday(), checkin_time=at))
    return checkin_week(datetime.now(), moment.weekday(), at)


def slot_a_minute_ago(db_path) -> date:
    return set_slot(db_path, datetime.now() - timedelta(minutes=1))


def check_in(db_path, partner_id: int, week: date) -> None:
    with store.open_db(db_path) as db:
        store.save_checkin(db, partner_id, week, answers({"emotional": 8}))


def links(at) -> dict[str, str]:
    """The page links on screen: label to the page's URL path."""
    return {link.proto.label: link.proto.page for link in at.get("page_link")}


def headers(at) -> list[str]:
    return [h.value for h in at.header] + [h.value for h in at.subheader]


def test_checkin_time_before_anyone_has(db_path, couple):
    alex, _ = couple
    slot_a_minute_ago(db_path)
    at = open_app(alex.id, HOME)
    assert headers(at)[:1] == ["It's check-in time"]
    assert "Sam hasn't checked in yet either." in [c.value for c in at.caption]
    assert links(at)["**Check in now**"] == "check-in"
    assert "Next check-in" not in headers(at)


def test_after_the_partner_has_checked_in_it_is_your_turn(db_path, couple):
    alex, sam = couple
    week = slot_a_minute_ago(db_path)
    check_in(db_path, sam.id, week)
    at = open_app(alex.id, HOME)
    assert headers(at)[0] == "It's check-in time"
    assert "Sam has checked in — your turn" in headers(at)
    # And Sam, who has, waits.
    at = open_app(sam.id, HOME)
    assert "It's check-in time" not in headers(at)
    assert any(i.value.startswith("You've checked in. Waiting for Alex") for i in at.info)


def test_after_both_the_week_is_ready_one_tap_from_the_reveal(db_path, couple):
    alex, sam = couple
    week = slot_a_minute_ago(db_path)
    check_in(db_path, sam.id, week)
    check_in(db_path, alex.id, week)
    at = open_app(alex.id, HOME)
    assert "Your week is ready" in headers(at)
    assert "It's check-in time" not in headers(at)
    assert links(at)["**See this week together**"] == "this-week"


def test_before_the_slot_home_says_when_it_is(db_path, couple):
    alex, _ = couple
    set_slot(db_path, datetime.now() + timedelta(hours=3))
    at = open_app(alex.id, HOME)
    assert "It's check-in time" not in headers(at)
    assert "You haven't checked in this week yet." in [i.value for i in at.info]
    assert "Next check-in" in headers(at)


def test_this_weeks_plan_and_both_promises(db_path, couple):
    alex, sam = couple
    week = slot_a_minute_ago(db_path)
    with store.open_db(db_path) as db:
        # Made at last week's talk: the plan being lived this week.
        store.save_commitment(db, week - timedelta(weeks=1), alex.id, "Cook on *Friday*")
        store.save_commitment(db, week - timedelta(weeks=1), sam.id, "A walk, phones at home")
    at = open_app(sam.id, HOME)
    assert "Your plan this week" in headers(at)
    shown = texts_on_screen(at)
    assert "Cook on *Friday*" in shown and "A walk, phones at home" in shown
    assert ":material/volunteer_activism: **You will:**" in shown
    assert ":material/volunteer_activism: **Alex will:**" in shown
