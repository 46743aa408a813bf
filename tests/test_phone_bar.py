"""Which browsers get the phone's bottom bar: those that say they are phones."""

from __future__ import annotations

import pytest

from views.parts.navigation import says_it_is_a_phone

IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
ANDROID_FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
SAMSUNG_INTERNET = (
    "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like "
    "Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"
)
# An iPad (and a phone asking for the desktop site) sends a desktop Mac's user agent.
IPAD_OR_DESKTOP_SITE = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Safari/605.1.15"
)
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
LINUX_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.mark.parametrize(
    ("user_agent", "phone"),
    [
        (IPHONE_SAFARI, True),
        (ANDROID_CHROME, True),
        (ANDROID_FIREFOX, True),
        (SAMSUNG_INTERNET, True),
        (IPAD_OR_DESKTOP_SITE, False),
        (ANDROID_TABLET, False),
        (WINDOWS_CHROME, False),
        (LINUX_FIREFOX, False),
        ("", False),
        (None, False),
    ],
)
def test_a_browser_is_a_phone_when_its_user_agent_says_mobile(user_agent, phone):
    assert says_it_is_a_phone(user_agent) is phone
