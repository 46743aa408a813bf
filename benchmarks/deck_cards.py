"""How long a card change takes on the Deck in a real browser, against a one-line page.

Run: `.venv/bin/python -m benchmarks.deck_cards [--weeks 520] [--cards 30]`.
Not a test: timings depend on the machine. It serves Closer on sample data of `--weeks`
weeks (Robin and Kai) and, in the same run, a one-line Streamlit app whose button changes
its one heading (the floor). In each it presses Next `--cards` times and times, on the
browser's own clock, from the click's arrival in the page to the first frame where the new
card's words are drawn and the run has finished (checked every frame, as
benchmarks.browser_pages does). A third row is the Deck drawn as a whole-page rerun (the
same page with its fragment turned off), to show what the fragment saves.
The target is at most 1.5x the floor.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path

from benchmarks.browser_pages import CLICK_CLOCK, STATE, frame_app, sample_and_browser, source_app
from tests.browser import running_app, wait_for_app

ROOT = Path(__file__).resolve().parent.parent
FLOOR_APP = """
import streamlit as st

st.session_state.setdefault("n", 1)
st.header(f"Card number {st.session_state.n}", anchor=False)
st.button("Next", on_click=lambda: st.session_state.update(n=st.session_state.n + 1))
"""

# Watches every frame from the click on: when the card's words first differ from `before`,
# and when, with them on screen, the run has finished too (performance.now() each).
WATCH = """([selector, before]) => new Promise((resolve, reject) => {
  let words = null;
  const limit = performance.now() + 30000;
  const check = () => {
    const app = document.querySelector('[data-testid=stApp]');
    const card = document.querySelector(selector);
    const changed = card && card.innerText.trim() !== before;
    if (changed && words === null) words = performance.now();
    const idle = app.getAttribute('data-test-script-state') === 'notRunning'
      && app.getAttribute('data-test-connection-state') === 'CONNECTED'
      && document.querySelectorAll('[data-testid=stSkeleton]').length === 0;
    if (changed && idle) return resolve([words, performance.now()]);
    if (performance.now() > limit) return reject(new Error('no new card'));
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})"""


def press_next(page, card: str, button: str) -> tuple[float, float, float]:
    """Click Next; seconds until the new card's words are drawn, until its run has finished
    (both from the click's arrival in the page), and the latter from the click call (wall)."""
    before = page.locator(card).inner_text().strip()
    # Started without waiting for it (evaluate would wait for the promise), read after.
    page.evaluate(f"(args) => {{ window.cardWatch = ({WATCH})(args); }}", [card, before])
    start = time.perf_counter()
    page.locator(button).click()
    try:
        words, finished = page.evaluate("window.cardWatch")
    except Exception:
        raise RuntimeError(f"no new card: {page.evaluate(STATE)}") from None
    wall = time.perf_counter() - start
    clicked = page.evaluate("window.clickedAt")
    return (words - clicked) / 1000, (finished - clicked) / 1000, wall


def time_cards(browser, url: str, cards: int, deck: bool) -> list[tuple[float, float, float]]:
    """Times of `cards` presses of Next (after one not counted, which warms caches)."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{url}/deck" if deck else url)
    wait_for_app(page)
    page.evaluate(CLICK_CLOCK)
    if deck:
        page.get_by_role("button", name="I'm Robin").click()
        wait_for_app(page)
        page.get_by_role("button", name="Start the evening").click()
        wait_for_app(page)
        card, button = ".st-key-deck-card h2", ".st-key-deck-next button"
    else:
        card, button = "h2", "[data-testid=stButton] button"
    times = [press_next(page, card, button) for _ in range(cards + 1)][1:]
    page.close()
    return times


def whole_page_app(folder: Path) -> Path:
    """A copy of Closer whose Deck reruns the whole page on every card (no fragment)."""
    app = frame_app(folder)
    shutil.copy(ROOT / "views" / "pages" / "home.py", folder / "views" / "pages" / "home.py")
    deck_page = folder / "views" / "pages" / "deck.py"
    deck_page.write_text(deck_page.read_text().replace("@st.fragment\n", "", 1))
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=520)
    parser.add_argument("--cards", type=int, default=30)
    args = parser.parse_args()
    with sample_and_browser(args.weeks) as (folder, db_path, browser):
        floor = source_app(folder / "floor", FLOOR_APP)
        with running_app(db_path, {"PYTHONPATH": str(ROOT)}, app_dir=floor.parent) as url:
            base = time_cards(browser, url, args.cards, deck=False)
        with running_app(db_path) as url:
            deck = time_cards(browser, url, args.cards, deck=True)
        whole = whole_page_app(folder / "whole")
        with running_app(db_path, app_dir=whole.parent) as url:
            rerun = time_cards(browser, url, args.cards, deck=True)
    medians = {
        name: [statistics.median(t[clock] for t in times) * 1000 for clock in (0, 1, 2)]
        for name, times in (
            ("one-line page", base),
            ("Deck: Next", deck),
            ("Deck without its fragment", rerun),
        )
    }
    floor_ms = medians["one-line page"]
    print(f"{args.weeks} weeks of sample data, median of {args.cards} cards, in ms\n")
    print("| card change | words drawn | × | run finished | × | wall | × |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, values in medians.items():
        print(
            "| "
            + name
            + " | "
            + " | ".join(f"{v:.0f} | {v / f:.2f}" for v, f in zip(values, floor_ms, strict=True))
            + " |"
        )


if __name__ == "__main__":
    main()
