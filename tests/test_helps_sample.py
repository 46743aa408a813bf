"""The sample data shows all three labels of What helps us, where it means to."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from closer import helps, plans, store
from closer.demo import HELPS, TRIES, write_demo
from closer.reveal import visible_scores
from tests.factories import MONDAY


def labels(path, viewer: str, today: date) -> dict[str, str]:
    """The exercises' labels, as this partner would see them."""
    with store.open_db(path) as db:
        partners = store.list_partners(db)
        scores = store.load_scores(db, since=plans.history_window_start(today))
        items = store.load_all_plans(db)
    me = next(p.id for p in partners if p.name == viewer)
    visible = visible_scores(scores, me, [p.id for p in partners])
    return {v.item_id: v.label for v in helps.what_helps(visible, items) if v.kind == "exercise"}


@pytest.mark.parametrize("weeks", [26, 52, 520])
@pytest.mark.parametrize("viewer", ["Robin", "Kai"])
def test_one_exercise_helps_one_shows_no_sign_and_one_is_too_early(tmp_path, weeks, viewer):
    path = tmp_path / "demo.db"
    write_demo(path, weeks, today=MONDAY)
    assert labels(path, viewer, MONDAY) == {
        "awe-walk": helps.SEEMS_TO_HELP,
        "article-swap": helps.NO_SIGN_YET,
        "kitchen-dance": helps.TOO_EARLY,
    }
    assert HELPS == "awe-walk" and [t[0] for t in TRIES] == [
        "awe-walk",
        "article-swap",
        "kitchen-dance",
    ]


@pytest.mark.parametrize("weeks", [2, 4])
def test_a_new_couple_sees_only_too_early(tmp_path, weeks):
    path = tmp_path / "demo.db"
    write_demo(path, weeks, today=MONDAY)
    assert set(labels(path, "Robin", MONDAY).values()) <= {helps.TOO_EARLY}


def test_both_partners_agree_on_whether_a_plan_item_happened(tmp_path):
    # Robin once "didn't get to" his own promise while Kai said he "did it".
    path = tmp_path / "demo.db"
    write_demo(path, 52, today=MONDAY)
    with store.open_db(path) as db:
        followups = store.load_followups(db)
    done = defaultdict(set)
    for f in followups:
        done[f.plan_item_id].add(f.done)
    assert done and all(len(answers) == 1 for answers in done.values())
