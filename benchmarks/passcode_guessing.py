"""What one offline guess at a passcode costs: the key unwrap a copied file offers, on one core.

`python -m benchmarks.passcode_guessing` prints the median of a few wrong unwraps and what
trying every 6-digit PIN would take at that rate (the README's threat model quotes it).
"""

from __future__ import annotations

import statistics
import time

from closer import vault

TRIES = 7


def main() -> None:
    """Time wrong guesses against a key wrapped the way Closer wraps it today."""
    wrapped = vault.wrap_key(vault.new_data_key(), "314159", "passcode")
    seconds = []
    for guess in range(TRIES):
        started = time.perf_counter()
        try:
            vault.unwrap_key(wrapped, f"{guess:06d}", "passcode")
        except vault.VaultError:
            pass
        seconds.append(time.perf_counter() - started)
    each = statistics.median(seconds)
    print(f"scrypt N={vault.KDF_N}, r={vault.KDF_R}, p={vault.KDF_P}")
    print(f"one guess: median {each:.3f} s, fastest {min(seconds):.3f} s (of {TRIES})")
    print(f"every 6-digit PIN on one core: {10**6 * min(seconds) / 86400:.1f} days")


if __name__ == "__main__":
    main()
