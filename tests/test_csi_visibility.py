"""Who may see a CSI-4 answer: its author always, the partner only if shared (and revealed)."""

from __future__ import annotations

from datetime import date

from closer.csi4 import visible_csi
from closer.store import CsiRecord

ALEX, SAM = 1, 2
W1, W2 = date(2026, 11, 9), date(2026, 11, 16)

ALEX_PRIVATE = CsiRecord(ALEX, W1, (1, 1, 1, 1), False)
ALEX_SHARED = CsiRecord(ALEX, W2, (4, 4, 4, 4), True)
SAM_PRIVATE = CsiRecord(SAM, W1, (2, 2, 2, 2), False)
SAM_SHARED = CsiRecord(SAM, W2, (5, 5, 5, 5), True)
ALL = [ALEX_PRIVATE, SAM_PRIVATE, ALEX_SHARED, SAM_SHARED]


def test_own_answers_always_and_partners_only_when_shared():
    assert visible_csi(ALL, ALEX) == [ALEX_PRIVATE, ALEX_SHARED, SAM_SHARED]
    assert visible_csi(ALL, SAM) == [SAM_PRIVATE, ALEX_SHARED, SAM_SHARED]


def test_a_shared_answer_waits_until_the_viewer_checked_in_that_week():
    assert visible_csi(ALL, ALEX, viewer_weeks={W1}) == [ALEX_PRIVATE, ALEX_SHARED]
    assert visible_csi(ALL, ALEX, viewer_weeks={W1, W2}) == [
        ALEX_PRIVATE,
        ALEX_SHARED,
        SAM_SHARED,
    ]
    # The viewer's own answers never wait, even in a week not listed.
    assert visible_csi(ALL, SAM, viewer_weeks=set()) == [SAM_PRIVATE, SAM_SHARED]


def test_nothing_in_nothing_out():
    assert visible_csi([], ALEX) == []
