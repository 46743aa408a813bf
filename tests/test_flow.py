"""The weekly flow from the issue: A checks in, B waits, B checks in, both see both."""

from __future__ import annotations

from tests.apptest import CHECKIN, fill_checkin, open_app, texts_on_screen

PAYLOAD = "**hi** <b>x</b> ![p](http://127.0.0.1:9/p.png)"


def test_two_partners_reveal_and_privacy(db_path, couple):
    alex, sam = couple

    fill_checkin(
        open_app(alex.id, CHECKIN),
        alex.id,
        {"physical": 7, "emotional": 8},
        texts={"working": PAYLOAD, "unsaid": "alex private worry"},
    )
    at = open_app(alex.id, "views/pages/this_week.py")
    assert at.info[0].value.startswith("Waiting for Sam.")
    assert "alex private worry" in texts_on_screen(at)  # my own private note, shown to me

    at = open_app(sam.id, "views/pages/this_week.py")
    shown = texts_on_screen(at)
    assert at.info[0].value.startswith("Alex has checked in.")
    assert not any(PAYLOAD in t or "private worry" in t for t in shown)
    assert not at.get("progress")  # no scores of Alex's either

    fill_checkin(
        open_app(sam.id, CHECKIN),
        sam.id,
        {"physical": 4, "emotional": 8},
        texts={"appreciation": "thanks for dinner", "unsaid": "sam private worry"},
    )
    at = open_app(sam.id, "views/pages/this_week.py")
    shown = texts_on_screen(at)
    assert PAYLOAD in [t.value for t in at.text]  # verbatim, through st.text
    assert "thanks for dinner" in shown and "sam private worry" in shown
    assert not any("alex private worry" in t for t in shown)
    # Agreement first: emotional 8 and 8; then a card per type with both scores on 1–10.
    assert at.success[0].value == "You both felt close emotionally: 8 and 8."
    bars = [p.proto.text for p in at.get("progress")]
    assert bars[:4] == ["You: 8 of 10", "Alex: 8 of 10", "You: 4 of 10", "Alex: 7 of 10"]

    at = open_app(alex.id, "views/pages/this_week.py")
    shown = texts_on_screen(at)
    assert "thanks for dinner" in shown
    assert not any("sam private worry" in t for t in shown)


def test_an_edit_keeps_the_old_version(db_path, couple):
    from closer import store

    alex, _ = couple
    fill_checkin(open_app(alex.id, CHECKIN), alex.id, {"physical": 3}, texts={"working": "first"})
    at = fill_checkin(
        open_app(alex.id, CHECKIN), alex.id, {"physical": 6}, texts={"working": "second"}
    )
    assert "That's 1 week you've checked in." in at.success[0].value
    with store.open_db(db_path) as db:
        week = store.checked_in_weeks(db)[0]
        revisions = store.load_revisions(db, alex.id, week)
    assert [(r, a.scores["physical"], a.reflections["working"].text) for r, _, a in revisions] == [
        (1, 3, "first"),
        (2, 6, "second"),
    ]
