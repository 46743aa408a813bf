"""Private notes at rest: a random data key per partner, sealing text with AES-GCM.

The data key is stored only wrapped: once by a key derived from the partner's passcode
(scrypt, memory-hard) and once by a key derived from a recovery code shown when the passcode
is set. Each sealed value is bound to its place (partner, week, field) through the AEAD's
associated data, so a sealed value moved to another row does not open. Nothing here is
hand-made cryptography: the `cryptography` package's AESGCM and Scrypt do the work.
"""

from __future__ import annotations

import base64
import secrets
import unicodedata
from collections.abc import Mapping
from datetime import date

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

SEALED_PREFIX = "sealed:v1:"
WRAP_SCHEME = "wrap-v1"
KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
# scrypt at OWASP's current guidance (N=2**17, r=8, p=1): 128 MiB and about 0.3 s a try on
# one core here. One unlock is a short wait; guessing from a copied file is slow.
KDF_N = 2**17
KDF_R = 8
KDF_P = 1
# What a stored wrapped key may ask for: an edited file must not make an unlock take a
# gigabyte or an hour (a huge n raised MemoryError), nor fall below what was ever written.
KDF_N_RANGE = (2**14, 2**20)
KDF_R_RANGE = (1, 16)
KDF_P_RANGE = (1, 4)
# Crockford's base32 alphabet: no I, L, O or U, so a code copied by hand reads back the same.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_GROUPS = 5
RECOVERY_GROUP_LENGTH = 4  # 20 characters of 5 bits: 100 bits, beyond any guessing
# What a sealed value reads as to anyone without its key (only ever its author's own view).
LOCKED_TEXT = "(locked)"

Keyring = Mapping[int, bytes]


class VaultError(Exception):
    """A sealed value or wrapped key that cannot be opened with what was given."""


def new_data_key() -> bytes:
    """A fresh random 256-bit key for one partner's private notes."""
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def new_recovery_code() -> str:
    """A random recovery code in groups of four, e.g. '7K2M-QX9D-0RTB-H4NC-ZW8P'."""
    chars = "".join(
        secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH)
    )
    size = RECOVERY_GROUP_LENGTH
    return "-".join(chars[i : i + size] for i in range(0, len(chars), size))


def normalise_recovery_code(typed: str) -> str:
    """A typed recovery code in its canonical form: spaces, dashes and case don't matter."""
    plain = "".join(c for c in typed.upper() if c.isalnum())
    # The letters Crockford's alphabet leaves out are read as the digits they look like.
    plain = plain.translate(str.maketrans("OIL", "011"))
    size = RECOVERY_GROUP_LENGTH
    return "-".join(plain[i : i + size] for i in range(0, len(plain), size))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))


def _secret_bytes(secret: str) -> bytes:
    # NFC, so the same passcode typed on a phone and on a laptop gives the same bytes.
    return unicodedata.normalize("NFC", secret).encode("utf-8")


def _derive(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(_secret_bytes(secret))


def kdf_cost_allowed(n: int, r: int, p: int) -> bool:
    """Whether stored scrypt parameters are ones Closer writes or once wrote (bounded on read)."""
    return (
        KDF_N_RANGE[0] <= n <= KDF_N_RANGE[1]
        and n & (n - 1) == 0
        and KDF_R_RANGE[0] <= r <= KDF_R_RANGE[1]
        and KDF_P_RANGE[0] <= p <= KDF_P_RANGE[1]
    )


def wrap_key(data_key: bytes, secret: str, purpose: str) -> str:
    """The data key encrypted under a key derived from a passcode or recovery code."""
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    kek = _derive(secret, salt, KDF_N, KDF_R, KDF_P)
    wrapped = AESGCM(kek).encrypt(nonce, data_key, f"closer data key|{purpose}".encode())
    parts = [WRAP_SCHEME, str(KDF_N), str(KDF_R), str(KDF_P), _b64(salt), _b64(nonce)]
    return "$".join([*parts, _b64(wrapped)])


def unwrap_key(wrapped: str, secret: str, purpose: str) -> bytes:
    """The data key from its wrapped form; VaultError when the secret is not the right one."""
    try:
        scheme, n, r, p, salt, nonce, body = wrapped.split("$")
        cost = int(n), int(r), int(p)
        if scheme != WRAP_SCHEME or not kdf_cost_allowed(*cost):
            raise ValueError(scheme)
        kek = _derive(secret, _unb64(salt), *cost)
        return AESGCM(kek).decrypt(
            _unb64(nonce), _unb64(body), f"closer data key|{purpose}".encode()
        )
    except (ValueError, TypeError, AttributeError, InvalidTag) as error:
        raise VaultError("wrong secret, or not a wrapped key") from error


def is_sealed(value: object) -> bool:
    """Whether a stored value is sealed (ciphertext) rather than plain text."""
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)


def seal(key: bytes, plaintext: str, place: str) -> str:
    """Text encrypted and authenticated under the key, bound to its place (see place_of)."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    body = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), place.encode("utf-8"))
    return SEALED_PREFIX + _b64(nonce + body)


def open_sealed(key: bytes, sealed: str, place: str) -> str:
    """The text of a sealed value; VaultError if the key, the place or the bytes are wrong."""
    if not is_sealed(sealed):
        raise VaultError("not a sealed value")
    try:
        raw = _unb64(sealed.removeprefix(SEALED_PREFIX))
        nonce, body = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        return AESGCM(key).decrypt(nonce, body, place.encode("utf-8")).decode("utf-8")
    except (ValueError, TypeError, InvalidTag, UnicodeDecodeError) as error:
        raise VaultError("this sealed value does not open with this key here") from error


def place_of(partner_id: int, week: date, field: str) -> str:
    """The associated data a sealed value is bound to: its author, its week and its field."""
    return f"closer|partner={partner_id}|week={week.isoformat()}|field={field}"


def open_or_locked(keyring: Keyring, partner_id: int, sealed: str, place: str) -> str | None:
    """The text of a sealed value when the keyring can open it, else None."""
    key = keyring.get(partner_id)
    if key is None:
        return None
    try:
        return open_sealed(key, sealed, place)
    except VaultError:
        return None
