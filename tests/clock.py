"""Run the fast suite again with the clock at moments that have broken date logic before.

`make test` runs this after the main suite, so a test that only fails on a Monday just after
midnight, or across New Year, fails on every day instead. The clock is moved with libfaketime
(the same library the browser tests use), so neither the app nor the tests have time hooks.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.browser import ensure_faketime

# A Monday just after midnight (a new week has begun, "today" is its first day), a minute
# before Monday noon (Closer's week changes at 12:00, so the run crosses it: a week worked out
# when a module was imported is stale by the end), and the last half hour of a year (the ISO
# week and the calendar year disagree).
MOMENTS = ("2026-11-30 00:30:00", "2026-11-30 11:59:00", "2026-12-31 23:30:00")


def main() -> int:
    """Run `pytest -m "not browser"` once per moment; the exit code of the first failure."""
    library = ensure_faketime()
    for moment in MOMENTS:
        print(f"Fast suite with the clock at {moment}:", flush=True)
        env = {**os.environ, "LD_PRELOAD": library, "FAKETIME": f"@{moment}"}
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-m",
            "not browser",
            "-p",
            "no:cacheprovider",
        ]
        result = subprocess.run(command, env=env)
        if result.returncode != 0:
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
