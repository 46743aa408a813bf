"""Content and care on the pages: support exercises, the pass line, where to turn, home, CSI-4."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from closer import store
from closer.checkin import CsiAnswers
from closer.content import PASS_LINE
from closer.csi4 import ONCE_LINE
from closer.settings import Settings
from tests.apptest import (
    CHECKIN,
    current_week,
    go_to_review,
    open_app,
    open_checkin_step,
    open_scores_tab,
    texts_on_screen,
    this_week,
)
from tests.factories import answers, low_csi
from views.parts.care import WHERE_TO_TURN

SUGGESTIONS = "views/pages/suggestions.py"
TALK = "views/pages/conversation.py"
SETTINGS = "views/pages/our_settings.py"
WHERE = "views/pages/where_to_turn.py"
THIS_WEEK_PAGE = "views/pages/this_week.py"
NO_SEX_OR_SPIRIT = ("emotional", "physical", "intellectual", "social")
SUPPORT = {"consider-outside-help", "finding-help", "talk-about-talking"}


def seed_decline(db_path, couple, dimension: str) -> None:
    """Eight weeks of both partners: the dimension 8, 8, 8, 8, then 4, 4, 4, 4; the rest 8."""
    with store.open_db(db_path) as db:
        for n, score in zip(range(7, -1, -1), (8, 8, 8, 8, 4, 4, 4, 4), strict=True):
            for partner in couple:
                store.save_checkin(
                    db,
                    partner.id,
                    current_week() - timedelta(weeks=n),
                    answers({dimension: score, "social": 8}),
                )


def set_settings(db_path, **changes) -> None:
    with store.open_db(db_path) as db:
        store.save_settings(db, replace(store.load_settings(db), **changes))


def exercises_over_rounds(at, rounds: int) -> set[str]:
    """Every exercise the page offers over this many presses of "Show me others"."""
    at.toggle(key="suggest-more").set_value(True).run()  # exercises sit behind "Show more"
    seen: set[str] = set()
    for _ in range(rounds):
        seen |= {
            b.key.split("-exercise-", 1)[1]
            for b in at.button
            if b.key and b.key.startswith(("add-", "added-")) and "-exercise-" in b.key
        }
        at.button(key="suggest-others").click().run()
        assert not at.exception, at.exception
    return seen


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_support_exercises_stay_on_offer_with_sexual_and_spiritual_off(db_path, couple):
    # Before the fix, an exercise also tagged "sexual" never reached such a couple.
    alex, _ = couple
    set_settings(db_path, active_dimensions=NO_SEX_OR_SPIRIT)
    seed_decline(db_path, couple, "emotional")
    at = open_app(alex.id, SUGGESTIONS)
    assert [h.value for h in at.header][0] == "Emotional"
    seen = exercises_over_rounds(at, 12)
    assert seen >= SUPPORT, sorted(SUPPORT - seen)
    assert "life-wheel-review" in seen  # helps spiritual too, and is general
    assert {"intimacy-check-in", "wish-lists", "flirt-through-the-day"}.isdisjoint(seen)


def test_a_home_exercise_appears_only_once_they_say_they_live_together(db_path, couple):
    alex, _ = couple
    seed_decline(db_path, couple, "physical")
    assert "cuddle-before-sleep" not in exercises_over_rounds(open_app(alex.id, SUGGESTIONS), 6)
    set_settings(db_path, living_together=True)
    assert "cuddle-before-sleep" in exercises_over_rounds(open_app(alex.id, SUGGESTIONS), 6)


def test_either_of_you_can_pass_where_questions_are_offered(db_path, couple):
    alex, _ = couple
    for page in (SUGGESTIONS, TALK):
        at = open_app(alex.id, page)
        assert any(PASS_LINE in c for c in captions(at)), page


def test_where_to_turn_says_where_to_turn_in_every_situation(db_path, couple):
    alex, sam = couple
    for partner in (alex, sam):
        text = " ".join(m.value for m in open_app(partner.id, WHERE).markdown)
        for who, what in WHERE_TO_TURN:
            assert who in text and what in text
        assert "couples therapist" in text and "individual counselling" in text
        assert "doctor" in text and "domestic-abuse helpline" in text


def texts_in_order(node) -> list[str]:
    """The texts of a page's elements in the order they are drawn."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        return [t for key in sorted(children) for t in texts_in_order(children[key])]
    value = getattr(node, "value", None)
    return [value] if isinstance(value, str) else []


