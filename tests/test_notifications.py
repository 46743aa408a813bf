"""Notices through Apprise's json:// to a real local HTTP server, and where addresses are kept."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from closer import notify, store
from closer.backup import automatic, erase, file_format, restore
from closer.nudges import Event
from closer.survey import dimension_keys
from tests.factories import answers

WEEK = date(2026, 11, 16)  # slot Sunday 22 Nov 2026 at 20:00 (the couple fixture's default)
NOTE = "the walk by the canal on Tuesday"


class Inbox(ThreadingHTTPServer):
    """A local server that keeps every JSON body posted to it."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.bodies: list[dict] = []
        self.paths: list[str] = []

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str = "alex") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length", 0))
        self.server.bodies.append(json.loads(self.rfile.read(length)))
        self.server.paths.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    server = Inbox()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def add(db_path: Path, partner_id: int, url: str) -> None:
    with store.open_db(db_path) as db:
        store.add_address(db, partner_id, url)


def check_in(db_path: Path, partner_id: int) -> None:
    with store.open_db(db_path) as db:
        store.save_checkin(db, partner_id, WEEK, answers({"emotional": 7}, working=(NOTE, True)))


def assert_no_content(body: dict) -> None:
    text = json.dumps(body).lower()
    assert NOTE.lower() not in text and "canal" not in text
    assert not any(ch.isdigit() for ch in body["message"] + body["title"])  # no score
    assert not any(d in text for d in dimension_keys())


def test_a_notice_for_every_event_reaches_the_server(db_path, couple, inbox):
    alex, sam = couple
    add(db_path, alex.id, inbox.url("alex"))
    add(db_path, sam.id, inbox.url("sam"))

    # Sunday 22 Nov, 20:00: check-in time, to both.
    notify.tick(db_path, datetime(2026, 11, 22, 20, 0))
    # A minute later the same notices are due, and none goes out again.
    notify.tick(db_path, datetime(2026, 11, 22, 20, 1))
    # Alex checks in: Sam hears it.
    check_in(db_path, alex.id)
    notify.after_checkin(db_path, alex.id, WEEK).join()
    # Monday 09:00: Sam still hasn't, so Sam gets the morning nudge.
    notify.tick(db_path, datetime(2026, 11, 23, 9, 0))
    # Sam checks in: both hear the week is ready; Alex saving again sends nothing new.
    check_in(db_path, sam.id)
    notify.after_checkin(db_path, sam.id, WEEK).join()
    check_in(db_path, alex.id)
    notify.after_checkin(db_path, alex.id, WEEK).join()
    # And a test from Settings.
    assert notify.send_test(db_path, alex.id, datetime(2026, 11, 24, 10, 0)).ok

    received = sorted(zip(inbox.paths, (b["message"] for b in inbox.bodies), strict=True))
    assert received == [
        ("/alex", "A test from Closer. If you can read this, notices will reach you here."),
        ("/alex", "It's check-in time. Open Closer when you're both ready."),
        ("/alex", "You've both checked in: your week is ready to look at together."),
        ("/sam", "A gentle nudge: your check-in for this week is still open."),
        ("/sam", "Alex has checked in. Your turn, whenever you're ready."),
        ("/sam", "It's check-in time. Open Closer when you're both ready."),
        ("/sam", "You've both checked in: your week is ready to look at together."),
    ]
    for body in inbox.bodies:
        assert body["title"] == "Closer"
        assert_no_content(body)
    with store.open_db(db_path) as db:
        log = store.load_notice_log(db)
    assert {entry.outcome for entry in log} == {store.SENT}
    assert len(log) == 7


def test_a_name_goes_out_exactly_as_typed(db_path, couple, inbox):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.rename_partner(db, alex.id, "Zoë *the* <b>one</b>")
    add(db_path, sam.id, inbox.url("sam"))
    check_in(db_path, alex.id)
    notify.after_checkin(db_path, alex.id, WEEK).join()
    assert [b["message"] for b in inbox.bodies] == [
        "Zoë *the* <b>one</b> has checked in. Your turn, whenever you're ready."
    ]


def test_a_failing_address_is_logged_and_never_fails_the_save(db_path, couple):
    alex, sam = couple
    add(db_path, sam.id, f"json://127.0.0.1:{closed_port()}/sam")
    check_in(db_path, alex.id)
    notify.after_checkin(db_path, alex.id, WEEK).join()
    with store.open_db(db_path) as db:
        assert [c.partner_id for c in store.load_week(db, WEEK)] == [alex.id]
        last = store.last_notice(db, sam.id)
    assert last is not None and last.event == str(Event.PARTNER_CHECKED_IN)
    assert last.outcome == "JSON didn't take it"


