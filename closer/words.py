"""Counts in words: "1 check-in", "3 check-ins"."""

from __future__ import annotations


def plural(n: int, word: str) -> str:
    """The count and its word, with an "s" unless the count is one: "1 week", "3 weeks"."""
    return f"{n} {word}{'' if n == 1 else 's'}"


SHOWN_CHARS = 40  # how much of a value from a file a message quotes back


def cut(value: object, limit: int = SHOWN_CHARS) -> str:
    """A value as a message may quote it: text as it is, anything else as Python shows it,
    at most ``limit`` characters (the end replaced by an ellipsis)."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
