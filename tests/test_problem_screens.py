""" "Something is wrong with this place" and "Still correct?" in a real browser, 320 px
wide: a member of the public reports a problem from a venue's page (and with no signal
keeps what they typed); an officer sees it in /staff/problems and marks it done; the
venue's staff see the report (never the contact) and confirm their listing in one tap.
Each new screen and state meets tests/test_web_standards.py's checks."""

import re
import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from app.db import make_engine
from app.hours import LONDON
from app.models.scheme import PROBLEM_KIND_WORDS
from app.web.assets import WEB_DIR
from tests.browser import NARROW, StaffSite, signed_in_already
from tests.test_staff_standards import ready
from tests.test_web_standards import (
    meets_the_standards,
)

VENUE = "SAMPLE-0031"


@pytest.fixture
def context(browser, staff_site: StaffSite) -> Iterator:
    """Overrides tests/browser.py's: a 320 px phone on the staff screens' own server, so
    what the public sends is what the officer and the venue's staff then see."""
    made = browser.new_context(
        base_url=str(staff_site.api.base_url), viewport=NARROW, service_workers="block"
    )
    made.set_default_timeout(15000)
    yield made
    made.close()


def test_every_problem_the_api_takes_has_its_own_picture() -> None:
    """The words come from js/constants.js (test_web_constants checks them against the
    API); the pictures are venue-problem.js's own: one each, and each one a file."""
    script = (WEB_DIR / "js" / "venue-problem.js").read_text(encoding="utf-8")
    table = script.split("export const PROBLEM_PICTURES = {", 1)[1].split("};", 1)[0]
    pictures = dict(re.findall(r'(\w+): "([\w-]+)"', table))
    assert list(pictures) == [kind.value for kind in PROBLEM_KIND_WORDS]
    assert len(set(pictures.values())) == len(pictures)
    assert all((WEB_DIR / "icons" / f"{name}.svg").is_file() for name in pictures.values())


def test_the_public_report_the_officer_settles_and_staff_confirm(
    context, page, staff_site: StaffSite
) -> None:
    venue_id = staff_site.ids[VENUE]
    note = f"The door was locked at 2pm, mark {uuid.uuid4().hex[:6]}."
    contact = "07700 900123"

    # --- a member of the public, on the venue's page ---------------------------------
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"/venues/{venue_id}")
    page.locator("#venue:not([hidden])").wait_for()
    part = page.locator("#report-problem")
    expect(part).to_be_visible()
    page.wait_for_load_state("networkidle")
    # The first view stays light: the form's script comes only when the part is opened.
    assert not any("venue-problem" in url for url in fetched)
    meets_the_standards(page, "venue page, closed")
    part.get_by_text("Something is wrong with this place").click()
    send = page.get_by_role("button", name="Send to the council")
    send.wait_for()
    assert any("venue-problem" in url for url in fetched)
    for words in PROBLEM_KIND_WORDS.values():
        expect(page.get_by_role("radio", name=words)).to_be_visible()
    expect(page.get_by_text("Only the council sees it.")).to_be_visible()
    meets_the_standards(page, "the form, open")

    send.click()  # nothing chosen yet
    expect(page.locator("#problem-box")).to_contain_text("Choose what is wrong first.")
    expect(page.locator("#problem-problem-error")).to_have_text("Error: Choose what is wrong.")
    meets_the_standards(page, "the form, nothing chosen")

    page.get_by_role("radio", name="I could not get in").check()
    page.get_by_label("Tell us more").fill(note)
    page.get_by_label("How can we reach you?").fill(contact)
    context.set_offline(True)
    send.click()
    expect(page.locator("#problem-box")).to_contain_text("We could not send it.")
    expect(page.locator("#problem-box")).to_contain_text("What you wrote is still here.")
    assert page.get_by_label("Tell us more").input_value() == note
    assert page.get_by_label("How can we reach you?").input_value() == contact
    assert page.get_by_role("radio", name="I could not get in").is_checked()
    meets_the_standards(page, "the form, no signal")
    context.set_offline(False)
    send.click()
    thanks = page.get_by_role("heading", name="Thank you")
    thanks.wait_for()
    expect(page.locator("#report-problem")).to_contain_text("The council will look into it.")
    assert page.evaluate("document.activeElement.id") == "problem-thanks"
    meets_the_standards(page, "thank you")

    # --- the officer, in the queue -----------------------------------------------
    officer = context.browser.new_context(
        base_url=str(staff_site.api.base_url), viewport=NARROW, service_workers="block"
    )
    signed_in_already(officer, staff_site)
    queue = officer.new_page()
    queue.goto("/staff/problems")
    ready(queue)
    card = queue.locator(".card", has_text=note)
    expect(card).to_contain_text("Good Turn Charity Shop")
    expect(card).to_contain_text("I could not get in")
    expect(card).to_contain_text(contact)
    meets_the_standards(queue, "the officers' queue")
    queue.locator("summary").click()
    expect(queue.get_by_role("link", name="Problems people reported")).to_have_attribute(
        "aria-current", "page"
    )
    queue.locator("summary").click()
    card.get_by_label("Note of what was done").fill("Rang the shop. The bell works now.")
    card.get_by_role("button", name="Mark as done").click()
    expect(queue.locator("#status")).to_contain_text("It is now done.")
    expect(queue.locator(".card", has_text=note)).to_have_count(0)
    queue.get_by_role("link", name="Done", exact=True).click()
    done = queue.locator(".card", has_text=note)
    expect(done).to_contain_text("Done")
    expect(done.get_by_label("Note of what was done")).to_have_value(
        "Rang the shop. The bell works now."
    )
    meets_the_standards(queue, "the officers' queue, done")
    officer.close()

    # --- the venue's staff, on their edit screen ------------------------------------
    # Added long ago and never confirmed: due.
    engine = make_engine(staff_site.database_url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE venue SET created_at = :long_ago, last_confirmed = NULL WHERE id = :id"),
            {"long_ago": datetime(2025, 1, 6, 12), "id": venue_id},
        )
    engine.dispose()
    staff = staff_site.add_user(f"problems-{uuid.uuid4().hex[:8]}@shop.example", "staff", VENUE)
    shop = context.browser.new_context(
        base_url=str(staff_site.api.base_url), viewport=NARROW, service_workers="block"
    )
    signed_in_already(shop, staff_site, staff)
    edit = shop.new_page()
    edit.goto(f"/staff/edit?id={venue_id}")
    edit.locator("#venue-form:not([hidden])").wait_for()
    ready(edit)
    due = edit.locator("#confirm-due")
    expect(due).to_be_visible()
    expect(due).to_contain_text("Please check this Safe Place")
    expect(due).to_contain_text("We ask every 3 months")
    reports = edit.locator("#venue-reports")
    card = reports.locator(".card", has_text="I could not get in")
    expect(card).to_contain_text("Now: Done.")
    # The person's words and contact went to the council, not to the venue's staff.
    assert note not in edit.locator("body").inner_text()
    assert contact not in edit.locator("body").inner_text()
    assert "Rang the shop" not in edit.locator("body").inner_text()
    meets_the_standards(edit, "the edit screen, due")
    edit.get_by_role("button", name="Everything is still right").click()
    expect(edit.locator("#status")).to_have_text(
        "Thank you. You said everything is still right today."
    )
    expect(due).to_be_hidden()
    today = datetime.now(LONDON).date()
    expect(edit.locator("#state-words")).to_contain_text(
        f"Someone said it is all still right on {today:%A} {today.day} {today:%B %Y}."
    )
    meets_the_standards(edit, "the edit screen, confirmed")
    history = staff_site.api.get(
        f"/api/venues/{venue_id}/history", headers=staff_site.headers(staff)
    ).json()
    assert (history[0]["field"], history[0]["new_value"], history[0]["changed_by"]) == (
        "last_confirmed",
        today.isoformat(),
        staff,
    )
    shop.close()


