"""The Our talk page through AppTest: shared notes only, waiting states, topic, commitments."""

from __future__ import annotations

import time
from datetime import timedelta

from closer import store
from closer.settings import Settings
from tests.apptest import current_week, open_app, texts_on_screen
from tests.factories import answers

TALK = "views/pages/conversation.py"
PAYLOAD = "**hi** <b>x</b>"


def checkin(db_path, partner, scores=None, **reflections) -> None:
    """Save this week's check-in for one partner: reflections as text=(..., shared)."""
    with store.open_db(db_path) as db:
        store.save_checkin(db, partner.id, current_week(), answers(scores, **reflections))


def both_checked_in(db_path, couple) -> None:
    alex, sam = couple
    checkin(
        db_path,
        alex,
        appreciation=("alex thanks sam", True),
        working=("our walks", True),
        unsaid=("alex private worry", False),
        lacking=("alex private need", False),
    )
    checkin(
        db_path,
        sam,
        appreciation=("sam thanks alex", True),
        unsaid=("sam private worry", False),
        self=("sam private self", False),
    )


def commitment_key(partner) -> str:
    return f"talk-commitment-{current_week().isoformat()}-{partner.id}"


def test_both_checked_in_shows_shared_notes_of_both_and_never_a_private_one(db_path, couple):
    both_checked_in(db_path, couple)
    for viewer in couple:
        at = open_app(viewer.id, TALK)
        texts = [t.value for t in at.text]
        assert "alex thanks sam" in texts and "sam thanks alex" in texts
        assert "our walks" in texts
        shown = " ".join(texts_on_screen(at))
        for private in ("alex private", "sam private"):
            assert private not in shown  # not even the viewer's own: both sit at this screen
        assert [s.value for s in at.header][:4] == [
            "1. Appreciations",
            "2. What is working",
            "3. One topic",
            "4. What can I do for you this week?",
        ]
        assert "Nothing written here this week. Say one out loud, if you like." in [
            c.value for c in at.caption
        ]


def test_waiting_for_the_partner_shows_only_what_i_shared(db_path, couple):
    alex, sam = couple
    checkin(db_path, alex, appreciation=("alex thanks sam", True), unsaid=("alex secret", False))
    at = open_app(alex.id, TALK)
    assert at.info[0].value.startswith("Sam hasn't checked in yet this week.")
    assert [t.value for t in at.text] == ["alex thanks sam"]
    assert "Nothing to show from Sam yet." in [c.value for c in at.caption]


def test_waiting_for_me_hides_the_partners_answers(db_path, couple):
    alex, sam = couple
    checkin(db_path, alex, appreciation=("alex thanks sam", True))
    at = open_app(sam.id, TALK)
    assert at.info[0].value.startswith("Alex has checked in. Once you have too")
    assert not at.text
    assert not any("alex thanks sam" in t for t in texts_on_screen(at))
    # The page's first link is the way on: to the check-in (the phone's bar, which came
    # before it, goes only to phones).
    assert [link.label for link in at.get("page_link")][0] == "Check in now"


def test_nobody_checked_in_yet(couple):
    alex, _ = couple
    at = open_app(alex.id, TALK)
    assert at.info[0].value.startswith("Neither of you has checked in this week yet.")
    assert len(at.text_area) == 2  # the steps still work


