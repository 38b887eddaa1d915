"""Joining the scheme in a real browser, at 320 x 640: a place applies on /join, an
officer approves it on /staff/applications and sees the one-time password once, and
the new staff member signs in with it and chooses their own. Both screens meet the
web app's standards (tests/test_web_standards.py's own checks)."""

import re
import uuid
from collections.abc import Iterator

import pytest

from tests.browser import NARROW, OFFICER, StaffSite, sign_in, signed_in_already
from tests.test_staff_standards import ready
from tests.test_web_standards import (
    meets_the_standards,
)


@pytest.fixture
def context(browser, staff_site: StaffSite) -> Iterator:
    """Overrides tests/browser.py's: a 320 px phone on the staff screens' own server (so
    `page` fails these tests on any script error too)."""
    made = browser.new_context(base_url=str(staff_site.api.base_url), viewport=NARROW)
    made.set_default_timeout(15000)
    yield made
    made.close()


def unique(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}"


def fill_the_form(tab, name: str, email: str, postcode: str = "CV32 4AA") -> None:
    tab.get_by_label("Name of your place").fill(name)
    tab.get_by_label("What kind of place is it?").select_option(label="Café")
    tab.get_by_label("Street address").fill("12 The Parade")
    tab.get_by_label("Town").fill("Leamington Spa")
    tab.get_by_label("Postcode").fill(postcode)
    tab.get_by_label("Opening hours").fill("Mo-Sa 09:00-17:00")
    tab.get_by_role("group", name="Is there a way in with no steps?").get_by_label("Yes").check()
    tab.get_by_label("Your name").fill("Sam Patel")
    tab.get_by_label("Your email").fill(email)
    tab.get_by_label("Your phone number").fill("01632 960124")
    tab.get_by_label("Number of staff who had the training").fill("3")
    tab.get_by_label("Date of the last training").fill("2026-11-02")


