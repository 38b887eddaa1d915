"""The staff and officer screens in a real browser, against a real server of their own:
signing in, changing a venue end to end, a stale change, a sign-in that ends, and the
officers' work (venues, accounts, import, export, history)."""

import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import (
    NARROW,
    OFFICER,
    STAFF_PASSWORD,
    StaffSite,
    sign_in,
    signed_in_already,
    week_row,
)
from tests.conftest import HEADER, venue_row
from tests.pictures import photo_bytes
from tests.test_staff_hours_form import choose_day

BAD_SENTENCE = (
    "When you come in through the big front door you can ask any of the friendly staff "
    "at the desk for help."
)


@pytest.fixture
def context(browser, staff_site: StaffSite) -> Iterator:
    """Overrides tests/browser.py's: a 320 px phone on the staff screens' own server
    (so `page` there fails these tests on any script error too)."""
    made = browser.new_context(base_url=str(staff_site.api.base_url), viewport=NARROW)
    made.set_default_timeout(15000)
    yield made
    made.close()


def new_email(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}@example.org"


def saved(tab) -> None:
    tab.locator("#status").get_by_text("Your changes are saved.").wait_for()


def test_staff_change_their_venue_and_the_public_page_shows_it(page, staff_site: StaffSite) -> None:
    email = staff_site.add_user(new_email("staff"), "staff", "SAMPLE-0001")
    venue_id = staff_site.ids["SAMPLE-0001"]
    sign_in(page, email)
    page.wait_for_url("**/staff/venues")
    expect(page.locator("h1")).to_have_text("My venues")
    expect(page.locator(".card")).to_have_count(1)
    page.get_by_role("link", name="Change Nuneaton Library").click()
    page.wait_for_url(f"**/staff/edit?id={venue_id}")
    expect(page.locator("h1")).to_have_text("Nuneaton Library")
    # Staff see only what staff may change.
    assert page.get_by_label("Name").count() == 0 and page.get_by_label("Postcode").count() == 0

    for day in ("Monday", "Saturday", "Sunday"):
        choose_day(page, day, "Open", "8am", "6pm")
    page.get_by_role("button", name="Copy Monday's hours to Tuesday to Friday").click()
    easy_read = page.get_by_label("Easy-read text")
    easy_read.fill(f"This is Nuneaton Library. {BAD_SENTENCE}")
    advice = page.locator("#field-easy_read-advice")
    advice.get_by_text(
        re.compile(r"^Sentence 2 has 2\d words. Use 15 or fewer: split it.$")
    ).wait_for()
    assert "field-easy_read-advice" in easy_read.get_attribute("aria-describedby")
    easy_read.fill(
        "This is Nuneaton Library. Come in by the big front door. Ask staff at the desk."
    )
    advice.get_by_text("this is easy read.").wait_for()

    page.get_by_label("Choose a new photo").set_input_files(
        files=[{"name": "door.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
    )
    page.get_by_role("img", name="The photo you chose.").wait_for()
    reopens = date.today() + timedelta(days=2)
    page.get_by_label("Closed until").fill(reopens.isoformat())
    page.get_by_role("button", name="Save changes").click()
    saved(page)
    assert page.evaluate("document.activeElement.id") == "status"
    assert page.get_by_role("img", name="The photo of the way in now.").is_visible()

    public = staff_site.api.get(f"/api/venues/{venue_id}").json()
    assert public["opening_hours"] == "Mo-Su 08:00-18:00"
    assert public["closed_until"] == reopens.isoformat()
    page.goto(f"/venues/{venue_id}")
    page.locator("#venue:not([hidden])").wait_for()
    assert page.get_by_text(public["opening_status"]).is_visible()
    assert public["opening_status"].startswith(f"Closed until {reopens:%A} {reopens.day} ")
    rows = page.locator(".week tr")
    for row, day in zip(rows.all(), public["opening_week"], strict=True):
        assert [cell.strip() for cell in row.inner_text().split("\t")] == week_row(day)
    assert "8am to 6pm" in " ".join(day["hours"] for day in public["opening_week"])
    photo = page.locator(".entrance img")
    assert photo.get_attribute("src") == public["photo"]
    assert photo.evaluate("(image) => image.complete && image.naturalWidth") == 400
    assert page.get_by_text("Come in by the big front door.").is_visible()


def test_a_stale_confirm_says_nothing_was_done_not_that_typing_was_kept(
    page, staff_site: StaffSite
) -> None:
    email = staff_site.add_user(new_email("staff"), "staff", "SAMPLE-0004")
    sign_in(page, email)
    page.wait_for_url("**/staff/venues")
    page.goto(f"/staff/edit?id={staff_site.ids['SAMPLE-0004']}")
    page.locator("#venue-form:not([hidden])").wait_for()
    staff_site.officer_changes("SAMPLE-0004", website="https://example.org/moved")
    page.get_by_role("button", name="Everything is still right").click()
    problem = page.locator("#problem")
    expect(problem).to_contain_text("Nothing was done. Look at the latest version, then try again.")
    assert "What you typed" not in problem.inner_text()
    page.get_by_role("button", name="Get the latest version").click()
    expect(page.locator("#status")).to_contain_text("We got the latest version.")
    expect(page.locator("#status")).to_contain_text("Check it, then try again.")
    assert page.get_by_label("Website").input_value() == "https://example.org/moved"
    page.get_by_role("button", name="Everything is still right").click()
    expect(page.locator("#status")).to_have_text(
        "Thank you. You said everything is still right today."
    )


def test_a_stale_save_says_so_and_keeps_what_was_typed(page, staff_site: StaffSite) -> None:
    email = staff_site.add_user(new_email("staff"), "staff", "SAMPLE-0003")
    sign_in(page, email)
    page.wait_for_url("**/staff/venues")
    page.goto(f"/staff/edit?id={staff_site.ids['SAMPLE-0003']}")
    page.get_by_label("Phone").fill("01632 960999")
    choose_day(page, "Monday", "Open", "7am", "7pm")
    page.get_by_role("button", name="Copy Monday's hours to Tuesday to Friday").click()
    choose_day(page, "Saturday", "Closed")
    # Meanwhile an officer changes the website.
    officer = staff_site.officer_changes("SAMPLE-0003", website="https://example.org/new-site")
    page.get_by_role("button", name="Save changes").click()
    problem = page.locator("#problem")
    problem.get_by_text("Someone else changed this venue after you opened it.").wait_for()
    assert page.evaluate("document.activeElement.id") == "problem"
    assert page.get_by_label("Phone").input_value() == "01632 960999"
    assert page.get_by_label("Opening hours").input_value() == "Mo-Fr 07:00-19:00"

    page.get_by_role("button", name="Get their changes and keep mine").click()
    page.get_by_text("They changed: Website.").wait_for()
    assert page.get_by_label("Website").input_value() == "https://example.org/new-site"
    assert page.get_by_label("Phone").input_value() == "01632 960999"
    page.get_by_role("button", name="Save changes").click()
    saved(page)
    venue, _etag = staff_site.listing("SAMPLE-0003", officer)
    assert (venue["phone"], venue["website"], venue["opening_hours"]) == (
        "01632 960999",
        "https://example.org/new-site",
        "Mo-Fr 07:00-19:00",
    )


def test_when_the_sign_in_ends_what_was_typed_comes_back(page, staff_site: StaffSite) -> None:
    email = staff_site.add_user(new_email("staff"), "staff", "SAMPLE-0004")
    venue_id = staff_site.ids["SAMPLE-0004"]
    sign_in(page, email)
    page.wait_for_url("**/staff/venues")
    page.goto(f"/staff/edit?id={venue_id}")
    for day in ("Monday", "Saturday"):
        choose_day(page, day, "Open", "9:30am", "4:30pm")
    page.get_by_role("button", name="Copy Monday's hours to Tuesday to Friday").click()
    # The token is no longer good (as after 15 minutes): the server answers 401.
    page.evaluate(
        """() => {
            const saved = JSON.parse(sessionStorage.getItem('safe-places-staff-token'));
            sessionStorage.setItem('safe-places-staff-token',
                JSON.stringify({ ...saved, token: saved.token + 'x' }));
        }"""
    )
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r"/staff\?"))
    assert page.get_by_text("Your sign-in has ended. Please sign in again.").is_visible()
    assert page.get_by_text("We kept what you typed.", exact=False).is_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/staff/edit?id={venue_id}")
    page.get_by_text("We put back what you typed. It is not saved yet.").wait_for()
    assert page.get_by_label("Opening hours").input_value() == "Mo-Sa 09:30-16:30"
    page.get_by_role("button", name="Save changes").click()
    saved(page)
    assert staff_site.api.get(f"/api/venues/{venue_id}").json()["opening_hours"] == (
        "Mo-Sa 09:30-16:30"
    )


