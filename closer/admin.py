"""Command-line tasks on the machine that holds the database: `python -m closer.admin --help`."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from closer import home_network, security, store
from closer.words import plural

Ask = Callable[[str], str]


def _what_is_lost(sealed: store.SealedNotes) -> str:
    parts = [
        plural(sealed.notes, "private note"),
        plural(sealed.csi_answers, "set") + " of private answers to the four monthly questions",
        plural(sealed.earlier_versions, "earlier version") + " of check-ins with private notes",
    ]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def reset_passcode(name: str, ask: Ask = input, ask_secret: Ask = getpass.getpass) -> str:
    """Reset a partner's forgotten passcode; returns what to tell the person at the terminal.

    With the recovery code, the same data key is wrapped by a new passcode and nothing is
    lost. Without it, the notes sealed with that key can never be read again: the command
    says how many, and deletes them only after the person types the partner's name.
    """
    path = store.database_path()
    store.initialise(path)
    with store.open_db(path) as db:
        partner = store.find_partner(db, name)
        if partner is None:
            names = ", ".join(p.name for p in store.list_partners(db)) or "nobody yet"
            raise store.StoreError(f"No partner called {name!r} in {path} (partners: {names}).")
        wrapped = store.load_wrapped_keys(db, partner.id)
        sealed = store.count_sealed_notes(db, partner.id)
    if wrapped.by_recovery is None:
        # A passcode from before private notes were sealed: nothing is locked by it.
        with store.open_db(path) as db:
            store.remove_passcode(db, partner.id, None)
        return f"{partner.name} has no passcode now. They can set a new one in Settings."

    typed = ask(
        f"{partner.name}'s recovery code (shown once when the passcode was set; "
        "press Enter if it is lost): "
    )
    if typed.strip():
        try:
            key = security.open_with_recovery_code(path, partner.id, typed)
            new = ask_secret("New passcode: ")
            repeated = ask_secret("New passcode again: ")
            security.new_passcode_for_key(path, partner.id, key, new, repeated)
        except security.PasscodeRefused as refused:
            raise store.StoreError(str(refused)) from None
        return (
            f"{partner.name} has a new passcode. Their private notes are as they were, and "
            "their recovery code still works."
        )

    print(
        f"Without the recovery code, {partner.name}'s sealed writing can never be read again: "
        f"{_what_is_lost(sealed)}. Resetting deletes it; everything shared, and every score, "
        "stays."
    )
    confirm = ask(f"Type {partner.name} to delete it and remove the passcode: ")
    if confirm.strip().casefold() != partner.name.casefold():
        return "Nothing was changed."
    with store.open_db(path) as db:
        store.forget_passcode(db, partner.id)
    return f"{partner.name} has no passcode now. They can set a new one in Settings."


def check_home_network() -> str:
    """Whether Closer may listen on the home network; StoreError says why not."""
    path = store.database_path()
    store.initialise(path)
    with store.open_db(path) as db:
        names = [p.name for p in store.list_partners(db)]
        without = store.partners_without_passcode(db)
    problem = home_network.home_network_problem(names, without)
    if problem:
        raise store.StoreError(problem)
    return (
        "Closer is starting on your home network. Open Settings on this computer for the "
        "address and a QR code to scan with your phones."
    )


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per task."""
    parser = argparse.ArgumentParser(prog="python -m closer.admin", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    reset = commands.add_parser(
        "reset-passcode", help="reset a partner's forgotten passcode (asks for the recovery code)"
    )
    reset.add_argument("name", help="the partner's name as shown in Closer")
    commands.add_parser(
        "check-home-network",
        help="say whether Closer may listen on the home network (every partner has a passcode)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one admin command and return the process exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "check-home-network":
        try:
            print(check_home_network())
        except store.StoreError as error:
            print(f"closer.admin: {error}", file=sys.stderr)
            return 1
        return 0
    # A passcode is typed without echo at a terminal; piped in (a script, a test), read as lines.
    ask_secret = getpass.getpass if sys.stdin.isatty() else input
    try:
        print(reset_passcode(args.name, input, ask_secret))
    except store.StoreError as error:
        print(f"closer.admin: {error}", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\ncloser.admin: stopped; nothing was changed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
