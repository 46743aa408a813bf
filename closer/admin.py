"""Command-line tasks on the machine that holds the database: `python -m closer.admin --help`."""

from __future__ import annotations

import argparse
import sys

from closer import store


def reset_passcode(name: str) -> str:
    """Remove a partner's passcode; returns what to tell the person at the terminal."""
    path = store.database_path()
    store.initialise(path)
    with store.open_db(path) as db:
        partner = store.find_partner(db, name)
        if partner is None:
            names = ", ".join(p.name for p in store.list_partners(db)) or "nobody yet"
            raise store.StoreError(f"No partner called {name!r} in {path} (partners: {names}).")
        store.set_passcode_hash(db, partner.id, None)
    return f"{partner.name} has no passcode now. They can set a new one in Settings."


def main(argv: list[str] | None = None) -> int:
    """Run one admin command and return the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m closer.admin", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    reset = commands.add_parser("reset-passcode", help="remove a partner's forgotten passcode")
    reset.add_argument("name", help="the partner's name as shown in Closer")
    args = parser.parse_args(argv)
    try:
        print(reset_passcode(args.name))
    except store.StoreError as error:
        print(f"closer.admin: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
