"""Guessing on the pages: the step only for who opted in, private until both checked in,
frozen after the reveal, never graded at lows or under a care note, and the six-week summary."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from itertools import pairwise

from closer import store
from closer.checkin import Answers, CsiAnswers
from tests.apptest import (
    CHECKIN,
    PAGE_FILES,
    current_week,
    go_to_review,
    open_app,
    save_checkin,
    texts_on_screen,
    this_week,
)

THIS_WEEK = "views/pages/this_week.py"
SETTINGS = "views/pages/our_settings.py"


def subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


def in_order(node) -> list[tuple[str, str]]:
    """(element type, its words) for a page's elements, in the order they are drawn."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        return [pair for key in sorted(children) for pair in in_order(children[key])]
    words = getattr(node, "value", None)
    return [(node.type, words)] if isinstance(words, str) else []


def guesses_shown(at) -> dict[str, str]:
    """This week's guess lines by type name: each bold type name and the text right after it."""
    drawn = in_order(at.main)
    start = drawn.index(("header", "How well you read each other")) if drawn else 0
    shown = {}
    for (kind, words), (next_kind, next_words) in pairwise(drawn[start:]):
        if kind == "markdown" and words.startswith("**") and next_kind == "text":
            shown[words.strip("*")] = next_words
    return shown


def press_next(at):
    next(b for b in at.button if b.label.startswith("Next: ")).click().run()
    assert not at.exception, at.exception
    return at


def test_the_guess_step_is_only_there_for_a_partner_who_turned_it_on(db_path, couple):
    alex, sam = couple
    at = open_app(alex.id, CHECKIN)
    assert "Next: Your guesses" not in [b.label for b in at.button]
    # Sam turning it on changes nothing for Alex: each chooses for themselves.
    with store.open_db(db_path) as db:
        store.set_guessing(db, sam.id, True)
    at = open_app(alex.id, CHECKIN)
    assert "Next: Your guesses" not in [b.label for b in at.button]
    at = open_app(sam.id, CHECKIN)
    assert "Next: Your guesses" in [b.label for b in at.button]


def test_the_settings_switch_turns_it_on_for_the_viewer_only(db_path, couple):
    alex, _ = couple
    at = open_app(alex.id, SETTINGS)
    at.toggle(key=f"guessing-{alex.id}").set_value(True).run()
    assert not at.exception
    with store.open_db(db_path) as db:
        assert store.load_settings(db).guessing_partners == {alex.id}