def test_staff_cannot_open_another_venue(page, staff_site: StaffSite) -> None:
    email = staff_site.add_user(new_email("staff"), "staff", "SAMPLE-0001")
    sign_in(page, email)
    page.wait_for_url("**/staff/venues")
    page.goto(f"/staff/edit?id={staff_site.ids['SAMPLE-0002']}")
    page.get_by_text("You can only change the Safe Places you look after.").wait_for()
    assert page.locator("#venue-form").is_hidden()
    page.get_by_role("link", name="Go to my venues").click()
    page.wait_for_url("**/staff/venues")
    page.goto("/staff/accounts")
    page.get_by_text("Only council officers can use this page.").wait_for()
    token = page.evaluate(
        "Object.values(sessionStorage).map((v) => { try { return JSON.parse(v).token; }"
        " catch { return null; } }).find(Boolean)"
    )
    assert staff_site.api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).is_success
    page.get_by_text("Menu and sign out").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You are signed out.").wait_for()
    assert page.evaluate("sessionStorage.length") == 0
    # Ended on the server too: a copy of the token is no use now.
    gone = staff_site.api.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert gone.status_code == 401
    page.goto("/staff/venues")
    page.get_by_text("Please sign in first.").wait_for()


def test_wrong_passwords_then_too_many_tries(page, staff_site: StaffSite) -> None:
    email = staff_site.add_user(new_email("staff"), "staff")
    page.goto("/staff")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("Type your email.").first.is_visible()
    for _ in range(5):
        sign_in(page, email, "not the password at all")
        page.locator("#password-error").wait_for()
    assert (
        page.locator("#password-error")
        .inner_text()
        .endswith("That email and password do not match.")
    )
    assert page.get_by_label("Password", exact=True).get_attribute("aria-invalid") == "true"
    assert "password-error" in page.get_by_label("Password", exact=True).get_attribute(
        "aria-describedby"
    )
    sign_in(page, email)  # the right password, but too late
    error = page.locator("#password-error")
    error.get_by_text("Too many tries.", exact=False).wait_for()
    # The time in the app's one way of saying a time of day: "4:05pm", "4pm", "midday".
    assert re.search(
        r"Too many tries. Wait \d+ minutes, then try again. "
        r"You can try again at (\d{1,2}(:\d\d)?[ap]m|midday|midnight).",
        error.inner_text(),
    )


