"""Counts in words, as every page and command says them."""

import pytest

from closer.words import plural


@pytest.mark.parametrize(
    ("n", "word", "expected"),
    [
        (0, "week", "0 weeks"),
        (1, "week", "1 week"),
        (2, "week", "2 weeks"),
        (1, "check-in", "1 check-in"),
        (12, "automatic backup", "12 automatic backups"),
    ],
)
def test_plural_adds_an_s_unless_the_count_is_one(n, word, expected):
    assert plural(n, word) == expected
