"""The passcode gate: one try per wait however many sessions press Unlock, scoped unlocks."""

from __future__ import annotations

import multiprocessing
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from closer import store
from closer.demo import demo_database_path, write_demo
from closer.passcode import hash_passcode
from tests.apptest import APP, open_app
from tests.factories import set_passcode_hash

SESSIONS = 12
NOW = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)


def set_passcode(db_path, partner_id: int, passcode: str = "tulip 42") -> None:
    with store.open_db(db_path) as db:
        set_passcode_hash(db, partner_id, hash_passcode(passcode))


def set_wrong_tries(db_path, partner_id: int, failed: object, last: object) -> None:
    """Write the throttle columns as a damaged or hand-edited file might hold them."""
    with store.open_db(db_path) as db:
        db.execute(
            "UPDATE partners SET failed_unlocks = ?, last_failed_unlock = ? WHERE id = ?",
            [failed, last, partner_id],
        )


def all_at_once(actions) -> list:
    """Run each action in its own thread, released together, and collect the results."""
    start = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(i: int) -> None:
        start.wait()
        results[i] = actions[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_after_the_wait_concurrent_reservations_let_exactly_one_try_through(db_path, couple):
    alex, _ = couple
    set_passcode(db_path, alex.id)
    # Five wrong tries, the last an hour ago: the 30 s wait is long over.
    set_wrong_tries(db_path, alex.id, 5, (NOW - timedelta(hours=1)).isoformat())

    def reserve() -> store.Reservation:
        with store.open_db(db_path) as db:
            return store.reserve_unlock_attempt(db, alex.id, NOW)

    results = all_at_once([reserve] * SESSIONS)
    through = [r for r in results if not r.wait]
    assert len(through) == 1
    assert through[0].failed_unlocks == 6  # counted as wrong up front
    # Everyone else is told to wait the full 60 s that a sixth wrong try earns.
    assert {r.wait for r in results if r.wait} == {timedelta(seconds=60)}
    with store.open_db(db_path) as db:
        state = store.load_unlock_state(db, alex.id)
    assert state.failed_unlocks == 6
    assert datetime.fromisoformat(state.last_failed_unlock) == NOW


def test_a_right_passcode_after_a_reservation_clears_the_count(db_path, couple):
    alex, _ = couple
    set_passcode(db_path, alex.id)
    with store.open_db(db_path) as db:
        for _ in range(3):
            assert store.reserve_unlock_attempt(db, alex.id, NOW).wait == timedelta(0)
        assert store.load_unlock_state(db, alex.id).failed_unlocks == 3
        store.record_unlock(db, alex.id, success=True)
        assert store.load_unlock_state(db, alex.id).failed_unlocks == 0


def press_unlock_when_released(partner_id: int, passcode: str, start, outcomes) -> None:
    """One browser session in its own process: open the lock page, then press Unlock on cue."""
    try:
        at = open_app(partner_id)
        at.text_input(key=f"passcode-{partner_id}").input(passcode)
        start.wait()
        next(b for b in at.button if b.label == "Unlock").click().run()
        if at.exception:
            outcomes.put(f"exception: {at.exception}")
        elif at.error:
            outcomes.put("checked")
        else:
            outcomes.put(" ".join(w.value for w in at.warning) or "nothing shown")
    except BaseException as error:  # reported, so the test fails with the reason
        outcomes.put(f"exception: {error!r}")


def test_twelve_sessions_pressing_unlock_at_once_get_one_passcode_check(db_path, couple):
    # AppTest swaps a process-wide Runtime, so each session gets its own (forked) process,
    # as separate browser tabs share nothing but the database file.
    alex, _ = couple
    set_passcode(db_path, alex.id)
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    set_wrong_tries(db_path, alex.id, 5, long_ago.isoformat())
    fork = multiprocessing.get_context("fork")
    start, outcomes = fork.Barrier(SESSIONS), fork.Queue()
    sessions = [
        fork.Process(target=press_unlock_when_released, args=(alex.id, "wrong", start, outcomes))
        for _ in range(SESSIONS)
    ]
    for process in sessions:
        process.start()
    results = sorted(outcomes.get(timeout=120) for _ in sessions)
    for process in sessions:
        process.join()
    assert results.count("checked") == 1, results
    assert all(r.startswith("Please wait") for r in results if r != "checked"), results
    with store.open_db(db_path) as db:
        assert store.load_unlock_state(db, alex.id).failed_unlocks == 6


@pytest.mark.parametrize(
    ("failed", "last"),
    [
        (7, "garbage"),
        (7, ""),
        (7, 12345),
        ("lots", "2026-11-22T20:00:00+00:00"),
        (-4, "2026-11-22T20:00:00+00:00"),
    ],
)
def test_unreadable_throttle_values_never_crash_and_never_lock_out(db_path, couple, failed, last):
    alex, _ = couple
    set_passcode(db_path, alex.id)
    set_wrong_tries(db_path, alex.id, failed, last)
    at = open_app(alex.id)
    assert at.title[0].value == "Welcome back"
    assert not at.warning  # nothing readable to wait for
    at.text_input(key=f"passcode-{alex.id}").input("tulip 42")
    next(b for b in at.button if b.label == "Unlock").click().run()
    assert not at.exception, at.exception
    at.run()
    assert at.title[0].value == "Hello, Alex"


def test_a_wrong_try_dated_far_in_the_future_waits_no_longer_than_from_now(db_path, couple):
    alex, _ = couple
    set_passcode(db_path, alex.id)
    set_wrong_tries(db_path, alex.id, 7, "9999-12-31T23:59:59+00:00")
    with store.open_db(db_path) as db:
        assert store.unlock_wait(db, alex.id, NOW) == timedelta(seconds=120)
        reservation = store.reserve_unlock_attempt(db, alex.id, NOW)
        assert reservation.wait == timedelta(seconds=120)
        # Two minutes later the try is allowed, not refused until the year 9999.
        later = store.reserve_unlock_attempt(db, alex.id, NOW + timedelta(seconds=120))
        assert later.wait == timedelta(0)
    set_wrong_tries(db_path, alex.id, 7, "9999-12-31T23:59:59+00:00")
    at = open_app(alex.id)
    assert not at.exception, at.exception
    (seconds,) = re.findall(r"next try opens in (\d+) seconds", at.warning[0].value)
    assert 0 < int(seconds) <= 120


def test_a_wrong_try_stored_without_a_time_zone_counts_as_utc(db_path, couple):
    alex, _ = couple
    set_passcode(db_path, alex.id)
    set_wrong_tries(db_path, alex.id, 5, "2026-11-22T19:59:50")
    with store.open_db(db_path) as db:
        assert store.unlock_wait(db, alex.id, NOW) == timedelta(seconds=20)


def test_choosing_robin_in_the_sample_data_never_unlocks_partner_one_of_the_couple(db_path, couple):
    alex, _ = couple
    assert alex.id == 1  # the same id as Robin's in the sample data
    set_passcode(db_path, alex.id)
    write_demo(demo_database_path(), 3)
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.session_state["demo"] = True
    at.session_state["partner_id"] = 1  # Robin, who has no passcode
    at.run()
    assert at.title[0].value == "Hello, Robin"
    next(b for b in at.button if b.label == "Back to my own data").click().run()
    at.session_state["partner_id"] = alex.id
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Welcome back"
    assert not at.slider


def test_an_unlock_is_remembered_for_its_database_file_and_partner(db_path, couple):
    alex, sam = couple
    set_passcode(db_path, alex.id)
    at = open_app(alex.id)
    at.text_input(key=f"passcode-{alex.id}").input("tulip 42")
    next(b for b in at.button if b.label == "Unlock").click().run()
    assert list(at.session_state["unlocked"]) == [(str(db_path), alex.id)]
    at.session_state["partner_id"] = sam.id  # handing over forgets Alex's unlock
    at.run()
    assert list(at.session_state["unlocked"]) == [(str(db_path), sam.id)]
