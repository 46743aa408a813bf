"""The reveal and privacy rules: nothing of a partner's until both have checked in."""

from __future__ import annotations

from closer.checkin import Answers, Checkin, Reflection
from closer.reveal import ScoreRow, WeekStatus, compare_scores, view_week, without_private
from tests.factories import MONDAY

ALEX, SAM = 1, 2


def checkin(partner_id: int, **reflections: tuple[str, bool]) -> Checkin:
    answers = Answers(
        {"physical": 7 if partner_id == ALEX else 4, "sexual": None},
        frozenset(),
        {k: Reflection(t, s) for k, (t, s) in reflections.items()},
    )
    return Checkin(partner_id * 10, partner_id, MONDAY, 1, "2026-11-22T20:00:00+00:00", answers)


ALEX_CHECKIN = checkin(ALEX, working=("we laughed", True), unsaid=("alex secret", False))
SAM_CHECKIN = checkin(SAM, appreciation=("thank you", True), unsaid=("sam secret", False))


def test_nobody_yet():
    view = view_week(MONDAY, ALEX, SAM, [])
    assert (view.status, view.mine, view.theirs) == (WeekStatus.NOBODY_YET, None, None)


def test_only_me_waits_for_partner_and_shows_nothing_of_theirs():
    view = view_week(MONDAY, ALEX, SAM, [ALEX_CHECKIN])
    assert view.status is WeekStatus.WAITING_FOR_PARTNER
    assert view.mine == ALEX_CHECKIN  # my own private note included
    assert view.theirs is None


def test_only_partner_shows_nothing_of_theirs():
    view = view_week(MONDAY, ALEX, SAM, [SAM_CHECKIN])
    assert (view.status, view.mine, view.theirs) == (WeekStatus.WAITING_FOR_ME, None, None)


def test_both_reveals_their_shared_answers_only():
    view = view_week(MONDAY, ALEX, SAM, [SAM_CHECKIN, ALEX_CHECKIN])
    assert view.status is WeekStatus.REVEALED
    assert view.mine == ALEX_CHECKIN
    assert view.theirs.answers.reflections == {"appreciation": Reflection("thank you", True)}
    assert view.theirs.answers.scores == {"physical": 4, "sexual": None}


def test_the_other_side_sees_the_mirror_image():
    view = view_week(MONDAY, SAM, ALEX, [SAM_CHECKIN, ALEX_CHECKIN])
    assert view.mine == SAM_CHECKIN
    assert view.theirs.answers.reflections == {"working": Reflection("we laughed", True)}


def test_solo_shows_my_own_answers():
    view = view_week(MONDAY, ALEX, None, [ALEX_CHECKIN])
    assert (view.status, view.mine, view.theirs) == (WeekStatus.SOLO, ALEX_CHECKIN, None)


def test_without_private_keeps_scores_and_drops_private_text():
    shared = without_private(ALEX_CHECKIN)
    assert shared.answers.reflections == {"working": Reflection("we laughed", True)}
    assert shared.answers.scores == ALEX_CHECKIN.answers.scores


def test_compare_scores_difference_is_theirs_minus_mine_and_none_when_skipped():
    mine = Answers({"physical": 7, "emotional": 5, "sexual": None})
    theirs = Answers({"physical": 4, "emotional": 5, "sexual": 6})
    rows = compare_scores(mine, theirs, ["emotional", "physical", "spiritual", "sexual"])
    assert rows == [
        ScoreRow("emotional", 5, 5, 0),
        ScoreRow("physical", 7, 4, -3),
        ScoreRow("sexual", None, 6, None),
    ]


def test_visible_scores_hide_a_partners_week_until_both_answered():
    import pandas as pd

    from closer.reveal import visible_scores

    rows = [
        # week 1: both answered; week 2: only Sam so far; week 3: only Alex so far
        ("2026-11-02", SAM, "Sam", "physical", 4.0),
        ("2026-11-02", ALEX, "Alex", "physical", 7.0),
        ("2026-11-09", SAM, "Sam", "physical", 2.0),
        ("2026-11-16", ALEX, "Alex", "physical", 6.0),
    ]
    frame = pd.DataFrame(rows, columns=["week", "partner_id", "partner", "dimension", "score"])
    frame["week"] = pd.to_datetime(frame["week"])
    seen_by_alex = visible_scores(frame, ALEX, [ALEX, SAM])
    assert list(zip(seen_by_alex["partner"], seen_by_alex["score"], strict=True)) == [
        ("Sam", 4.0),
        ("Alex", 7.0),
        ("Alex", 6.0),
    ]
    seen_by_sam = visible_scores(frame, SAM, [ALEX, SAM])
    assert list(seen_by_sam["score"]) == [4.0, 7.0, 2.0]
    assert list(visible_scores(frame, ALEX, [ALEX])["score"]) == [4.0, 7.0, 2.0, 6.0]


def test_agreement_is_both_high_and_close_highest_first():
    from closer.reveal import agreement_words, agreements, closest

    rows = [
        ScoreRow("emotional", 7, 9, 2),  # both ≥ 7, two apart: agreed, 16 together: first
        ScoreRow("physical", 9, 6, -3),  # Kai below 7
        ScoreRow("intellectual", 8, 7, -1),  # agreed, 15 together
        ScoreRow("social", 7, None, None),  # skipped by one
        ScoreRow("sexual", 10, 7, -3),  # three apart
    ]
    assert [r.dimension for r in agreements(rows)] == ["emotional", "intellectual"]
    assert agreement_words(rows[2], "Intellectual") == (
        "You both felt close intellectually: 8 and 7"
    )
    low = [ScoreRow("social", 4, 5, 1), ScoreRow("sexual", 6, 2, -4)]
    assert agreements(low) == [] and closest(low).dimension == "social"  # 9 against 8
    assert closest([ScoreRow("social", 4, None, None)]) is None


def test_wishes_in_words_say_who_would_like_more_of_what():
    from closer.reveal import wish_words

    mine = Answers({"physical": 5, "social": 6}, frozenset({"physical", "social"}))
    theirs = Answers({"physical": 5}, frozenset({"physical", "emotional"}))
    names = {"emotional": "Emotional", "physical": "Physical", "social": "Social"}
    assert wish_words(mine, theirs, "Kai", names) == [
        "Kai would like more emotional closeness.",
        "You would both like more physical closeness.",
        "You would like more social closeness.",
    ]
    assert wish_words(Answers(), None, "Kai", names) == []


def test_talk_topics_are_marked_notes_then_needs_and_only_shared_ones():
    from closer.reveal import Topic, talk_topics

    def checkin(partner_id: int, answers: Answers) -> Checkin:
        return Checkin(partner_id * 10, partner_id, MONDAY, 1, "2026-11-22T20:00:00+00:00", answers)

    alex = checkin(
        1,
        Answers(
            {"physical": 5},
            frozenset(),
            {
                "lacking": Reflection("more walks", True),
                "working": Reflection("the dinners", True),
                "unsaid": Reflection("secret", False),
            },
        ),
    )
    sam = checkin(2, Answers({"physical": 6}, frozenset(), {"lacking": Reflection("sleep", True)}))
    marks = [(1, "working"), (1, "unsaid"), (1, "lacking")]  # a private note is never a topic
    assert talk_topics([alex, sam], marks) == [
        Topic(1, "working", "the dinners", True),
        Topic(1, "lacking", "more walks", True),
        Topic(2, "lacking", "sleep", False),
    ]
    assert talk_topics([alex, None], []) == [Topic(1, "lacking", "more walks", False)]
