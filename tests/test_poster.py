"""The window poster: its QR code opens the venue's public page (read back by zxing-cpp,
as a phone's camera would), a forged Host never reaches a poster, and the page prints
on one A4 sheet and meets the staff screens' standards."""

import base64
import io
import re
import uuid
from collections.abc import Iterator

import pytest
import zxingcpp
from fastapi.testclient import TestClient
from PIL import Image
from playwright.sync_api import expect

from app.config import Settings
from app.routers.posters import UNKNOWN_ADDRESS, known_host
from tests.browser import NARROW, OFFICER, StaffSite, signed_in_already
from tests.test_web_standards import (
    meets_the_standards,
)

SVG_PAGE = """<!doctype html><body style="margin:0;background:#fff">
<img id="code" src="data:image/svg+xml;base64,{data}" width="330" height="330"></body>"""


def read_qr(png: bytes) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def venue_id(client: TestClient, ref: str = "SAMPLE-0001") -> int:
    offline = client.get("/api/venues/offline").json()
    return next(venue["id"] for venue in offline["venues"] if venue["ref"] == ref)


def test_the_code_is_an_svg_of_the_public_page(client: TestClient) -> None:
    number = venue_id(client)
    answer = client.get(f"/api/venues/{number}/qr.svg")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert answer.text.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert f"<title>http://testserver/venues/{number}</title>" in answer.text


def test_no_code_for_a_venue_that_is_not_there(client: TestClient) -> None:
    answer = client.get("/api/venues/999999/qr.svg")
    assert answer.status_code == 404
    assert answer.json()["message"].startswith("There is no Safe Place with id 999999.")
    assert client.get("/api/venues/0/qr.svg").status_code == 422


@pytest.mark.parametrize(
    ("environment", "allowed", "host", "known"),
    [
        ("development", [], "testserver", True),
        ("development", [], "127.0.0.1:8000", True),
        ("production", ["safeplaces.council.example"], "safeplaces.council.example", True),
        ("production", ["safeplaces.council.example"], "SafePlaces.Council.Example:443", True),
        ("production", ["*"], "evil.example", False),  # served, but never put on a poster
        ("production", ["*", "safeplaces.council.example"], "safeplaces.council.example", True),
        # Loopback names are answered in production, but a phone cannot open them.
        ("production", [], "localhost:8000", False),
        ("production", [], "127.0.0.1:8000", False),
        ("production", [], "[::1]:8000", False),
        ("production", ["localhost", "safe.example"], "localhost", False),
        ("development", [], "evil.example/path?x=", False),  # not a host at all
        ("development", [], "evil.example@other.example", False),
        ("development", [], "", False),
    ],
)
def test_only_a_host_this_service_serves_goes_on_a_poster(
    environment: str, allowed: list[str], host: str, known: bool
) -> None:
    settings = Settings(
        environment=environment, allowed_hosts=allowed, secret_key="k" * 40, database_url=""
    )
    assert known_host(host, settings) is known


def test_production_refuses_a_code_for_a_forged_host(make_client, engine, client) -> None:
    number = venue_id(client)
    anywhere = make_client(environment="production", allowed_hosts=["*"], secret_key="k" * 40)
    forged = anywhere.get(f"/api/venues/{number}/qr.svg", headers={"Host": "evil.example"})
    assert forged.status_code == 422
    assert "cannot make a QR code" in forged.json()["message"]
    named = make_client(
        environment="production", allowed_hosts=["safe.example"], secret_key="k" * 40
    )
    answer = named.get(f"/api/venues/{number}/qr.svg", headers={"Host": "safe.example"})
    assert answer.status_code == 200
    # Production sits behind HTTPS: the poster never sends people to plain http.
    assert f"<title>https://safe.example/venues/{number}</title>" in answer.text


def test_production_makes_no_code_for_a_loopback_host(make_client, engine, client) -> None:
    """Behind a proxy that passes on its upstream Host, the server is asked as 127.0.0.1:
    answered (a health check may come that way), but the poster would open nothing."""
    number = venue_id(client)
    behind = make_client(
        environment="production", allowed_hosts=["safe.example"], secret_key="k" * 40
    )
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000"):
        answer = behind.get(f"/api/venues/{number}/qr.svg", headers={"Host": host})
        assert answer.status_code == 422
        assert answer.json()["message"] == UNKNOWN_ADDRESS
        assert behind.get("/healthz", headers={"Host": host}).status_code == 200


