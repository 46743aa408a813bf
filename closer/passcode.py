"""Passcodes: stored only as a salted scrypt hash, checked in constant time, tries throttled."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from datetime import datetime, timedelta

# scrypt with n=2**14, r=8 takes ~50 ms here: slow for guessing, quick for one unlock.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
MIN_LENGTH = 4
MAX_LENGTH = 64
FREE_TRIES = 5  # wrong tries in a row before each further try has to wait
FIRST_WAIT_SECONDS = 30
MAX_WAIT_SECONDS = 15 * 60


def _derive(passcode: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # NFC so the same passcode typed on a phone and a laptop gives the same bytes.
    data = unicodedata.normalize("NFC", passcode).encode()
    return hashlib.scrypt(data, salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def hash_passcode(passcode: str) -> str:
    """A self-describing salted hash: 'scrypt$n$r$p$salt$hash' (hex)."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _derive(passcode, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_passcode(passcode: str, stored: str) -> bool:
    """Whether the passcode matches the stored hash, compared in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = _derive(passcode, bytes.fromhex(salt), int(n), int(r), int(p))
        return hmac.compare_digest(candidate, bytes.fromhex(digest))
    except ValueError:
        return False


def passcode_problem(passcode: str, repeated: str) -> str | None:
    """What is wrong with a new passcode and its confirmation, or None."""
    if len(passcode) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(passcode) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if passcode != repeated:
        return "The two entries don't match. Type the same passcode twice."
    return None


def wait_before_next_try(failed: int, last_failed: datetime | None, now: datetime) -> timedelta:
    """How long to wait before another try: none for the first five, then doubling from 30 s."""
    if failed < FREE_TRIES or last_failed is None:
        return timedelta(0)
    wait = min(FIRST_WAIT_SECONDS * 2 ** (failed - FREE_TRIES), MAX_WAIT_SECONDS)
    remaining = last_failed + timedelta(seconds=wait) - now
    return max(remaining, timedelta(0))