def test_the_topic_is_the_top_weak_area_or_a_shared_unsaid_note(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        for n, physical in zip(range(7, 0, -1), (8, 8, 8, 8, 4, 4, 4), strict=True):
            for partner in couple:
                store.save_checkin(
                    db,
                    partner.id,
                    current_week() - timedelta(weeks=n),
                    answers({"physical": physical}),
                )
    checkin(db_path, alex, {"physical": 4}, lacking=("more time, just us", True))
    checkin(
        db_path,
        sam,
        {"physical": 4},
        unsaid=("can we talk about weekends", True),
        working=("the walks", True),
    )
    with store.open_db(db_path) as db:
        store.set_talk_mark(db, current_week(), sam.id, "working", alex.id, True)
    at = open_app(alex.id, TALK)
    topic = at.radio(key=f"talk-topic-{current_week().isoformat()}")
    # Their own words first (the marked note, then what each needs more of), then the check-ins;
    # nothing is chosen for them.
    assert topic.value is None
    assert topic.options == [
        "Sam's note (marked to talk about)",
        "Alex's note (what they need more of)",
        "Physical, from your check-ins",
        "Something else",
    ]
    topic.set_value(0).run()
    assert "the walks" in [t.value for t in at.text]
    topic.set_value(2).run()
    markdown = [m.value.replace("\\", "") for m in at.markdown]
    assert any("Physical: down from 8.0 to 4.0 over the last four weeks" in m for m in markdown)
    assert "**Something one of you wanted to bring up**" in markdown
    assert "can we talk about weekends" in [t.value for t in at.text]
    tips = next(m for m in markdown if "Ask how, not why." in m)
    assert "Say back what you heard" in tips and "Acknowledge the feeling first." in tips


def test_nothing_standing_out_says_so(db_path, couple):
    both_checked_in(db_path, couple)
    at = open_app(couple[0].id, TALK)
    assert any(c.value.startswith("Nothing on your list this week.") for c in at.caption)


def test_both_commitments_save_and_show_verbatim(db_path, couple):
    alex, sam = couple
    both_checked_in(db_path, couple)
    at = open_app(alex.id, TALK)
    assert [t.label for t in at.text_area] == [
        "What Alex will do for Sam this week",
        "What Sam will do for Alex this week",
    ]
    # No cap in the box (the browser would drop a longer paste whole): the save says so.
    assert {t.max_chars for t in at.text_area} == {0}
    too_long = "x" * 501
    at.text_area(key=commitment_key(alex)).input(too_long)
    at.button(key=f"save-{commitment_key(alex)}").click().run()
    assert [e.value for e in at.error] == [
        "This is 501 characters; the limit is 500. Shorten it a little and save again."
    ]
    assert at.text_area(key=commitment_key(alex)).value == too_long
    at.text_area(key=commitment_key(alex)).input(PAYLOAD)
    at.button(key=f"save-{commitment_key(alex)}").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Saved."]
    at.text_area(key=commitment_key(sam)).input("cook on Thursday")
    at.button(key=f"save-{commitment_key(sam)}").click().run()

    with store.open_db(db_path) as db:
        plan = store.load_plan(db, current_week())
    assert [(p.kind, p.partner_id, p.body) for p in plan] == [
        ("commitment", alex.id, PAYLOAD),
        ("commitment", sam.id, "cook on Thursday"),
    ]
    texts = [t.value for t in at.text]
    assert PAYLOAD in texts and "cook on Thursday" in texts
    assert "**Alex will:**" in " ".join(m.value for m in at.markdown)

    at = open_app(sam.id, TALK)  # the other partner's session starts from what was saved
    assert at.text_area(key=commitment_key(alex)).value == PAYLOAD
    assert PAYLOAD in [t.value for t in at.text]


def test_an_empty_commitment_is_refused_and_kept(db_path, couple):
    alex, _ = couple
    at = open_app(alex.id, TALK)
    at.text_area(key=commitment_key(alex)).input("   ")
    at.button(key=f"save-{commitment_key(alex)}").click().run()
    assert [e.value for e in at.error] == ["Write one small thing first: a sentence is plenty."]
    assert at.text_area(key=commitment_key(alex)).value == "   "
    with store.open_db(db_path) as db:
        assert store.load_plan(db, current_week()) == []


def test_the_plan_lists_what_was_chosen(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.add_plan_item(db, current_week(), "question", "emo-l-01", "emotional", alex.id)
        store.add_plan_item(db, current_week(), "exercise", "twenty-second-hug", "physical", sam.id)
        store.add_plan_item(
            db, current_week() - timedelta(weeks=1), "question", "emo-l-02", None, 1
        )
    at = open_app(alex.id, TALK)
    markdown = [m.value.replace("\\", "") for m in at.markdown]
    assert ":material/chat_bubble: What was the nicest small moment of your day today?" in markdown
    assert ":material/directions_walk: **The 20-second hug**" in markdown
    assert not any("live through again" in m for m in markdown)  # last week's plan
    assert "No question or exercise picked yet." not in [c.value for c in at.caption]


def test_a_step_timer_starts_runs_out_and_resets(couple):
    alex, _ = couple
    key = f"talk-timer-{current_week().isoformat()}-1"
    at = open_app(alex.id, TALK)
    assert [c.value for c in at.caption].count("About 5 minutes") == 3
    at.button(key=f"start-{key}").click().run()
    assert not at.exception
    (bar,) = at.get("progress")
    assert bar.proto.value == 100 and bar.proto.text in ("5:00 left", "4:59 left")

    at.session_state[key] = time.time() - 5 * 60
    at.run()
    assert not at.get("progress")
    assert ":material/alarm: Time's up. Finish your thought: there's no rush." in [
        c.value for c in at.caption
    ]
    at.button(key=f"reset-{key}").click().run()
    assert key not in at.session_state
    assert [c.value for c in at.caption].count("About 5 minutes") == 3


def test_a_solo_partner_is_told_the_talk_is_for_two(db_path):
    with store.open_db(db_path) as db:
        (alex,) = store.setup_couple(db, ["Alex"], Settings())
    at = open_app(alex.id, TALK)
    assert at.info[0].value.startswith("Our talk is a conversation for two.")
    assert not at.text_area