def test_an_officer_who_moves_a_report_another_changed_first_keeps_what_they_typed(
    context, staff_site: StaffSite
) -> None:
    """Two officers at once: the screen sends the report's etag, so the second change is
    refused whole (412); the screen shows the report as it is now, keeps what this
    officer typed, and the next tap is made from the new read."""
    note = f"Bins in front of the ramp, mark {uuid.uuid4().hex[:6]}."
    sent = staff_site.api.post(
        f"/api/venues/{staff_site.ids[VENUE]}/feedback",
        json={"problem": "could_not_get_in", "note": note},
    )
    assert sent.status_code == 201, sent.text
    signed_in_already(context, staff_site)
    queue = context.new_page()
    queue.goto("/staff/problems")
    ready(queue)
    card = queue.locator(".card", has_text=note)
    typed = "Asked the shop to move the bins."
    card.get_by_label("Note of what was done").fill(typed)

    # Meanwhile another officer writes their own note on it (it stays new).
    officer = staff_site.headers()
    [report] = [
        r for r in staff_site.api.get("/api/feedback", headers=officer).json() if r["note"] == note
    ]
    other = staff_site.api.patch(
        f"/api/feedback/{report['id']}",
        headers={**officer, "If-Match": report["etag"]},
        json={"officer_note": "Emailed the manager."},
    )
    assert other.status_code == 200, other.text

    card.get_by_role("button", name="Start on it").click()
    box = queue.locator("#problem")
    expect(box).to_contain_text("Another officer changed this report first.")
    expect(box).to_contain_text("Your note is still in its box.")
    # Their note is said, so the next tap does not replace it unseen.
    expect(box).to_contain_text("Their note: “Emailed the manager.” Add it to yours")
    expect(card.get_by_label("Note of what was done")).to_have_value(typed)
    meets_the_standards(queue, "the officers' queue, a report another officer changed first")
    stored = staff_site.api.get("/api/feedback", headers=officer).json()
    assert [(r["status"], r["officer_note"]) for r in stored if r["note"] == note] == [
        ("new", "Emailed the manager.")
    ]

    card.get_by_role("button", name="Start on it").click()
    expect(queue.locator("#status")).to_contain_text("It is now in hand.")
    stored = staff_site.api.get("/api/feedback", headers=officer).json()
    assert [(r["status"], r["officer_note"]) for r in stored if r["note"] == note] == [
        ("in_hand", typed)
    ]
