"""Names: each partner renames only themselves, and names may hold what real names need."""

from __future__ import annotations

import pytest

from closer import store
from closer.checkin import NamePair, validate_name_pair, validate_partner_name
from closer.settings import Settings
from tests.apptest import open_app

SETTINGS = "views/pages/our_settings.py"
DIFFERENT = "The two of you need different names here."


def names_in(db_path) -> list[str]:
    with store.open_db(db_path) as db:
        return [p.name for p in store.list_partners(db)]


def save_names(at):
    next(b for b in at.button if b.label == "Save names").click().run()
    assert not at.exception, at.exception
    return at


def test_settings_shows_the_other_partners_name_read_only_and_never_renames_them(db_path, couple):
    alex, sam = couple
    at = open_app(alex.id, SETTINGS)
    theirs = at.text_input(key=f"name-{sam.id}")
    assert theirs.value == "Sam"
    assert theirs.disabled
    at.text_input(key=f"name-{alex.id}").input("Alexandra")
    save_names(at)
    assert at.success[0].value == "Names saved."
    assert names_in(db_path) == ["Alexandra", "Sam"]


def test_a_partner_cannot_take_the_other_partners_name(db_path, couple):
    alex, sam = couple
    at = open_app(sam.id, SETTINGS)
    at.text_input(key=f"name-{sam.id}").input(" ALEX ")
    save_names(at)
    assert at.error[0].value == "The two of you need different names here."
    assert names_in(db_path) == ["Alex", "Sam"]


def test_the_only_partner_renames_themselves_and_adds_the_second(db_path):
    with store.open_db(db_path) as db:
        (alex,) = store.setup_couple(db, ["Alex"], Settings())
    at = open_app(alex.id, SETTINGS)
    at.text_input(key=f"name-{alex.id}").input("Alexandra")
    at.text_input(key="name-new").input("Sam")
    save_names(at)
    assert at.success[0].value == "Names saved."
    assert names_in(db_path) == ["Alexandra", "Sam"]


def test_rename_partner_renames_one_partner_only(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        store.rename_partner(db, sam.id, "Samira")
    assert names_in(db_path) == ["Alex", "Samira"]


def test_rename_partner_refuses_the_other_partners_name_in_any_case(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        with pytest.raises(store.StoreError, match="different names"):
            store.rename_partner(db, sam.id, "ALEX")
    assert names_in(db_path) == ["Alex", "Sam"]


def test_rename_partner_can_add_the_second_partner_in_the_same_transaction(db_path):
    with store.open_db(db_path) as db:
        (alex,) = store.setup_couple(db, ["Alex"], Settings())
        with pytest.raises(store.StoreError, match="different names"):
            store.rename_partner(db, alex.id, "Kim", new_partner="kim")
    assert names_in(db_path) == ["Alex"]  # all or nothing


HIDDEN = "This name contains hidden characters. Please retype it."


@pytest.mark.parametrize(
    "name",
    [
        "مهر\u200cانگیز",  # Mehrangiz: Persian needs the zero-width non-joiner
        "نرگس",
        "👩\u200d❤\ufe0f\u200d👨",  # couple with heart: joiners and an emoji variation selector
        "Kai 👨🏽\u200d💻",
        "Robin ❤\ufe0f",
        "葛\U000e0100城",  # an ideographic variation selector
        "क्\u200dष",  # Devanagari half-form with a joiner
    ],
)
def test_names_may_hold_the_joiners_and_variation_selectors_real_names_need(name):
    assert validate_partner_name(name, []) == (name, None)


@pytest.mark.parametrize(
    "name",
    [
        "\u202eSam",  # right-to-left override: shows "maS"-like tricks
        "Sam\u202a",  # left-to-right embedding
        "Sa\u202bm",
        "Sa\u202cm",  # pop directional formatting
        "Sa\u202dm",
        "\u2066Sam\u2069",  # isolates
        "Sa\u2067m",
        "Sa\u2068m",
        "Sa\u200bm",  # zero-width space
        "Sa\u2060m",  # word joiner
        "Sa\ufeffm",  # zero-width no-break space
        "Sa\u00adm",  # soft hyphen
        "Sa\u200em",  # left-to-right mark
        "Sa\x07m",  # a control character (bell)
        "Sa\x1bm",
        "Sa\U000e0041m",  # a tag character
        "Sa\u2028m",  # line separator
        "Sa\u2029m",  # paragraph separator
    ],
)
def test_bidirectional_and_other_invisible_controls_are_refused(name):
    assert validate_partner_name(name, []) == (name, HIDDEN)


@pytest.mark.parametrize(
    ("name", "others", "problem"),
    [
        ("\u200d", [], "Please enter a name."),  # nothing visible
        ("\u200c\ufe0f", [], "Please enter a name."),
        ("Sa\u200dm", ["Sam"], "The two of you need different names here."),
        ("SAM\ufe0f", ["sam"], "The two of you need different names here."),
        ("Sam", ["S\u200cam"], "The two of you need different names here."),
        ("مهر\u200cانگیز", ["مهرانگیز"], "The two of you need different names here."),
    ],
)
def test_names_that_differ_only_by_invisible_joiners_are_the_same_name(name, others, problem):
    assert validate_partner_name(name, others) == (name, problem)


@pytest.mark.parametrize(
    ("first", "second", "taken", "expected"),
    [
        # The second name is optional: left empty, it is no problem and stays empty.
        (" Alex ", "  ", [], NamePair("Alex", "", None, None)),
        ("Alex", " Sam", [], NamePair("Alex", "Sam", None, None)),
        # The first name must differ from the names already taken, the second from the first.
        ("Sam", "", ["Sam"], NamePair("Sam", "", DIFFERENT, None)),
        ("Alex", "Alex", [], NamePair("Alex", "Alex", None, DIFFERENT)),
        ("Alex", "ALEX ", [], NamePair("Alex", "ALEX", None, DIFFERENT)),
        # Both are checked, so a form with two places can say both problems at once.
        ("", "Sam", [], NamePair("", "Sam", "Please enter a name.", None)),
    ],
)
def test_a_pair_of_names_is_checked_together(first, second, taken, expected):
    assert validate_name_pair(first, second, taken) == expected


def test_a_pair_says_the_first_problem_for_a_form_with_one_place():
    assert validate_name_pair("", "", []).problem == "Please enter a name."
    assert validate_name_pair("Alex", "Alex", []).problem == DIFFERENT
    assert validate_name_pair("Alex", "Sam", []).problem is None
