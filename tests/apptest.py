"""Drive the real app script with Streamlit's AppTest, against the test's own database file."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from closer.settings import DEFAULT_TIME, DEFAULT_WEEKDAY
from closer.weeks import checkin_week

APP = Path(__file__).resolve().parent.parent / "app.py"
CHECKIN = "views/pages/check_in.py"
# Every page a couple reaches once set up (Welcome runs only before that).
PAGE_FILES = [
    "views/pages/home.py",
    "views/pages/check_in.py",
    "views/pages/this_week.py",
    "views/pages/trend_charts.py",
    "views/pages/suggestions.py",
    "views/pages/conversation.py",
    "views/pages/deck.py",
    "views/pages/history.py",
    "views/pages/our_settings.py",
    "views/pages/your_data.py",
    "views/pages/where_to_turn.py",
]


def open_app(partner_id: int | None = None, page: str | None = None) -> AppTest:
    """A fresh browser session (as `partner_id`, on `page`), run once."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    if partner_id is not None:
        at.session_state["partner_id"] = partner_id
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def current_week() -> date:
    """The week the pages treat as now, for a couple on the default Sunday 20:00 slot."""
    return checkin_week(datetime.now(), DEFAULT_WEEKDAY, DEFAULT_TIME)


def this_week() -> str:
    """The key fragment the check-in form uses for the current week."""
    return current_week().isoformat()


def fill_checkin(
    at: AppTest,
    partner_id: int,
    scores: dict[str, int | None],
    texts: dict[str, str] | None = None,
    shared: dict[str, bool] | None = None,
    more: tuple[str, ...] = (),
) -> AppTest:
    """Fill this week's check-in (None skips a type, others stay unanswered) and save.

    Types left out of `scores` are confirmed as not answered when the page asks.
    """
    prefix = f"{partner_id}-{this_week()}"
    if scores:
        open_scores_tab(at, partner_id)
    for key, score in scores.items():
        if score is None:
            at.checkbox(key=f"skip-{prefix}-{key}").check().run()
        else:
            at.pills(key=f"score-{prefix}-{key}").set_value(score)
    for key in more:
        at.checkbox(key=f"more-{prefix}-{key}").check()
    if texts or shared:
        open_words_tab(at, partner_id)
    for key, text in (texts or {}).items():
        at.text_area(key=f"text-{prefix}-{key}").input(text)
    for key, value in (shared or {}).items():
        at.toggle(key=f"share-{prefix}-{key}").set_value(value)
    save_checkin(at)
    assert not at.exception, at.exception
    return at


def open_words_tab(at: AppTest, partner_id: int) -> AppTest:
    """Open the check-in's "In your words" step, as its Next or Change button does."""
    return open_checkin_step(at, partner_id, "words")


def open_scores_tab(at: AppTest, partner_id: int) -> AppTest:
    """Open the check-in's first step, the scores."""
    return open_checkin_step(at, partner_id, "scores")


def open_checkin_step(at: AppTest, partner_id: int, step: str) -> AppTest:
    """Open one step of this week's check-in (scores, plan, words, monthly, review)."""
    at.session_state[f"checkin-step-{partner_id}-{this_week()}"] = step
    at.run()
    assert not at.exception, at.exception
    return at


def open_trends_tab(at: AppTest, label: str) -> AppTest:
    """Open one tab of Trends, as a tap on it does: only the open tab is drawn."""
    at.session_state["trends-tab"] = label
    at.run()
    assert not at.exception, at.exception
    return at


SAVE_LABELS = ("Save my check-in", "Save changes")


def go_to_review(at: AppTest) -> AppTest:
    """Press Next until the check-in's last step, review and save (values chosen go along)."""
    for _ in range(6):  # at most five steps
        onward = [b for b in at.button if b.label.startswith("Next: ")]
        if not onward:
            break
        onward[0].click().run()
        assert not at.exception, at.exception
    return at


def save_checkin(at: AppTest) -> AppTest:
    """Go to the last step, press Save, and "Save anyway" if it asks about unanswered types."""
    go_to_review(at)
    next(b for b in at.button if b.label in SAVE_LABELS).click().run()
    anyway = [b for b in at.button if b.label == "Save anyway"]
    if anyway:
        anyway[0].click().run()
    assert not at.exception, at.exception
    return at


def texts_on_screen(at: AppTest) -> list[str]:
    """Every piece of text the page shows, from the element types that carry text."""
    found: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "info",
        "success",
        "warning",
        "error",
    ):
        found += [str(e.value) for e in at.get(kind)]
    for frame in at.dataframe:
        found += [str(v) for v in frame.value.to_numpy().ravel()] + list(frame.value.columns)
    return found
