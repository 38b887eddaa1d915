"""An officer adding or moving a venue types its postcode: the latitude and longitude
fill in from the postcode table, with where it is said back to confirm (the town from
/api/places' one answer); a position typed by hand still counts. On a 320 x 640 phone,
in a real browser."""

import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import NARROW, StaffSite, signed_in_already

# Code-Point Open's position of CV34 4AB (Warwick), as /api/places gives it.
CV34_4AB = ("52.281696", "-1.587675")
CV11_4AU = ("52.521679", "-1.464625")  # Nuneaton


def test_the_postcode_answer_has_what_the_form_needs(staff_site: StaffSite) -> None:
    answer = staff_site.api.get("/api/places", params={"q": "cv344ab"}).json()
    place = answer["places"][0]
    assert (place["name"], place["source"]) == ("CV34 4AB", "postcode")
    assert (str(place["latitude"]), str(place["longitude"])) == CV34_4AB
    assert (place["near"], place["area"]) == ("Warwick", "Warwickshire, England")


@pytest.fixture
def context(browser, staff_site: StaffSite) -> Iterator:
    made = browser.new_context(
        base_url=str(staff_site.api.base_url), viewport=NARROW, service_workers="block"
    )
    made.set_default_timeout(15000)
    yield made
    made.close()


def test_a_new_venue_takes_its_position_from_the_postcode(context, staff_site) -> None:
    signed_in_already(context, staff_site)
    tab = context.new_page()
    tab.goto("/staff/new-venue")
    tab.locator("#venue-form:not([hidden])").wait_for()
    latitude, longitude = tab.get_by_label("Latitude"), tab.get_by_label("Longitude")
    found = tab.locator("#field-postcode-found")

    asked: list[str] = []
    tab.on("request", lambda request: asked.append(request.url))
    tab.get_by_label("Postcode").fill("cv34 4ab")
    expect(found).to_contain_text("CV34 4AB is in Warwick (CV34), Warwickshire.")
    expect(latitude).to_have_value(CV34_4AB[0])
    expect(longitude).to_have_value(CV34_4AB[1])
    assert "field-postcode-found" in tab.get_by_label("Postcode").get_attribute("aria-describedby")
    # One question: the answer names the town (no second look-up of the nearest venue).
    looked_up = [urlsplit(url) for url in asked]
    looked_up = [url for url in looked_up if url.path in ("/api/places", "/api/venues/nearest")]
    assert [f"{url.path}?{url.query}" for url in looked_up] == ["/api/places?q=CV34+4AB"]

    # A postcode the table does not know takes out the position the last one put in
    # (else the venue would be saved at the old postcode), and says so.
    tab.get_by_label("Postcode").fill("ZZ99 9ZZ")
    expect(found).to_contain_text("We cannot find ZZ99 9ZZ.")
    expect(found).to_contain_text("We took out the latitude and longitude of CV34 4AB.")
    expect(latitude).to_have_value("")
    expect(longitude).to_have_value("")
    # Half a postcode: nothing said, nothing changed.
    tab.get_by_label("Postcode").fill("CV34")
    expect(found).to_be_hidden()
    # A position typed by hand is the officer's: an unknown postcode leaves it alone.
    latitude.fill("52.2")
    longitude.fill("-1.6")
    tab.get_by_label("Postcode").fill("ZZ99 9ZY")
    expect(found).to_contain_text("We cannot find ZZ99 9ZY.")
    expect(found).not_to_contain_text("We took out")
    expect(latitude).to_have_value("52.2")
    # A postcode far from every town's centre says how far, from the nearest.
    tab.get_by_label("Postcode").fill("CV35 0AA")
    expect(found).to_contain_text("CV35 0AA is 4 km from Harbury (CV35), Warwickshire.")

    tab.get_by_label("Postcode").fill("CV34 4AB")
    expect(found).to_contain_text("CV34 4AB is in Warwick")
    # The officer knows better (the door is round the back): typed by hand, kept.
    latitude.fill("52.2820")
    # Even typed while a postcode is still being looked up.
    tab.get_by_label("Postcode").fill("CV34 4AB ")
    latitude.fill("52.2820")
    tab.wait_for_timeout(1500)
    expect(latitude).to_have_value("52.2820")
    ref = f"PC-{uuid.uuid4().hex[:6]}"
    tab.get_by_label("Ref").fill(ref)
    tab.get_by_label("Name", exact=True).fill("Postcode Test Shop")
    tab.get_by_label("Address").fill("1 High Street")
    tab.get_by_label("Town").fill("Warwick")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 320
    tab.get_by_role("button", name="Add this Safe Place").click()
    tab.wait_for_url("**/staff/edit?id=*")
    venue_id = int(tab.url.split("id=")[1].split("&")[0])
    saved = staff_site.api.get(f"/api/venues/{venue_id}").json()
    assert (saved["latitude"], saved["longitude"]) == (52.282, float(CV34_4AB[1]))


def test_an_officer_moves_a_venue_by_its_postcode(context, staff_site) -> None:
    signed_in_already(context, staff_site)
    headers = staff_site.headers()
    added = staff_site.api.post(
        "/api/venues",
        json={
            "ref": f"MOVE-{uuid.uuid4().hex[:6]}",
            "name": "Moving Shop",
            "address": "1 Church Street",
            "town": "Warwick",
            "postcode": "CV34 4AB",
            "latitude": float(CV34_4AB[0]),
            "longitude": float(CV34_4AB[1]),
        },
        headers=headers,
    )
    assert added.status_code == 201, added.text
    venue_id = added.json()["id"]
    tab = context.new_page()
    tab.goto(f"/staff/edit?id={venue_id}")
    tab.locator("#venue-form:not([hidden])").wait_for()
    # Opening the form fills the postcode in: that alone never moves the venue.
    expect(tab.get_by_label("Latitude")).to_have_value(CV34_4AB[0])
    expect(tab.locator("#field-postcode-found")).to_be_hidden()

    tab.get_by_label("Postcode").fill("CV11 4AU")
    tab.get_by_label("Town").fill("Nuneaton")
    expect(tab.locator("#field-postcode-found")).to_contain_text(
        "CV11 4AU is in Nuneaton (CV11), Warwickshire."
    )
    expect(tab.get_by_label("Longitude")).to_have_value(CV11_4AU[1])
    assert tab.evaluate("document.documentElement.scrollWidth") <= 320
    tab.get_by_role("button", name="Save changes").click()
    tab.get_by_text("Your changes are saved.").wait_for()
    moved = staff_site.api.get(f"/api/venues/{venue_id}").json()
    assert (moved["latitude"], moved["longitude"]) == tuple(map(float, CV11_4AU))
