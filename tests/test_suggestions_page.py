"""The Suggestions page through AppTest: areas, picking into the plan, rounds, history, care."""

from __future__ import annotations

from datetime import date, timedelta

from closer import content, store
from closer.csi4 import ONCE_LINE, PARTNER_NOTE
from closer.plan_items import FollowupAnswer, Rating
from closer.settings import Settings
from closer.weeks import week_label
from tests.apptest import current_week, open_app, texts_on_screen
from tests.factories import answers, low_csi

SUGGESTIONS = "views/pages/suggestions.py"
PAYLOAD = "**hi** <b>x</b>"


def weeks_ago(n: int) -> date:
    return current_week() - timedelta(weeks=n)


def seed_physical_decline(db_path, couple) -> None:
    """Eight weeks of both partners: physical 8, 8, 8, 8, then 4, 4, 4, 4; the rest steady."""
    with store.open_db(db_path) as db:
        for n, physical in zip(range(7, -1, -1), (8, 8, 8, 8, 4, 4, 4, 4), strict=True):
            for partner in couple:
                store.save_checkin(
                    db, partner.id, weeks_ago(n), answers({"physical": physical, "social": 8})
                )


def offered(at, kind: str = "question") -> list[str]:
    """Ids of the questions (or exercises) on offer, in page order, added or not."""
    return [
        b.key.split(f"-{kind}-", 1)[1]
        for b in at.button
        if b.key and b.key.startswith(("add-", "added-")) and f"-{kind}-" in b.key
    ]


def show_more(at):
    """Turn on "Show more ideas": every area with its questions and exercises."""
    at.toggle(key="suggest-more").set_value(True).run()
    return at


def plain(text: str) -> str:
    """Markdown-escaped text as it reads on screen."""
    return text.replace("\\", "")


def test_a_clear_weak_area_comes_first_with_its_reason(db_path, couple):
    alex, _ = couple
    seed_physical_decline(db_path, couple)
    at = open_app(alex.id, SUGGESTIONS)
    assert at.header[0].value == "Physical"
    shown = [plain(t) for t in texts_on_screen(at)]
    assert any("Physical: down from 8.0 to 4.0 over the last four weeks" in t for t in shown)
    assert any("Worth some attention" in t for t in shown)
    questions = {q.id: q for q in content.questions()}
    ids = offered(at)
    # Three picks to start with: one area needs care, so all three are light physical ones.
    assert len(ids) == 3
    assert {(questions[i].type, questions[i].depth) for i in ids} == {("physical", "light")}
    assert offered(at, "exercise") == []
    show_more(at)
    assert offered(at)[:3] == ids
    assert 1 <= len(offered(at, "exercise")) <= 2


def test_adding_a_question_stores_it_and_shows_it_as_added(db_path, couple):
    alex, _ = couple
    seed_physical_decline(db_path, couple)
    at = open_app(alex.id, SUGGESTIONS)
    before = offered(at)
    first = before[0]
    at.button(key=f"add-physical-question-{first}").click().run()
    assert not at.exception

    with store.open_db(db_path) as db:
        plan = store.load_plan(db, current_week())
    assert [(p.kind, p.item_id, p.dimension, p.partner_id) for p in plan] == [
        ("question", first, "physical", alex.id)
    ]
    assert at.button(key=f"added-physical-question-{first}").disabled
    assert at.success[0].value.startswith("Added.")
    assert offered(at) == before  # picking does not reshuffle what is on offer
    text = plain(next(q.text for q in content.questions() if q.id == first))
    assert sum(text in plain(m.value) for m in at.markdown) == 2  # on offer, and in the plan
    assert "Physical · added by Alex" in [c.value for c in at.caption]

    at = open_app(alex.id, SUGGESTIONS)  # a later visit: still marked, no confirmation
    assert at.button(key=f"added-physical-question-{first}").disabled
    assert not at.success


def test_adding_an_exercise_stores_it(db_path, couple):
    alex, _ = couple
    seed_physical_decline(db_path, couple)
    at = show_more(open_app(alex.id, SUGGESTIONS))
    exercise = offered(at, "exercise")[0]
    at.button(key=f"add-physical-exercise-{exercise}").click().run()
    with store.open_db(db_path) as db:
        plan = store.load_plan(db, current_week())
    assert [(p.kind, p.item_id) for p in plan] == [("exercise", exercise)]


