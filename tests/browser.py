"""Fixtures for testing the web app in a real browser: Debian's Chromium, via Playwright.

One real server (`safe-places serve`) over a SQLite database of the sample
venues, and one browser, for the whole session; a fresh browser context (no
storage, no service worker) for each test. Without /usr/bin/chromium the
browser tests skip, except under CI=true, where they fail.

The fixtures are loaded for every test module by conftest.py (`pytest_plugins`).
"""

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
import pytest

from tests.conftest import IN_CI, SAMPLE_CSV
from tests.servers import running_server, safe_places

CHROMIUM = Path("/usr/bin/chromium")
# Leamington Spa, by the Parade: several sample venues within a few minutes' walk.
LEAMINGTON = {"latitude": 52.2886, "longitude": -1.5353}
NARROW = {"width": 320, "height": 640}
PAGES = ["/", "/whats-wrong", "/help-card", "/report", "/about", "/not-found"]


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


# --- the staff and officer screens (/staff) ------------------------------------------

STAFF_PASSWORD = "a long staff password"
OFFICER = "officer@council.example"
STAFF_TOKEN_KEY = "safe-places-staff-token"


@dataclass
class StaffSite:
    """A server of its own for the staff screens, whose tests change venues and accounts
    (the public screens' tests compare what they show with an unchanged server)."""

    api: httpx.Client
    database_url: str
    ids: dict[str, int] = field(default_factory=dict)

    def add_user(self, email: str, role: str, *refs: str) -> str:
        """An account made the way a council makes its first: the command line."""
        venues = [option for ref in refs for option in ("--venue", ref)]
        done = safe_places(
            "users", "add", email, "--role", role, *venues,
            database_url=self.database_url, stdin=STAFF_PASSWORD + "\n",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return email

    def headers(self, email: str = OFFICER, password: str = STAFF_PASSWORD) -> dict[str, str]:
        answer = self.api.post("/api/auth/token", data={"username": email, "password": password})
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def listing(self, ref: str, headers: dict[str, str]) -> tuple[dict, str]:
        answer = self.api.get(f"/api/venues/{self.ids[ref]}/listing", headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.json(), answer.headers["ETag"]

    def officer_changes(self, ref: str, **values: object) -> dict[str, str]:
        """Meanwhile, through the API, an officer changes a venue (as the screen has it
        open); the officer's headers, for reading it back."""
        officer = self.headers()
        _venue, etag = self.listing(ref, officer)
        changed = self.api.patch(
            f"/api/venues/{self.ids[ref]}", json=values, headers={**officer, "If-Match": etag}
        )
        assert changed.status_code == 200, changed.text
        return officer


@pytest.fixture(scope="session")
def staff_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffSite]:
    folder = tmp_path_factory.mktemp("staff")
    url = f"sqlite:///{folder / 'staff.db'}"
    with running_server(url, folder / "server.log", SAFE_PLACES_DATA_CSV=str(SAMPLE_CSV)) as api:
        site = StaffSite(api, url)
        site.add_user(OFFICER, "officer")
        editable = api.get("/api/venues/editable", headers=site.headers()).json()
        site.ids.update({venue["ref"]: venue["id"] for venue in editable})
        yield site


def sign_in(tab, email: str, password: str = STAFF_PASSWORD) -> None:
    """Through the sign-in screen, as a person would."""
    tab.goto("/staff")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password", exact=True).fill(password)
    tab.get_by_role("button", name="Sign in").click()


def signed_in_already(context, site: StaffSite, email: str = OFFICER) -> None:
    """Every page the context opens starts signed in as `email` (quicker than the screen)."""
    token = site.headers(email)["Authorization"].removeprefix("Bearer ")
    saved = json.dumps({"token": token, "expires_at": time.time() * 1000 + 10 * 60 * 1000})
    context.add_init_script(f"sessionStorage.setItem({STAFF_TOKEN_KEY!r}, {saved!r});")


def week_row(day: dict) -> list[str]:
    """A venue page's week row as on screen, from its API day: "Monday", "28 December"
    under it, and the hours, below the bank holiday's name when it is one."""
    when = date.fromisoformat(day["date"])
    hours = f"{day['holiday']}, a bank holiday.\n{day['hours']}" if day["holiday"] else day["hours"]
    return [f"{when:%A}\n{when.day} {when:%B}", hours]