def test_a_place_applies_an_officer_approves_and_its_staff_sign_in(
    page, browser, staff_site: StaffSite
) -> None:
    name, email = unique("Parade Café"), f"{unique('sam')}@cafe.example"
    page.goto("/join")
    # Nothing filled in: each missing box says so beside it, and the list at the top links it.
    page.get_by_role("button", name="Send my form").click()
    page.locator("#problem:not([hidden])").wait_for()
    assert page.evaluate("document.activeElement.id") == "problem"
    assert page.locator("#join-name-error").text_content() == (
        "Error: Name of your place: please fill this in."
    )
    assert page.get_by_label("Name of your place").get_attribute("aria-invalid") == "true"
    page.locator("#problem").get_by_role("link", name=re.compile("^Your email")).click()
    assert page.evaluate("document.activeElement.id") == "join-contact_email"

    # The server's own checks come back beside their boxes too.
    fill_the_form(page, name, email, postcode="ZZ99 9ZZ")
    page.get_by_label("Date of the last training").fill("2099-01-01")
    page.get_by_role("button", name="Send my form").click()
    page.locator("#join-postcode-error").wait_for()
    assert (
        "We cannot find the postcode ZZ99 9ZZ." in page.locator("#join-postcode-error").inner_text()
    )
    # Said after the box's own words, as a sentence.
    assert page.locator("#join-training_date-error").text_content() == (
        "Error: Date of the last training must be a day that has passed, within the last 10 years."
    )
    assert page.locator("#join-name-error").count() == 0
    assert page.get_by_label("Postcode").get_attribute("aria-describedby") == (
        "join-postcode-error join-postcode-hint"
    )
    page.get_by_label("Postcode").fill("CV32 4AA")
    page.get_by_label("Date of the last training").fill("2026-11-02")
    page.get_by_role("button", name="Send my form").click()
    page.get_by_role("heading", name="Your form is sent").wait_for()
    assert page.evaluate("document.activeElement.id") == "thanks"
    assert page.locator("#join-form").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # Not public yet: no page, no place near the Parade.
    nearest = staff_site.api.get("/api/venues/nearest?lat=52.287064&lon=-1.534409&limit=50")
    assert name not in nearest.text

    officer = browser.new_context(base_url=str(staff_site.api.base_url), viewport=NARROW)
    signed_in_already(officer, staff_site, OFFICER)
    tab = officer.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())
    tab.goto("/staff/applications")
    card = tab.locator(".card").filter(has_text=name)
    card.wait_for()
    assert card.get_by_text(email).is_visible()
    assert card.get_by_text("Leamington Spa").is_visible()
    # The hours as people will see them (Mo-Sa 09:00-17:00), beside the code.
    assert card.get_by_text("What people will see").is_visible()
    week = card.locator("dt:has-text('What people will see') + dd").inner_text()
    assert re.search(r"^Monday \d+ \w+: 9am to 5pm$", week, re.M), week
    assert re.search(r"^Sunday \d+ \w+: Closed$", week, re.M), week
    card.get_by_role("button", name=f"Approve {name}").click()
    shown = tab.locator("#one-time-password")
    shown.wait_for()
    password = shown.inner_text()
    assert len(password) >= 12
    assert tab.evaluate("document.activeElement.id") == "decided"
    assert tab.get_by_text(f"{name} is now a Safe Place.").is_visible()
    venue_link = tab.get_by_role("link", name="See the new Safe Place")
    venue_id = int(venue_link.get_attribute("href").removeprefix("/venues/"))
    assert staff_site.api.get(f"/api/venues/{venue_id}").json()["name"] == name
    assert tab.locator(".card").filter(has_text=name).count() == 0  # no longer new
    tab.reload()
    tab.locator("#applications-page:not([hidden])").wait_for()
    assert tab.get_by_text(password).count() == 0  # shown once, kept nowhere
    tab.get_by_label("Approved").check()
    tab.locator(".card").filter(has_text=name).wait_for()
    officer.close()

    newcomer = browser.new_context(base_url=str(staff_site.api.base_url), viewport=NARROW)
    staff = newcomer.new_page()
    sign_in(staff, email, password)
    staff.get_by_role("heading", name="Choose your own password").wait_for()
    staff.get_by_label("Your new password", exact=True).fill("my own long password")
    staff.get_by_label("Type your new password again").fill("my own long password")
    staff.get_by_role("button", name="Save my password").click()
    staff.wait_for_url("**/staff/venues")
    staff.locator(".card").first.wait_for()
    assert staff.locator(".card h2").all_inner_texts() == [name]
    newcomer.close()


def test_an_officer_declines_with_a_reason(page, staff_site: StaffSite, context) -> None:
    sent = staff_site.api.post(
        "/api/applications",
        json={
            "name": (name := unique("Late Bar")),
            "address": "1 High Street",
            "town": "Warwick",
            "postcode": "CV34 4AB",
            "contact_name": "Jo",
            "contact_email": f"{unique('jo')}@bar.example",
            "contact_phone": "01632 960555",
            "trained_staff": 0,
        },
    )
    assert sent.status_code == 201, sent.text
    signed_in_already(context, staff_site, OFFICER)
    page.goto("/staff/applications")
    card = page.locator(".card").filter(has_text=name)
    card.wait_for()
    assert card.get_by_text("0. The scheme needs at least 2.").is_visible()
    card.get_by_role("button", name=f"Decline {name}").click()
    card.get_by_role("button", name="Decline this application").click()
    page.locator(f"#reason-{sent.json()['id']}-error").wait_for()
    card.get_by_label(f"Why do you say no to {name}?").fill("No trained staff yet.")
    card.get_by_role("button", name="Decline this application").click()
    page.get_by_text(f"You declined {name}.").wait_for()
    shown = staff_site.api.get(
        f"/api/applications/{sent.json()['id']}", headers=staff_site.headers()
    ).json()
    assert shown["status"] == "declined" and shown["decline_reason"] == "No trained staff yet."


