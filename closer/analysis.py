"""Trends in the weekly scores: weekly series, changes, partner gaps, rhythm and weak areas.

Every function takes the long score table the storage layer produces, one row per
(check-in × intimacy type answered), with columns ``week`` (datetime64, the Monday that
starts the ISO week), ``partner_id`` (int), ``partner`` (str), ``dimension`` (str key),
``score`` (float 1–10, NaN when skipped) and ``wants_more`` (bool).

Vocabulary used throughout:

- the *couple mean* of a dimension in a week is the mean of the scores of the partners who
  scored it that week (skips ignored), NaN when nobody did;
- a *check-in* of a dimension is a week whose couple mean is not NaN, so missed weeks and
  skipped dimensions never count and are never read as zeros.

These run on every page rerun over up to decades of history, so the table is encoded once
per call into small integer arrays and dense partner × dimension × week grids (numpy), rather
than through several pandas group-bys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from closer import survey

WEEKLY_COLUMNS = ("week", "dimension", "series", "kind", "score")
CHANGES_COLUMNS = (
    "dimension",
    "latest_week",
    "latest",
    "previous",
    "prior4",
    "prior_count",
    "vs_previous",
    "vs_prior4",
)
GAP_COLUMNS = ("dimension", "weeks", "partner_a", "score_a", "partner_b", "score_b", "gap")

TOGETHER = "Together"
TOGETHER_ROLLING = "Together, 4-week average"
KINDS = ("partner", "mean", "rolling")
SMOOTH = "smooth"

ROLLING_WEEKS = 4
RECENT_CHECKINS = 4

# weak_areas thresholds; every boundary is inclusive.
LOW_LEVEL_MAX = 5.0
DECLINE_MIN_DROP = 1.0
DECLINE_CHECKINS = 8
SLOPE_CHECKINS = 6
SLOPE_MAX = -0.3
GAP_MIN = 3.0
# A low level or a gap counts only with several check-ins behind it, unless the level is
# clearly low: one middling week is not a pattern, and saying so would be unkind.
MIN_EVIDENCE_CHECKINS = 3
CLEAR_LOW_MAX = 3.0

# Severity is the sum of the weights of the signals that fired, plus how far the recent
# level sits below the top of the scale (0 at 10, 1 at 1), so a lower dimension ranks first.
WEIGHT_LOW_LEVEL = 2.0
WEIGHT_DECLINE = 1.5
WEIGHT_GAP = 1.0
WEIGHT_WANTS_MORE = 1.0

# Means of scores with one decimal drift by ~1e-15; without this a drop of exactly 1.0
# could miss the threshold by rounding alone.
_EPS = 1e-9
_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


@dataclass(frozen=True)
class Rhythm:
    """How regularly the couple has been checking in lately."""

    weeks_checked_in: int
    window: int
    current_run: int
    this_week_done: bool = False
    by_partner: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class WeakArea:
    """An intimacy type that could use some attention, with the reasons in plain words."""

    dimension: str
    reasons: list[str]
    severity: float
    recent_mean: float | None
    based_on: str = ""  # what the reasons rest on, in words


def week_of(day: date | pd.Timestamp) -> pd.Timestamp:
    """The Monday at midnight that starts the ISO week containing this day."""
    ts = pd.Timestamp(day).normalize()
    return ts - pd.Timedelta(days=ts.weekday())


def calendar_weeks(first: date | pd.Timestamp, last: date | pd.Timestamp) -> list[pd.Timestamp]:
    """Every week start from the week of ``first`` to the week of ``last``, inclusive."""
    return list(pd.date_range(week_of(first), week_of(last), freq="7D"))


def type_name(key: str) -> str:
    """The survey's display name for a dimension key, or the key itself if the survey lacks it."""
    try:
        return survey.dimension(key).name
    except KeyError:
        return key


