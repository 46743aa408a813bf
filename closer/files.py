"""Files only their owner can read: the database, its companions, backups (0600; folders 0700)."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# The group and everyone else: what tightening takes away.
OTHERS = 0o077
DATABASE_COMPANIONS = ("-wal", "-shm", "-journal")

log = logging.getLogger(__name__)


def make_private(path: Path) -> None:
    """Take every permission of the group and of others away from a file or folder, if it exists.

    Only takes bits away: a file made read-only on purpose stays read-only.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & OTHERS:
            os.chmod(path, mode & ~OTHERS)
    except FileNotFoundError:
        return
    except OSError as error:
        # Someone else's file (or a read-only disk): say so in the log, and carry on rather
        # than lock the couple out of their own check-ins.
        log.warning("could not make %s private: %s", path, error)


def make_private_database(path: Path) -> None:
    """Tighten a database file and the -wal, -shm or -journal files SQLite keeps beside it."""
    make_private(path)
    for suffix in DATABASE_COMPANIONS:
        make_private(Path(f"{path}{suffix}"))


def create_private_file(path: Path) -> None:
    """Create an empty file that only this account may read and write, whatever the umask.

    An existing file is left as it is, only tightened.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        make_private(path)
        return
    try:
        os.fchmod(descriptor, PRIVATE_FILE)  # the umask may have taken bits the owner needs
    finally:
        os.close(descriptor)


def create_private_folder(path: Path) -> None:
    """Create a folder (and missing parents) and make it private; an existing one is tightened."""
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    make_private(path)


def tighten_folder(path: Path) -> None:
    """Tighten a folder and every file directly in it, never following a link out of it."""
    if not path.is_dir():
        return
    make_private(path)
    try:
        children = list(path.iterdir())
    except OSError as error:
        log.warning("could not look inside %s: %s", path, error)
        return
    for child in children:
        if child.is_file() and not child.is_symlink():
            make_private(child)
