""" "Someone came to us" and "Use of the scheme" in a real browser, 320 px wide: staff
record a visit in 2 taps, the officer sees it in the bars, and both screens meet the
standards every screen meets (tests/test_web_standards.py's checks)."""

import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.hours import LONDON
from app.models.scheme import VISIT_OUTCOME_WORDS, VISIT_REASON_WORDS, VisitOutcome, VisitReason
from app.venues.visits_report import ReportGroup
from app.web.assets import WEB_DIR
from tests.browser import NARROW, OFFICER, StaffSite, signed_in_already
from tests.test_staff_standards import ready
from tests.test_web_constants import js_files, literal, top_level_constants
from tests.test_web_standards import (
    meets_the_standards,
)

VENUE = "SAMPLE-0012"
# Counts every click the page sees, before any of its own scripts run.
CLICK_COUNTER = (
    "window.clicks = 0;document.addEventListener('click', () => { window.clicks += 1; }, true);"
)


@pytest.fixture(scope="module")
def staff_member(staff_site: StaffSite) -> str:
    return staff_site.add_user(f"visits-{uuid.uuid4().hex[:8]}@shop.example", "staff", VENUE)


@pytest.fixture
def tab_for(browser, staff_site: StaffSite) -> Iterator:
    """tab_for(email) -> a 320 px tab signed in as `email`; fails on any script error."""
    contexts, errors = [], []

    def make(email: str):
        context = browser.new_context(
            base_url=str(staff_site.api.base_url), viewport=NARROW, service_workers="block"
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        signed_in_already(context, staff_site, email)
        context.add_init_script(CLICK_COUNTER)
        tab = context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        return tab

    yield make
    for context in contexts:
        context.close()
    # A refused call logs a failed load (the page says why): anything else is a bug.
    assert not [e for e in errors if not re.search(r"status of 4\d\d", e)], errors


def open_visit(tab, site: StaffSite) -> None:
    tab.goto(f"/staff/visit?venue={site.ids[VENUE]}")
    tab.locator("#visit-page:not([hidden])").wait_for()


def standards_once_ready(tab) -> None:
    ready(tab)
    meets_the_standards(tab)


def report_counts(site: StaffSite, group: str) -> dict[str, int]:
    answer = site.api.get("/api/reports/visits", params={"group": group}, headers=site.headers())
    assert answer.status_code == 200, answer.text
    return {row["key"]: row["count"] for row in answer.json()["rows"]}


def test_staff_record_a_visit_in_2_taps_and_the_officer_sees_it_in_the_bars(
    tab_for, staff_site: StaffSite, staff_member: str
) -> None:
    before = report_counts(staff_site, "reason").get("missed_transport", 0)
    tab = tab_for(staff_member)
    open_visit(tab, staff_site)
    tab.get_by_role("heading", name="Why did they come?").wait_for()
    assert tab.locator("#reasons button").count() == len(VisitReason)
    tab.get_by_role("button", name=VISIT_REASON_WORDS[VisitReason.missed_transport]).click()
    tab.get_by_role("heading", name="What did you do?").wait_for()
    assert tab.locator("#outcomes button").count() == len(VisitOutcome)
    tab.get_by_role("button", name=VISIT_OUTCOME_WORDS[VisitOutcome.called_their_contact]).click()
    tab.get_by_role("heading", name="Thank you. It is saved.").wait_for()
    assert tab.evaluate("window.clicks") == 2
    assert tab.evaluate("document.activeElement.id") == "saved-heading"
    assert report_counts(staff_site, "reason").get("missed_transport", 0) == before + 1
    # A wrong tap is taken back, and then tapped again.
    tab.get_by_role("button", name="That was a mistake. Take it back.").click()
    expect(tab.locator("#status")).to_have_text("We took it back. It is not counted.")
    tab.get_by_role("heading", name="Why did they come?").wait_for()
    assert report_counts(staff_site, "reason").get("missed_transport", 0) == before
    tab.get_by_role("button", name=VISIT_REASON_WORDS[VisitReason.missed_transport]).click()
    tab.get_by_role("button", name=VISIT_OUTCOME_WORDS[VisitOutcome.called_their_contact]).click()
    tab.get_by_role("heading", name="Thank you. It is saved.").wait_for()
    assert report_counts(staff_site, "reason").get("missed_transport", 0) == before + 1
    # Another, at once: back to the first question.
    tab.get_by_role("button", name="Someone else came").click()
    tab.get_by_role("heading", name="Why did they come?").wait_for()
    assert tab.evaluate("document.activeElement.id") == "reason-heading"

    usage = tab_for(OFFICER)
    usage.goto("/staff/usage")
    ready(usage)
    reasons = usage.get_by_role("table", name="Why people came")
    row = reasons.get_by_role(
        "row", name=re.compile(VISIT_REASON_WORDS[VisitReason.missed_transport])
    )
    assert row.locator("td .bar-count").inner_text() == str(before + 1)
    assert row.locator(".bar").evaluate("bar => bar.getBoundingClientRect().width") > 0
    this_month = f"{datetime.now(LONDON):%B %Y}"
    months = usage.get_by_role("table", name="Visits by month")
    assert months.get_by_role("row", name=re.compile(this_month)).count() == 1
    towns = usage.get_by_role("table", name="Visits by town")
    assert towns.get_by_role("rowheader").count() >= 1
    # Every reason has its row, those nobody came for too.
    assert reasons.get_by_role("rowheader").count() == len(VisitReason)
    # The menu has the screen, for officers.
    assert usage.locator('a[href="/staff/usage"][aria-current="page"]').count() == 1


def test_the_officer_downloads_the_spreadsheet(tab_for, staff_site: StaffSite) -> None:
    recorded = staff_site.api.post(
        f"/api/venues/{staff_site.ids[VENUE]}/visits",
        json={"reason": "missed_transport", "outcome": "other"},
        headers=staff_site.headers(),
    )
    assert recorded.status_code == 201
    tab = tab_for(OFFICER)
    tab.goto("/staff/usage")
    ready(tab)
    tab.get_by_label("Why they came").check()
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Download as a spreadsheet").click()
    saved = download.value
    assert re.fullmatch(
        r"visits-by-reason-\d{4}-\d\d-01-to-\d{4}-\d\d-\d\d\.csv", saved.suggested_filename
    )
    body = Path(saved.path()).read_bytes()
    assert body.startswith(b"Reason,In words,Visits\r\n")
    assert b"They missed a bus or a lift" in body


def test_a_period_the_wrong_way_round_is_said_beside_the_dates(tab_for, staff_site) -> None:
    tab = tab_for(OFFICER)
    tab.goto("/staff/usage")
    ready(tab)
    tab.get_by_label("First day").fill("2026-05-01")
    tab.get_by_label("Last day").fill("2026-04-01")
    tab.get_by_role("button", name="Show the counts").click()
    tab.locator("#from-error").wait_for()
    assert "is after" in tab.locator("#problem").inner_text()
    assert tab.get_by_label("First day").get_attribute("aria-invalid") == "true"


def test_staff_of_another_venue_are_told_plainly(tab_for, staff_site: StaffSite, staff_member):
    tab = tab_for(staff_member)
    tab.goto(f"/staff/visit?venue={staff_site.ids['SAMPLE-0001']}")
    tab.locator("#problem:not([hidden])").wait_for()
    assert "look after" in tab.locator("#problem").inner_text()
    assert tab.locator("#visit-page").is_hidden()


SCREENS = [
    "visit: why",
    "visit: what",
    "visit: saved",
    "visit: choose a venue",
    "usage",
    "usage with problems",
    "usage for the public",
]


@pytest.mark.parametrize("screen", SCREENS)
def test_both_screens_meet_the_standards(
    tab_for, staff_site: StaffSite, staff_member: str, screen: str
) -> None:
    if screen.startswith("visit"):
        tab = tab_for(staff_member if screen != "visit: choose a venue" else OFFICER)
        if screen == "visit: choose a venue":
            tab.goto("/staff/visit")
            tab.locator("#choose-venue:not([hidden])").wait_for()
        else:
            open_visit(tab, staff_site)
        if screen in ("visit: what", "visit: saved"):
            tab.get_by_role("button", name=VISIT_REASON_WORDS[VisitReason.scared]).click()
        if screen == "visit: saved":
            tab.get_by_role("button", name=VISIT_OUTCOME_WORDS[VisitOutcome.sat_with_them]).click()
            tab.get_by_role("heading", name="Thank you. It is saved.").wait_for()
    else:
        tab = tab_for(OFFICER)
        tab.goto("/staff/usage")
        ready(tab)
        if screen == "usage with problems":
            tab.get_by_label("First day").fill("2026-05-01")
            tab.get_by_label("Last day").fill("2026-04-01")
            tab.get_by_role("button", name="Show the counts").click()
            tab.locator("#from-error").wait_for()
        if screen == "usage for the public":
            tab.get_by_label("Hide counts under 5").check()
            tab.get_by_role("button", name="Show the counts").click()
            tab.get_by_text("fewer than 5").first.wait_for()
    standards_once_ready(tab)


# --- the pages' own parts, checked against Python -------------------------------------------


def test_every_reason_and_outcome_has_its_picture() -> None:
    code = top_level_constants(js_files()["staff-visit.js"])
    for name, kind in (("REASON_PICTURES", VisitReason), ("OUTCOME_PICTURES", VisitOutcome)):
        pictures = literal(code[name])
        assert set(pictures) == {each.value for each in kind}, name
        for picture in pictures.values():
            assert (WEB_DIR / "icons" / f"{picture}.svg").exists(), picture


def test_the_download_offers_every_grouping() -> None:
    page = (WEB_DIR / "templates" / "staff-usage.html").read_text(encoding="utf-8")
    offered = re.findall(r'\("(\w+)", "[^"]+"\)', page)
    assert offered == [group.value for group in ReportGroup]
