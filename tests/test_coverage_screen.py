"""Gaps in cover (/staff/coverage) in a real browser at 320 x 640: the week x hour
table, the gaps in words, the map and "what if", to the public screens' standards."""

import uuid
from collections.abc import Iterator

import pytest

from tests.browser import NARROW, StaffSite, signed_in_already
from tests.test_staff_standards import ready
from tests.test_web_standards import (
    meets_the_standards,
)


@pytest.fixture
def tab(browser, staff_site: StaffSite) -> Iterator:
    made = browser.new_context(
        base_url=str(staff_site.api.base_url), viewport=NARROW, service_workers="block"
    )
    made.set_default_timeout(30000)
    signed_in_already(made, staff_site)
    page = made.new_page()
    yield page
    made.close()


def standards_once_ready(tab) -> None:
    # The table scrolls inside its own box: the page is never wider than the screen.
    ready(tab)
    meets_the_standards(tab, zoom=False)


def open_report(tab) -> None:
    tab.goto("/staff/coverage")
    tab.locator("#heat tbody tr").first.wait_for()


def test_the_report_reads_at_320px(tab) -> None:
    open_report(tab)
    rows = tab.locator("#heat tbody tr")
    assert rows.count() == 7
    assert rows.nth(4).locator("th").inner_text() == "Friday"
    cells = tab.locator("#heat tbody td")
    assert cells.count() == 7 * 24
    # Every box says its share in words, not only in colour.
    texts = cells.all_inner_texts()
    assert all(text.endswith("%") for text in texts)
    assert tab.locator("#heat thead th").first.inner_text() == "12am"
    assert tab.locator("#heat caption").inner_text().startswith("Share of postcodes")
    assert "within 15 minutes' walk" in tab.locator("#summary").inner_text()
    gaps = tab.locator("#gaps li").all_inner_texts()
    assert gaps and all("Safe Place within 15 minutes." in gap for gap in gaps)
    never = tab.locator("#never li").all_inner_texts()
    assert never and all(gap.endswith("within 15 minutes at any hour.") for gap in never)
    assert tab.locator("#map svg circle").count() > 0
    assert tab.locator("#map svg rect").count() > 0
    assert tab.locator("#heat-box").evaluate("box => box.scrollWidth > box.clientWidth")
    standards_once_ready(tab)


def test_the_hour_the_clocks_skip_says_so(tab) -> None:
    open_report(tab)
    tab.get_by_label("A day in the week to show").fill("2027-03-24")
    tab.get_by_role("button", name="Show the cover").click()
    note = tab.locator("#heat-note:not([hidden])")
    note.wait_for()
    assert note.inner_text() == "Sunday 1am: The clocks go forward: this hour does not happen."
    sunday = tab.locator("#heat tbody tr").nth(6)
    skipped = sunday.locator("td").nth(1)
    assert skipped.inner_text().startswith("\u2013")
    assert "The clocks go forward" in skipped.text_content()
    assert sunday.locator("td").nth(2).inner_text().endswith("%")
    # The heading row is the server's words for Monday's hours, less the day.
    heads = tab.locator("#heat thead th").all_inner_texts()
    assert heads[:2] == ["12am", "1am"] and heads[12] == "12pm" and heads[-1] == "11pm"
    standards_once_ready(tab)


def test_a_chosen_hour_on_the_map(tab) -> None:
    open_report(tab)
    tab.get_by_label("Day", exact=True).select_option(label="Sunday")
    tab.get_by_label("Time", exact=True).select_option(label="3am")
    tab.get_by_role("button", name="Show this hour").click()
    tab.locator("#map-words", has_text="Sunday 3am:").wait_for()
    assert tab.locator("#map svg").get_attribute("aria-label").startswith("Map for Sunday 3am:")
    assert "Safe Places shown are open." in tab.locator("#map-words").inner_text()


def test_what_if_shows_the_difference(tab) -> None:
    open_report(tab)
    tab.get_by_label("Its postcode").fill("CV34 4AB")
    tab.get_by_label("Its opening hours").fill("Mo-Su 18:00-23:00")
    tab.get_by_role("button", name="Show the difference").click()
    result = tab.locator("#what-if-result:not([hidden])")
    result.wait_for()
    assert "This venue would add cover in 35 hours of the week." in result.inner_text()
    assert result.locator("li").first.inner_text().endswith("%.")
    standards_once_ready(tab)


def test_what_if_problems_beside_their_fields(tab) -> None:
    open_report(tab)
    tab.get_by_label("Its postcode").fill("CV34 4AB")
    tab.get_by_label("Its opening hours").fill("Mondays 9 to 5")
    tab.get_by_role("button", name="Show the difference").click()
    tab.locator("#what-if-hours-error").wait_for()
    assert '"Mondays" is not a day' in tab.locator("#problem").inner_text()
    assert tab.get_by_label("Its opening hours").get_attribute("aria-invalid") == "true"
    standards_once_ready(tab)


def test_only_officers(browser, staff_site: StaffSite) -> None:
    staff = staff_site.add_user(
        f"cover-{uuid.uuid4().hex[:8]}@shop.example", "staff", "SAMPLE-0011"
    )
    made = browser.new_context(
        base_url=str(staff_site.api.base_url), viewport=NARROW, service_workers="block"
    )
    signed_in_already(made, staff_site, staff)
    page = made.new_page()
    page.goto("/staff/coverage")
    page.get_by_text("Only council officers can use this page.").wait_for()
    assert page.locator("#coverage-page").is_hidden()
    made.close()
