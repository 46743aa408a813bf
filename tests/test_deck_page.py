"""The Deck page through AppTest: playing cards, what is kept, going deeper and lighter, closing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from closer import content, store
from closer.content import PASS_LINE
from tests.apptest import current_week, open_app

DECK = "views/pages/deck.py"


def started(partner_id: int):
    at = open_app(partner_id, DECK)
    at.button(key="deck-start").click().run()
    assert not at.exception, at.exception
    return at


def card_text(at) -> str:
    return at.header[0].value.replace("\\", "")  # the page escapes Markdown in the question


def card_caption(at) -> str:
    return next(c.value for c in at.caption if " · " in c.value and "left" not in c.value)


def kept(db_path) -> list[tuple[int, str, int, int]]:
    with store.open_db(db_path) as db:
        return [
            (r["position"], r["question_id"], r["skipped"], r["starred"])
            for r in db.query("SELECT * FROM deck_cards ORDER BY position")
        ]


def question_id(text: str) -> str:
    return next(q.id for q in content.questions() if q.text == text)


def click(at, key: str):
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def test_next_back_skip_and_star_change_the_card_and_keep_only_which_cards(db_path, couple):
    alex, sam = couple
    at = started(alex.id)
    first = card_text(at)
    assert PASS_LINE in [c.value.removeprefix(":material/pan_tool: ") for c in at.caption]
    assert "**Sam** answers first" in at.markdown[0].value  # the one not holding the screen
    assert kept(db_path) == [(1, question_id(first), 0, 0)]

    second = card_text(click(at, "deck-next"))
    assert second != first
    assert "**Alex** answers first" in at.markdown[0].value
    assert PASS_LINE not in " ".join(c.value for c in at.caption)
    click(at, "deck-star")
    assert at.button(key="deck-star").label == "Unstar"
    assert card_text(click(at, "deck-back")) == first
    assert card_text(click(at, "deck-next")) == second  # forward again: no new card drawn
    third = card_text(click(at, "deck-skip"))
    assert third not in (first, second)
    assert kept(db_path) == [
        (1, question_id(first), 0, 0),
        (2, question_id(second), 1, 1),
        (3, question_id(third), 0, 0),
    ]
    with store.open_db(db_path) as db:
        # Only ids and flags: the table has no column for anything anyone said.
        assert [c.name for c in db["deck_cards"].columns] == [
            "evening_id",
            "position",
            "question_id",
            "skipped",
            "starred",
        ]


def test_going_deeper_is_offered_after_a_third_and_lighter_please_drops_back(db_path, couple):
    alex, _ = couple
    at = started(alex.id)
    assert not [b for b in at.button if b.key == "deck-deeper"]
    assert at.button(key="deck-lighter").disabled  # already light
    # Eleven minutes into thirty: as if the evening had started then.
    play = at.session_state["deck-play"]
    earlier = datetime.now(UTC) - timedelta(minutes=11)
    at.session_state["deck-play"] = replace(play, evening=replace(play.evening, started_at=earlier))
    at.run()
    click(at, "deck-deeper")
    assert not [b for b in at.button if b.key == "deck-deeper"]  # asked once per third
    click(at, "deck-next")
    assert card_caption(at).endswith("A little deeper")
    deeper_card = question_id(card_text(at))
    click(at, "deck-lighter")
    assert card_caption(at).endswith("Light")
    assert (2, deeper_card, 1, 0) in kept(db_path)  # passed on, and remembered as such


def test_the_closing_card_adds_a_question_that_landed_to_this_weeks_plan(db_path, couple):
    alex, _ = couple
    at = started(alex.id)
    first = card_text(at)
    click(at, "deck-next")
    click(at, "deck-skip")
    click(at, "deck-close")
    assert "appreciated about each other tonight" in card_text(at)
    at.selectbox(key="deck-landed").set_value(question_id(first))
    click(at, "deck-add")
    assert "Added to this week's plan." in [s.value for s in at.success]
    with store.open_db(db_path) as db:
        plan = store.load_plan(db, current_week())
    assert [(p.kind, p.item_id, p.partner_id) for p in plan] == [
        ("question", question_id(first), alex.id)
    ]
    click(at, "deck-finish")
    assert at.title[0].value == "Deck"


def test_a_skipped_card_is_not_offered_for_the_plan(db_path, couple):
    alex, _ = couple
    at = started(alex.id)
    first = card_text(at)
    click(at, "deck-skip")
    second = card_text(at)
    click(at, "deck-close")
    assert at.selectbox(key="deck-landed").options == [second]
    assert first not in at.selectbox(key="deck-landed").options


def test_starred_cards_can_be_played_as_their_own_deck(db_path, couple):
    alex, _ = couple
    at = started(alex.id)
    click(at, "deck-next")
    starred = card_text(at)
    click(at, "deck-star")
    click(at, "deck-close")
    click(at, "deck-finish")
    assert at.button(key="deck-starred").label == "Play our starred cards (1)"
    click(at, "deck-starred")
    assert card_text(at) == starred
    assert any("your starred cards" in c.value for c in at.caption)
    click(at, "deck-next")
    assert "appreciated about each other tonight" in card_text(at)  # one card: then the close


def test_sex_questions_need_both_partners_to_switch_them_on_each_for_themselves(db_path, couple):
    alex, sam = couple
    at = open_app(alex.id, DECK)
    assert "Sexual" not in at.pills(key="deck-areas").options
    at.toggle(key="deck-sexual").set_value(True).run()
    with store.open_db(db_path) as db:
        assert store.load_deck_opt_ins(db) == {alex.id: True}  # only the viewer's own say
    assert "Sexual" not in at.pills(key="deck-areas").options
    at = open_app(sam.id, DECK)
    assert at.toggle(key="deck-sexual").value is False  # Alex's yes is not Sam's
    at.toggle(key="deck-sexual").set_value(True).run()
    assert "Sexual" in at.pills(key="deck-areas").options
    assert "You both have." in " ".join(c.value for c in at.caption)


def test_untracked_areas_are_not_offered(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        store.save_settings(
            db, replace(store.load_settings(db), active_dimensions=("emotional", "social"))
        )
    at = open_app(alex.id, DECK)
    assert at.pills(key="deck-areas").options == ["Emotional", "Social", "The two of you"]
    assert [t.key for t in at.toggle] == []  # no sex-question switch while sexual is untracked


def test_suggestions_and_our_talk_link_to_the_deck(db_path, couple):
    alex, _ = couple
    for page in ("views/pages/suggestions.py", "views/pages/conversation.py"):
        at = open_app(alex.id, page)
        links = [e.proto for e in at.get("page_link")]
        assert any(link.label == "Play as a deck" for link in links), page


def test_a_card_the_file_refuses_is_said_and_the_evening_goes_on(db_path, couple):
    import sqlite3

    alex, _ = couple
    at = started(alex.id)
    first = card_text(at)
    # The file refuses new cards from here on (as a full disk or a damaged file might).
    with sqlite3.connect(db_path) as raw:
        raw.execute(
            "CREATE TRIGGER no_cards BEFORE INSERT ON deck_cards "
            "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
        )
    second = card_text(click(at, "deck-next"))
    assert second != first
    click(at, "deck-next")
    assert any("this one may not be remembered" in w.value for w in at.warning)
    assert len(kept(db_path)) == 1  # only the card kept before the trouble


def test_an_opt_in_the_file_refuses_is_said_and_the_switch_goes_back(db_path, couple):
    import sqlite3

    alex, _ = couple
    with sqlite3.connect(db_path) as raw:
        raw.execute(
            "CREATE TRIGGER no_yes BEFORE INSERT ON deck_opt_ins "
            "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
        )
    at = open_app(alex.id, DECK)
    at.toggle(key="deck-sexual").set_value(True).run()
    assert not at.exception
    assert any("Your choice wasn" in w.value for w in at.warning)  # escaped Markdown
    assert at.toggle(key="deck-sexual").value is False
