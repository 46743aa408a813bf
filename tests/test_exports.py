"""Exports for people: the scores CSV and the Markdown summary."""

from __future__ import annotations

from datetime import date, timedelta

from closer import store
from closer.backup import exports
from tests.backups import (
    T,
    save,
)
from tests.factories import MONDAY, answers


def test_scores_csv_is_long_form_sorted_with_skips_empty(db_path, couple):
    alex, sam = couple
    save(db_path, alex.id, MONDAY, answers({"physical": 7, "emotional": None}, ("physical",)), T)
    save(db_path, sam.id, MONDAY, answers({"social": 4}), T)
    save(db_path, alex.id, MONDAY - timedelta(weeks=1), answers({"sexual": 10}), T)
    with store.open_db(db_path) as db:
        store.rename_partner(db, sam.id, "=Sam")
        csv_text = exports.scores_csv(db, alex.id)
    assert csv_text == (
        "week,partner,intimacy_type,score,more_of_this\n"
        "2026-11-09,Alex,sexual,10,no\n"
        "2026-11-16,Alex,emotional,,no\n"
        "2026-11-16,Alex,physical,7,yes\n"
        "2026-11-16,'=Sam,social,4,no\n"  # never a spreadsheet formula
    )


def test_scores_csv_of_an_empty_database_is_just_the_header(db_path):
    with store.open_db(db_path) as db:
        assert exports.scores_csv(db, 1) == "week,partner,intimacy_type,score,more_of_this\n"


def test_scores_csv_follows_the_reveal_rule(db_path, couple):
    alex, sam = couple
    marker = {"spiritual": 3}  # nobody else scores spiritual here
    save(db_path, alex.id, MONDAY, answers(marker), T)
    save(db_path, sam.id, MONDAY - timedelta(weeks=1), answers({"social": 4}), T)
    with store.open_db(db_path) as db:
        for_sam, for_alex = exports.scores_csv(db, sam.id), exports.scores_csv(db, alex.id)
    assert for_sam == (
        "week,partner,intimacy_type,score,more_of_this\n2026-11-09,Sam,social,4,no\n"
    )
    assert "spiritual" in for_alex and "Sam" not in for_alex
    save(db_path, sam.id, MONDAY, answers({"social": 5}), T)  # now both have checked in
    with store.open_db(db_path) as db:
        assert "2026-11-16,Alex,spiritual,3,no" in exports.scores_csv(db, sam.id)


def test_summary_has_scores_and_shared_reflections_and_never_private_ones(db_path, couple):
    alex, sam = couple
    alex_week = answers(
        {"physical": 7, "emotional": None},
        ("physical",),
        working=("We laughed **a lot**", True),
        unsaid=("PRIVATE: I feel lonely", False),
    )
    sam_week = answers(
        {"physical": 5}, appreciation=("Thank you for the soup", True), self=("SECRET", False)
    )
    save(db_path, alex.id, MONDAY, alex_week, T)
    save(db_path, sam.id, MONDAY, sam_week, T)
    save(db_path, alex.id, MONDAY - timedelta(weeks=1), answers(working=("ALONE", True)), T)
    save(db_path, alex.id, MONDAY - timedelta(weeks=2), answers(working=("BEFORE", True)), T)
    with store.open_db(db_path) as db:
        summary = exports.summary_markdown(db, date(2026, 11, 14), date(2026, 11, 22))
    assert "PRIVATE" not in summary and "SECRET" not in summary
    assert "ALONE" not in summary  # Sam hasn't checked in that week: nothing is revealed
    assert "BEFORE" not in summary  # outside the period
    assert summary == (
        "# Closer summary: Alex and Sam\n"
        "\n"
        "From 14 Nov 2026 to 22 Nov 2026: 2 weeks with check-ins.\n"
        "\n"
        "Scores go from 1 to 10; “more of this” means its author would like more of it. "
        "Only what each of you chose to share is here: private reflections are left out.\n"
        "\n"
        "## Week of 9–15 Nov 2026\n"
        "\n"
        "Only Alex checked in this week, so its answers stay hidden.\n"
        "\n"
        "## Week of 16–22 Nov 2026\n"
        "\n"
        "| Intimacy type | Alex | Sam |\n"
        "| --- | --- | --- |\n"
        "| Emotional | skipped | – |\n"
        "| Physical | 7, more of this | 5 |\n"
        "\n"
        "### Alex’s reflections\n"
        "\n"
        "**What is working well between us**\n"
        "\n"
        r"> We laughed \*\*a lot\*\*" + "\n"
        "\n"
        "### Sam’s reflections\n"
        "\n"
        "**Something I appreciate about you**\n"
        "\n"
        "> Thank you for the soup\n"
    )


def test_summary_keeps_hostile_text_inside_its_quote_as_plain_characters(db_path, couple):
    alex, sam = couple
    typed = (
        "# Not a heading\n- not a list\n1. not a list\n> not a quote\n```\n"
        "<script>alert(1)</script>\n![pixel](http://evil.example/p.png)\n"
        "[link](http://evil.example)\n---\n    code?\n\nnew paragraph\x1b"
    )
    save(db_path, alex.id, MONDAY, answers(working=(typed, True)), T)
    save(db_path, sam.id, MONDAY, answers(), T)
    with store.open_db(db_path) as db:
        store.rename_partner(db, sam.id, "Sam | *Bo*")
        summary = exports.summary_markdown(db, MONDAY, MONDAY)
    quote = "\n".join(
        [
            r"> \# Not a heading\ ".rstrip(),
            r"> \- not a list\ ".rstrip(),
            r"> 1\. not a list\ ".rstrip(),
            r"> \> not a quote\ ".rstrip(),
            r"> \`\`\`\ ".rstrip(),
            r"> \<script\>alert\(1\)\<\/script\>\ ".rstrip(),
            r"> \!\[pixel\]\(http\:\/\/evil\.example\/p\.png\)\ ".rstrip(),
            r"> \[link\]\(http\:\/\/evil\.example\)\ ".rstrip(),
            r"> \-\-\-\ ".rstrip(),
            r"> code\?",
            r">",
            r"> new paragraph",
        ]
    )
    assert f"**What is working well between us**\n\n{quote}\n" in summary
    assert r"| Intimacy type | Alex | Sam \| \*Bo\* |" in summary
    assert [line for line in summary.splitlines() if line.startswith("#")] == [
        "# Closer summary: Alex and Sam \\| \\*Bo\\*",
        "## Week of 16–22 Nov 2026",
        "### Alex’s reflections",
        "### Sam \\| \\*Bo\\*’s reflections",
    ]