def weekly_scores(
    scores: pd.DataFrame,
    weeks: Sequence[pd.Timestamp] | None = None,
    *,
    dims: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each partner's score, the couple mean and its 4-week rolling mean, per dimension and week.

    Output is long form with columns ``week``, ``dimension`` (key), ``series``, ``kind``,
    ``score`` and one row for every shown week × dimension × series, ordered by dimension (survey
    order), then series (partners by ``partner_id``, then ``TOGETHER``, then
    ``TOGETHER_ROLLING``), then week:

    - ``kind="partner"``: ``series`` is the partner's name, ``score`` their score;
    - ``kind="mean"``: ``series`` is ``TOGETHER``, ``score`` the couple mean;
    - ``kind="rolling"``: ``series`` is ``TOGETHER_ROLLING``, ``score`` the mean of the
      couple means that exist among this calendar week and the three before it, NaN when
      none of those four weeks has one (missing weeks are left out, not counted as zero,
      and nothing is interpolated).

    Weeks without a value keep a row with ``score`` NaN so that chart lines break there.
    ``weeks`` picks the calendar weeks shown, which is also the cheap way to window a long
    history (default: every week from the first to the last in ``scores``); the rolling
    mean still sees the three weeks before the first one. ``dims`` picks the dimensions
    (default: those with rows in that span). Partners are those with rows in the span.
    """
    if dims is not None:
        dims = survey.in_survey_order(dims)
    if weeks is None:
        rows = _encode(scores, dims=dims)
        if not len(rows.week):
            return _empty(WEEKLY_COLUMNS)
        shown = np.arange(rows.week.min(), rows.week.max() + 1)
    else:
        shown = np.unique(_week_numbers(pd.DatetimeIndex(list(weeks)).to_numpy()))
        if not len(shown):
            return _empty(WEEKLY_COLUMNS)
        rows = _encode(scores, dims=dims, first=shown[0] - (ROLLING_WEEKS - 1), last=shown[-1])
    if not rows.dims:
        return _empty(WEEKLY_COLUMNS)

    start = shown[0] - (ROLLING_WEEKS - 1)
    partner, couple = _grid(rows, start, shown[-1])
    rolling = _rolling_mean(couple, ROLLING_WEEKS)
    cols = shown - start

    # (dimension, series, week) blocks; raveled in C order they come out in the documented order.
    blocks = np.concatenate(
        [partner[:, :, cols].transpose(1, 0, 2), couple[:, None, cols], rolling[:, None, cols]],
        axis=1,
    )
    n_dims, n_series, n_weeks = blocks.shape
    series = [*rows.names, TOGETHER, TOGETHER_ROLLING]
    kinds = [0] * len(rows.names) + [1, 2]
    series_codes = np.tile(np.repeat(np.arange(n_series), n_weeks), n_dims)
    return pd.DataFrame(
        {
            "week": np.tile(_week_starts(shown), n_dims * n_series),
            "dimension": _strings(rows.dims, np.repeat(np.arange(n_dims), n_series * n_weeks)),
            "series": _strings(series, series_codes),
            "kind": _strings(KINDS, np.asarray(kinds)[series_codes]),
            "score": blocks.ravel(),
        }
    )


def changes(
    scores: pd.DataFrame, dims: Sequence[str], *, since: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Per dimension, the latest couple mean against the previous check-in and the four before.

    Columns: ``dimension``; ``latest_week`` (NaT without data); ``latest`` (couple mean of
    the type's latest check-in); ``previous`` (the check-in before it); ``prior4`` (mean of
    the up to four check-ins before the latest) and ``prior_count`` (how many that was,
    0–4); ``vs_previous`` = latest − previous; ``vs_prior4`` = latest − prior4. Values that
    cannot be computed are NaN. One row per key of ``dims``, in that order; ``since`` drops
    earlier weeks first.
    """
    keys = list(dict.fromkeys(dims))
    rows = _encode(scores, dims=keys, first=_week_number(since))
    n = len(keys)
    latest_week = np.zeros(n, dtype=np.int64)  # placeholder where latest stays NaN
    latest, previous, prior4 = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    prior_count = np.zeros(n, dtype=np.int64)
    if len(rows.week):
        start = rows.week.min()
        _, couple = _grid(rows, start, rows.week.max())
        for d in range(n):
            found = np.flatnonzero(~np.isnan(couple[d]))[-(RECENT_CHECKINS + 1) :]
            if not len(found):
                continue
            means = couple[d, found]
            latest_week[d], latest[d] = start + found[-1], means[-1]
            if len(means) > 1:
                previous[d], prior4[d] = means[-2], means[:-1].mean()
                prior_count[d] = len(means) - 1
    out = pd.DataFrame(
        {
            "dimension": pd.array(keys, dtype="str"),
            "latest_week": pd.Series(_week_starts(latest_week)).where(~np.isnan(latest)),
            "latest": latest,
            "previous": previous,
            "prior4": prior4,
            "prior_count": prior_count,
        }
    )
    out["vs_previous"] = out["latest"] - out["previous"]
    out["vs_prior4"] = out["latest"] - out["prior4"]
    return out


def partner_gaps(
    scores: pd.DataFrame,
    last_n: int = RECENT_CHECKINS,
    *,
    dims: Sequence[str] | None = None,
    since: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Per dimension, each partner's mean over the last weeks both scored, and how far apart.

    Only weeks in which both partners scored the dimension count (skips leave the week out); of
    those the latest ``last_n`` are used. ``gap`` is the difference of the two recent means,
    ``|score_a − score_b|`` (not the mean of weekly differences), so it matches the two
    points the gap chart draws. Columns: ``dimension``, ``weeks`` (how many weeks were
    used), ``partner_a``, ``score_a``, ``partner_b``, ``score_b``, ``gap``; partner A has
    the lower ``partner_id``. Empty with fewer than two partners; dimensions the two never
    scored in the same week have no row. Rows in survey order.
    """
    keys = None if dims is None else survey.in_survey_order(dims)
    rows = _encode(scores, dims=keys, first=_week_number(since))
    if len(rows.names) < 2:
        return _empty(GAP_COLUMNS)
    partner, _ = _grid(rows, rows.week.min(), rows.week.max())
    records = []
    for d, key in enumerate(rows.dims):
        means = _recent_pair(partner, d, last_n)
        if means is not None:
            count, a, b = means
            records.append((key, count, rows.names[0], a, rows.names[1], b, abs(a - b)))
    if not records:
        return _empty(GAP_COLUMNS)
    out = pd.DataFrame.from_records(records, columns=list(GAP_COLUMNS))
    return out.astype({"dimension": "str", "partner_a": "str", "partner_b": "str"})


def rhythm(scores: pd.DataFrame, today: date, window: int = 8) -> Rhythm:
    """How many of the last ``window`` weeks had a check-in, and the current run of weeks.

    A week counts when anyone checked in (any row, even if every dimension was skipped). The
    window is the ``window`` calendar weeks ending with the current week. The run counts
    consecutive weeks with a check-in ending at the current week, or at last week while this
    week's check-in is still to come, so an open week never breaks the run. ``by_partner``
    gives each partner's own count in the window. Weeks after today are ignored.
    """
    current = _week_number(today)
    week = _week_numbers(scores["week"].to_numpy())
    keep = week <= current
    offsets = week[keep] - current
    pids = scores["partner_id"].to_numpy()[keep]
    names = _partner_names(pids, scores["partner"].to_numpy()[keep])

    weeks = np.unique(offsets)[::-1]
    this_week_done = bool(len(weeks)) and weeks[0] == 0
    anchor = 0 if this_week_done else -1
    candidates = weeks[weeks <= anchor]
    consecutive = candidates == anchor - np.arange(len(candidates))
    run = len(candidates) if consecutive.all() else int(np.argmin(consecutive))

    recent = offsets > -window
    by_partner = {
        name: len(np.unique(offsets[recent & (pids == pid)])) for pid, name in names.items()
    }
    return Rhythm(
        weeks_checked_in=len(np.unique(offsets[recent])),
        window=window,
        current_run=run,
        this_week_done=bool(this_week_done),
        by_partner=by_partner,
    )


def weak_areas(
    scores: pd.DataFrame,
    active_dims: Sequence[str],
    today: date | None = None,
    *,
    since: pd.Timestamp | None = None,
) -> list[WeakArea]:
    """The active intimacy types that could use attention, most in need first.

    This is the stable entry point of the suggestions feature. Only ``active_dims`` are
    considered, and only dimensions with rows; rows after the week of ``today`` (and, if given,
    before ``since``) are ignored. A dimension is a weak area when at least one signal fires:

    - low level: the mean of its last four couple means (fewer if that is all there is)
      is at most ``LOW_LEVEL_MAX``, with at least ``MIN_EVIDENCE_CHECKINS`` check-ins of
      the dimension, or at most ``CLEAR_LOW_MAX`` with any number;
    - decline: the mean of the last four check-ins is at least ``DECLINE_MIN_DROP`` below
      the mean of the four before (needs ``DECLINE_CHECKINS`` check-ins), or the
      least-squares slope of the last ``SLOPE_CHECKINS`` couple means against calendar
      weeks is at most ``SLOPE_MAX`` per week (needs that many check-ins);
    - wide gap: over the last four weeks both partners scored it (at least
      ``MIN_EVIDENCE_CHECKINS`` of them), their means differ by at least ``GAP_MIN`` (see
      ``partner_gaps``);
    - wish: a partner ticked "I'd like more of this" for it in their own latest check-in.

    ``severity`` = the sum of the fired signals' weights (``WEIGHT_*``) + (10 − recent
    mean) / 9, the second term 0 without a recent mean. Ranked by severity, highest first,
    ties in survey order. ``recent_mean`` is the low-level mean, None if every score of the
    dimension was skipped. ``based_on`` says in words how many check-ins the reasons rest on.
    Each reason starts with the type's name and formats scores with one
    decimal, e.g. "Physical: down from 7.5 to 5.0 over the last four weeks".
    """
    last = None if today is None else _week_number(today)
    rows = _encode(
        scores, dims=survey.in_survey_order(active_dims), first=_week_number(since), last=last
    )
    if not len(rows.week):
        return []
    start = rows.week.min()
    partner, couple = _grid(rows, start, rows.week.max())
    wishes = _wishes(rows)
    present = np.unique(rows.dim)

    found = []
    for d in present:
        key = rows.dims[d]
        name = type_name(key)
        reasons: list[str] = []
        severity = 0.0
        recent_mean = None

        every = np.flatnonzero(~np.isnan(couple[d]))
        checkins = every[-DECLINE_CHECKINS:]
        if len(checkins):
            means = couple[d, checkins]
            recent = means[-RECENT_CHECKINS:]
            recent_mean = float(recent.mean())
            severity += (survey.SCORE_MAX - recent_mean) / (survey.SCORE_MAX - survey.SCORE_MIN)
            enough = len(every) >= MIN_EVIDENCE_CHECKINS or recent_mean <= CLEAR_LOW_MAX + _EPS
            if recent_mean <= LOW_LEVEL_MAX + _EPS and enough:
                reasons.append(f"{name}: {_level_words(recent_mean, len(recent))}")
                severity += WEIGHT_LOW_LEVEL
            decline = _decline_words(name, means, checkins)
            if decline:
                reasons.append(decline)
                severity += WEIGHT_DECLINE

        pair = _recent_pair(partner, d, RECENT_CHECKINS) if len(rows.names) >= 2 else None
        if (
            pair is not None
            and pair[0] >= MIN_EVIDENCE_CHECKINS
            and abs(pair[1] - pair[2]) >= GAP_MIN - _EPS
        ):
            reasons.append(
                f"{name}: you two see this one differently: {pair[1]:.1f} and {pair[2]:.1f}"
            )
            severity += WEIGHT_GAP

        who = [rows.names[p] for p in wishes.get(d, [])]
        if who:
            if len(who) == 1:
                reasons.append(f"{name}: {who[0]} would like more of this")
            else:
                both = ", ".join(who[:-1]) + " and " + who[-1]
                reasons.append(f"{name}: {both} would both like more of this")
            severity += WEIGHT_WANTS_MORE

        if reasons:
            # Only scores behind a reason count as evidence; a wish alone rests on the tick.
            scored = len(reasons) - bool(who)
            based_on = _evidence_words(len(checkins) if scored else 0, bool(who))
            found.append(WeakArea(key, reasons, severity, recent_mean, based_on))

    # rows.dims is in survey order and the sort is stable, so ties keep survey order.
    found.sort(key=lambda w: -w.severity)
    return found


@dataclass(frozen=True)
class _Rows:
    """The score table as plain arrays, filtered and encoded once per call."""

    week: np.ndarray  # week number, see _week_numbers
    dim: np.ndarray  # index into dims
    partner: np.ndarray  # index into names (partners in partner_id order)
    score: np.ndarray
    wants_more: np.ndarray
    dims: list[str]
    names: list[str]


def _encode(
    scores: pd.DataFrame,
    *,
    dims: Sequence[str] | None = None,
    first: int | None = None,
    last: int | None = None,
) -> _Rows:
    """Keep the rows in weeks ``first``..``last`` of the given dimensions, as integer codes.

    ``dims`` (kept in the order given) defaults to the dimensions present, in survey order.
    """
    week = _week_numbers(scores["week"].to_numpy())
    keep = np.ones(len(week), dtype=bool)
    if first is not None:
        keep &= week >= first
    if last is not None:
        keep &= week <= last
    codes, uniques = pd.factorize(scores["dimension"])
    uniques = [str(u) for u in uniques]
    if dims is None:
        dims = survey.in_survey_order([uniques[c] for c in np.unique(codes[keep & (codes >= 0)])])
    dims = list(dims)
    position = {k: i for i, k in enumerate(dims)}
    # The extra -1 at the end is where a missing key's code (-1) lands.
    lookup = np.array([position.get(u, -1) for u in uniques] + [-1], dtype=np.int64)
    dim = lookup[codes]
    keep &= dim >= 0

    pids = scores["partner_id"].to_numpy()[keep]
    names = _partner_names(pids, scores["partner"].to_numpy()[keep])
    return _Rows(
        week=week[keep],
        dim=dim[keep],
        partner=np.searchsorted(np.fromiter(names, dtype=np.int64, count=len(names)), pids),
        score=scores["score"].to_numpy(dtype=float)[keep],
        wants_more=scores["wants_more"].fillna(False).to_numpy(dtype=bool)[keep],
        dims=dims,
        names=list(names.values()),
    )


def _grid(rows: _Rows, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean score per partner × dimension × week; couple mean per dimension × week (NaN gaps)."""
    n_partners, n_dims, n_weeks = len(rows.names), len(rows.dims), last - first + 1
    offset = rows.week - first
    scored = ~np.isnan(rows.score) & (offset >= 0) & (offset < n_weeks)
    key = ((rows.partner * n_dims + rows.dim) * n_weeks + offset)[scored]
    size = n_partners * n_dims * n_weeks
    sums = np.bincount(key, weights=rows.score[scored], minlength=size)
    counts = np.bincount(key, minlength=size)
    partner: np.ndarray = np.full(size, np.nan)
    np.divide(sums, counts, out=partner, where=counts > 0)
    partner = partner.reshape(n_partners, n_dims, n_weeks)

    # Averaging partners (not rows) keeps a duplicated row from outweighing the other partner.
    has = ~np.isnan(partner)
    n_scored = has.sum(axis=0)
    couple = np.full((n_dims, n_weeks), np.nan)
    np.divide(np.where(has, partner, 0.0).sum(axis=0), n_scored, out=couple, where=n_scored > 0)
    return partner, couple


def _rolling_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Trailing mean along the last axis over the values present, NaN when none are."""
    present = ~np.isnan(values)
    pad = np.zeros((*values.shape[:-1], 1))
    sums = np.concatenate([pad, np.cumsum(np.where(present, values, 0.0), axis=-1)], axis=-1)
    counts = np.concatenate([pad, np.cumsum(present, axis=-1)], axis=-1)
    window_sums = sums[..., 1:] - _shift(sums, window)[..., 1:]
    window_counts = counts[..., 1:] - _shift(counts, window)[..., 1:]
    out = np.full(values.shape, np.nan)
    np.divide(window_sums, window_counts, out=out, where=window_counts > 0)
    return out


def _shift(values: np.ndarray, by: int) -> np.ndarray:
    """Shift right along the last axis, filling with the first value (zero for cumsums)."""
    out = np.empty_like(values)
    out[..., :by] = values[..., :1]
    out[..., by:] = values[..., :-by]
    return out


def _recent_pair(partner: np.ndarray, d: int, last_n: int) -> tuple[int, float, float] | None:
    """Weeks used and both partners' means over the last weeks both scored dimension ``d``."""
    both = np.flatnonzero(~np.isnan(partner[0, d]) & ~np.isnan(partner[1, d]))[-last_n:]
    if not len(both):
        return None
    return len(both), float(partner[0, d, both].mean()), float(partner[1, d, both].mean())


def _wishes(rows: _Rows) -> dict[int, list[int]]:
    """Per dimension, the partners who ticked "I'd like more of this" in their latest check-in."""
    latest = np.full(len(rows.names), np.iinfo(np.int64).min)
    np.maximum.at(latest, rows.partner, rows.week)
    ticked = rows.wants_more & (rows.week == latest[rows.partner])
    wishes: dict[int, list[int]] = {}
    pairs = zip(rows.dim[ticked].tolist(), rows.partner[ticked].tolist(), strict=True)
    for d, p in sorted(set(pairs)):
        wishes.setdefault(d, []).append(p)
    return wishes


def _decline_words(name: str, means: np.ndarray, weeks: np.ndarray) -> str | None:
    """The decline reason for one type's couple means (oldest first, at these weeks), or None."""
    n = RECENT_CHECKINS
    if len(means) >= DECLINE_CHECKINS:
        before, recent = means[-2 * n : -n].mean(), means[-n:].mean()
        if before - recent >= DECLINE_MIN_DROP - _EPS:
            # "weeks" only when the last four check-ins really were four weeks in a row.
            consecutive = weeks[-1] - weeks[-n] == n - 1
            span = "the last four weeks" if consecutive else "your last four check-ins"
            return f"{name}: down from {before:.1f} to {recent:.1f} over {span}"
    if len(means) >= SLOPE_CHECKINS:
        y = means[-SLOPE_CHECKINS:]
        x = weeks[-SLOPE_CHECKINS:].astype(float)
        x = x - x.mean()
        slope = float((x * (y - y.mean())).sum() / (x**2).sum())
        if slope <= SLOPE_MAX + _EPS:
            start, end = y.mean() + slope * x[0], y.mean() + slope * x[-1]
            return (
                f"{name}: drifting down over your last {_NUMBER_WORDS[SLOPE_CHECKINS]} "
                f"check-ins, from about {start:.1f} to {end:.1f}"
            )
    return None


def _evidence_words(checkins: int, wish: bool) -> str:
    """What a weak area rests on: the check-ins its scores came from, and any wish for more."""
    if checkins == 0:
        return "Based on what you ticked in your latest check-ins."
    count = "your one check-in so far" if checkins == 1 else f"your last {checkins} check-ins"
    return f"Based on {count}" + (" and what you ticked." if wish else ".")


def _level_words(mean: float, count: int) -> str:
    """Describe a recent level in words, honest about how many check-ins it rests on."""
    if count == 1:
        return f"{mean:.1f} in your latest check-in"
    return f"averaging {mean:.1f} over your last {_NUMBER_WORDS[count]} check-ins"


def _partner_names(pids: np.ndarray, names: np.ndarray) -> dict[int, str]:
    """Partner names by id, in id order; the name on a partner's last row wins."""
    unique, last_from_end = np.unique(pids[::-1], return_index=True)
    return {
        int(pid): str(names[len(pids) - 1 - i])
        for pid, i in zip(unique, last_from_end, strict=True)
    }


def _week_numbers(weeks: np.ndarray) -> np.ndarray:
    """Week numbers (0 = the week of 1970-01-05) for datetime64 values, any unit."""
    days = weeks.astype("datetime64[D]").astype(np.int64)
    return (days - 4) // 7


def _week_number(day: date | pd.Timestamp | None) -> int | None:
    """The week number of one day, or None."""
    if day is None:
        return None
    return int(_week_numbers(np.array([pd.Timestamp(day).to_datetime64()]))[0])


def _week_starts(numbers: np.ndarray) -> np.ndarray:
    """The Monday that starts each numbered week, as datetime64[us]."""
    days = np.asarray(numbers, dtype=np.int64) * 7 + 4
    return days.astype("datetime64[D]").astype("datetime64[us]")


def _strings(values: Sequence[str], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A string column from a few distinct values and integer codes (fast for long columns)."""
    return pd.array(list(values), dtype="str").take(codes)


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    """An empty frame with these columns, so callers can rely on the shape."""
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, "float64")) for c in columns})


_DTYPES = {
    "week": "datetime64[us]",
    "latest_week": "datetime64[us]",
    "dimension": "str",
    "series": "str",
    "kind": "str",
    "partner_a": "str",
    "partner_b": "str",
    "weeks": "int64",
    "prior_count": "int64",
}


def by_period(weekly: pd.DataFrame, period: str = "M") -> pd.DataFrame:
    """Weekly series averaged per month, quarter or year (same columns), for long ranges.

    A period's value is the mean of the weeks that have one; a period with none stays NaN,
    so chart lines still break over long gaps. ``week`` becomes the period's first day.
    """
    if weekly.empty:
        return weekly
    periods = weekly.assign(week=weekly["week"].dt.to_period(period).dt.to_timestamp())
    grouped = periods.groupby(["dimension", "series", "kind", "week"], sort=False)["score"].mean()
    return grouped.reset_index()[list(WEEKLY_COLUMNS)]


def latest_week(scores: pd.DataFrame) -> pd.Timestamp | None:
    """The most recent week with any score, or None."""
    return None if scores.empty else scores["week"].max()


# Ranges longer than this draw light weekly points and a smoothed line per partner.
SMOOTH_ABOVE_WEEKS = 26


def smoothing_window(weeks: int) -> int:
    """How many rows a smoothed line averages over: about a twentieth of the range, odd, ≥ 5."""
    return max(5, weeks // 20) | 1


def smoothed(weekly: pd.DataFrame, window: int) -> pd.DataFrame:
    """Each partner's rows plus a centred moving average of them (``kind="smooth"``).

    The average at a row is the mean of the scores present among the ``window`` rows centred
    on it, NaN when there are none, so a long gap still breaks the line. Same columns as
    ``weekly_scores``; the ``kind="mean"`` and ``"rolling"`` rows are left out.
    """
    partner = weekly[weekly["kind"] == "partner"].sort_values(["dimension", "series", "week"])
    if partner.empty:
        return partner.reset_index(drop=True)
    smooth = partner.groupby(["dimension", "series"], sort=False)["score"].transform(
        lambda s: s.rolling(window, center=True, min_periods=1).mean()
    )
    lines = partner.assign(kind=SMOOTH, score=smooth)
    return pd.concat([partner, lines], ignore_index=True)[list(WEEKLY_COLUMNS)]


@dataclass(frozen=True)
class Move:
    """One type's latest couple mean and how far it moved since the check-in before."""

    dimension: str
    latest: float
    change: float


@dataclass(frozen=True)
class Highlights:
    """What Home leads with: what went well first, then the biggest drop, if any."""

    rises: list[Move]  # every dimension that went up, biggest rise first
    strongest: Move | None  # the highest latest level, when nothing rose
    biggest_drop: Move | None


def highlights(moves: pd.DataFrame) -> Highlights:
    """Rises (biggest first), the strongest dimension and the biggest drop, from ``changes`` output.

    Only dimensions with a previous check-in have a change; ties keep the order of ``moves``.
    ``strongest`` is set only when nothing rose, so there is always something good to say
    once a dimension has two check-ins, unless everything fell.
    """
    moved = moves.dropna(subset=["vs_previous"])
    as_moves = [
        Move(str(r.dimension), float(r.latest), float(r.vs_previous))
        for r in moved.itertuples(index=False)
    ]
    rises = sorted((m for m in as_moves if m.change > _EPS), key=lambda m: -m.change)
    drops = [m for m in as_moves if m.change < -_EPS]
    drop = min(drops, key=lambda m: m.change) if drops else None
    steady = [m for m in as_moves if m.change >= -_EPS]
    strongest = None if rises or not steady else max(steady, key=lambda m: m.latest)
    return Highlights(rises, strongest, drop)