def test_officer_adds_a_venue_then_withdraws_and_brings_it_back(
    page, staff_site: StaffSite
) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, OFFICER)
    page.wait_for_url("**/staff/venues")
    page.goto("/staff/new-venue")
    fields = {
        "Name": "Test Corner Café",
        "Ref": "TEST-NEW-1",
        "Address": "1 Market Square",
        "Town": "Warwick",
        "Postcode": "NOWHERE",
        "Latitude": "52.2819",
        "Longitude": "-1.5849",
    }
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    for day in ("Monday", "Saturday"):
        choose_day(page, day, "Open", "8am", "4pm")
    page.get_by_role("button", name="Copy Monday's hours to Tuesday to Friday").click()
    page.get_by_label("Kind of place").select_option("cafe")
    page.get_by_role("button", name="Add this Safe Place").click()
    error = page.locator("#field-postcode-error")
    error.wait_for()
    assert "Postcode 'NOWHERE' is not a UK postcode, like CV34 4AB." in error.inner_text()
    assert page.evaluate("document.activeElement.id") == "problem"
    page.get_by_label("Postcode").fill("cv34 4ab")
    page.get_by_role("button", name="Add this Safe Place").click()
    page.get_by_text("The Safe Place is added. You can add a photo now.").wait_for()
    assert page.locator("h1").inner_text() == "Test Corner Café"
    assert page.get_by_label("Postcode").input_value() == "CV34 4AB"
    new_id = int(page.url.split("id=")[1].split("&")[0])

    page.get_by_role("button", name="Withdraw from the scheme").click()
    page.get_by_text("It is withdrawn. People cannot find it now.").wait_for()
    assert staff_site.api.get(f"/api/venues/{new_id}").status_code == 404
    page.get_by_role("button", name="Bring it back into the scheme").click()
    page.get_by_text("It is back in the scheme. People can find it again.").wait_for()
    assert staff_site.api.get(f"/api/venues/{new_id}").status_code == 200

    page.get_by_role("button", name="Mark as checked today").click()
    page.get_by_text("Marked as checked today.").wait_for()
    assert staff_site.api.get(f"/api/venues/{new_id}").json()["last_checked"] == (
        date.today().isoformat()
    )
    page.goto("/staff/venues")
    page.get_by_label("Search by name, ref or town").fill("test-new")
    page.get_by_text("Showing 1 of").wait_for()
    card = page.locator(".card")
    assert card.locator("h2").inner_text() == "Test Corner Café"
    assert "Not checked for 12 months" not in card.inner_text()


