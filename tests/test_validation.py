"""What a check-in and a name must look like before anything is stored."""

from __future__ import annotations

import pytest

from closer.checkin import Answers, Reflection, validate_answers, validate_partner_name
from tests.factories import answers

ACTIVE = ["emotional", "physical"]


@pytest.mark.parametrize(
    ("scores", "reflections", "expected"),
    [
        ({"emotional": 1, "physical": 10}, {}, {}),
        ({"emotional": None, "physical": 5}, {}, {}),
        ({"emotional": 0, "physical": 5}, {}, {"score:emotional": "Scores go from 1 to 10."}),
        ({"emotional": 11, "physical": 5}, {}, {"score:emotional": "Scores go from 1 to 10."}),
        (
            {"emotional": "7", "physical": 5},
            {},
            {"score:emotional": "Choose a score from 1 to 10, or skip this one."},
        ),
        (
            {"emotional": True, "physical": 5},
            {},
            {"score:emotional": "Choose a score from 1 to 10, or skip this one."},
        ),
        ({"physical": 5}, {}, {}),  # emotional not answered: kept out, not an error
        (
            {},
            {},
            {"form": "There is nothing to save yet: give at least one score or write a few words."},
        ),
        (
            {"emotional": 5, "physical": 5, "sexual": 5},
            {},
            {"score:sexual": "This intimacy type is not part of your check-in."},
        ),
        ({"emotional": None, "physical": None}, {"working": "a few words"}, {}),
        (
            {"emotional": None, "physical": None},
            {"working": "   "},
            {"form": "There is nothing to save yet: give at least one score or write a few words."},
        ),
        ({"emotional": 5, "physical": 5}, {"working": "x" * 2000}, {}),
        (
            {"emotional": 5, "physical": 5},
            {"working": "x" * 2001},
            {
                "reflection:working": "This is 2,001 characters; the limit is 2,000. "
                "Everything you wrote is still here: shorten it a little, then save."
            },
        ),
        ({"emotional": 5, "physical": 5}, {"working": "tab\there\nnew line\r\n"}, {}),
        (
            {"emotional": 5, "physical": 5},
            {"working": "bell\x07"},
            {
                "reflection:working": "This text contains hidden control characters "
                "(often from a paste). Retype the affected part and save again."
            },
        ),
        (
            {"emotional": 5, "physical": 5},
            {"nonsense": "hi"},
            {"reflection:nonsense": "This question is not part of the check-in."},
        ),
    ],
)
def test_validate_answers(scores, reflections, expected):
    given = Answers(scores, frozenset(), {k: Reflection(t, True) for k, t in reflections.items()})
    assert validate_answers(given, ACTIVE) == expected


def test_more_of_this_needs_a_score_or_a_skip_to_be_kept():
    ticked = frozenset({"emotional", "physical"})
    assert validate_answers(Answers({"physical": None}, ticked), ACTIVE) == {
        "score:emotional": "Give this a score, or skip it, to keep “More of this”."
    }
    assert validate_answers(Answers({"emotional": 3, "physical": None}, ticked), ACTIVE) == {}


def test_markdown_and_html_are_ordinary_text():
    payload = "**hi** <b>x</b> ![p](http://127.0.0.1:9/p.png)"
    assert validate_answers(answers({"emotional": 5}, working=(payload, True)), ["emotional"]) == {}


@pytest.mark.parametrize(
    ("typed", "others", "expected"),
    [
        ("Alex", [], ("Alex", None)),
        ("  Alex  ", [], ("Alex", None)),
        ("", [], ("", "Please enter a name.")),
        ("   ", [], ("", "Please enter a name.")),
        ("A" * 40, [], ("A" * 40, None)),
        ("A" * 41, [], ("A" * 41, "Names can be up to 40 characters (41 now).")),
        ("sam", ["Sam"], ("sam", "The two of you need different names here.")),
        ("SAM ", [" sam"], ("SAM", "The two of you need different names here.")),
        ("Zoë", ["Zoe"], ("Zoë", None)),
        ("Al\x00ex", [], ("Al\x00ex", "This name contains hidden characters. Please retype it.")),
        (
            "Al\u200bex",
            [],
            ("Al\u200bex", "This name contains hidden characters. Please retype it."),
        ),
        ("**Bo** <i>", [], ("**Bo** <i>", None)),
        ("http://x.io", [], ("http://x.io", "Names can't contain a web address.")),
        ("WWW.kim.com", [], ("WWW.kim.com", "Names can't contain a web address.")),
        ("kim@mail.com", [], ("kim@mail.com", "Names can't contain a web address.")),
        ("Kim.Lee", [], ("Kim.Lee", None)),
    ],
)
def test_validate_partner_name(typed, others, expected):
    assert validate_partner_name(typed, others) == expected
