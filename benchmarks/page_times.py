"""Median script-run time of every page at 1, 10 and 50 years of weekly check-ins.

Run: `.venv/bin/python -m benchmarks.page_times [--reruns 15] [--years 1 10 50]`.
Each page is run through Streamlit's AppTest (the whole script: app.py's frame plus the
page), once to warm up and then `--reruns` times; the table shows the median in ms. The
Trends floor is the same app (frame, sidebar, gate) with a Trends page that only draws the
same chart specs from memory, so the ratio shows what loading, analysis and the cache
add. Sample data comes from closer.demo (Robin and Kai).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from benchmarks import in_memory
from closer import store
from closer.demo import write_demo
from closer.trends import trends_report

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "Home": ("views/pages/home.py", None),
    "Check in": ("views/pages/check_in.py", None),
    "This week": ("views/pages/this_week.py", None),
    "Trends (8 weeks)": ("views/pages/trend_charts.py", None),
    "Trends (All)": ("views/pages/trend_charts.py", "All"),
    "Suggestions": ("views/pages/suggestions.py", None),
    "Our talk": ("views/pages/conversation.py", None),
    "History": ("views/pages/history.py", None),
    "Settings": ("views/pages/our_settings.py", None),
    "Your data": ("views/pages/your_data.py", None),
}


def median_ms(at: AppTest, reruns: int) -> float:
    """Median wall time of `reruns` further runs of an AppTest that has run once."""
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return statistics.median(times) * 1000


def time_page(page: str, trends_range: str | None, partner_id: int, reruns: int) -> float:
    """Median ms of one page as one partner, after a warm-up run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["partner_id"] = partner_id
    at.session_state["weekly-backup"] = True  # time the page, not the weekly backup
    at.run()
    at.switch_page(page).run()
    if trends_range:
        at.segmented_control(key="trends-range").set_value(trends_range).run()
    return median_ms(at, reruns)


def time_trends_floor(db_path: Path, partner_id: int, reruns: int) -> float:
    """Median ms of the app with a Trends page that only draws the same specs from memory."""
    with store.open_db(db_path) as db:
        active = store.load_settings(db).active_dimensions
        report = trends_report(db, partner_id, 8, date.today(), active)
    # As the page draws it: only the open tab's chart, the per-type lines as one stacked
    # chart (or, with one week, the wheel).
    in_memory.specs = (
        {"trends": report.trends_spec()}
        if report.trend_charts()
        else {"wheel": report.chart("wheel").spec}
    )
    with tempfile.TemporaryDirectory() as copy:
        shutil.copy(ROOT / "app.py", copy)
        shutil.copytree(ROOT / "views", Path(copy) / "views")
        shutil.copytree(ROOT / "data", Path(copy) / "data", ignore=shutil.ignore_patterns("*.db*"))
        shutil.copy(
            ROOT / "benchmarks" / "trends_floor.py",
            Path(copy) / "views" / "pages" / "trend_charts.py",
        )
        at = AppTest.from_file(str(Path(copy) / "app.py"), default_timeout=120)
        at.session_state["partner_id"] = partner_id
        at.session_state["weekly-backup"] = True
        at.run()
        at.switch_page("views/pages/trend_charts.py").run()
        return median_ms(at, reruns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=15)
    parser.add_argument("--years", type=int, nargs="+", default=[1, 10, 50])
    args = parser.parse_args()
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for years in args.years:
            path = Path(tmp) / f"closer-{years}y.db"
            started = time.perf_counter()
            write_demo(path, weeks=52 * years, today=date.today())
            print(f"{years} years: wrote sample data in {time.perf_counter() - started:.1f} s")
            os.environ["CLOSER_DB"] = str(path)
            with store.open_db(path) as db:
                robin = store.list_partners(db)[0].id
            results[years] = {
                name: time_page(page, choice, robin, args.reruns)
                for name, (page, choice) in PAGES.items()
            }
            results[years]["Trends floor"] = time_trends_floor(path, robin, args.reruns)

    columns = [f"{y} y" for y in args.years]
    print(f"\nMedian script run, ms (AppTest, {args.reruns} reruns after a warm-up)\n")
    print(f"| page | {' | '.join(columns)} |")
    print(f"|---|{'---:|' * len(columns)}")
    for name in [*PAGES, "Trends floor"]:
        cells = " | ".join(f"{results[y][name]:.0f}" for y in args.years)
        print(f"| {name} | {cells} |")
    for years in args.years:
        ratio = results[years]["Trends (8 weeks)"] / results[years]["Trends floor"]
        print(f"\nTrends (8 weeks) / floor at {years} y: {ratio:.2f}x")
    if 1 in results and 50 in results:
        worst = max(results[50][n] / results[1][n] for n in PAGES)
        print(f"Worst 50-year / 1-year ratio over the pages: {worst:.2f}x")


if __name__ == "__main__":
    main()