def test_the_code_reads_back_as_the_address(client: TestClient, page) -> None:
    """Drawn by a browser, read by zxing-cpp: the SVG itself, not segno's idea of it."""
    number = venue_id(client, "SAMPLE-0002")
    svg = client.get(f"/api/venues/{number}/qr.svg").content
    page.set_content(SVG_PAGE.format(data=base64.b64encode(svg).decode()))
    assert read_qr(page.locator("#code").screenshot()) == [f"http://testserver/venues/{number}"]


# --- the page ------------------------------------------------------------------------


@pytest.fixture
def context(browser, staff_site: StaffSite) -> Iterator:
    made = browser.new_context(
        base_url=str(staff_site.api.base_url), viewport=NARROW, service_workers="block"
    )
    made.set_default_timeout(15000)
    yield made
    made.close()


def open_poster(context, site: StaffSite, ref: str, who: str = OFFICER):
    signed_in_already(context, site, who)
    tab = context.new_page()
    tab.goto(f"/staff/poster?venue={site.ids[ref]}")
    return tab


def test_the_poster_shows_the_venue_and_its_code_reads_back(context, staff_site) -> None:
    tab = open_poster(context, staff_site, "SAMPLE-0001")
    poster = tab.locator("#poster")
    expect(poster).to_be_visible()
    expect(tab.locator("#poster-name")).to_have_text("Nuneaton Library")
    expect(poster).to_contain_text("If you feel unsafe, come in and ask us for help.")
    expect(tab.locator(".poster-picture")).to_have_attribute("src", re.compile(r"/icons/house"))
    address = f"{staff_site.api.base_url}/venues/{staff_site.ids['SAMPLE-0001']}"
    code = tab.locator("#poster-qr")
    expect(code).to_have_js_property("complete", True)
    assert tab.evaluate("document.getElementById('poster-qr').naturalWidth") > 0
    tab.set_viewport_size({"width": 800, "height": 1200})  # a camera needs pixels
    assert read_qr(code.screenshot()) == [address]
    expect(tab.locator("#poster-address")).to_have_text(address.split("://")[1])


def test_the_poster_prints_on_one_a4_page(context, staff_site) -> None:
    # The longest name in the sample: a name that wraps must still fit.
    venues = staff_site.api.get("/api/venues/offline").json()["venues"]
    longest = max(venues, key=lambda venue: len(venue["name"]))["ref"]
    for ref in ("SAMPLE-0001", longest):
        tab = open_poster(context, staff_site, ref)
        expect(tab.locator("#poster")).to_be_visible()
        pdf = tab.pdf(format="A4", print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
        assert pages == 1, (ref, pages)
        tab.emulate_media(media="print")
        # On paper only the poster: no call bar, menu, tools or footer.
        assert tab.locator("header.site-header").is_hidden()
        assert tab.locator("#poster-tools").is_hidden()
        assert tab.locator(".site-footer").is_hidden()
        tab.close()


def test_staff_of_another_venue_are_told_it_is_not_theirs(context, staff_site) -> None:
    email = staff_site.add_user(
        f"poster-{uuid.uuid4().hex[:8]}@shop.example", "staff", "SAMPLE-0003"
    )
    tab = open_poster(context, staff_site, "SAMPLE-0001", email)
    problem = tab.locator("#problem")
    expect(problem).to_be_visible()
    expect(tab.locator("#poster")).to_be_hidden()
    theirs = open_poster(context, staff_site, "SAMPLE-0003", email)
    expect(theirs.locator("#poster")).to_be_visible()


def test_the_poster_page_meets_the_staff_standards(context, staff_site) -> None:
    tab = open_poster(context, staff_site, "SAMPLE-0011")
    expect(tab.locator("#poster")).to_be_visible()
    tab.wait_for_load_state("networkidle")
    meets_the_standards(tab, "the poster")
