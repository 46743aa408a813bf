"""Sample data: a believable made-up history, written to its own database file."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from closer import store
from closer.checkin import validate_answers
from closer.demo import DemoCheckin, dip_weeks, generate_history, sample_today, write_demo
from closer.settings import Settings
from tests.factories import MONDAY, answers

ROOT = Path(__file__).resolve().parent.parent
WEEKS = 52


def mondays(weeks: int, end_week: date) -> list[date]:
    """The Mondays a history of this length covers, oldest first."""
    return [end_week - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


@pytest.fixture(scope="module")
def year() -> list[DemoCheckin]:
    """A year of sample data ending in the week of 16 Nov 2026, seed 7."""
    return generate_history(WEEKS, MONDAY, seed=7)


def test_same_seed_gives_the_same_history_and_another_seed_a_different_one(year):
    assert generate_history(WEEKS, MONDAY, seed=7) == year
    assert generate_history(WEEKS, MONDAY, seed=8) != year


@pytest.mark.parametrize(
    ("weeks", "dip"),
    [
        (52, range(31, 37)),  # 52 * 3 // 5 = 31: six weeks from there
        (520, range(312, 318)),
        (2600, range(1560, 1566)),
        (20, range(12, 18)),  # the shortest history with a dip
        (19, range(0)),
        (10, range(0)),
    ],
)
def test_the_dip_starts_three_fifths_of_the_way_in_and_lasts_six_weeks(weeks, dip):
    assert dip_weeks(weeks) == dip


def test_a_year_covers_52_mondays_ending_at_end_week(year):
    expected = mondays(WEEKS, MONDAY)
    weeks = {c.week for c in year}
    assert weeks <= set(expected)
    assert min(weeks) == expected[0] == date(2025, 11, 24)
    assert max(weeks) == MONDAY
    assert all(w.weekday() == 0 for w in weeks)
    assert [c.week for c in year] == sorted(c.week for c in year)  # oldest first


def test_end_week_may_be_any_day_of_its_week():
    history = generate_history(3, date(2026, 11, 22), seed=7)  # a Sunday
    assert max(c.week for c in history) == MONDAY


def test_no_weeks_gives_no_history_and_negative_weeks_are_refused():
    assert generate_history(0, MONDAY) == []
    with pytest.raises(ValueError):
        generate_history(-1, MONDAY)


def test_both_partners_check_in_with_whole_scores_from_1_to_10(year):
    assert {c.partner for c in year} == {"Robin", "Kai"}
    scores = [s for c in year for s in c.answers.scores.values()]
    assert all(s is None or (type(s) is int and 1 <= s <= 10) for s in scores)


def test_every_sample_checkin_passes_the_checkin_rules(year):
    active = list(Settings().active_dimensions)
    assert all(validate_answers(c.answers, active) == {} for c in year)
    assert all(set(c.answers.scores) == set(active) for c in year)


def test_a_few_weeks_are_missed_but_fewer_than_15_percent(year):
    per_week = Counter(c.week for c in year)
    missed = [w for w in mondays(WEEKS, MONDAY) if per_week[w] < 2]
    assert 0 < len(missed) < 0.15 * WEEKS
    assert per_week[MONDAY] == 2  # this week is complete, so the demo can show both


def test_some_types_are_skipped(year):
    assert any(s is None for c in year for s in c.answers.scores.values())


def test_private_reflections_exist_and_are_mostly_the_unsaid_ones(year):
    private = Counter(k for c in year for k, r in c.answers.reflections.items() if not r.shared)
    assert private["unsaid"] > 0
    assert private["unsaid"] > sum(private.values()) - private["unsaid"]


def test_more_of_this_ticks_go_mostly_on_low_scores(year):
    ticked, unticked = [], []
    for c in year:
        for key, score in c.answers.scores.items():
            if score is not None:
                (ticked if key in c.answers.wants_more else unticked).append(score)
    assert ticked
    assert statistics.mean(ticked) < statistics.mean(unticked) - 1


def test_physical_closeness_dips_by_at_least_one_and_a_half_points(year):
    weeks = mondays(WEEKS, MONDAY)
    dip = dip_weeks(WEEKS)
    during = {weeks[i] for i in dip}
    before = {weeks[i] for i in range(dip.start - 8, dip.start)}

    def mean_physical(span: set[date]) -> float:
        scores = [c.answers.scores["physical"] for c in year if c.week in span]
        return statistics.mean(s for s in scores if s is not None)

    assert mean_physical(before) - mean_physical(during) >= 1.5


def test_ten_years_generate_in_well_under_a_second():
    started = time.perf_counter()
    history = generate_history(520, MONDAY)
    assert time.perf_counter() - started < 1.0
    assert len({c.week for c in history}) > 500


def _partner_names(path: Path) -> list[str]:
    with store.open_db(path) as db:
        return [p.name for p in store.list_partners(db)]


def test_write_demo_saves_every_score_and_running_it_again_leaves_one_copy(tmp_path):
    path = tmp_path / "demo.db"
    today = date(2026, 11, 18)
    history = generate_history(WEEKS, today, seed=7)
    write_demo(path, WEEKS, today=today)
    write_demo(path, WEEKS, today=today)
    with store.open_db(path) as db:
        scores = store.load_scores(db)
        checkins = db.execute("SELECT count(*) FROM checkins").fetchone()[0]
        robin = store.list_partners(db)[0]
        this_week = store.load_checkin(db, robin.id, MONDAY)
    assert _partner_names(path) == ["Robin", "Kai"]
    assert len(scores) == sum(len(c.answers.scores) for c in history)
    assert checkins == len(history)
    assert this_week.revision == 1
    # Saved on the week's Sunday evening, but never in the future.
    assert this_week.updated_at == "2026-11-18T20:05:00+00:00"


def test_write_demo_replaces_leftover_wal_and_shm_files(tmp_path):
    path = tmp_path / "demo.db"
    Path(f"{path}-wal").write_bytes(b"left over from an old demo")
    Path(f"{path}-shm").write_bytes(b"left over from an old demo")
    write_demo(path, 3, today=MONDAY)
    assert _partner_names(path) == ["Robin", "Kai"]


def test_write_demo_never_replaces_the_couples_real_database(db_path, couple):
    with store.open_db(db_path) as db:
        store.save_checkin(db, couple[0].id, MONDAY, answers({"physical": 7}))
    before = db_path.read_bytes()
    with pytest.raises(store.StoreError, match="real check-ins"):
        write_demo(db_path, 3, today=MONDAY)
    assert db_path.read_bytes() == before


def test_write_demo_leaves_another_couples_database_alone(tmp_path):
    path = tmp_path / "elsewhere.db"
    store.initialise(path)
    with store.open_db(path) as db:
        store.setup_couple(db, ["Alex", "Sam"], Settings())
    with pytest.raises(store.StoreError, match="not Closer's sample data"):
        write_demo(path, 3, today=MONDAY)
    assert _partner_names(path) == ["Alex", "Sam"]


def test_write_demo_leaves_a_file_that_is_not_a_database_alone(tmp_path):
    path = tmp_path / "notes.db"
    content = b"these are my shopping notes, not a database\n" * 100
    path.write_bytes(content)
    with pytest.raises(store.StoreError, match="not a readable Closer database"):
        write_demo(path, 3, today=MONDAY)
    assert path.read_bytes() == content


def test_command_line_writes_the_demo_and_says_what_it_did(tmp_path):
    path = tmp_path / "demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "closer.demo", "--weeks", "10", "--out", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    # The number of check-ins depends on the seed and the length only, not on today's date.
    expected = len(generate_history(10, MONDAY, seed=7))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        rf"Wrote {expected} check-ins to {re.escape(str(path))} in \d+\.\d\d s\.\n", result.stdout
    )
    assert _partner_names(path) == ["Robin", "Kai"]


def test_command_line_explains_a_refusal_without_a_traceback(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database\n" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "closer.demo", "--out", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "not a readable Closer database" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_sample_year_has_plans_follow_ups_replies_and_marked_notes(tmp_path):
    from closer.weeks import week_start

    path = tmp_path / "demo.db"
    today = date(2026, 11, 25)
    write_demo(path, weeks=52, today=today)
    this_week = week_start(today)
    with store.open_db(path) as db:
        plans = store.load_all_plans(db)
        followups = store.load_followups(db)
        replies = store.load_note_replies(db, this_week)
        marks = store.load_talk_marks(db, this_week)
    weeks = sorted({p.week for p in plans})
    assert len(weeks) == 12 and weeks[-1] == this_week
    assert {p.kind for p in plans} >= {"question", "commitment"}
    # Every earlier week's plan has both partners' follow-ups; this week's has none yet.
    answered = {(f.plan_item_id, f.partner_id) for f in followups}
    earlier = [p for p in plans if p.week != this_week]
    assert {(p.id, pid) for p in earlier for pid in (1, 2)} == answered
    # This week, once both have checked in, there is a reply and a note to talk about.
    assert replies and marks


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Monday morning: the pages still call the week just ending "this week".
        (datetime(2026, 11, 30, 5, 0), date(2026, 11, 29)),
        (datetime(2026, 11, 30, 12, 0), date(2026, 11, 30)),  # from noon, the new week
        (datetime(2026, 11, 29, 21, 0), date(2026, 11, 29)),  # Sunday evening: today
        (datetime(2026, 12, 2, 9, 0), date(2026, 12, 2)),  # mid-week: today
    ],
)
def test_the_sample_year_ends_in_the_week_the_pages_call_this_week(now, expected):
    assert sample_today(now) == expected
