"""Faults the couple's data must survive: busy writers, a killed app, an old file, bad files."""

from __future__ import annotations

import ctypes
import logging
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

import pytest

from closer import store
from closer.checkin import Answers, Reflection
from closer.settings import Settings
from tests.factories import MONDAY, answers

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "closer-v1.db"

# A save's identity: partner id, week, the revision save_checkin returned, and the token
# written into that save's reflection so the stored revision can be told from any other.
Ack = tuple[int, date, int, str]


def _new_couple(path: Path) -> list[store.Partner]:
    store.initialise(path)
    with store.open_db(path) as db:
        return store.setup_couple(db, ["Alex", "Sam"], Settings())


def _assert_every_ack_is_stored(path: Path, acknowledged: list[Ack]) -> None:
    """Check each acknowledged save is stored under the revision it was given."""
    keys = {(partner_id, week) for partner_id, week, _, _ in acknowledged}
    with store.open_db(path) as db:
        tokens = {
            key: {
                rev: a.reflections["working"].text for rev, _, a in store.load_revisions(db, *key)
            }
            for key in keys
        }
        current = {key: store.load_checkin(db, *key) for key in keys}
    missing = [ack for ack in acknowledged if tokens[ack[:2]].get(ack[2]) != ack[3]]
    assert missing == []
    for key, by_revision in tokens.items():
        # Revisions run 1..n with no gap, and the check-in shown is the newest of them.
        assert sorted(by_revision) == list(range(1, len(by_revision) + 1))
        assert current[key].revision == len(by_revision)
        assert current[key].answers.reflections["working"].text == by_revision[len(by_revision)]


