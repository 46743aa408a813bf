"""The check-in in steps: every value kept between steps, Save only at the end, each plan
asked about once, and problems said by the button that was pressed."""

from __future__ import annotations

from datetime import timedelta

from closer import store
from closer.checkin import Answers
from closer.plan_items import FollowupAnswer, ItemKind
from closer.settings import Settings
from tests.apptest import (
    CHECKIN,
    SAVE_LABELS,
    current_week,
    go_to_review,
    open_app,
    open_checkin_step,
    this_week,
)


def labels(at) -> list[str]:
    return [b.label for b in at.button]


def press(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def in_order(node) -> list[tuple[str, str]]:
    """(element type, its words) for a page's elements, in the order they are drawn."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        return [pair for key in sorted(children) for pair in in_order(children[key])]
    words = getattr(node, "label", None) or getattr(node, "value", None)
    return [(node.type, words)] if isinstance(words, str) else []


def test_each_step_keeps_every_value_and_save_exists_only_at_the_end(db_path):
    with store.open_db(db_path) as db:
        alex, sam = store.setup_couple(db, ["Alex", "Sam"], Settings())
        # A plan made last week, and a monthly check due this week (the 4th week).
        first = current_week() - timedelta(weeks=3)
        store.save_checkin(db, alex.id, first, Answers({"emotional": 6}))
        store.add_plan_item(
            db,
            current_week() - timedelta(weeks=1),
            ItemKind.EXERCISE,
            "twenty-second-hug",
            "physical",
            sam.id,
        )
    prefix = f"{alex.id}-{this_week()}"
    at = open_app(alex.id, CHECKIN)
    walked = []
    while True:
        walked.append(next(s.value for s in at.subheader))
        if any(label in SAVE_LABELS for label in labels(at)):
            break
        # No Save before the last step: a half-finished check-in can't be saved by mistake.
        assert not set(SAVE_LABELS) & set(labels(at))
        step = walked[-1]
        if step.startswith("How connected"):
            at.pills(key=f"score-{prefix}-emotional").set_value(8)
            at.checkbox(key=f"more-{prefix}-emotional").check()
        elif step == "Last week's plan":
            (done,) = [c for c in at.checkbox if c.key.startswith(f"done-{prefix}-")]
            done.check()
        elif step == "In your words":
            at.text_area(key=f"text-{prefix}-working").input("our walks")
        elif step == "The monthly questions":
            at.radio(key=f"csi-{prefix}-1").set_value(4)
        next(b for b in at.button if b.label.startswith("Next: ")).click().run()
    assert walked == [
        "How connected did you feel this week?",
        "Last week's plan",
        "In your words",
        "The monthly questions",
        "Review and save",
    ]
    # Back to the start: everything chosen on the way is still there.
    open_checkin_step(at, alex.id, "scores")
    assert at.pills(key=f"score-{prefix}-emotional").value == 8
    assert at.checkbox(key=f"more-{prefix}-emotional").value is True
    open_checkin_step(at, alex.id, "words")
    assert at.text_area(key=f"text-{prefix}-working").value == "our walks"
    go_to_review(open_checkin_step(at, alex.id, "review"))
    shown = " ".join(t.value for t in at.text)
    assert "Emotional: 8, would like more" in shown and "Physical: not answered" in shown
    assert "our walks" in shown and "The 20-second hug: done" in shown
    press(at, "Save my check-in")
    assert "Save anyway" in labels(at), (labels(at), [e.value for e in at.error])
    press(at, "Save anyway")
    with store.open_db(db_path) as db:
        saved = store.load_checkin(db, alex.id, current_week())
        (followup,) = store.load_followups(db)
    assert saved.answers.scores == {"emotional": 8}
    assert saved.answers.reflections["working"].text == "our walks"
    assert saved.answers.csi.values == (4, None, None, None)
    assert (followup.partner_id, followup.done) == (alex.id, True)


def test_a_plan_is_asked_about_once_the_week_after_it_was_made(db_path, couple):
    alex, sam = couple
    week1 = current_week() - timedelta(weeks=3)
    with store.open_db(db_path) as db:
        store.add_plan_item(db, week1, ItemKind.EXERCISE, "twenty-second-hug", "physical", sam.id)
        (item,) = store.load_plan(db, week1)
        # Asked in week 2's check-in, and answered there.
        store.save_checkin(
            db,
            alex.id,
            week1 + timedelta(weeks=1),
            Answers({"emotional": 6}),
            followups={item.id: FollowupAnswer(True)},
        )
    # Weeks 3 and 4 have no plan of their own: week 1's is not asked again, nor ticked.
    at = open_app(alex.id, CHECKIN)
    assert not [c for c in at.checkbox if c.key.startswith("done-")]
    go_to_review(at)
    assert "Review and save" in [s.value for s in at.subheader]
    assert "Last week's plan" not in [m.value for m in at.markdown]


def test_a_save_from_another_tab_is_said_next_to_the_save_button(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), Answers({"emotional": 5}))
    older = open_app(alex.id, CHECKIN)
    with store.open_db(db_path) as db:  # another phone saves in the meantime
        store.save_checkin(
            db, alex.id, current_week(), Answers({"emotional": 7}), expected_revision=1
        )
    press(go_to_review(older), "Save changes")
    drawn = in_order(older.main)
    warning = next(i for i, (kind, words) in enumerate(drawn) if "another tab" in words)
    # Right above the choice that replaces the button, after everything being reviewed.
    assert drawn[warning + 1] == ("button", "Keep what's on this page")
    assert all(kind != "subheader" for kind, _ in drawn[warning:])
    assert warning > next(i for i, (_, words) in enumerate(drawn) if words == "Review and save")


def test_problems_are_said_by_the_save_button_with_the_step_they_are_in(db_path, couple):
    alex, _ = couple
    prefix = f"{alex.id}-{this_week()}"
    at = open_app(alex.id, CHECKIN)
    at.checkbox(key=f"more-{prefix}-physical").check()  # more of it, without a score
    at.pills(key=f"score-{prefix}-emotional").set_value(7)
    open_checkin_step(at, alex.id, "words")
    at.text_area(key=f"text-{prefix}-working").input("a" * 3000).run()
    press(go_to_review(at), "Save my check-in")
    drawn = in_order(at.main)
    errors = [i for i, (kind, _) in enumerate(drawn) if kind == "error"]
    assert [drawn[i][1] for i in errors] == [
        "Scores, Physical: Give this a score, or skip it, to keep “More of this”.",
        "In your words, “What is working well between us”: This is 3,000 characters; "
        "the limit is 2,000. Everything you wrote is still here: shorten it a little, then "
        "save.",
    ]
    # Right by the button that was pressed, with a way to the first problem.
    assert drawn[errors[-1] + 1] == ("button", "Go to Scores")
    assert drawn[errors[-1] + 2 :] == [("button", "Back"), ("button", "Save my check-in")]
    press(at, "Go to Scores")
    assert at.checkbox(key=f"more-{prefix}-physical").value is True
    open_checkin_step(at, alex.id, "words")
    assert at.text_area(key=f"text-{prefix}-working").value == "a" * 3000
    with store.open_db(db_path) as db:
        assert store.checked_in_weeks(db) == []


def test_the_monthly_questions_say_where_they_come_from_in_one_small_line(db_path):
    with store.open_db(db_path) as db:
        (alex,) = store.setup_couple(db, ["Alex"], Settings())
        store.save_checkin(db, alex.id, current_week() - timedelta(weeks=3), Answers({}))
    at = open_checkin_step(open_app(alex.id, CHECKIN), alex.id, "monthly")
    assert not any("Funk" in c.value for c in at.caption if c not in at.expander[0].caption)
    (about,) = [e for e in at.expander if e.label == "About these questions"]
    assert "Funk, J. L., & Rogge" in about.caption[0].value
