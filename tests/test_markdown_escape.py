"""User text placed in Markdown shows as the same characters."""

from __future__ import annotations

import pytest

from closer.markdown import escape_markdown


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("Alex", "Alex"),
        ("**Bo**", r"\*\*Bo\*\*"),
        ("![p](http://x/p.png)", r"\!\[p\]\(http\:\/\/x\/p\.png\)"),
        (":red[Sam]", r"\:red\[Sam\]"),
        ("$x$", r"\$x\$"),
        ("<b>", r"\<b\>"),
        ("a\\b", r"a\\b"),
        ("Zoë", "Zoë"),
        ("# Not a heading", r"\# Not a heading"),
        ("1. first", r"1\. first"),
        ("+ item", r"\+ item"),
        ("---", r"\-\-\-"),
        ("&amp; | ~~x~~", r"\&amp\; \| \~\~x\~\~"),
        ("two\nlines", "two lines"),
    ],
)
def test_escape_markdown(typed, escaped):
    assert escape_markdown(typed) == escaped