def _integrity(path: Path) -> str:
    with store.open_db(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def _count_revisions(path: Path) -> int:
    with store.open_db(path) as db:
        return db.execute("SELECT count(*) FROM checkin_revisions").fetchone()[0]


WRITER_THREADS = 8
SAVES_PER_THREAD = 130
WEEKS = [MONDAY - timedelta(weeks=n) for n in range(10)]


def test_concurrent_saves_on_separate_connections_are_all_kept(tmp_path, monkeypatch):
    # What is under test is that writers queue for the lock (BEGIN IMMEDIATE) instead of
    # failing at once, as a deferred BEGIN does whatever the timeout. A generous busy
    # timeout keeps the test about that, not about how idle the machine is: with another
    # test run sharing the cores, a queue of eight can take longer than the app's 5 s.
    monkeypatch.setattr(store.db, "BUSY_TIMEOUT_SECONDS", 120)
    path = tmp_path / "closer.db"
    partners = _new_couple(path)
    acknowledged: list[Ack] = []
    failures: list[BaseException] = []
    start = threading.Barrier(WRITER_THREADS)

    def write(thread_no: int) -> None:
        rng = random.Random(thread_no)
        start.wait()
        for n in range(SAVES_PER_THREAD):
            partner_id, week = rng.choice(partners).id, rng.choice(WEEKS)
            token = f"thread {thread_no} save {n}"
            try:
                with store.open_db(path) as db:
                    saved = store.save_checkin(
                        db,
                        partner_id,
                        week,
                        answers({"physical": 1 + n % 10}, working=(token, True)),
                    )
            except BaseException as error:  # collected, then asserted below
                failures.append(error)
            else:
                acknowledged.append((partner_id, week, saved.revision, token))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITER_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len(acknowledged) == WRITER_THREADS * SAVES_PER_THREAD == 1040
    _assert_every_ack_is_stored(path, acknowledged)
    # Nothing stored that was not acknowledged: 1,040 revisions across all 20 check-ins.
    assert _count_revisions(path) == 1040
    assert len({ack[:2] for ack in acknowledged}) == 20
    assert _integrity(path) == "ok"


KILL_ROUNDS = 25


class _Lines:
    """Lines a helper process prints, read as they come, failing (not hanging) if none do."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._fd = process.stdout.fileno()
        self._pending = b""

    def next(self, timeout: float = 30.0) -> str:
        """The next complete line, waiting on the pipe itself rather than sleeping."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._pending:
            ready, _, _ = select.select([self._fd], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(self._fd, 65536) if ready else b""
            if not chunk:
                pytest.fail(f"helper process stopped or went quiet after {self._pending!r}")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode()


def _parse_ack(line: str) -> Ack:
    partner_id, week, revision, token = line.split(" ")
    return int(partner_id), date.fromisoformat(week), int(revision), token


def _helper(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.writer_process", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )


def test_saves_acknowledged_before_sigkill_are_kept_and_the_file_stays_sound(tmp_path):
    path = tmp_path / "closer.db"
    _new_couple(path)
    rng = random.Random(20261121)
    acknowledged: list[Ack] = []
    wal_left_behind = 0
    writer_pid = None
    with _helper(str(path)) as server:
        lines = _Lines(server)
        try:
            assert lines.next() == "ready"
            for round_no in range(KILL_ROUNDS):
                server.stdin.write(f"go r{round_no}\n".encode())
                server.stdin.flush()
                writer_pid = int(lines.next().removeprefix("started "))
                round_acks = [lines.next()]  # its first save is done: it is now mid-loop
                time.sleep(rng.uniform(0.05, 0.4))  # the deliberate delay: when the plug is pulled
                os.kill(writer_pid, signal.SIGKILL)
                while True:
                    line = lines.next()
                    # A line the kill cut short has no newline, so the server's report is
                    # glued to it: that save was never acknowledged.
                    cut_short, found, ending = line.partition("ended ")
                    if found:
                        break
                    round_acks.append(line)
                # Killed, not crashed: it was still saving when the signal came.
                assert ending == f"r{round_no} -9", cut_short
                writer_pid = None
                acknowledged += [_parse_ack(line) for line in round_acks]
                # A -wal file left behind means the kill caught an open connection, so the
                # next open had to recover from it.
                wal_left_behind += path.with_name("closer.db-wal").exists()

                assert _integrity(path) == "ok"
                _assert_every_ack_is_stored(path, acknowledged)
                # At most one save per kill committed before its acknowledgement was printed.
                assert 0 <= _count_revisions(path) - len(acknowledged) <= round_no + 1
        finally:
            if writer_pid is not None:
                with suppress(ProcessLookupError):
                    os.kill(writer_pid, signal.SIGKILL)
            server.stdin.close()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                raise
    assert server.returncode == 0
    assert len(acknowledged) >= 2 * KILL_ROUNDS
    # How many kills caught an open connection is chance (the test below makes sure of one).
    print(
        f"{KILL_ROUNDS} kills ({wal_left_behind} mid-connection); "
        f"{len(acknowledged)} acknowledged saves, all checked after each kill"
    )


def test_a_kill_mid_write_leaves_a_wal_that_the_next_open_recovers(tmp_path):
    path = tmp_path / "closer.db"
    _new_couple(path)
    wal = path.with_name("closer.db-wal")
    with _helper(str(path), "--die-mid-write") as writer:
        try:
            assert _Lines(writer).next() == "mid-write"
            writer.kill()
        finally:
            writer.stdin.close()
        assert writer.wait(timeout=10) == -signal.SIGKILL
    # The killed connection never closed, so its -wal (holding the committed rename) is left
    # behind for the next open to recover from; the uncommitted rename is not in it.
    assert wal.exists() and wal.stat().st_size > 0
    assert _integrity(path) == "ok"
    with store.open_db(path) as db:
        assert [p.name for p in store.list_partners(db)] == ["Committed", "Sam"]


WEEK_1, WEEK_2, WEEK_3 = date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)


def test_the_version_1_fixture_is_one_complete_small_file():
    data = FIXTURE.read_bytes()
    assert data.startswith(b"SQLite format 3\x00")
    # Header bytes 18-19 are 1 for a rollback journal, 2 for WAL: no -wal file is needed.
    assert data[18:20] == b"\x01\x01"
    assert len(data) < 100_000
    conn = sqlite3.connect(f"file:{FIXTURE}?mode=ro&immutable=1", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        conn.close()
    assert names == ["m001_initial"]


def test_a_version_1_database_opens_with_all_its_data(tmp_path):
    path = tmp_path / "closer.db"
    shutil.copyfile(FIXTURE, path)
    store.initialise(path)
    with store.open_db(path) as db:
        assert store.migrations.pending(db) == []
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.list_partners(db) == [store.Partner(1, "Zoë"), store.Partner(2, "Mateo")]
        assert store.load_settings(db) == Settings(
            active_dimensions=("emotional", "physical", "intellectual", "social"),
            checkin_weekday=5,
            checkin_time=clock(19, 30),
        )
        assert store.checked_in_weeks(db) == [WEEK_3, WEEK_2, WEEK_1]
        assert [len(store.checked_in_weeks(db, p)) for p in (1, 2)] == [2, 2]

        zoe_1, mateo_1 = store.load_week(db, WEEK_1)
        assert (zoe_1.partner_id, zoe_1.revision) == (1, 1)
        assert zoe_1.answers == Answers(
            scores={"emotional": 7, "physical": 6, "intellectual": 8, "social": None},
            wants_more=frozenset({"physical"}),
            reflections={
                "working": Reflection("Our Sunday walks 🌿", True),
                "unsaid": Reflection("Ich vermisse unsere Abende zu zweit.", False),
            },
        )
        assert (mateo_1.partner_id, mateo_1.revision) == (2, 1)
        assert mateo_1.answers.scores == {
            "emotional": 5,
            "physical": None,
            "intellectual": 6,
            "social": 7,
        }
        assert mateo_1.answers.reflections == {
            "appreciation": Reflection("Merci pour le café ☕ — 谢谢", True)
        }

        zoe_2 = store.load_checkin(db, 1, WEEK_2)
        assert zoe_2.revision == 3
        assert zoe_2.answers.scores["emotional"] == 9
        assert zoe_2.answers.wants_more == frozenset({"social", "emotional"})
        assert zoe_2.answers.reflections == {"self": Reflection("I slept better this week.", False)}
        history = store.load_revisions(db, 1, WEEK_2)
        assert [(rev, saved_at, a.scores["emotional"]) for rev, saved_at, a in history] == [
            (1, "2026-11-14T19:31:00+00:00", 6),
            (2, "2026-11-14T19:35:00+00:00", 8),
            (3, "2026-11-15T08:02:00+00:00", 9),
        ]

        mateo_3 = store.load_checkin(db, 2, WEEK_3)
        assert mateo_3.revision == 2
        assert mateo_3.updated_at == "2026-11-21T19:44:00+00:00"
        assert mateo_3.answers.scores["emotional"] == 5
        assert mateo_3.answers.reflections["working"].text == (
            "Línea uno\nLínea dos, with a line break"
        )
        assert len(store.load_revisions(db, 2, WEEK_3)) == 2
        assert store.load_checkin(db, 2, WEEK_2) is None

        scores = store.load_scores(db)
        # Four check-ins of four types; skipped types stay in the record as NaN.
        assert len(scores) == 16
        assert int(scores["score"].isna().sum()) == 4

    # The upgraded file still takes new check-ins.
    with store.open_db(path) as db:
        saved = store.save_checkin(db, 1, WEEK_3, answers({"emotional": 8}))
    assert saved.weeks_checked_in == 3


def _assert_logged(caplog: pytest.LogCaptureFixture, path: Path) -> None:
    """The store logged the problem as a WARNING naming the file, for whoever reads the log."""
    assert any(
        r.name == "closer.store" and r.levelno == logging.WARNING and str(path) in r.getMessage()
        for r in caplog.records
    ), caplog.text


def _open_like_the_app(path: Path) -> None:
    """Initialise, then read everything the pages show."""
    store.initialise(path)
    with store.open_db(path) as db:
        store.load_settings(db)
        partners = store.list_partners(db)
        store.load_scores(db)
        weeks = store.checked_in_weeks(db)
        store.load_weeks(db, weeks)
        for partner in partners:
            for week in weeks:
                store.load_revisions(db, partner.id, week)


def _damaged_closer_database(path: Path) -> None:
    partners = _new_couple(path)
    with store.open_db(path) as db:
        for week in WEEKS:
            for partner in partners:
                store.save_checkin(
                    db, partner.id, week, answers({"social": 6}, working=("words " * 60, True))
                )
        page = db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 // page * page
    # The whole second half: wherever the tables sit, the check-ins are in it.
    data[middle:] = b"\xff" * (len(data) - middle)
    path.write_bytes(bytes(data))


def _not_sqlite(path: Path) -> None:
    path.write_bytes(b"these are my shopping notes, not a database\n" * 100)


def _another_apps_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "problem", "what_to_do"),
    [
        (_damaged_closer_database, "not a readable Closer database", "Restore a backup"),
        (_not_sqlite, "not a readable Closer database", "point CLOSER_DB at another file"),
        (_another_apps_database, "not one of Closer's", "Point CLOSER_DB at another file"),
    ],
    ids=["damaged", "not-sqlite", "another-apps-sqlite"],
)
def test_a_bad_file_is_explained_logged_and_left_exactly_as_it_was(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    make: Callable[[Path], None],
    problem: str,
    what_to_do: str,
):
    path = tmp_path / "closer.db"
    make(path)
    before = path.read_bytes()
    caplog.set_level(logging.WARNING, logger="closer.store")
    with pytest.raises(store.StoreError) as error:
        _open_like_the_app(path)
    message = str(error.value)
    assert str(path) in message
    assert problem in message
    assert what_to_do in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["closer.db"]  # no -wal or -shm left
    _assert_logged(caplog, path)


_CAP_DAC_OVERRIDE = 1
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


@contextmanager
def _file_permissions_apply() -> Iterator[None]:
    """Make this thread obey file permissions even when it runs as root."""
    if os.geteuid() != 0:
        yield
        return
    # Root ignores chmod because of CAP_DAC_OVERRIDE. Linux capabilities belong to a thread,
    # so dropping that one from this thread's effective set (and raising it again after)
    # gives the checks an ordinary user meets, without a mount or any change outside the
    # test. A read-only bind mount would need CAP_SYS_ADMIN and would change the machine's
    # mount table, or a separate mount namespace, which would hide the app's log from caplog.
    if not sys.platform.startswith("linux"):
        pytest.skip("running as root, and only Linux lets a thread give up its override")
    libc = ctypes.CDLL(None, use_errno=True)
    header = _CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)
    caps = (_CapData * 2)()
    if libc.capget(ctypes.byref(header), caps) != 0:
        pytest.skip(f"running as root and capget failed (errno {ctypes.get_errno()})")
    saved = caps[0].effective
    caps[0].effective = saved & ~(1 << _CAP_DAC_OVERRIDE)
    if libc.capset(ctypes.byref(header), caps) != 0:
        pytest.skip(f"running as root and capset failed (errno {ctypes.get_errno()})")
    try:
        yield
    finally:
        caps[0].effective = saved
        if libc.capset(ctypes.byref(header), caps) != 0:
            raise OSError(ctypes.get_errno(), "could not restore CAP_DAC_OVERRIDE")


@contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """Make a folder read-only for this thread, or skip the test if that cannot hold."""
    folder.chmod(0o555)
    try:
        with _file_permissions_apply():
            probe = folder / "probe"
            try:
                probe.touch()
            except PermissionError:
                pass
            else:
                probe.unlink()
                pytest.skip("this machine lets the test write into a read-only folder")
            yield
    finally:
        folder.chmod(0o755)


def test_a_new_database_in_a_read_only_folder_is_explained(tmp_path, caplog):
    folder = tmp_path / "closer"
    folder.mkdir()
    path = folder / "closer.db"
    caplog.set_level(logging.WARNING, logger="closer.store")
    with _read_only(folder), pytest.raises(store.StoreError) as error:
        store.initialise(path)
    message = str(error.value)
    assert str(path) in message
    assert "allowed to read and write there" in message
    assert list(folder.iterdir()) == []
    _assert_logged(caplog, path)


def test_a_database_in_a_read_only_folder_is_explained_and_unchanged(tmp_path, caplog):
    folder = tmp_path / "closer"
    folder.mkdir()
    path = folder / "closer.db"
    partners = _new_couple(path)
    before = path.read_bytes()
    caplog.set_level(logging.WARNING, logger="closer.store")
    with _read_only(folder), pytest.raises(store.StoreError) as error:
        store.initialise(path)
        with store.open_db(path) as db:
            store.save_checkin(db, partners[0].id, MONDAY, answers())
    message = str(error.value)
    assert str(path) in message
    assert "read-only" in message
    assert "Check the permissions of the file and of its folder" in message
    assert path.read_bytes() == before
    assert [p.name for p in folder.iterdir()] == ["closer.db"]
    _assert_logged(caplog, path)


