"""Fixtures for testing the web app in a real browser: Debian's Chromium, via Playwright.

One real server (`safe-places serve`) over a SQLite database of the sample
venues, and one browser, for the whole session; a fresh browser context (no
storage, no service worker) for each test. Without /usr/bin/chromium the
browser tests skip, except under CI=true, where they fail.

The fixtures are loaded for every test module by conftest.py (`pytest_plugins`).
"""

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import IN_CI, SAMPLE_CSV
from tests.servers import running_server

CHROMIUM = Path("/usr/bin/chromium")
# Leamington Spa, by the Parade: several sample venues within a few minutes' walk.
LEAMINGTON = {"latitude": 52.2886, "longitude": -1.5353}
NARROW = {"width": 320, "height": 640}
PAGES = ["/", "/whats-wrong", "/help-card", "/report", "/about"]


def chromium_or_skip() -> None:
    if CHROMIUM.exists():
        return
    reason = f"no Chromium at {CHROMIUM}: apt-get install chromium"
    if IN_CI:
        pytest.fail(f"CI=true needs the browser tests: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """The app, served for real, on a fresh SQLite database of the sample venues."""
    folder = tmp_path_factory.mktemp("web")
    with running_server(
        f"sqlite:///{folder / 'web.db'}",
        folder / "server.log",
        SAFE_PLACES_DATA_CSV=str(SAMPLE_CSV),
    ) as api:
        yield api


@pytest.fixture(scope="session")
def browser() -> Iterator:
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


@pytest.fixture
def context(browser, web_server: httpx.Client) -> Iterator:
    """A new, empty browser profile on a 320 px wide phone, standing in Leamington Spa."""
    made = browser.new_context(
        base_url=str(web_server.base_url),
        viewport=NARROW,
        geolocation=LEAMINGTON,
        permissions=["geolocation"],
    )
    made.set_default_timeout(15000)
    yield made
    made.close()


@pytest.fixture
def page(context) -> Iterator:
    """A tab that fails the test on any script error."""
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    yield tab
    # A failed fetch with no signal logs an error the page handles; anything else is a bug.
    unexpected = [e for e in errors if not re.search(r"ERR_INTERNET_DISCONNECTED|Failed to", e)]
    assert not unexpected, unexpected


def find_near_me(tab) -> None:
    tab.get_by_role("button", name="Find a Safe Place near me").click()
    tab.locator("#results:not([hidden]) .place").first.wait_for()
