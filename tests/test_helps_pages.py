"""What helps us on Suggestions and on Trends, through AppTest: labels, reveal, try again."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from closer import store
from closer.demo import sample_today, write_demo
from closer.markdown import escape_markdown
from closer.plan_items import FollowupAnswer, ItemKind
from closer.weeks import week_label
from tests.apptest import current_week, open_app, open_trends_tab
from tests.factories import answers

SUGGESTIONS = "views/pages/suggestions.py"
TRENDS = "views/pages/trend_charts.py"
EXPECTED = {
    "Awe walk": "green-badge[:material/trending_up: Seems to help]",
    "Article swap": "gray-badge[:material/trending_flat: No sign yet]",
    "Kitchen dance": "blue-badge[:material/hourglass_empty: Too early to tell]",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The app's sample year, up to the week the pages call this week."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    write_demo(path, weeks=52, today=sample_today(datetime.now()))
    return path


@pytest.fixture
def on_sample(sample, monkeypatch):
    monkeypatch.setenv("CLOSER_DB", str(sample))
    with store.open_db(sample) as db:
        return {p.name: p.id for p in store.list_partners(db)}


def labels_on_screen(at) -> dict[str, str]:
    """Each exercise title on screen, with the badge that follows it."""
    found, title = {}, None
    for md in at.markdown:
        text = md.value
        for name in EXPECTED:
            if text.endswith(f"**{name}**"):
                title = name
        if title and "-badge[" in text:
            found[title] = text.split(":", 1)[1]
            title = None
    return found


@pytest.mark.parametrize("viewer", ["Robin", "Kai"])
def test_suggestions_show_the_three_labels_where_the_sample_puts_them(on_sample, viewer):
    at = open_app(on_sample[viewer], SUGGESTIONS)
    assert "What helps us" in [h.value for h in at.header]
    assert labels_on_screen(at) == EXPECTED
    captions = [c.value for c in at.caption]
    assert (
        "Scores often rise after a low week anyway; this compares with how your scores "
        "usually bounce back." in captions
    )
    assert len(at.get("vega_lite_chart")) == 1  # the dot plot
    # Only the exercise that is too early to tell is offered again.
    assert [b.key for b in at.button if b.key and b.key.startswith("again-")] == [
        "again-kitchen-dance"
    ]


def test_the_trends_tab_shows_the_same_labels_and_the_dot_plot(on_sample):
    at = open_app(on_sample["Robin"], TRENDS)
    at = open_trends_tab(at, "What helps us")
    assert labels_on_screen(at) == EXPECTED
    (chart,) = at.get("vega_lite_chart")
    assert '"The week after each try"' in chart.proto.spec


def test_trying_again_plans_it_for_a_fortnight_later(on_sample, sample):
    at = open_app(on_sample["Robin"], SUGGESTIONS)
    at.button(key="again-kitchen-dance").click().run()
    later = current_week() + timedelta(weeks=2)
    with store.open_db(sample) as db:
        planned = [p for p in store.load_all_plans(db) if p.week == later]
    assert [(p.kind, p.item_id, p.dimension) for p in planned] == [
        (ItemKind.EXERCISE, "kitchen-dance", "physical")
    ]
    assert f":material/event: In the plan for the week of {week_label(later)}." in [
        c.value for c in at.caption
    ]
    assert not [b for b in at.button if b.key == "again-kitchen-dance"]


def test_a_partners_unrevealed_week_is_never_in_a_change(db_path, couple):
    # Both checked in two weeks ago, when Alex planned the hug; last week only Sam has
    # checked in so far. Alex must not see a change built on Sam's unrevealed week.
    alex, sam = couple
    tried, after = current_week() - timedelta(weeks=2), current_week() - timedelta(weeks=1)
    with store.open_db(db_path) as db:
        for partner in couple:
            store.save_checkin(db, partner.id, tried, answers({"physical": 3}))
        store.add_plan_item(db, tried, ItemKind.EXERCISE, "twenty-second-hug", "physical", alex.id)
        store.save_checkin(db, sam.id, after, answers({"physical": 9}))
        (item,) = store.load_plan(db, tried)
        store.save_followups(db, sam.id, {item.id: FollowupAnswer(True)})
    at = open_app(alex.id, SUGGESTIONS)
    words = " ".join(m.value for m in at.markdown)
    assert escape_markdown("One try still waits for the next week's check-ins.") in words
    assert "moved" not in words and "+6" not in words
    assert not at.get("vega_lite_chart")
    # Sam sees their own change (3 -> 9), with nothing earlier to compare it with.
    at = open_app(sam.id, SUGGESTIONS)
    words = " ".join(m.value for m in at.markdown)
    assert (
        escape_markdown("One try so far, with no earlier weeks like it to compare with.") in words
    )
    assert len(at.get("vega_lite_chart")) == 1
