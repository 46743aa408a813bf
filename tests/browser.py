"""Run the real app with `streamlit run` and drive it with Playwright in Debian's Chromium."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    """A system Chromium: $CHROMIUM_PATH, or the usual install locations."""
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def free_port() -> int:
    """A TCP port on loopback that nothing is listening on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


FAKETIME_LIBRARIES = (
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
    "/usr/local/lib/faketime/libfaketimeMT.so.1",
)


def faketime_library() -> str | None:
    """libfaketime (multi-threaded build), to run the server a week ahead: $FAKETIME_LIB too."""
    for candidate in (os.environ.get("FAKETIME_LIB"), *FAKETIME_LIBRARIES):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@contextmanager
def running_app(
    db_path: Path,
    extra_env: dict[str, str] | None = None,
    days_ahead: int = 0,
    moment: str | None = None,
    app_dir: Path = ROOT,
    address: str = "127.0.0.1",
) -> Iterator[str]:
    """Start `streamlit run app.py` against db_path on a free port; yield its URL.

    ``days_ahead`` runs the server with its clock moved forward (libfaketime), so a test
    can come back "next week" without any test hook in the app; ``moment`` (such as
    "2026-11-29 23:50:00", local time) starts its clock at that moment, ticking from there.
    ``app_dir`` serves the app.py of another folder (a benchmark's baseline app).
    ``address`` is where it listens ("0.0.0.0": as `make run-home` does, on the network too).
    """
    port = free_port()
    env = {**os.environ, "CLOSER_DB": str(db_path), **(extra_env or {})}
    if days_ahead or moment:
        library = faketime_library()
        if library is None:
            raise RuntimeError(
                "libfaketime is missing: install faketime (Debian) or set FAKETIME_LIB"
            )
        # Not FAKETIME_DONT_FAKE_MONOTONIC: with it, time.sleep stalls in the server.
        env |= {"LD_PRELOAD": library, "FAKETIME": f"@{moment}" if moment else f"+{days_ahead}d"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            address,
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=app_dir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    raise RuntimeError(f"streamlit did not start:\n{output}") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stdout:
            process.stdout.close()


def wait_for_app(page) -> None:
    """Wait until the app is connected, the script has finished and nothing is still loading."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=20_000
    )
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=20_000
    )
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0", timeout=20_000
    )


# Every page's URL path, in the order of the navigation ("" is Home).
PAGE_PATHS = [
    "",
    "check-in",
    "this-week",
    "trends",
    "suggestions",
    "talk",
    "deck",
    "history",
    "settings",
    "your-data",
]

# The page's own heading, where it differs from its title in the sidebar.
HEADINGS = {"Check in": "Weekly check-in", "Home": re.compile(r"^Hello, ")}


def watched_page(browser, app_url: str, width: int = 1280):
    """A page recording in page.problems console errors, dialogs, failed or outside requests."""
    return watch(browser.new_page(viewport={"width": width, "height": 1000}), app_url)


# What an Android phone's Chrome says it is: Closer sends the bottom bar only to browsers
# whose user agent says "Mobile", so every phone in these tests says so too.
PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def phone_context(browser, width: int = 390):
    """A browser context as a phone: its user agent, touch, a mobile viewport `width` wide."""
    return browser.new_context(
        viewport={"width": width, "height": 844},
        is_mobile=True,
        has_touch=True,
        user_agent=PHONE_USER_AGENT,
    )


def phone_page(browser, app_url: str, width: int = 390):
    """A watched page in its own browser context, as a phone."""
    return watch(phone_context(browser, width).new_page(), app_url)


def watch(page, app_url: str):
    """Record in page.problems console errors, dialogs, failed or outside requests."""
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on(
        "request",
        lambda r: r.url.startswith(app_url) or page.problems.append(f"request: {r.url}"),
    )
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"{r.status} {r.url}"))
    return page


def go_to(page, title: str) -> None:
    """Open a page from the sidebar and wait until it has run: its own heading, then idle."""
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    # Right after the click the app may still report the last run as finished: wait for the
    # new page's heading first, so nothing afterwards looks at the page being left.
    heading = page.get_by_role("heading", name=HEADINGS.get(title, title), exact=True)
    expect(heading.first).to_be_visible(timeout=20_000)
    wait_for_app(page)


def tap_to(page, title: str) -> None:
    """Open a page from the phone's bottom bar (one tap; two for a page under More), and wait."""
    from playwright.sync_api import expect

    if title in ("Home", "Check in", "This week", "Our talk"):
        page.locator(".st-key-phone-nav a", has_text=title).tap()
    else:
        page.locator(".st-key-phone-nav").get_by_role("button", name="More").tap()
        page.get_by_test_id("stPopoverBody").locator("a", has_text=title).tap()
    heading = page.get_by_role("heading", name=HEADINGS.get(title, title), exact=True)
    expect(heading.first).to_be_visible(timeout=20_000)
    wait_for_app(page)


def next_step(page, title: str, tap: bool = False) -> None:
    """Press the check-in's "Next: TITLE" button (a tap on a phone) and wait for the step."""
    from playwright.sync_api import expect

    button = page.get_by_role("button", name=f"Next: {title}")
    button.tap() if tap else button.click()
    expect(button).to_have_count(0)  # the step has changed, not merely the run finished
    wait_for_app(page)


def to_review(page, tap=None) -> int:
    """Press Next until the check-in's last step; returns how many presses it took."""
    from playwright.sync_api import expect

    presses = 0
    for _ in range(5):
        onward = page.get_by_role("button", name=re.compile("^Next: "))
        if onward.count() == 0:
            break
        label = onward.first.inner_text().strip().split("\n")[-1]
        (tap or (lambda locator: locator.click()))(onward.first)
        presses += 1
        expect(page.get_by_role("button", name=label, exact=True)).to_have_count(0)
        wait_for_app(page)
    return presses


def switch_to(page, name: str) -> None:
    """Choose another name in the sidebar's "I am"."""
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=name, exact=True).click()
    wait_for_app(page)


def _apt_install(*packages: str) -> None:
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=False)


def ensure_faketime() -> str:
    """Find or install libfaketime for the 'next week' browser test, or say what to install."""
    found = faketime_library()
    if found is None:
        _apt_install("faketime")
        found = faketime_library()
    if found is None:
        sys.exit(
            "No libfaketime for the browser tests: install faketime (Debian: apt-get install "
            "faketime) or set FAKETIME_LIB to libfaketimeMT.so.1, then run make test again."
        )
    return found


def ensure_browser() -> str:
    """Find or install a Chromium for the browser tests; exit with one line saying what to do."""
    found = chromium_path()
    if found:
        return found
    _apt_install("chromium")
    found = chromium_path()
    if found:
        return found
    # An ordinary machine with internet: Playwright's own browser build.
    result = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"])
    if result.returncode == 0:
        return "playwright"
    sys.exit(
        "No browser for the browser tests: install Chromium (Debian: apt-get install chromium) "
        "or set CHROMIUM_PATH to a Chromium binary, then run make test again."
    )


if __name__ == "__main__":
    print(f"Browser tests will use: {ensure_browser()}, with {ensure_faketime()}")
