"""The reveal as a moment: agree, then differ, in words; each score's change; each partner's
colour; replies as sent messages; "let's talk" marks in words; long notes folded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from closer import store
from closer.checkin import Answers
from closer.colours import PARTNER_COLOURS, partner_colour
from closer.reveal import (
    ScoreRow,
    change_words,
    compare_scores,
    difference_words,
    differences,
    fold,
    mark_words,
    score_change,
)
from tests.apptest import current_week, open_app
from tests.factories import answers

THIS_WEEK_PAGE = "views/pages/this_week.py"
ROBIN, KAI = 1, 2


def test_differences_are_three_or_more_apart_widest_first():
    rows = compare_scores(
        Answers({"emotional": 6, "physical": 4, "social": 5, "sexual": None}),
        Answers({"emotional": 9, "physical": 9, "social": 7, "sexual": 8}),
        ["emotional", "physical", "social", "sexual"],
    )
    # 9 - 6 = 3 (just enough), 9 - 4 = 5 (widest), 7 - 5 = 2 (not), sexual skipped by one.
    assert [r.dimension for r in differences(rows)] == ["physical", "emotional"]
    assert difference_words(ScoreRow("physical", 4, 9, 5), "Physical", "Kai") == (
        "Physical felt different: you said 4, Kai 9"
    )


@pytest.mark.parametrize(
    ("before", "now", "change", "words"),
    [
        ({"emotional": 6}, {"emotional": 8}, 2, "up 2 since last week"),
        ({"emotional": 8}, {"emotional": 5}, -3, "down 3 since last week"),
        ({"emotional": 7}, {"emotional": 7}, 0, "same as last week"),
        ({"emotional": None}, {"emotional": 7}, None, ""),  # skipped last week
        ({}, {"emotional": 7}, None, ""),
        (None, {"emotional": 7}, None, ""),  # no check-in last week
    ],
)
def test_change_since_last_week(before, now, change, words):
    earlier = None if before is None else Answers(before)
    assert score_change(Answers(now), earlier, "emotional") == change
    assert change_words(change) == words


def test_marks_say_who_would_like_to_talk():
    assert mark_words([KAI], ROBIN, "Kai") == ["Kai would like to talk about this"]
    assert mark_words([ROBIN, KAI], ROBIN, "Kai") == [
        "You'd like to talk about this",
        "Kai would like to talk about this",
    ]
    assert mark_words([], ROBIN, "Kai") == []


def test_long_notes_fold_after_a_few_lines_at_a_word():
    assert fold("short") == ("short", False)
    five = "\n".join(["line"] * 5)
    assert fold(five) == (five, False)
    assert fold(five + "\nsixth") == (five + " …", True)
    opening, folded = fold("word " * 100)  # 500 characters
    assert folded and opening.endswith("word …") and len(opening) <= 282


def test_each_partner_keeps_one_colour_by_id_colour_blind_safe_pair_first():
    assert partner_colour([7, 3], 3) == PARTNER_COLOURS[0] == "#0072B2"
    assert partner_colour([3, 7], 7) == PARTNER_COLOURS[1] == "#D55E00"
    from closer import charts

    assert charts.PARTNER_COLOURS is PARTNER_COLOURS  # Trends draws with the same ones


def test_the_reveal_in_words_with_changes_replies_marks_and_folds(db_path, couple):
    alex, sam = couple
    week, last = current_week(), current_week() - timedelta(weeks=1)
    long_note = "We walked by the river and talked. " * 20  # 700 characters
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, last, Answers({"emotional": 6, "physical": 5}))
        store.save_checkin(db, sam.id, last, Answers({"emotional": 7, "physical": 8}))
        store.save_checkin(
            db, alex.id, week, answers({"emotional": 8, "physical": 4}, working=(long_note, True))
        )
        store.save_checkin(
            db, sam.id, week, answers({"emotional": 8, "physical": 9}, lacking=("more walks", True))
        )
        store.save_note_reply(db, week, sam.id, "lacking", alex.id, "Saturday?")
        store.set_talk_mark(db, week, alex.id, "working", sam.id, True)
    at = open_app(alex.id, THIS_WEEK_PAGE)
    assert not at.exception
    assert at.success[0].value == "You both felt close emotionally: 8 and 8."
    assert at.info[0].value.startswith("Physical felt different: you said 4, Sam 9.")
    bars = [p.proto.text for p in at.get("progress")]
    assert "You: 8 of 10 · up 2 since last week" in bars
    assert "Sam: 9 of 10 · up 1 since last week" in bars
    captions = [c.value for c in at.caption]
    assert any(
        c.endswith("Sam would like to talk about this, on the list for Our talk.") for c in captions
    )
    (reply,) = at.get("chat_message")
    assert [t.value for t in reply.text] == ["Saturday?"]
    texts = [t.value for t in at.text]
    assert long_note.strip() in [t.strip() for t in texts]  # whole, behind "Read all of it"
    assert any(t.endswith(" …") and len(t) < 300 for t in texts)
    assert "Read all of it" in [e.label for e in at.expander]
    # Each partner's colour, from one place, reaches the page.
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert PARTNER_COLOURS[0] in styles and PARTNER_COLOURS[1] in styles
    # Sam's side: Alex's note is long for Sam too, and the mark is Sam's own.
    at = open_app(sam.id, THIS_WEEK_PAGE)
    captions = [c.value for c in at.caption]
    assert any("You'd like to talk about this" in c for c in captions)


def test_how_last_weeks_plan_went_for_each_follows_the_reveal_rule(db_path, couple):
    from closer.plan_items import FollowupAnswer, ItemKind, Rating

    alex, sam = couple
    week, last = current_week(), current_week() - timedelta(weeks=1)
    with store.open_db(db_path) as db:
        store.add_plan_item(db, last, ItemKind.EXERCISE, "twenty-second-hug", "physical", sam.id)
        (item,) = store.load_plan(db, last)
        store.save_checkin(
            db,
            alex.id,
            week,
            Answers({"emotional": 7}),
            followups={item.id: FollowupAnswer(True, Rating.HELPED)},
        )
    at = open_app(alex.id, THIS_WEEK_PAGE)
    assert "How last week's plan went" in [h.value for h in at.header]
    assert "You: done, it helped" in [t.value for t in at.text]  # Sam's stays hidden
    with store.open_db(db_path) as db:
        store.save_checkin(
            db, sam.id, week, Answers({"emotional": 6}), followups={item.id: FollowupAnswer(False)}
        )
    at = open_app(alex.id, THIS_WEEK_PAGE)
    assert "You: done, it helped\nSam: not done" in [t.value for t in at.text]
    at = open_app(sam.id, THIS_WEEK_PAGE)
    assert "You: not done\nAlex: done, it helped" in [t.value for t in at.text]
