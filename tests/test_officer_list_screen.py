"""The officers' venue list in a real browser at 320 x 640, on a server of its own with
45 venues: an officer pages through, sorts by last checked and filters; a never-checked
venue counts from the day it was added; and the screen meets the standards (axe-core,
text sizes, 48 px targets, short sentences) and works by keyboard."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update
from sqlmodel import Session, select

from app.db import make_engine, migrate
from app.hours import LONDON
from app.models import Venue
from app.models.scheme import ProblemKind, ProblemReport, ProblemStatus
from tests.browser import NARROW, OFFICER, STAFF_PASSWORD, StaffSite, signed_in_already
from tests.conftest import HEADER, load, venue_row
from tests.servers import running_server, safe_places
from tests.test_staff_standards import ready
from tests.test_web_standards import (
    meets_the_standards,
)

TOWNS = ("Warwick", "Rugby", "Nuneaton")
REFS = [f"LIST-{number:03d}" for number in range(1, 46)]


def town(ref: str) -> str:
    return TOWNS[int(ref[-3:]) % 3]


def make_venues(database_url: str) -> None:
    """45 venues added now, but LIST-045 added 2 years ago; LIST-030 checked 400 days ago,
    LIST-007 2 days ago; 1 open problem report about LIST-010 (and 1 settled one)."""
    engine = make_engine(database_url)
    migrate(engine)
    rows = "".join(
        venue_row(ref, 52.28, -1.58, name=f"Venue {ref[-3:]}", town=town(ref)) for ref in REFS
    )
    load(engine, HEADER + rows)
    now = datetime.now(UTC)
    today = now.astimezone(LONDON).date()
    with Session(engine) as session:
        changes = {
            "LIST-045": {"created_at": now - timedelta(days=730)},
            "LIST-030": {"last_checked": today - timedelta(days=400)},
            "LIST-007": {"last_checked": today - timedelta(days=2)},
        }
        for ref, values in changes.items():
            session.execute(update(Venue).where(Venue.ref == ref).values(**values))  # type: ignore[arg-type]
        reported = session.exec(select(Venue).where(Venue.ref == "LIST-010")).one()
        for status in (ProblemStatus.new, ProblemStatus.done):
            session.add(
                ProblemReport(
                    venue_id=reported.id,
                    created_at=now,
                    problem=ProblemKind.other,
                    status=status,
                    updated_at=now,
                )
            )
        session.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def list_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffSite]:
    folder = tmp_path_factory.mktemp("officer-list")
    url = f"sqlite:///{folder / 'list.db'}"
    make_venues(url)
    added = safe_places(
        "users", "add", OFFICER, "--role", "officer", database_url=url, stdin=STAFF_PASSWORD + "\n"
    )
    assert added.returncode == 0, added.stderr
    with running_server(url, folder / "server.log") as api:
        yield StaffSite(api, url)


@pytest.fixture
def context(browser, list_site: StaffSite) -> Iterator:
    """Overrides tests/browser.py's: a 320 px phone on this module's server, signed in as
    the officer (so `page` fails these tests on any script error too)."""
    made = browser.new_context(base_url=str(list_site.api.base_url), viewport=NARROW)
    made.set_default_timeout(15000)
    signed_in_already(made, list_site)
    yield made
    made.close()


def first_names(tab, count: int = 1) -> list[str]:
    return tab.locator(".card h2").all_inner_texts()[:count]


def test_an_officer_pages_through_the_venues(page) -> None:
    page.goto("/staff/venues")
    count = page.locator("#count")
    expect(count).to_have_text("45 venues. Page 1 of 3.")
    expect(page.locator(".card")).to_have_count(20)
    expect(page.locator("#page-words")).to_have_text("Page 1 of 3")
    assert page.get_by_role("button", name="Previous page").is_hidden()
    page.get_by_role("button", name="Next page").click()
    expect(count).to_have_text("45 venues. Page 2 of 3.")
    assert first_names(page) == ["Venue 021"]
    assert page.evaluate("document.activeElement.id") == "count"  # the list starts here
    page.get_by_role("button", name="Next page").click()
    expect(count).to_have_text("45 venues. Page 3 of 3.")
    expect(page.locator(".card")).to_have_count(5)
    assert page.get_by_role("button", name="Next page").is_hidden()
    page.get_by_role("button", name="Previous page").click()
    expect(count).to_have_text("45 venues. Page 2 of 3.")
    assert "page=2" in page.url
    page.reload()  # the page is in the address: a refresh shows the same one
    expect(count).to_have_text("45 venues. Page 2 of 3.")
    assert first_names(page) == ["Venue 021"]


def test_back_returns_to_the_page_and_sort_before(page) -> None:
    page.goto("/staff/venues")
    count = page.locator("#count")
    page.get_by_role("button", name="Next page").click()
    expect(count).to_have_text("45 venues. Page 2 of 3.")
    page.get_by_label("Sort by").select_option(label="Checked longest ago first")
    expect(page.locator(".card h2").first).to_have_text("Venue 045")
    page.go_back()  # the sort is undone, on the page the officer was reading
    expect(count).to_have_text("45 venues. Page 2 of 3.")
    expect(page.locator(".card h2").first).to_have_text("Venue 021")
    page.go_back()
    expect(count).to_have_text("45 venues. Page 1 of 3.")
    page.go_forward()
    expect(count).to_have_text("45 venues. Page 2 of 3.")
    # Each card says its open problem reports once.
    page.goto("/staff/venues?search=LIST-010")
    card = page.locator(".card").first
    expect(card).to_contain_text("1 problem report is open.")
    assert card.inner_text().count("open") == 1


def test_an_officer_sorts_by_last_checked(page) -> None:
    page.goto("/staff/venues?page=3")
    expect(page.locator("#count")).to_have_text("45 venues. Page 3 of 3.")
    page.get_by_label("Sort by").select_option(label="Checked longest ago first")
    expect(page.locator("#count")).to_have_text("45 venues. Page 1 of 3.")  # back to page 1
    expect(page.locator(".card h2").first).to_have_text("Venue 045")
    assert first_names(page, 4) == ["Venue 045", "Venue 030", "Venue 007", "Venue 001"]
    cards = page.locator(".card")
    two_years = cards.nth(0).inner_text()
    assert "Not checked for 12 months" in two_years
    assert "Not checked yet. Added on" in two_years
    assert "Not checked for 12 months" in cards.nth(1).inner_text()  # checked 400 days ago
    added_today = cards.nth(3).inner_text()  # never checked, but added today: not due
    assert "Not checked for 12 months" not in added_today
    assert "Not checked yet. Added on" in added_today
    page.get_by_label("Sort by").select_option(label="Checked most recently first")
    expect(page.locator(".card h2").first).to_have_text("Venue 001")
    expect(page.locator("#count")).to_have_text("45 venues. Page 1 of 3.")
    assert "sort=last_checked" in page.url and "order=desc" in page.url


def test_an_officer_filters_the_venues(page, list_site: StaffSite) -> None:
    page.goto("/staff/venues")
    count = page.locator("#count")
    expect(count).to_have_text("45 venues. Page 1 of 3.")
    page.get_by_label("Only this town").fill("rugby")
    expect(count).to_have_text("Showing 15 of 45 venues.")
    page.get_by_label("Only venues with problem reports still open").check()
    expect(count).to_have_text("Showing 1 of 45 venues.")
    card = page.locator(".card")
    expect(card.locator("h2")).to_have_text("Venue 010")
    assert "1 problem report is open." in card.inner_text()
    venue_id = list_site.api.get(
        "/api/venues/editable/page", params={"search": "list-010"}, headers=list_site.headers()
    ).json()["venues"][0]["id"]
    visit = card.get_by_role("link", name="Someone came to us at Venue 010")
    assert visit.get_attribute("href") == f"/staff/visit?venue={venue_id}"
    poster = card.get_by_role("link", name="Window poster for Venue 010")
    assert poster.get_attribute("href") == f"/staff/poster?venue={venue_id}"
    page.get_by_label("Only venues with problem reports still open").uncheck()
    page.get_by_label("Only this town").fill("")
    page.get_by_label("Only venues not checked for 12 months").check()
    expect(count).to_have_text("Showing 2 of 45 venues.")  # LIST-045 and LIST-030, not new ones
    assert sorted(page.locator(".card h2").all_inner_texts()) == ["Venue 030", "Venue 045"]
    page.get_by_label("Search by name, ref or town").fill("nothing like this")
    expect(count).to_have_text(
        "Showing 0 of 45 venues. No venue matches. Change the search or the choices."
    )


def test_the_list_meets_the_standards_and_works_by_keyboard(page) -> None:
    page.goto("/staff/venues?page=2&town=Warwick&sort=open_problems&order=desc")
    expect(page.locator("#count")).to_have_text("Showing 15 of 45 venues.")
    assert page.get_by_label("Sort by").input_value() == "open_problems desc"
    page.goto("/staff/venues")
    page.locator(".card").first.wait_for()
    page.locator("summary").click()  # the menu, open
    ready(page)
    meets_the_standards(page, "the list", zoom=False)
    page.get_by_role("button", name="Next page").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#count")).to_have_text("45 venues. Page 2 of 3.")
    page.keyboard.press("Tab")  # from the count, into the first card's links
    assert page.evaluate("document.activeElement.textContent") == "Change Venue 021"
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 42_000 / 2, height  # a page of 20, not every venue