def test_show_me_others_changes_the_question_set(db_path, couple):
    alex, _ = couple
    seed_physical_decline(db_path, couple)
    at = open_app(alex.id, SUGGESTIONS)
    first = offered(at)
    at.button(key="suggest-others").click().run()
    second = offered(at)
    assert len(second) == 3 and set(first).isdisjoint(second)
    assert at.header[0].value == "Physical"


def test_a_question_planned_within_twelve_weeks_is_not_offered(db_path, couple):
    alex, _ = couple
    pool = [q.id for q in content.questions_for("us", "light")]
    recent, edge, old = pool[0], pool[1], pool[2]
    with store.open_db(db_path) as db:
        store.add_plan_item(db, weeks_ago(2), "question", recent, "us", alex.id)
        store.add_plan_item(db, weeks_ago(12), "question", edge, "us", alex.id)
        store.add_plan_item(db, weeks_ago(13), "question", old, "us", alex.id)
    at = open_app(alex.id, SUGGESTIONS)
    seen: set[str] = set()
    # Without check-ins the page offers light questions about the two of you, three a round:
    # enough rounds to go through the whole pool that is left.
    for _ in range(-(-(len(pool) - 2) // 3)):
        seen.update(offered(at))
        at.button(key="suggest-others").click().run()
    assert seen == set(pool) - {recent, edge}
    assert old in seen


def test_without_check_ins_a_gentle_start_is_offered(couple):
    alex, _ = couple
    at = open_app(alex.id, SUGGESTIONS)
    assert at.info[0].value.startswith("Once you've checked in, the suggestions follow")
    assert at.header[0].value == "The two of you"
    assert any("A gentle way to start" in plain(m.value) for m in at.markdown)
    assert len(offered(at)) == 3
    captions = [c.value for c in at.caption]
    assert "Nothing chosen yet. When something above appeals to you both, add it here." in captions
    assert any(c.startswith("Plans from earlier weeks show up here") for c in captions)


def test_removing_an_item_from_the_plan(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.add_plan_item(db, current_week(), "exercise", "twenty-second-hug", "physical", sam.id)
        item = store.load_plan(db, current_week())[0]
    at = open_app(alex.id, SUGGESTIONS)
    assert "Physical · added by Sam" in [c.value for c in at.caption]
    at.button(key=f"remove-{item.id}").click().run()
    assert not at.exception
    with store.open_db(db_path) as db:
        assert store.load_plan(db, current_week()) == []


def test_what_you_tried_lists_past_plans_with_follow_ups_newest_first(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.add_plan_item(db, weeks_ago(3), "exercise", "twenty-second-hug", "physical", alex.id)
        store.add_plan_item(db, weeks_ago(1), "question", "emo-l-01", "emotional", sam.id)
        store.save_commitment(db, weeks_ago(1), sam.id, PAYLOAD)
        hug, question, _ = store.load_all_plans(db)
        store.save_followups(db, alex.id, {question.id: FollowupAnswer(True, Rating.HELPED)})
        store.save_followups(
            db,
            sam.id,
            {question.id: FollowupAnswer(True, Rating.NOT_SURE), hug.id: FollowupAnswer(False)},
        )
    at = open_app(alex.id, SUGGESTIONS)
    markdown = [plain(m.value) for m in at.markdown]
    last_week = markdown.index(f"**Last week ({week_label(weeks_ago(1))})**")
    older = markdown.index(f"**{week_label(weeks_ago(3))}**")
    assert last_week < older
    captions = [c.value for c in at.caption]
    assert "Alex: did it, and it helped · Sam: did it, not sure yet if it helped" in captions
    # Alex has not said how the hug went, so Sam's answer about it stays hidden from Alex.
    assert (
        "Alex: hasn't said yet · Sam: has answered; you'll see it once you've answered too"
        in captions
    )
    assert PAYLOAD in [t.value for t in at.text]  # Sam's commitment, verbatim


def test_an_exercise_that_helped_before_says_so(db_path, couple):
    alex, sam = couple
    seed_physical_decline(db_path, couple)
    with store.open_db(db_path) as db:
        store.add_plan_item(db, weeks_ago(5), "exercise", "twenty-second-hug", "physical", alex.id)
        hug = store.load_all_plans(db)[0]
        store.save_followups(db, alex.id, {hug.id: FollowupAnswer(True, Rating.HELPED)})
        store.save_followups(db, sam.id, {hug.id: FollowupAnswer(True, Rating.HELPED)})
    at = show_more(open_app(alex.id, SUGGESTIONS))
    assert offered(at, "exercise")[0] == "twenty-second-hug"
    assert ":material/thumb_up: You both found this one helpful before." in [
        c.value for c in at.caption
    ]


def test_partner_names_in_reasons_are_escaped(db_path):
    with store.open_db(db_path) as db:
        alex, star = store.setup_couple(db, ["Alex", "*Sam*"], Settings())
        store.save_checkin(db, alex.id, current_week(), answers({"physical": 8}))
        store.save_checkin(
            db, star.id, current_week(), answers({"physical": 8}, more=("physical",))
        )
    at = open_app(alex.id, SUGGESTIONS)
    reasons = next(m.value for m in at.markdown if "would like more" in m.value)
    assert "\\*Sam\\*" in reasons


def test_a_private_low_csi_shows_the_care_line_to_its_author_only(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), low_csi(shared=False))
        store.save_checkin(db, sam.id, current_week(), answers({"physical": 8}))
    at = open_app(alex.id, SUGGESTIONS)
    assert ONCE_LINE in [c.value for c in at.caption]
    assert not at.info
    at = open_app(sam.id, SUGGESTIONS)
    assert ONCE_LINE not in texts_on_screen(at)


def test_a_shared_low_csi_reaches_the_partner_only_when_it_persists(db_path, couple):
    alex, sam = couple
    month_ago = weeks_ago(4)
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, current_week(), low_csi(shared=True))
        store.save_checkin(db, sam.id, current_week(), answers({"physical": 8}))
    # Once, shared: still the author's own short line, nothing for the partner.
    assert PARTNER_NOTE not in texts_on_screen(open_app(sam.id, SUGGESTIONS))
    with store.open_db(db_path) as db:
        store.save_checkin(db, alex.id, month_ago, low_csi(shared=True))
    # Two in a row, but Sam hasn't checked in that earlier week: not revealed to Sam.
    assert PARTNER_NOTE not in texts_on_screen(open_app(sam.id, SUGGESTIONS))
    with store.open_db(db_path) as db:
        store.save_checkin(db, sam.id, month_ago, answers({"physical": 8}))
    assert PARTNER_NOTE in [i.value for i in open_app(sam.id, SUGGESTIONS).info]


def test_a_solo_partner_gets_suggestions_too(db_path):
    with store.open_db(db_path) as db:
        (alex,) = store.setup_couple(db, ["Alex"], Settings())
        store.save_checkin(db, alex.id, current_week(), answers({"physical": 3}))
    at = open_app(alex.id, SUGGESTIONS)
    assert at.header[0].value == "Physical"
    assert not any(link.label.startswith("Talk it through") for link in at.get("page_link"))


def test_three_picks_one_per_area_that_needs_care(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        for n in range(3):
            for partner in couple:
                store.save_checkin(
                    db,
                    partner.id,
                    weeks_ago(n),
                    answers({"physical": 3, "social": 4, "emotional": 4, "sexual": 5}),
                )
    at = open_app(alex.id, SUGGESTIONS)
    # Three areas are low (physical 3, emotional and social 4): one question from each.
    assert [h.value for h in at.header][:3] == ["Physical", "Emotional", "Social"]
    questions = {q.id: q for q in content.questions()}
    assert [questions[i].type for i in offered(at)] == ["physical", "emotional", "social"]


def test_what_you_tried_shows_three_weeks_then_earlier_ones_on_request(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        for n in range(1, 6):
            store.save_commitment(db, weeks_ago(n), alex.id, f"promise {n}")
    at = open_app(alex.id, SUGGESTIONS)
    assert [t.value for t in at.text if t.value.startswith("promise")] == [
        "promise 1",
        "promise 2",
        "promise 3",
    ]
    at.toggle(key="tried-earlier").set_value(True).run()
    assert [t.value for t in at.text if t.value.startswith("promise")] == [
        f"promise {n}" for n in range(1, 6)
    ]
