"""Streamlit options Closer depends on for speed, read from the file `make run` uses."""

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def test_no_full_garbage_collection_after_every_rerun():
    # Streamlit's default collects all three generations after each rerun: 40-60 ms of every
    # click with pandas and Altair loaded, measured with py-spy and benchmarks.browser_pages
    # (CONTRIBUTING, "Speed"). Python's own collector still runs as objects pile up.
    options = tomllib.loads(CONFIG.read_text())
    assert options["runner"]["postScriptGC"] is False
