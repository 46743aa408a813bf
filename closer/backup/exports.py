"""Exports for people: the scores as a CSV for a spreadsheet, and a Markdown summary to share."""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from datetime import date, timedelta

from sqlite_utils import Database

from closer import store, survey
from closer.checkin import Checkin
from closer.markdown import escape_markdown
from closer.reveal import visible_scores, without_private
from closer.weeks import week_label
from closer.words import plural

CSV_COLUMNS = ("week", "partner", "intimacy_type", "score", "more_of_this")


def _spreadsheet_safe(text: str) -> str:
    # A cell starting with one of these runs as a formula in Excel and friends.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def scores_csv(db: Database, viewer_id: int) -> str:
    """The scores a viewer may see, long form: by week, partner in joining order, survey order.

    The viewer's own, and their partner's only in weeks both have checked in, as in the app.
    """
    partner_ids = [p.id for p in store.list_partners(db)]
    frame = visible_scores(store.load_scores(db), viewer_id, partner_ids)
    rows = sorted(
        frame.itertuples(index=False),
        key=lambda r: (r.week, r.partner_id, survey.survey_position(r.dimension), r.dimension),
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.week.date().isoformat(),
                _spreadsheet_safe(r.partner),
                r.dimension,
                "" if math.isnan(r.score) else int(r.score),
                "yes" if r.wants_more else "no",
            ]
        )
    return out.getvalue()


def _visible(text: str) -> str:
    """Text without control characters other than line breaks (tabs become spaces)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")


def _markdown_name(text: str) -> str:
    return escape_markdown(" ".join(_visible(text).split()))


def _blockquote(text: str) -> str:
    """User text as a Markdown quote, line breaks kept, unable to escape the quote."""
    # Leading spaces would make a line a code block; reflections are prose, so they go.
    lines = [line.strip() for line in _visible(text).split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    out = []
    for i, line in enumerate(lines):
        if not line:
            out.append(">")
        elif i + 1 < len(lines) and lines[i + 1]:
            out.append(f"> {escape_markdown(line)}\\")  # a hard line break, as typed
        else:
            out.append(f"> {escape_markdown(line)}")
    return "\n".join(out)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _score_cell(checkin: Checkin, key: str) -> str:
    if key not in checkin.answers.scores:
        return "–"
    score = checkin.answers.scores[key]
    cell = "skipped" if score is None else str(score)
    return f"{cell}, more of this" if key in checkin.answers.wants_more else cell


def _dimension_name(key: str) -> str:
    try:
        return survey.dimension(key).name
    except KeyError:
        return _markdown_name(key)


def summary_markdown(db: Database, start: date, end: date) -> str:
    """A Markdown summary of the weeks overlapping start..end: scores and shared reflections."""
    if end < start:
        raise ValueError("end must not be before start")
    partners = store.list_partners(db)
    names = {p.id: _markdown_name(p.name) for p in partners}
    # A week belongs to the period when any of its seven days does.
    weeks = sorted(w for w in store.checked_in_weeks(db) if start - timedelta(days=6) <= w <= end)
    lines = [
        f"# Closer summary: {' and '.join(names.values()) or 'no partners yet'}",
        "",
        f"From {_long_date(start)} to {_long_date(end)}: "
        f"{plural(len(weeks), 'week')} with check-ins.",
        "",
        "Scores go from 1 to 10; “more of this” means its author would like more of it. Only "
        "what each of you chose to share is here: private reflections are left out.",
    ]
    labels = {p.key: p.label for p in survey.reflection_prompts()}
    prompt_order = {key: i for i, key in enumerate(labels)}
    by_week = store.load_weeks(db, weeks)
    for week in weeks:
        lines += ["", f"## Week of {week_label(week)}", ""]
        checkins = sorted(by_week[week], key=lambda c: c.partner_id)
        if len(partners) > 1 and len(checkins) < len(partners):
            # The reveal rule: nobody sees a week's answers until both have checked in.
            who = " and ".join(names.get(c.partner_id, "?") for c in checkins)
            lines.append(f"Only {who} checked in this week, so its answers stay hidden.")
            continue
        shared = [without_private(c) for c in checkins]
        keys = sorted(
            {k for c in shared for k in c.answers.scores},
            key=lambda k: (survey.survey_position(k), k),
        )
        lines.append("| Intimacy type | " + " | ".join(names[c.partner_id] for c in shared) + " |")
        lines.append("| --- " * (len(shared) + 1) + "|")
        for key in keys:
            cells = [_dimension_name(key)] + [_score_cell(c, key) for c in shared]
            lines.append("| " + " | ".join(cells) + " |")
        for checkin in shared:
            name = names[checkin.partner_id]
            lines += ["", f"### {name}’s reflections"]
            reflections = sorted(
                checkin.answers.reflections.items(),
                key=lambda item: (prompt_order.get(item[0], len(prompt_order)), item[0]),
            )
            if not reflections:
                lines += ["", f"{name} shared no reflections this week."]
            for key, reflection in reflections:
                label = labels.get(key) or _markdown_name(key)
                lines += ["", f"**{label}**", "", _blockquote(reflection.text)]
    return "\n".join(lines) + "\n"
