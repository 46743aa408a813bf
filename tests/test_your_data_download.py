"""Your data: the full backup needs the other partner's passcode; a copy of what you see doesn't."""

from __future__ import annotations

from closer import store
from closer.markdown import escape_markdown
from closer.passcode import hash_passcode
from tests.apptest import open_app
from tests.factories import set_passcode_hash

PAGE = "views/pages/your_data.py"


def _labels(at) -> list[str]:
    return [b.label for b in at.download_button]


def test_without_alexs_passcode_sam_is_offered_only_a_copy_of_what_sam_sees(db_path, couple):
    alex, sam = couple
    with store.open_db(db_path) as db:
        set_passcode_hash(db, alex.id, hash_passcode("alex-1234"))
    at = open_app(sam.id, PAGE)
    assert _labels(at)[0] == "Download a copy of what you can see"
    assert "Download a backup" not in _labels(at)
    assert at.text_input(key="consent-full-backup").label == "Alex's passcode"

    at.button(key="full-backup").click().run()
    assert [e.value for e in at.error] == [
        escape_markdown(
            "This also holds Alex's data, so it needs Alex's passcode. Ask Alex to type it above."
        )
    ]
    at.text_input(key="consent-full-backup").input("guess")
    at.button(key="full-backup").click().run()
    assert "Save the full backup" not in _labels(at)
    with store.open_db(db_path) as db:
        assert store.load_unlock_state(db, alex.id).failed_unlocks == 1

    at.text_input(key="consent-full-backup").input("alex-1234")
    at.button(key="full-backup").click().run()
    assert not at.exception and not at.error
    assert "Save the full backup" in _labels(at)
    # The agreement is for this one download: the next rerun asks again.
    at.run()
    assert "Save the full backup" not in _labels(at)


def test_when_the_other_partner_has_no_passcode_the_full_backup_is_one_click(db_path, couple):
    alex, sam = couple
    at = open_app(sam.id, PAGE)
    assert _labels(at)[0] == "Download a backup"
    assert not [t for t in at.text_input if t.key == "consent-full-backup"]
