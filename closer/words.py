"""Counts in words: "1 check-in", "3 check-ins"."""

from __future__ import annotations


def plural(n: int, word: str) -> str:
    """The count and its word, with an "s" unless the count is one: "1 week", "3 weeks"."""
    return f"{n} {word}{'' if n == 1 else 's'}"