def test_guesses_are_kept_between_steps_in_a_draft_and_in_the_save(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.set_guessing(db, alex.id, True)
    prefix = f"{alex.id}-{this_week()}"
    at = open_app(alex.id, CHECKIN)
    at.pills(key=f"score-{prefix}-emotional").set_value(7)
    press_next(at)
    assert "Your guesses" in subheaders(at)
    at.pills(key=f"guess-{prefix}-emotional").set_value(6).run()
    at.pills(key=f"guess-{prefix}-physical").set_value("Not sure").run()
    # A reload (a new browser session) brings the guesses back from the draft.
    at = open_app(alex.id, CHECKIN)
    at.session_state[f"checkin-step-{prefix}"] = "guess"
    at.run()
    assert at.pills(key=f"guess-{prefix}-emotional").value == 6
    assert at.pills(key=f"guess-{prefix}-physical").value == "Not sure"
    # Back to the scores and on again: still there; the review lists them.
    next(b for b in at.button if b.label == "Back").click().run()
    press_next(at)
    assert at.pills(key=f"guess-{prefix}-emotional").value == 6
    go_to_review(at)
    listed = "\n".join(t.value for t in at.text)
    assert "Emotional (Sam): you guess 6" in listed
    assert "Physical (Sam): not sure" in listed
    assert "Social (Sam): no guess" in listed
    save_checkin(at)
    with store.open_db(db_path) as db:
        saved = store.load_checkin(db, alex.id, current_week())
    assert saved.answers.guesses == {"emotional": 6, "physical": None}
    assert saved.answers.scores == {"emotional": 7}


def test_guesses_stay_hidden_from_the_partner_until_both_checked_in(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.set_guessing(db, alex.id, True)
        store.save_checkin(
            db,
            alex.id,
            current_week(),
            Answers({"emotional": 7}, guesses={"emotional": 4, "physical": None}),
        )
    for page in PAGE_FILES:
        at = open_app(sam.id, page)
        words = " ".join(texts_on_screen(at))
        assert "guessed" not in words, page
        assert "Your guesses" not in words, page
    # Alex waits too: their own guesses in words, no comparison before Sam's answer is there.
    at = open_app(alex.id, THIS_WEEK)
    assert "You guessed 4" not in " ".join(texts_on_screen(at))
    assert "Emotional (Sam): you guess 4\nPhysical (Sam): not sure" in [t.value for t in at.text]
    with store.open_db(db_path) as db:
        store.save_checkin(db, sam.id, current_week(), Answers({"emotional": 8, "physical": None}))
    at = open_app(alex.id, THIS_WEEK)
    assert guesses_shown(at) == {
        "Emotional": "You guessed 4; Sam said 8",
        "Physical": "You weren't sure; Sam skipped it",
    }
    at = open_app(sam.id, THIS_WEEK)
    assert guesses_shown(at)["Emotional"] == "Alex guessed 4; you said 8"


def test_after_the_reveal_guesses_are_frozen(db_path, couple):
    alex, sam = couple
    week = current_week()
    prefix = f"{alex.id}-{this_week()}"
    with store.open_db(db_path) as db:
        store.set_guessing(db, alex.id, True)
        store.save_checkin(db, alex.id, week, Answers({"emotional": 7}, guesses={"emotional": 4}))
    # Before Sam checks in, Alex may still change a guess: the step is there with the saved one.
    at = open_app(alex.id, CHECKIN)
    press_next(at)
    assert at.pills(key=f"guess-{prefix}-emotional").value == 4
    with store.open_db(db_path) as db:
        store.save_checkin(db, sam.id, week, Answers({"emotional": 9}))
    # Now "Change my answers" has no guess step, and a new save keeps the guess as it was.
    at = open_app(alex.id, CHECKIN)
    assert "Next: Your guesses" not in [b.label for b in at.button]
    at.session_state[f"guess-{prefix}-emotional"] = 9  # as if a stale widget tried
    at.pills(key=f"score-{prefix}-emotional").set_value(5)
    save_checkin(at)
    with store.open_db(db_path) as db:
        saved = store.load_checkin(db, alex.id, week)
    assert (saved.revision, saved.answers.scores, saved.answers.guesses) == (
        2,
        {"emotional": 5},
        {"emotional": 4},
    )


def test_a_low_type_is_offered_as_a_talk_and_a_care_note_hides_every_comparison(db_path, couple):
    alex, sam = couple
    week = current_week()
    with store.open_db(db_path) as db:
        store.set_guessing(db, alex.id, True)
        store.save_checkin(
            db,
            alex.id,
            week,
            Answers({"emotional": 2, "physical": 6}, guesses={"emotional": 5, "physical": 6}),
        )
        store.save_checkin(db, sam.id, week, Answers({"emotional": 6, "physical": 7}))
    at = open_app(alex.id, THIS_WEEK)
    assert guesses_shown(at) == {
        "Emotional": "A low week for one of you: talk about this one together.",
        "Physical": "You guessed 6; Sam said 7",
    }
    # A care note for Alex (their monthly answers low): no comparison at all, only the offer.
    with store.open_db(db_path) as db:
        low = Answers(
            {"emotional": 2, "physical": 6},
            guesses={"emotional": 5, "physical": 6},
        )
        store.save_checkin(db, alex.id, week, replace(low, csi=CsiAnswers((1, 1, 1, 1), False)))
    at = open_app(alex.id, THIS_WEEK)
    assert guesses_shown(at) == {}
    assert "Guessed this week: Emotional, Physical." in [t.value for t in at.text]
    assert not any("guessed" in t for t in texts_on_screen(at))
    assert any("talk about them together" in c.value for c in at.caption)


def test_the_six_week_summary_is_for_the_guesser_only(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.set_guessing(db, alex.id, True)
        store.set_guessing(db, sam.id, True)
        for back in range(6):
            week = current_week() - timedelta(weeks=back)
            # Alex guesses 6 each week; Sam says 8; Alex's own score is 7.
            store.save_checkin(
                db, alex.id, week, Answers({"emotional": 7}, guesses={"emotional": 6})
            )
            store.save_checkin(db, sam.id, week, Answers({"emotional": 8}))
    # Six misses of -2: typically 2 points, lower; own 7 is 1 off; Sam's last answer 8 is 0 off.
    at = open_app(alex.id, THIS_WEEK)
    summary = [t.value for t in at.text if t.value.startswith("Over 6 weeks")]
    assert summary == [
        "Over 6 weeks your guesses were usually 2 points from what Sam said. You tend to guess "
        "lower than Sam feels.\nFor comparison, guessing your own score would have been 1 point "
        "off and guessing Sam's last answer would have been 0 points off."
    ]
    at = open_app(sam.id, THIS_WEEK)
    words = " ".join(texts_on_screen(at))
    assert "Over 6 weeks" not in words
    assert guesses_shown(at) == {"Emotional": "Alex guessed 6; you said 8"}
