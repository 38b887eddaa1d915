"""Every staff and officer screen meets the public screens' standards (the checks are
tests/test_web_standards.py's own): axe-core with zero violations, text 19 px or more
with 1.5 spacing, 48 px targets, short sentences with digits, and no sideways
scrolling at 320 px or at 200 % zoom. Each screen is checked in the states a person
meets: empty, with problems shown, with results."""

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.web.assets import PAGES, STAFF_ONLY, STAFF_PICTURES, WEB_DIR
from tests.browser import NARROW, OFFICER, StaffSite, sign_in, signed_in_already
from tests.conftest import HEADER, venue_row
from tests.test_web_standards import (
    meets_the_standards,
)

STAFF_PAGES = [page.path for page in PAGES if page.path.startswith(STAFF_ONLY)]


@pytest.fixture(scope="module")
def staff_member(staff_site: StaffSite) -> str:
    return staff_site.add_user(
        f"standards-{uuid.uuid4().hex[:8]}@shop.example", "staff", "SAMPLE-0011"
    )


@pytest.fixture
def screen_context(browser, staff_site: StaffSite) -> Iterator:
    made = browser.new_context(
        base_url=str(staff_site.api.base_url), viewport=NARROW, service_workers="block"
    )
    made.set_default_timeout(15000)
    yield made
    made.close()


def ready(tab) -> None:
    tab.wait_for_load_state("networkidle")
    tab.wait_for_function("!document.getElementById('status').textContent.includes('Loading')")
    # axe counts a target under the sticky 999/101 bar as too small; a person scrolls it
    # out from under the bar, so check from the top, as the page opens.
    tab.evaluate("window.scrollTo(0, 0)")