def test_the_hours_are_said_back_in_words_as_they_are_typed(page) -> None:
    """A shopkeeper's "9-5" is told at once, with what to write; right hours are said as
    people will see them, on screen at 320 px, before anything is sent."""
    page.goto("/join")
    hours = page.get_by_label("Opening hours")
    words = page.locator("#join-hours-words")
    hours.fill("Mo-Fr 9-5")
    page.locator('#join-hours-words[data-ok="false"]:not([hidden])').wait_for()
    assert "write 09:00-17:00" in words.inner_text()
    assert words.inner_text().startswith("Opening hours is not")  # the box's own name
    assert "null" not in words.inner_text()
    hours.fill("Mo-Fr 09:00-17:30; Sa 10:00-16:00; PH off")
    page.locator('#join-hours-words[data-ok="true"]').wait_for()
    said = words.inner_text()
    assert "What people will see:" in said
    assert re.search(r"Monday \d+ \w+: 9am to 5:30pm", said), said
    assert re.search(r"Saturday \d+ \w+: 10am to 4pm", said), said
    words.scroll_into_view_if_needed()
    box = words.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    hours.fill("")
    page.locator("#join-hours-words[hidden]").wait_for(state="attached")


# --- the standards, on both new screens --------------------------------------------


def send_one(site: StaffSite) -> str:
    """A new application, sent as the join page sends it; its name."""
    name = unique("Standards Shop")
    sent = site.api.post(
        "/api/applications",
        json={
            "name": name,
            "address": "2 Market Place",
            "town": "Warwick",
            "postcode": "CV34 4SA",
            "easy_read": "This is a shop. Staff here can help you.",
            "contact_name": "Alex",
            "contact_email": f"{unique('alex')}@shop.example",
            "contact_phone": "01632 960777",
            "trained_staff": 2,
        },
    )
    assert sent.status_code == 201, sent.text
    return name


@pytest.fixture(scope="module")
def waiting(staff_site: StaffSite) -> str:
    return send_one(staff_site)


@pytest.fixture
def screen_context(browser, staff_site: StaffSite) -> Iterator:
    made = browser.new_context(
        base_url=str(staff_site.api.base_url), viewport=NARROW, service_workers="block"
    )
    made.set_default_timeout(15000)
    yield made
    made.close()


def open_screen(context, site: StaffSite, screen: str, waiting: str):
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())
    if screen.startswith("join"):
        tab.goto("/join")
        if screen == "join with problems":
            tab.get_by_label("Opening hours").fill("Mo-Fr 9-5")
            tab.locator('#join-hours-words[data-ok="false"]:not([hidden])').wait_for()
            tab.get_by_label("Your email").fill("not an email")
            tab.get_by_label("Postcode").fill("ZZ99 9ZZ")
            tab.get_by_role("button", name="Send my form").click()
            tab.locator("#problem:not([hidden])").wait_for()
        tab.wait_for_load_state("networkidle")
        tab.evaluate("window.scrollTo(0, 0)")
        return tab
    # Only one is approved: the others' screens show one still waiting (public sends are
    # throttled per address, and these all come from here).
    name = send_one(site) if screen == "applications, one approved" else waiting
    signed_in_already(context, site, OFFICER)
    tab.goto("/staff/applications")
    tab.locator(".card").filter(has_text=name).wait_for()
    if screen == "applications, one approved":
        tab.get_by_role("button", name=f"Approve {name}").click()
        tab.locator("#one-time-password").wait_for()
    elif screen == "applications, declining":
        card = tab.locator(".card").filter(has_text=name)
        card.get_by_role("button", name=f"Decline {name}").click()
        card.get_by_role("button", name="Decline this application").click()
        tab.locator(".field-error").wait_for()
    ready(tab)
    return tab


SCREENS = [
    "join",
    "join with problems",
    "applications",
    "applications, one approved",
    "applications, declining",
]


@pytest.mark.parametrize("screen", SCREENS)
def test_both_screens_meet_the_standards(
    screen_context, staff_site: StaffSite, waiting: str, screen: str
) -> None:
    tab = open_screen(screen_context, staff_site, screen, waiting)
    meets_the_standards(tab, screen)
