"""Sending notices through Apprise, off to the side: a failure is logged, never raised at a save.

Nothing but a notice's title ("Closer") and its few words leave the computer, and only to
addresses a partner added themselves. Addresses can hold tokens, so they never reach a log
line or an error message: a failure is named by the service (ntfy, E-Mail, JSON...) alone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from closer import nudges, store
from closer.nudges import Event, Notice
from closer.weeks import checkin_week

log = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 60


@dataclass(frozen=True)
class Outcome:
    """How sending one notice went: ok, and the words for Settings ('sent', or what failed)."""

    ok: bool
    words: str


def address_problem(url: str) -> str | None:
    """Why Apprise can't use this address (in words), or None when it can."""
    import apprise  # here, not at the top: it takes a third of a second to import

    url = url.strip()
    if not url:
        return "Type or paste an address first."
    if any(ch.isspace() for ch in url):
        return "An address has no spaces in it: check what was pasted."
    if apprise.Apprise.instantiate(url) is None:
        return (
            "Closer doesn't recognise this address. It starts with the service's name, such "
            "as ntfy://your-topic or mailto://you:password@example.com."
        )
    return None


def service_name(url: str) -> str:
    """The service an address belongs to (such as 'ntfy'), safe to show: no token in it."""
    import apprise

    plugin = apprise.Apprise.instantiate(url)
    return str(getattr(plugin, "service_name", None) or "unknown service") if plugin else "?"


def deliver(urls: Iterable[str], title: str, body: str) -> Outcome:
    """Send one notice to a partner's addresses and say how it went, partial results included."""
    import apprise
    from apprise.result import AppriseResultStatus

    sender = apprise.Apprise()
    added = [url for url in urls if sender.add(url)]
    if not added:
        return Outcome(False, "none of the addresses could be used")
    try:
        result = sender.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT)
    except Exception as error:  # noqa: BLE001 (a plugin's bug must not reach a save)
        log.warning("sending a notice failed: %s", type(error).__name__)
        return Outcome(False, "Closer couldn't send it")
    if result.status is AppriseResultStatus.SUCCESS:
        return Outcome(True, store.SENT)
    failed = sorted({r.name for r in result.results if r.status is not AppriseResultStatus.SUCCESS})
    reached = len(result.results) - len(failed)
    names = ", ".join(failed) or "the service"
    if result.status is AppriseResultStatus.PARTIAL or reached:
        return Outcome(False, f"{names} didn't take it ({reached} of {len(added)} reached)")
    if result.status is AppriseResultStatus.TIMEOUT:
        return Outcome(False, f"{names} didn't answer in time")
    return Outcome(False, f"{names} didn't take it")


def send_notices(db_path: Path, notices: Iterable[Notice]) -> list[tuple[Notice, Outcome]]:
    """Send each notice not sent before to its partner's addresses; returns what was tried.

    Each is claimed in the notice log first, so a notice goes out once however many times
    it comes due; partners without an address are skipped (and nothing is logged for them).
    """
    tried = []
    with store.open_db(db_path) as db:
        addresses = store.addresses_by_partner(db)
    for notice in notices:
        urls = addresses.get(notice.partner_id)
        if not urls:
            continue
        with store.open_db(db_path) as db:
            if not store.claim_notice(
                db, notice.key, str(notice.event), notice.week, notice.partner_id
            ):
                continue
        outcome = deliver(urls, notice.title, notice.body)
        if not outcome.ok:
            log.warning("a %s notice was not delivered: %s", notice.event, outcome.words)
        with store.open_db(db_path) as db:
            store.record_outcome(db, notice.key, outcome.words)
        tried.append((notice, outcome))
    return tried


def send_test(db_path: Path, partner_id: int, now: datetime) -> Outcome:
    """Send a test notice to a partner's own addresses now, and say how it went."""
    with store.open_db(db_path) as db:
        urls = store.addresses_by_partner(db).get(partner_id, [])
    if not urls:
        return Outcome(False, "add an address first")
    key = f"{Event.TEST}:{now.isoformat(timespec='microseconds')}:{partner_id}"
    outcome = deliver(urls, nudges.TITLE, nudges.body_for(Event.TEST))
    with store.open_db(db_path) as db:
        if store.claim_notice(db, key, str(Event.TEST), now.date(), partner_id):
            store.record_outcome(db, key, outcome.words)
    return outcome


def due_now(db_path: Path, now: datetime) -> list[Notice]:
    """The timed notices due at `now` for the couple in this database (log not yet checked)."""
    with store.open_db(db_path) as db:
        if not store.addresses_by_partner(db):
            return []
        settings = store.load_settings(db)
        partners = [p.id for p in store.list_partners(db)]
        week = checkin_week(now, settings.checkin_weekday, settings.checkin_time)
        checked_in = {c.partner_id for c in store.load_week(db, week)}
    _, due = nudges.timed_notices(
        now, settings.checkin_weekday, settings.checkin_time, partners, checked_in
    )
    return due


def checkin_notices(db_path: Path, partner_id: int, week: date) -> list[Notice]:
    """The notices a partner's saved check-in for `week` sets off."""
    with store.open_db(db_path) as db:
        names = {p.id: p.name for p in store.list_partners(db)}
        checked_in = {c.partner_id for c in store.load_week(db, week)}
    return nudges.after_checkin(week, partner_id, names, checked_in)


def _in_background(name: str, work: Callable[[], object]) -> threading.Thread:
    """Run work on a daemon thread; anything it raises is logged, never passed on."""

    def run() -> None:
        try:
            work()
        except Exception as error:  # noqa: BLE001 (a notice must never break the app)
            log.warning("%s failed: %s: %s", name, type(error).__name__, error)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


def after_checkin(db_path: Path, partner_id: int, week: date) -> threading.Thread:
    """Send what a saved check-in sets off, on a thread of its own so the save never waits."""
    return _in_background(
        "closer-notices", lambda: send_notices(db_path, checkin_notices(db_path, partner_id, week))
    )


def tick(db_path: Path, now: datetime) -> list[tuple[Notice, Outcome]]:
    """One look at the clock: send whichever timed notices are due and not yet sent."""
    if not db_path.exists():
        return []
    return send_notices(db_path, due_now(db_path, now))


class Scheduler:
    """Looks at the clock once a minute while Closer runs, and sends the slot's notices."""

    def __init__(self, db_path: Callable[[], Path], every: float = CHECK_EVERY_SECONDS) -> None:
        self._db_path = db_path
        self._every = every
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="closer-scheduler", daemon=True)

    def start(self) -> Scheduler:
        """Start looking (returns itself, so `Scheduler(path).start()` reads as one line)."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop after the current look."""
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                tick(self._db_path(), datetime.now())
            except Exception as error:  # noqa: BLE001 (keep looking next minute)
                log.warning("the notice scheduler failed: %s: %s", type(error).__name__, error)
            self._stop.wait(self._every)


def masked(url: str) -> str:
    """An address as a page may show it, even to its owner: the scheme and the last few letters."""
    scheme, _, rest = url.partition("://")
    if not rest:
        return "…"
    return f"{scheme}://…{rest[-4:]}" if len(rest) > 8 else f"{scheme}://…"


def outcome_in_words(outcome: str | None) -> str | None:
    """A stored outcome as Settings shows it: None when it was sent (or is still sending)."""
    if outcome is None or outcome == store.SENT:
        return None
    return f"last notice failed: {outcome}"