def test_officer_sees_withdrawn_closed_and_unchecked_venues(page, staff_site: StaffSite) -> None:
    officer = staff_site.headers()
    _venue, etag = staff_site.listing("SAMPLE-0007", officer)
    venue_id = staff_site.ids["SAMPLE-0007"]
    withdrawn = staff_site.api.post(
        f"/api/venues/{venue_id}/withdraw", headers={**officer, "If-Match": etag}
    )
    assert withdrawn.status_code == 200
    unchecked = staff_site.api.get("/api/venues/unchecked", headers=officer).json()
    sign_in(page, OFFICER)
    page.wait_for_url("**/staff/venues")
    page.locator(".card").first.wait_for()
    # A page shows 20 venues: find it first.
    page.get_by_label("Search by name, ref or town").fill("sample-0007")
    page.get_by_text("Showing 1 of").wait_for()
    card = page.locator(".card").filter(has_text="SAMPLE-0007")
    assert card.get_by_text("Withdrawn", exact=True).is_visible()
    page.get_by_label("Search by name, ref or town").fill("")
    page.locator(".card").nth(1).wait_for()
    # Never checked, but added today: no sample venue is due a check (issue 12).
    page.get_by_label("Only venues not checked for 12 months").check()
    page.get_by_text(f"Showing {len(unchecked)} of").wait_for()


