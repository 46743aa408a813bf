"""Test helper run as a subprocess: Closer writers to kill, or a lock holder to wait on.

Run from the repository root:

    python -m tests.writer_process PATH
        Imports the store once and prints "ready". For each line "go TAG" on stdin it forks
        a writer, which prints "started PID" and then saves check-ins (a connection per
        save, as the app does) until it is killed. After each save returns the writer
        prints "PARTNER_ID WEEK REVISION TOKEN", flushed: every such line is a save the app
        would have told the couple was kept. TOKEN ("TAG.N") goes into that save's
        reflection so the test can tell its revision from any other. When the writer has
        died this process prints "ended TAG EXIT" (EXIT is -9 after a SIGKILL) and waits
        for the next command; it exits when stdin closes.

    python -m tests.writer_process PATH --hold-lock
        Takes the write lock with BEGIN EXCLUSIVE, prints "locked", and holds it until
        stdin closes.

    python -m tests.writer_process PATH --die-mid-write
        Renames partner 1 to "Committed" (committed, so it sits in the -wal until a
        checkpoint), then renames them "Half-written" inside BEGIN IMMEDIATE, prints
        "mid-write" and waits, connection open and transaction uncommitted, to be killed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sqlite3
import sys
import traceback
from datetime import timedelta
from pathlib import Path

WEEKS_CYCLED = 8


def save_forever(path: Path, tag: str) -> None:
    """Save check-ins for both partners across several weeks, reporting each one."""
    from closer import store
    from tests.factories import MONDAY, answers

    with store.open_db(path) as db:
        partners = [p.id for p in store.list_partners(db)]
    for n in itertools.count():
        partner_id = partners[n % len(partners)]
        week = MONDAY - timedelta(weeks=(n // len(partners)) % WEEKS_CYCLED)
        token = f"{tag}.{n}"
        with store.open_db(path) as db:
            saved = store.save_checkin(
                db, partner_id, week, answers({"physical": 1 + n % 10}, working=(token, True))
            )
        print(f"{partner_id} {week.isoformat()} {saved.revision} {token}", flush=True)


def serve_writers(path: Path) -> None:
    """Fork one writer per "go TAG" command and report how each one ended."""
    # Importing pandas (through the store) takes about a second; forking an already
    # imported process takes milliseconds, so a kill test can run many rounds. This
    # process opens no database itself, so no SQLite connection or lock crosses a fork.
    import closer.store  # noqa: F401

    print("ready", flush=True)
    for command in sys.stdin:
        tag = command.split()[1]
        pid = os.fork()
        if pid == 0:
            try:
                print(f"started {os.getpid()}", flush=True)
                save_forever(path, tag)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(1)
        _, status = os.waitpid(pid, 0)
        print(f"ended {tag} {os.waitstatus_to_exitcode(status)}", flush=True)


def hold_lock(path: Path) -> None:
    """Hold an exclusive write lock on the database until stdin closes."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        print("locked", flush=True)
        sys.stdin.read()
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def die_mid_write(path: Path) -> None:
    """Leave a committed write in the -wal and an uncommitted one open, then wait to be killed."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE partners SET name = 'Committed' WHERE id = 1")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE partners SET name = 'Half-written' WHERE id = 1")
    print("mid-write", flush=True)
    sys.stdin.read()


def main() -> None:
    """Run the mode chosen on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--hold-lock", action="store_true", help="hold BEGIN EXCLUSIVE")
    parser.add_argument("--die-mid-write", action="store_true", help="wait to be killed mid-write")
    args = parser.parse_args()
    if args.hold_lock:
        hold_lock(args.path)
    elif args.die_mid_write:
        die_mid_write(args.path)
    else:
        serve_writers(args.path)


if __name__ == "__main__":
    main()