def test_a_partial_result_is_not_taken_for_success(db_path, couple, inbox):
    alex, sam = couple
    add(db_path, sam.id, inbox.url("sam"))
    add(db_path, sam.id, f"json://127.0.0.1:{closed_port()}/gone")
    outcome = notify.send_test(db_path, sam.id, datetime(2026, 11, 24, 10, 0))
    assert not outcome.ok
    assert outcome.words == "JSON didn't take it (1 of 2 reached)"
    assert len(inbox.bodies) == 1


def test_nothing_is_sent_or_logged_without_an_address(db_path, couple):
    alex, _ = couple
    assert notify.tick(db_path, datetime(2026, 11, 22, 20, 0)) == []
    with store.open_db(db_path) as db:
        assert store.load_notice_log(db) == []


def test_an_address_apprise_cannot_use_is_refused_in_words():
    assert notify.address_problem("json://127.0.0.1:9/x") is None
    assert notify.address_problem("ntfy://my-topic") is None
    assert "doesn't recognise" in notify.address_problem("https//nope")
    assert "spaces" in notify.address_problem("ntfy://my topic")
    assert notify.address_problem("  ") == "Type or paste an address first."


def test_addresses_belong_to_their_partner(db_path, couple):
    alex, sam = couple
    add(db_path, alex.id, "ntfy://alex-secret-topic")
    with store.open_db(db_path) as db:
        mine = store.load_addresses(db, alex.id)
        assert [a.url for a in mine] == ["ntfy://alex-secret-topic"]
        assert store.load_addresses(db, sam.id) == []
        store.remove_address(db, sam.id, mine[0].id)  # not Sam's to remove
        assert len(store.load_addresses(db, alex.id)) == 1
        with pytest.raises(store.StoreError, match="already"):
            store.add_address(db, alex.id, "ntfy://alex-secret-topic")
        store.remove_address(db, alex.id, mine[0].id)
        assert store.load_addresses(db, alex.id) == []


def test_the_same_notice_is_claimed_once(db_path, couple):
    alex, _ = couple
    with store.open_db(db_path) as db:
        assert store.claim_notice(db, "week-ready:2026-11-16:1", "week-ready", WEEK, alex.id)
        assert not store.claim_notice(db, "week-ready:2026-11-16:1", "week-ready", WEEK, alex.id)


SECRET = "ntfy://tk_secret_token_4242@ntfy.example/topic"


def test_no_backup_ever_holds_an_address(db_path, couple, tmp_path):
    alex, _ = couple
    add(db_path, alex.id, SECRET)
    check_in(db_path, alex.id)
    with store.open_db(db_path) as db:
        text = file_format.backup_json(db)
    assert "tk_secret_token" not in text
    assert "notify_addresses" not in text and "notice_log" not in text
    copy = automatic.backup_file(db_path, tmp_path / "backups", "weekly")
    assert b"tk_secret_token" not in copy.read_bytes()


def test_a_restore_keeps_this_computers_addresses(db_path, couple, tmp_path):
    alex, _ = couple
    check_in(db_path, alex.id)
    with store.open_db(db_path) as db:
        backup = file_format.read_backup(file_format.backup_json(db), db)
    copy = automatic.backup_file(db_path, tmp_path / "backups", "weekly")
    add(db_path, alex.id, SECRET)
    with store.open_db(db_path) as db:
        restore.restore_backup(db, backup, "replace", consented=[1, 2])
        assert [a.url for a in store.load_addresses(db, alex.id)] == [SECRET]
    automatic.restore_backup_file(copy, db_path, tmp_path / "backups", consented=[1, 2])
    with store.open_db(db_path) as db:
        assert [a.url for a in store.load_addresses(db, alex.id)] == [SECRET]


def test_a_backup_file_with_addresses_is_refused(db_path, couple):
    with store.open_db(db_path) as db:
        data = file_format.export_backup(db)
        data["tables"]["notify_addresses"] = {"columns": ["id"], "rows": []}
        with pytest.raises(file_format.BackupError, match="notify_addresses"):
            file_format.read_backup(json.dumps(data), db)


def test_deleting_everything_deletes_addresses_and_the_log(db_path, couple):
    alex, _ = couple
    add(db_path, alex.id, SECRET)
    with store.open_db(db_path) as db:
        store.claim_notice(db, "test:x:1", "test", WEEK, alex.id)
        erase.delete_everything(db, consented=[1, 2])
        assert db.execute("SELECT count(*) FROM notify_addresses").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM notice_log").fetchone()[0] == 0
    assert b"tk_secret_token" not in db_path.read_bytes()
