"""Names: each partner renames only themselves, and names may hold what real names need."""

from __future__ import annotations

import pytest

from closer import store
from closer.settings import Settings
from tests.apptest import open_app

SETTINGS = "views/settings.py"


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