def test_a_database_locked_by_another_process_is_explained_and_unchanged(
    tmp_path, monkeypatch, caplog
):
    path = tmp_path / "closer.db"
    alex, _ = _new_couple(path)
    before = path.read_bytes()
    monkeypatch.setattr(store.db, "BUSY_TIMEOUT_SECONDS", 0.3)
    caplog.set_level(logging.WARNING, logger="closer.store")
    with _helper(str(path), "--hold-lock") as holder:
        try:
            assert _Lines(holder).next() == "locked"
            # In WAL mode reading does not wait for a writer: the couple still sees history.
            with store.open_db(path) as db:
                assert [p.name for p in store.list_partners(db)] == ["Alex", "Sam"]
            with pytest.raises(store.StoreError) as error:
                with store.open_db(path) as db:
                    # It waits out the busy timeout, then gives up (reaching the assertions
                    # below at all shows it gave up; this shows how long it was told to wait).
                    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 300
                    store.save_checkin(db, alex.id, MONDAY, answers())
        finally:
            holder.stdin.close()
        assert holder.wait(timeout=10) == 0
    message = str(error.value)
    assert str(path) in message
    assert "is busy" in message
    assert "Close other copies of Closer" in message
    assert path.read_bytes() == before
    with store.open_db(path) as db:
        assert store.load_checkin(db, alex.id, MONDAY) is None
    _assert_logged(caplog, path)