def test_home_in_a_week_just_under_the_cut_off_says_one_kind_line_below_the_status(db_path, couple):
    alex, sam = couple
    # "Very happy / Mostly true / Mostly / Mostly": 4 + 3 + 3 + 3 = 13, under 13.5, in a
    # week the scores are fine.
    with store.open_db(db_path) as db:
        store.save_checkin(
            db,
            alex.id,
            current_week(),
            replace(answers({"physical": 8}), csi=CsiAnswers((4, 3, 3, 3), shared=False)),
        )
        store.save_checkin(db, sam.id, current_week(), answers({"physical": 8}))
    at = open_app(alex.id)
    texts = texts_on_screen(at)
    assert ONCE_LINE in texts
    in_order = texts_in_order(at.main)
    assert in_order.index("Your week is ready") < in_order.index(ONCE_LINE)
    # A short line, not a screen: no boxed note, no list of helplines on Home.
    assert not at.info
    assert not any("helpline" in t for t in texts)
    assert "Where to turn" in [link.label for link in at.get("page_link")]
    assert not any("between you" in t for t in texts)
    # What Home says of the weekly scores stays true beside the line, and never "enjoy it".
    calm = "Nothing in the weekly scores stands out as needing attention right now."
    assert calm in texts
    # Kai's Home (Sam here) says nothing about Alex's private answers.
    sams = texts_on_screen(open_app(sam.id))
    assert ONCE_LINE not in sams
    assert f"{calm} Enjoy it." in sams


def test_where_to_turn_has_no_phone_numbers():
    assert not any(ch.isdigit() for who, what in WHERE_TO_TURN for ch in who + what)


def test_settings_saves_whether_you_live_together(db_path, couple):
    alex, _ = couple
    at = open_app(alex.id, SETTINGS)
    radio = at.radio(key="settings-living")
    assert radio.value is None  # not said yet
    radio.set_value(True)
    next(b for b in at.button if b.label == "Save" and b.form_id == "tracking").click().run()
    assert not at.exception
    with store.open_db(db_path) as db:
        assert store.load_settings(db).living_together is True
    assert at.success[0].value == "Saved what you track."
    assert open_app(alex.id, SETTINGS).radio(key="settings-living").value is True


def test_the_setting_survives_a_round_trip_through_storage(db_path):
    for value in (True, False, None):
        with store.open_db(db_path) as db:
            store.save_settings(db, Settings(living_together=value))
            assert store.load_settings(db).living_together is value


def test_welcome_asks_whether_you_live_together(db_path):
    at = open_app()
    at.text_input(key="welcome-name-1").input("Alex")
    at.radio(key="welcome-living").set_value(False)
    next(b for b in at.button if b.label == "Start").click().run()
    assert not at.exception
    with store.open_db(db_path) as db:
        assert store.load_settings(db).living_together is False


def save_untouched(at, partner_id: int) -> None:
    """Score one type, save, and say yes when asked about the types left without a score."""
    open_scores_tab(at, partner_id)
    key = next(p.key for p in at.pills if p.key.startswith("score-"))
    at.pills(key=key).set_value(7).run()
    next(b for b in go_to_review(at).button if b.label == "Save my check-in").click().run()
    next(b for b in at.button if b.label == "Save anyway").click().run()
    assert not at.exception


def test_a_partial_csi4_says_it_will_not_be_scored(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week() - timedelta(weeks=3), answers())
    at = open_checkin_step(open_app(alex.id, CHECKIN), alex.id, "monthly")
    assert any("A score needs all four" in c for c in captions(at))
    prefix = f"{alex.id}-{this_week()}"
    at.radio(key=f"csi-{prefix}-1").set_value(3)
    at.radio(key=f"csi-{prefix}-2").set_value(4)
    save_untouched(at, alex.id)
    assert "kept but not scored this time" in at.success[0].value
    with store.open_db(db_path) as db:
        (record,) = store.load_csi(db)
    assert record.values == (3, 4, None, None)


def test_a_complete_csi4_says_nothing_about_scoring(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week() - timedelta(weeks=3), answers())
    at = open_checkin_step(open_app(alex.id, CHECKIN), alex.id, "monthly")
    prefix = f"{alex.id}-{this_week()}"
    for number, value in zip(range(1, 5), (3, 4, 2, 3), strict=True):
        at.radio(key=f"csi-{prefix}-{number}").set_value(value)
    save_untouched(at, alex.id)
    assert "not scored" not in at.success[0].value


def test_the_care_note_explains_how_to_find_help(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), low_csi())
    at = open_app(alex.id, WHERE)
    (guide,) = [e for e in at.expander if e.label == "Finding help that fits"]
    steps = " ".join(m.value for m in guide.markdown)
    for topic in ("couples therapist", "professional body", "first session", "cost", "online"):
        assert topic in steps, topic
