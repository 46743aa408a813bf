"""Make user text safe to place inside Markdown, so it shows exactly as typed."""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of
# them also defuses Streamlit's own syntax (":red[...]", "$math$", ":emoji:") in one rule.
_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def escape_markdown(text: str) -> str:
    """Text that Markdown renders as the same characters, never as formatting or links."""
    return _PUNCTUATION.sub(r"\\\1", text).replace("\n", " ")