def open_screen(context, site: StaffSite, staff: str, screen: str):
    """Each staff screen in a state a person sees it; returns the tab."""
    venue = site.ids["SAMPLE-0011"]
    who = staff if screen.endswith("(staff)") else OFFICER
    if not screen.startswith("sign-in") and screen != "choose password":
        signed_in_already(context, site, who)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())
    if screen == "sign-in":
        tab.goto("/staff")
    elif screen == "sign-in with problems":
        tab.goto("/staff")
        tab.get_by_role("button", name="Sign in").click()
        tab.locator("#problem:not([hidden])").wait_for()
    elif screen == "choose password":
        email = f"newcomer-{uuid.uuid4().hex[:8]}@example.org"
        added = site.api.post(
            "/api/accounts", json={"email": email, "role": "staff"}, headers=site.headers()
        )
        sign_in(tab, email, added.json()["one_time_password"])
        tab.get_by_role("heading", name="Choose your own password").wait_for()
    elif screen in ("venues", "venues (staff)"):
        tab.goto("/staff/venues")
        tab.locator(".card").first.wait_for()
        tab.locator("summary").click()  # the menu, open
    elif screen in ("edit", "edit (staff)"):
        tab.goto(f"/staff/edit?id={venue}")
        tab.locator("#venue-form:not([hidden])").wait_for()
        tab.get_by_label("Easy-read text").fill(
            "This sentence is much too long for anybody to read at a glance "
            "when they are in a busy shop."
        )
        tab.locator("#field-easy_read-advice:not([hidden])").wait_for()
    elif screen == "edit with problems":
        # Opening hours are chosen, not typed: "edit complex hours" has the hours' 422.
        tab.goto(f"/staff/edit?id={venue}")
        tab.locator("#venue-form:not([hidden])").wait_for()
        tab.get_by_label("Postcode").fill("NOWHERE")
        tab.get_by_role("button", name="Save changes").click()
        tab.locator("#field-postcode-error").wait_for()
    elif screen == "edit hours, every part open (staff)":
        tab.goto(f"/staff/edit?id={venue}")
        tab.locator("#venue-form:not([hidden])").wait_for()
        tab.get_by_role("group", name="Monday", exact=True).get_by_label("Open", exact=True).check()
        tab.get_by_label("Monday has a break, like lunch").check()
        tab.get_by_label("Friday closes at").select_option(label="1am")
        tab.get_by_label("Friday closes after midnight").check()
        tab.get_by_role("group", name="Bank holidays").get_by_label("Other hours").check()
        tab.get_by_label("First day it is closed").fill("2026-12-24")
        tab.get_by_label("Last day it is closed").fill("2026-12-26")
        tab.get_by_role("button", name="Add the dates").click()
        tab.locator("#hours-words li").first.wait_for()
    elif screen == "edit hours with problems (staff)":
        tab.goto(f"/staff/edit?id={venue}")
        tab.locator("#venue-form:not([hidden])").wait_for()
        tab.get_by_label("Monday closes at").select_option(label="6am")  # opens 6:30am
        tab.get_by_role("button", name="Save changes").click()
        tab.locator("#hours-mo-closes-error").wait_for()
    elif screen == "edit complex hours":
        officer = site.headers()
        complex_venue = site.ids["SAMPLE-0013"]
        _venue, etag = site.listing("SAMPLE-0013", officer)
        changed = site.api.patch(
            f"/api/venues/{complex_venue}",
            json={"opening_hours": "Mo-Sa 07:00-18:30; Su 09:00-16:00; Dec 25 off"},
            headers={**officer, "If-Match": etag},
        )
        assert changed.status_code == 200, changed.text
        tab.goto(f"/staff/edit?id={complex_venue}")
        tab.locator("#venue-form:not([hidden])").wait_for()
        tab.get_by_label("Opening hours").fill("whenever")
        tab.locator("#field-opening_hours-check:not([hidden])").wait_for()
        tab.get_by_role("button", name="Save changes").click()
        tab.locator("#field-opening_hours-error").wait_for()
    elif screen == "history":
        officer = site.headers()
        _venue, etag = site.listing("SAMPLE-0011", officer)
        changed = site.api.patch(
            f"/api/venues/{venue}",
            json={"phone": f"01632 96{uuid.uuid4().int % 10000:04d}"},
            headers={**officer, "If-Match": etag},
        )
        assert changed.status_code == 200
        tab.goto(f"/staff/history?id={venue}")
        tab.locator(".card").first.wait_for()
    elif screen == "new venue":
        tab.goto("/staff/new-venue")
        tab.locator("#venue-form:not([hidden])").wait_for()
    elif screen == "accounts with a new password":
        tab.goto("/staff/accounts")
        tab.locator(".card").first.wait_for()
        tab.get_by_label("Email").fill(f"shown-{uuid.uuid4().hex[:8]}@example.org")
        tab.get_by_label("The venues they look after").fill("SAMPLE-0011, NOT-A-REF")
        tab.get_by_role("button", name="Add the account").click()
        tab.locator("#new-refs-error").wait_for()
        tab.get_by_label("The venues they look after").fill("SAMPLE-0011")
        tab.get_by_role("button", name="Add the account").click()
        tab.locator("#one-time-password").wait_for()
    elif screen == "import and export":
        tab.goto("/staff/files")
        tab.locator("#files-page:not([hidden])").wait_for()
        bad = HEADER + venue_row("STANDARDS-1", 52.28, -1.58, postcode="nowhere")
        tab.get_by_label("The venue file (CSV)").set_input_files(
            files=[{"name": "venues.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
        )
        tab.get_by_role("button", name="Check the file").click()
        tab.locator("#check-result:not([hidden])").wait_for()
    ready(tab)
    return tab


SCREENS = [
    "sign-in",
    "sign-in with problems",
    "choose password",
    "venues",
    "venues (staff)",
    "edit",
    "edit (staff)",
    "edit with problems",
    "edit hours, every part open (staff)",
    "edit hours with problems (staff)",
    "edit complex hours",
    "history",
    "new venue",
    "accounts with a new password",
    "import and export",
]


@pytest.mark.parametrize("screen", SCREENS)
def test_every_staff_screen_meets_the_standards(
    screen_context, staff_site: StaffSite, staff_member: str, screen: str
) -> None:
    tab = open_screen(screen_context, staff_site, staff_member, screen)
    meets_the_standards(tab, screen)


def test_the_edit_form_works_by_keyboard_alone(
    screen_context, staff_site: StaffSite, staff_member: str
) -> None:
    signed_in_already(screen_context, staff_site, staff_member)
    tab = screen_context.new_page()
    tab.goto(f"/staff/edit?id={staff_site.ids['SAMPLE-0011']}")
    tab.locator("#venue-form:not([hidden])").wait_for()
    tab.get_by_label("Phone").focus()
    tab.keyboard.press("Control+A")
    tab.keyboard.type("01632 960123")
    while tab.evaluate("document.activeElement.id") != "save":
        tab.keyboard.press("Tab")
    tab.keyboard.press("Enter")
    tab.get_by_text("Your changes are saved.").wait_for()
    assert tab.evaluate("document.activeElement.id") == "status"


def test_staff_pages_are_served_with_the_csp_but_never_kept_offline(make_client, engine) -> None:
    web: TestClient = make_client()
    for path in STAFF_PAGES:
        page = web.get(path)
        assert page.status_code == 200
        assert "form-action 'none'" in page.headers["content-security-policy"]
        assert '<link rel="stylesheet" href="/css/staff.' in page.text  # by content name
    assert "/css/staff." not in web.get("/").text
    worker = web.get("/sw.js").text
    assert '"/staff' not in worker and "staff-" not in worker and "officer-" not in worker
    assert not [picture for picture in STAFF_PICTURES if f'"{picture}"' in worker]
    # ... so no public screen may use them: it would lack them with no signal.
    public = [
        file.read_text(encoding="utf-8")
        for file in WEB_DIR.rglob("*")
        if file.suffix in {".html", ".js"} and not file.name.startswith(("staff-", "officer-"))
    ]
    for picture in STAFF_PICTURES:
        name = picture.removeprefix("/icons/").removesuffix(".svg")
        assert not any(f'"{name}"' in text or picture in text for text in public), name
    assert 'url.pathname.startsWith("/api/")) return;' in worker
