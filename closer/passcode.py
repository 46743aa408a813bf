"""Passcodes: the rules for a new one, the older stored hash, and the wait after wrong tries.

A partner with a data key is checked by unwrapping that key (closer.vault): the one verifier.
Their `passcode_hash` column then holds only KEY_VERIFIED, so a copied file offers no cheaper
hash to guess against. A salted scrypt hash is still read for passcodes set before private
notes were sealed; the first unlock replaces it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from datetime import UTC, datetime, timedelta

from closer.words import plural

# scrypt with n=2**14, r=8 takes ~50 ms here: slow for guessing, quick for one unlock.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
MIN_LENGTH = 6  # a 6-digit PIN at the least: see the README's threat model for what it costs
# Stored in place of a hash for a partner whose passcode unwraps their data key.
KEY_VERIFIED = "key"
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
        cost = int(n), int(r), int(p)
        # Bounded like the key wraps: a tampered cost must not exhaust memory or time.
        n_ok, r_ok, p_ok = 2**10 <= cost[0] <= 2**20, 1 <= cost[1] <= 16, 1 <= cost[2] <= 4
        if scheme != "scrypt" or not (n_ok and r_ok and p_ok):
            return False
        candidate = _derive(passcode, bytes.fromhex(salt), *cost)
        return hmac.compare_digest(candidate, bytes.fromhex(digest))
    except (ValueError, AttributeError):
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
    remaining = last_failed + timedelta(seconds=_wait_seconds(failed)) - now
    return max(remaining, timedelta(0))


def _wait_seconds(failed: int) -> int:
    # The exponent is capped first: a huge stored count must not build a huge number.
    doublings = min(failed - FREE_TRIES, MAX_WAIT_SECONDS // FIRST_WAIT_SECONDS)
    return min(FIRST_WAIT_SECONDS * 2**doublings, MAX_WAIT_SECONDS)


def read_moment(raw: object, now: datetime) -> datetime | None:
    """A stored time of a wrong try, never later than now; None when missing or unreadable."""
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    # Closer writes UTC; a time without a zone can only have come from elsewhere, so read it
    # as UTC. A time in the future (a wrong clock, an edited file) counts as now: a typo in
    # a file must not turn into a wait of years.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    aware_now = now if now.tzinfo else now.replace(tzinfo=UTC)
    moment = min(moment, aware_now)
    return moment if now.tzinfo else moment.astimezone(UTC).replace(tzinfo=None)


def read_count(raw: object) -> int:
    """A stored run of wrong tries; 0 when it is not a whole number of at least 0."""
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return raw
    return 0


def _duration(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return plural(minutes, "minute")
    return f"{seconds} seconds"


def wrong_passcode_message(failed: int) -> str:
    """What to say after a wrong passcode, given the run of wrong tries including this one."""
    text = "That passcode isn't right."
    if failed >= FREE_TRIES:
        return (
            f"{text} The next try opens in {_duration(_wait_seconds(failed))}; each wrong try "
            f"from now on doubles the wait, up to {_duration(MAX_WAIT_SECONDS)}."
        )
    if failed >= FREE_TRIES - 2:
        left = FREE_TRIES - failed
        return (
            f"{text} After {left} more wrong {'try' if left == 1 else 'tries'}, Closer asks you "
            f"to wait before the next one: {_duration(FIRST_WAIT_SECONDS)} at first, longer "
            "after each wrong try."
        )
    return text