def test_officer_adds_a_staff_account_who_then_chooses_a_password(
    page, browser, staff_site: StaffSite
) -> None:
    email = new_email("new-staff")
    sign_in(page, OFFICER)
    page.wait_for_url("**/staff/venues")
    page.goto("/staff/accounts")
    page.get_by_label("Email").fill(email)
    page.get_by_label("The venues they look after").fill("sample-0005")
    page.get_by_text("That is: ").wait_for()
    page.get_by_role("button", name="Add the account").click()
    shown = page.locator("#one-time-password")
    shown.wait_for()
    password = shown.inner_text()
    # 5 groups of 4 from letters no one mixes up (no i, l, 1, o, 0), read out or copied.
    assert re.fullmatch(r"([a-hj-km-np-z2-9]{4}-){4}[a-hj-km-np-z2-9]{4}", password), password
    # At 320 px the groups wrap between them, never inside one.
    for group in shown.locator("span").all():
        box = group.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]
        size = group.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert box["height"] < 2 * float(size)  # one line
    assert page.evaluate("document.activeElement.id") == "password-once"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy the password").click()
    expect(page.get_by_text("Copied. You can paste it now.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == password
    card = page.locator(".card").filter(has_text=email)
    assert card.get_by_text("Has not chosen their own password yet.").is_visible()
    page.reload()
    page.locator(".card").first.wait_for()
    assert page.get_by_text(password).count() == 0  # shown once, kept nowhere

    other = browser.new_context(base_url=str(staff_site.api.base_url), viewport=NARROW)
    newcomer = other.new_page()
    sign_in(newcomer, email, password)
    newcomer.get_by_role("heading", name="Choose your own password").wait_for()
    newcomer.get_by_label("Your new password", exact=True).fill("short")
    newcomer.get_by_role("button", name="Save my password").click()
    newcomer.get_by_text("Your new password must be 12 characters or more.").first.wait_for()
    newcomer.get_by_label("Your new password", exact=True).fill("my own long password")
    newcomer.get_by_label("Type your new password again").fill("my own long password")
    newcomer.get_by_role("button", name="Save my password").click()
    newcomer.wait_for_url("**/staff/venues")
    newcomer.locator(".card").first.wait_for()
    assert newcomer.locator(".card h2").all_inner_texts() == [
        staff_site.api.get(f"/api/venues/{staff_site.ids['SAMPLE-0005']}").json()["name"]
    ]
    other.close()


def test_officer_disables_relinks_and_resets_an_account(page, staff_site: StaffSite) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    email = staff_site.add_user(new_email("staff"), "staff", "SAMPLE-0008")
    sign_in(page, OFFICER)
    page.wait_for_url("**/staff/venues")
    page.goto("/staff/accounts")
    card = page.locator(".card").filter(has_text=email)
    card.get_by_role("button", name=f"Disable for {email}").click()
    page.get_by_text(f"{email} is disabled.").wait_for()
    assert (
        staff_site.api.post(
            "/api/auth/token", data={"username": email, "password": STAFF_PASSWORD}
        ).status_code
        == 401
    )
    card.get_by_role("button", name=f"Enable for {email}").click()
    page.get_by_text(f"{email} can sign in again.").wait_for()
    card.get_by_role("button", name=f"Change their venues for {email}").click()
    card.get_by_label(f"The venues {email} looks after").fill("SAMPLE-0008, SAMPLE-0009")
    card.get_by_role("button", name="Save their venues").click()
    page.get_by_text(f"{email} now looks after").wait_for()
    account = next(
        a
        for a in staff_site.api.get("/api/accounts", headers=staff_site.headers()).json()
        if a["email"] == email
    )
    assert account["venue_ids"] == sorted(
        [staff_site.ids["SAMPLE-0008"], staff_site.ids["SAMPLE-0009"]]
    )
    card.get_by_role("button", name=f"Give a new password for {email}").click()
    password = page.locator("#one-time-password").inner_text()
    assert (
        staff_site.api.post(
            "/api/auth/token", data={"username": email, "password": password}
        ).status_code
        == 200
    )


def test_officer_imports_with_a_dry_run_first_and_exports_csv(
    page, staff_site: StaffSite, tmp_path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + venue_row("IMPORT-1", 52.28, -1.58, postcode="nowhere"))
    good = tmp_path / "venues.csv"
    good.write_text(
        HEADER
        + venue_row("IMPORT-1", 52.28, -1.58, name="Imported Library")
        + venue_row("IMPORT-2", 52.29, -1.57, name="Imported Shop")
    )
    sign_in(page, OFFICER)
    page.wait_for_url("**/staff/venues")
    page.goto("/staff/files")
    page.get_by_label("The venue file (CSV)").set_input_files(bad)
    page.get_by_role("button", name="Check the file").click()
    result = page.locator("#check-result")
    result.get_by_text("Line 2: postcode 'nowhere' is not a UK postcode", exact=False).wait_for()
    assert page.get_by_role("button", name="Import the file").is_hidden()

    page.get_by_label("The venue file (CSV)").set_input_files(good)
    page.get_by_role("button", name="Check the file").click()
    result.get_by_text("2 new venues").wait_for()
    assert result.get_by_text("0 changed venues").is_visible()
    editable = staff_site.api.get("/api/venues/editable", headers=staff_site.headers()).json()
    assert "IMPORT-1" not in {venue["ref"] for venue in editable}  # a dry run writes nothing
    page.get_by_role("button", name="Import the file").click()
    page.get_by_text("The file is imported. It made:").wait_for()
    editable = staff_site.api.get("/api/venues/editable", headers=staff_site.headers()).json()
    assert {"IMPORT-1", "IMPORT-2"} <= {venue["ref"] for venue in editable}

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the venue file (CSV)").click()
    download = download_info.value
    assert re.fullmatch(r"safe-places-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    assert "IMPORT-2,Imported Shop," in text
    assert "SAMPLE-0001,Nuneaton Library," in text


def test_history_shows_who_changed_what_and_puts_it_back(page, staff_site: StaffSite) -> None:
    officer = staff_site.headers()
    venue, etag = staff_site.listing("SAMPLE-0006", officer)
    venue_id = staff_site.ids["SAMPLE-0006"]
    changed = staff_site.api.patch(
        f"/api/venues/{venue_id}",
        json={"phone": "01632 960000"},
        headers={**officer, "If-Match": etag},
    )
    assert changed.status_code == 200
    sign_in(page, OFFICER)
    page.wait_for_url("**/staff/venues")
    page.goto(f"/staff/history?id={venue_id}")
    latest = page.locator(".card").first
    latest.wait_for()
    assert latest.locator("h2").inner_text() == "Phone"
    assert f"Changed by {OFFICER} on" in latest.inner_text()
    assert latest.locator("dd").all_inner_texts() == [venue["phone"], "01632 960000"]
    latest.get_by_role("button", name="Put this back").click()
    page.get_by_text("The phone is put back.").wait_for()
    assert staff_site.api.get(f"/api/venues/{venue_id}").json()["phone"] == venue["phone"]
    newest = page.locator(".card").first
    assert newest.locator("dd").all_inner_texts() == ["01632 960000", venue["phone"]]


def test_no_answer_for_a_signed_in_person_is_kept_on_the_phone(
    browser, staff_site: StaffSite
) -> None:
    """The service worker leaves /api/ and the staff screens to the network."""
    made = browser.new_context(base_url=str(staff_site.api.base_url), viewport=NARROW)
    signed_in_already(made, staff_site)
    tab = made.new_page()
    tab.goto("/")
    tab.evaluate("navigator.serviceWorker.ready.then(() => true)")
    tab.goto(f"/staff/edit?id={staff_site.ids['SAMPLE-0010']}")
    tab.locator("#venue-form:not([hidden])").wait_for()
    tab.goto(f"/staff/history?id={staff_site.ids['SAMPLE-0010']}")
    tab.wait_for_load_state("networkidle")
    kept = tab.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                urls.push(...(await cache.keys()).map((request) => new URL(request.url).pathname));
            }
            return urls;
        }"""
    )
    assert "/" in kept and any(url.startswith("/css/app.") for url in kept)
    assert not [
        url for url in kept if url.startswith(("/api/", "/staff", "/js/staff-", "/js/officer-"))
    ]
    made.close()


def test_plain_errors_beside_the_fields_and_ending_a_closure(page, staff_site: StaffSite) -> None:
    email = staff_site.add_user(new_email("staff"), "staff", "SAMPLE-0012")
    venue_id = staff_site.ids["SAMPLE-0012"]
    officer = staff_site.headers()
    _venue, etag = staff_site.listing("SAMPLE-0012", officer)
    reopens = (date.today() + timedelta(days=10)).isoformat()
    # Hours the grid cannot show open as text, which can be wrong.
    closed = staff_site.api.patch(
        f"/api/venues/{venue_id}",
        json={"closed_until": reopens, "opening_hours": "Mo-Fr 09:30-16:30; Dec 25 off"},
        headers={**officer, "If-Match": etag},
    )
    assert closed.status_code == 200
    sign_in(page, email)
    page.wait_for_url("**/staff/venues")
    expect(page.locator(".card .badge-closed")).to_have_text(re.compile(r"^Closed until \w+day "))
    page.goto(f"/staff/edit?id={venue_id}")
    hours = page.get_by_label("Opening hours")
    hours.fill("whenever we like")
    page.get_by_role("button", name="Save changes").click()
    error = page.locator("#field-opening_hours-error")
    error.wait_for()
    assert "Opening hours is not in OpenStreetMap format" in error.inner_text()
    assert "Write it like this: Mo-Fr 09:00-17:00; Sa 10:00-16:00." in error.inner_text()
    assert hours.get_attribute("aria-invalid") == "true"
    assert hours.get_attribute("aria-describedby").split()[0] == "field-opening_hours-error"
    assert page.evaluate("document.activeElement.id") == "problem"
    page.locator("#problem").get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "field-opening_hours"

    hours.fill("Mo-Fr 10:00-16:00")
    page.get_by_label("Choose a new photo").set_input_files(
        files=[{"name": "door.jpg", "mimeType": "image/jpeg", "buffer": b"not a picture at all"}]
    )
    page.get_by_text("We cannot show this file. It may not be a photo.", exact=False).wait_for()
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Your other changes are saved. The photo is not.").wait_for()
    assert (
        page.locator("#photo-file-error")
        .inner_text()
        .endswith("This file is not a JPEG, PNG or WebP photo.")
    )
    assert staff_site.api.get(f"/api/venues/{venue_id}").json()["opening_hours"] == (
        "Mo-Fr 10:00-16:00"
    )

    page.get_by_role("button", name="End the closure now").click()
    page.get_by_text("The closure has ended.", exact=False).wait_for()
    assert staff_site.api.get(f"/api/venues/{venue_id}").json()["closed_until"] is None
    assert page.get_by_text("It is not closed now.").is_visible()
