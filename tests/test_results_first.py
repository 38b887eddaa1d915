"""Results first, open first (issue 11, items 1, 4 and 9), in a real browser.

A server of its own holds two invented neighbourhoods whose opening hours are made
from the test's clock, so "day" and "night" are the same whenever the tests run:

- day, in Leamington: a place open now within a short walk (and a nearer one that
  closes before you could get there, which must not be the one on top);
- night, in Stratford: everything near is closed; one place 19 minutes' walk away
  is open.

On phones 320 by 640 and 390 by 844 px, the top card's name and its "Get directions" are on
screen, not under the call bar, right after the first tap: the second tap is the
way there.
"""

import math
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from app.hours import LONDON
from app.routers.places import UNKNOWN_POSTCODE
from app.venues.geo import ROUTE_FACTOR, WALKING_METRES_PER_MINUTE
from tests.browser import LEAMINGTON, NARROW
from tests.conftest import HEADER, venue_row
from tests.servers import running_server
from tests.test_web_standards import (
    meets_the_standards,
)

PHONES = {"320x640": NARROW, "390x844": {"width": 390, "height": 844}}
DAY = LEAMINGTON
NIGHT = {"latitude": 52.1917, "longitude": -1.7073}  # Stratford-upon-Avon, 15 km away
PHOTO = "/api/photos/" + "5afe" * 8 + ".webp"
ENTRANCE = Path(__file__).resolve().parent.parent / "app" / "web" / "icons" / "app-192.png"


def near(here: dict, minutes: int, bearing: float) -> tuple[float, float]:
    """A point `minutes` of walking from `here` (as the server counts a walk)."""
    metres = (minutes - 0.5) * WALKING_METRES_PER_MINUTE / ROUTE_FACTOR
    north, east = metres * math.cos(math.radians(bearing)), metres * math.sin(math.radians(bearing))
    lat = here["latitude"] + north / 111_195
    lon = here["longitude"] + east / (111_195 * math.cos(math.radians(here["latitude"])))
    return round(lat, 6), round(lon, 6)


def hours(now: datetime, opens: int, closes: int) -> str:
    """Every day from `opens` to `closes` minutes from now (past midnight if need be)."""
    start, end = (f"{now + timedelta(minutes=m):%H:%M}" for m in (opens, closes))
    return f"Mo-Su {start}-{'24:00' if end == '00:00' else end}"


def neighbourhoods(now: datetime) -> str:
    open_long, shut = hours(now, -120, 180), hours(now, 150, 300)
    rows = [
        # day: Leamington
        ("DAY-1", "Parade Shoe Repairs", DAY, 4, 0, shut, ""),
        ("DAY-2", "Regent Cards", DAY, 6, 90, hours(now, -120, 8), ""),  # shuts as you arrive
        ("DAY-3", "Pump Room Cafe", DAY, 9, 180, open_long, PHOTO),
        ("DAY-4", "Jephson Library", DAY, 11, 270, shut, ""),
        ("DAY-5", "Holly Walk Chapel", DAY, 13, 45, "", ""),  # hours not known
        # night: Stratford
        ("NIGHT-1", "Bridge Street Books", NIGHT, 3, 0, shut, PHOTO),
        ("NIGHT-2", "Henley Street Chemist", NIGHT, 7, 120, shut, ""),
        ("NIGHT-3", "Rother Market Cafe", NIGHT, 11, 240, shut, ""),
        ("NIGHT-4", "Birmingham Road Garage", NIGHT, 19, 300, hours(now, -180, 300), ""),
    ]
    lines = [HEADER]
    for ref, name, here, minutes, bearing, opening, photo in rows:
        lat, lon = near(here, minutes, bearing)
        place = {"town": "Leamington Spa", "postcode": "CV32 4AB"}
        if here is NIGHT:
            place = {"town": "Stratford-upon-Avon", "postcode": "CV37 6AB"}
        fields = {"name": name, "opening_hours": opening, "photo": photo, **place}
        lines.append(venue_row(ref, lat, lon, phone="01632 960111", **fields))
    return "".join(lines)


@pytest.fixture(scope="module")
def hours_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("hours")
    venues = folder / "venues.csv"
    venues.write_text(neighbourhoods(datetime.now(LONDON).replace(second=0, microsecond=0)))
    with running_server(
        f"sqlite:///{folder / 'hours.db'}", folder / "server.log", SAFE_PLACES_DATA_CSV=str(venues)
    ) as api:
        yield api


@pytest.fixture
def phone(browser, hours_site: httpx.Client, request: pytest.FixtureRequest) -> Iterator:
    """A tab on a phone of the size and in the place the test asks for (`phone_at`)."""
    size, where = request.param
    made = browser.new_context(
        base_url=str(hours_site.base_url),
        viewport=PHONES[size],
        geolocation=where,
        permissions=["geolocation"],
        service_workers="block",
    )
    made.set_default_timeout(15000)
    tab = made.new_page()
    tab.route(f"**{PHOTO}", lambda route: route.fulfill(path=ENTRANCE, content_type="image/png"))
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    made.close()
    assert not errors, errors


def phone_at(*places: str):
    """Parametrise `phone` over both sizes and the given places ("day", "night")."""
    where = {"day": DAY, "night": NIGHT}
    cases = [(size, where[place]) for place in places for size in PHONES]
    names = [f"{place}-{size}" for place in places for size in PHONES]
    return pytest.mark.parametrize("phone", cases, ids=names, indirect=True)


def on_screen(tab, locator) -> None:
    """Wholly in the window, below the call bar, and what a tap there would hit."""
    box = locator.bounding_box()
    bar = tab.locator(".call-bar").bounding_box()
    assert box is not None and bar is not None
    height = tab.viewport_size["height"]
    assert bar["y"] + bar["height"] <= box["y"] + 1, (box, bar)
    assert box["y"] + box["height"] <= height + 1, (box, height)
    # Nothing drawn over it: a tap at its middle reaches it.
    assert locator.evaluate(
        """(element) => {
            const box = element.getBoundingClientRect();
            const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return element.contains(hit) || hit.contains(element);
        }"""
    )


def tap_near_me(tab) -> None:
    tab.goto("/")
    tab.get_by_role("button", name="Find a Safe Place near me").click()
    tab.locator("#place-to-go").wait_for()


@phone_at("day")
def test_by_day_the_place_to_go_is_on_top_and_on_screen(phone) -> None:
    tap_near_me(phone)
    top = phone.locator("#place-to-go")
    assert top.locator(".place-best-label").inner_text() == "Nearest open Safe Place"
    # Regent Cards is nearer and open, but shuts before you could walk there.
    assert top.locator(".place-name").inner_text() == "Pump Room Cafe"
    on_screen(phone, top.locator(".place-name"))
    directions = top.get_by_role("link", name="Get directions")
    on_screen(phone, directions)
    assert directions.get_attribute("href").startswith("https://www.google.com/maps/dir/")
    assert phone.evaluate("document.activeElement.id") == "results-heading"
    # Then the others: open first, closed last, each under its heading.
    groups = phone.locator("#results-body h3").all_inner_texts()
    assert groups == ["Also open now", "Opening times not known", "Closed now"]
    also_open = phone.locator("#results-body h3:text-is('Also open now') + ol")
    assert also_open.get_by_text("It may close before you get there.").is_visible()
    closed = phone.locator("#results-body h3:text-is('Closed now') + ol .place-name")
    # Nearest first: the neighbourhood's, then Stratford's, 15 km away.
    assert closed.all_inner_texts()[:2] == ["Parade Shoe Repairs", "Jephson Library"]


@phone_at("night")
def test_at_night_the_open_place_comes_first_with_999_and_101(phone) -> None:
    tap_near_me(phone)
    top = phone.locator("#place-to-go")
    label = top.locator(".place-best-label").inner_text()
    assert label == "The nearest open Safe Place is 19 minutes walk."
    assert top.locator(".place-name").inner_text() == "Birmingham Road Garage"
    on_screen(phone, top.locator(".place-name"))
    on_screen(phone, top.get_by_role("link", name="Get directions"))
    assert top.get_by_role("link", name="Call 999").get_attribute("href") == "tel:999"
    assert top.get_by_role("link", name="Call 101").get_attribute("href") == "tel:101"
    # Closed places after the open ones (here, those 15 km away in Leamington).
    assert phone.locator("#results-body h3").all_inner_texts()[-1] == "Closed now"
    closed = phone.locator("#results-body h3:text-is('Closed now') + ol .place-name")
    assert closed.all_inner_texts()[:3] == [
        "Bridge Street Books",
        "Henley Street Chemist",
        "Rother Market Cafe",
    ]


@phone_at("day", "night")
def test_the_venue_page_puts_open_now_and_the_way_there_above_the_photo(
    phone, hours_site: httpx.Client
) -> None:
    tap_near_me(phone)
    photographed = next(
        venue
        for venue in hours_site.get("/api/venues/nearest", params=here(phone)).json()["venues"]
        if venue["photo"]
    )
    phone.locator(".place-link", has_text=photographed["name"]).click()
    phone.locator("#venue:not([hidden])").wait_for()
    photo = phone.locator(".entrance img")
    photo.wait_for()
    opening = phone.locator("#venue .idea", has_text="Is it open now?")
    on_screen(phone, opening.get_by_text(photographed["opening_status"]))
    if photographed["open_now"]:
        first = phone.get_by_role("link", name="Get directions")
    else:  # a closed place offers one that is open
        first = phone.get_by_role("link", name="Find a place that is open now")
        assert first.get_attribute("href") == "/#near"
    on_screen(phone, first)
    assert first.bounding_box()["y"] < photo.bounding_box()["y"]
    if not photographed["open_now"]:
        first.click()
        phone.locator("#place-to-go").wait_for()
        assert phone.locator("#place-to-go .place-name").inner_text() == "Birmingham Road Garage"


def here(tab) -> dict[str, float]:
    position = tab.evaluate(
        "new Promise((ok) => navigator.geolocation.getCurrentPosition("
        "(p) => ok([p.coords.latitude, p.coords.longitude])))"
    )
    return {"lat": position[0], "lon": position[1]}


HELD_POSITION = """
    // The phone takes its time to find where it is, until the test lets it answer.
    const find = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
    navigator.geolocation.getCurrentPosition = (ok, fail, options) => {
        window.answerPosition = () => find(ok, fail, options);
    };
"""


@phone_at("day")
def test_the_button_is_busy_and_the_wait_message_in_view(phone) -> None:
    phone.add_init_script(HELD_POSITION)
    phone.goto("/")
    button = phone.locator("#near-me")
    button.click()
    assert button.get_attribute("aria-busy") == "true"
    assert button.inner_text() == "Finding where you are"
    wait = phone.get_by_role("status").get_by_text("Finding where you are. Please wait.")
    on_screen(phone, wait)
    button.click()  # a second tap while busy changes nothing
    phone.evaluate("window.answerPosition()")
    phone.locator("#place-to-go").wait_for()
    phone.wait_for_function("!document.querySelector('#near-me').hasAttribute('aria-busy')")
    assert button.inner_text() == "Find a Safe Place near me"


SPOKEN = "window.spoken = []; speechSynthesis.speak = (u) => window.spoken.push(u.text);"


@phone_at("night")
def test_every_result_and_the_whole_page_can_be_read_aloud(phone) -> None:
    phone.add_init_script(SPOKEN)
    tap_near_me(phone)
    cards = phone.locator("#results .place")
    assert cards.count() == 8  # the 8 nearest, the place to go on top
    for index in range(cards.count()):
        assert cards.nth(index).get_by_role("button", name="Read this to me").count() == 1
    phone.locator("#place-to-go").get_by_role("button", name="Read this to me").click()
    card_parts = phone.evaluate("window.spoken.length")
    said = " ".join(phone.evaluate("window.spoken"))
    assert said.startswith(
        "The nearest open Safe Place is 19 minutes walk. Birmingham Road Garage."
    )
    assert "call 999" in said and "Read this" not in said
    phone.get_by_role("button", name="Read this page to me").click()
    page = " ".join(phone.evaluate("window.spoken")[card_parts:])
    assert page.startswith("Find a Safe Place. Or type a town or postcode.")
    assert "Closed now. Bridge Street Books." in page
    assert "Read this" not in page and "Find a Safe Place near me" not in page  # buttons
    assert phone.get_by_role("button", name="Stop reading").count() == 1


@phone_at("night")
def test_when_nothing_is_open_a_box_says_so_with_999_and_101(phone) -> None:
    phone.add_init_script(SPOKEN)
    phone.goto("/")
    phone.evaluate(
        """async () => {
            const { renderResults } = await import('/js/results.js');
            const closed = { id: 1, name: 'Shut Shop', open_now: false, walking_minutes: 3,
                direction: 'north', distance_m: 200, opening_status: 'Closed now.' };
            const found = { venues: [closed], nearestOpen: null };
            renderResults(document.getElementById('results'), found);
        }"""
    )
    box = phone.locator(".nothing-open")
    assert box.get_by_text("No Safe Place is open now.").is_visible()
    assert box.get_by_role("link", name="Call 999").get_attribute("href") == "tel:999"
    on_screen(phone, box.get_by_role("link", name="Call 101"))
    box.get_by_role("button", name="Read this to me").click()
    assert phone.evaluate("window.spoken")[0].startswith("No Safe Place is open now.")


@phone_at("night")
def test_with_hours_not_known_the_box_never_says_nothing_is_open(phone) -> None:
    """The box says "No Safe Place is open now" only when each place listed is known to be
    closed; a saved list past its week says it is too old to know (a user trial)."""
    phone.goto("/")
    said = phone.evaluate(
        """async () => {
            const { renderResults } = await import('/js/results.js');
            const place = (id, open_now) => ({ id, name: `Place ${id}`, open_now,
                walking_minutes: 3, direction: 'north', distance_m: 200, opening_status: null });
            const section = document.getElementById('results');
            const words = () => section.querySelector('.nothing-open .notice-words').innerText;
            const said = [];
            for (const [venues, tooOld] of [
                [[place(1, false), place(2, false)], false],
                [[place(1, false), place(2, null)], false],
                [[place(1, null)], true],
            ]) {
                renderResults(section, { venues, nearestOpen: null, tooOld });
                said.push(words());
            }
            return said;
        }"""
    )
    said = [" ".join(text.split()) for text in said]
    assert said[0].startswith("No Safe Place is open now.")
    assert said[1].startswith("We do not know of a Safe Place that is open now. Phone first.")
    assert "No Safe Place is open now" not in said[1]
    assert said[2].startswith("The saved list is too old to know which places are open now.")
    box = phone.locator(".nothing-open")
    on_screen(phone, box.get_by_text("The saved list is too old"))
    assert box.get_by_role("link", name="Call 999").is_visible()


@phone_at("day")
def test_a_place_search_brings_the_answer_into_view(phone) -> None:
    phone.goto("/")
    phone.get_by_role("textbox", name="Town or postcode").fill("CV32 4AB")
    phone.get_by_role("button", name="Search").click()
    phone.locator("#place-to-go").wait_for()
    on_screen(phone, phone.locator("#results-heading"))
    on_screen(phone, phone.locator("#place-to-go .place-name"))


@phone_at("day")
def test_the_search_says_what_the_server_says_about_a_postcode(phone) -> None:
    phone.goto("/")
    phone.get_by_role("textbox", name="Town or postcode").fill("ZZ99 9ZZ")
    phone.keyboard.press("Enter")
    said = phone.locator("#search-status")
    said.get_by_text(UNKNOWN_POSTCODE).wait_for()
    assert "Check the spelling" not in said.inner_text()
    on_screen(phone, said)


def test_a_town_outside_the_area_says_so_as_the_server_does(page, web_server) -> None:
    """The results' words for a place outside the area are the search's own."""
    answer = web_server.get("/api/places", params={"q": "Birmingham"}).json()
    assert answer["message"].startswith("This app shows Safe Places in ")
    page.goto("/")
    page.get_by_role("textbox", name="Town or postcode").fill("Birmingham")
    page.keyboard.press("Enter")
    page.locator("#place-to-go").wait_for()
    said = page.locator("#results-body .notice").first
    assert " ".join(said.locator("p").all_inner_texts()) == answer["message"]
    on_screen(page, said.locator("p").first)


LANDSCAPE = [{"width": 844, "height": 390}, {"width": 640, "height": 360}]


@pytest.mark.parametrize("size", LANDSCAPE, ids=lambda size: f"{size['width']}x{size['height']}")
@pytest.mark.parametrize("path", ["/", "/venues/3", "/whats-wrong", "/report", "/about"])
def test_a_phone_on_its_side_keeps_999_and_101_in_view(browser, web_server, size, path) -> None:
    tab = browser.new_page(base_url=str(web_server.base_url), viewport=size)
    tab.goto(path)
    tab.wait_for_load_state("networkidle")
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    for name in ("Call 999", "Call 101"):
        call = tab.get_by_role("navigation", name="Call for help").get_by_role("link", name=name)
        box = call.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]
        assert box["height"] >= 48
    # The bar takes no more than a sixth of the screen.
    bar = tab.locator(".call-bar").bounding_box()
    assert bar is not None and bar["height"] <= size["height"] / 6
    tab.close()


@phone_at("day", "night")
def test_the_new_states_meet_the_standards(phone) -> None:
    """axe 0, 19 px text, 48 px targets, 15-word sentences, and 200 % zoom, on the
    results by day and by night and on a closed place's page."""
    tap_near_me(phone)
    phone.wait_for_load_state("networkidle")
    meets_the_standards(phone, from_top=False)
    phone.locator("#results-body .place-link").last.click()
    phone.locator("#venue:not([hidden])").wait_for()
    meets_the_standards(phone, from_top=False)


def test_the_page_words_have_no_stray_markup(page) -> None:
    """What "Read this page to me" says: sentences, one per heading, link and line."""
    page.add_init_script(SPOKEN)
    page.goto("/about")
    page.get_by_role("button", name="Read this page to me").click()
    said = " ".join(page.evaluate("window.spoken"))
    assert said.startswith("About this app.")
    assert not re.search(r"[<>]|\.\.|\s{2}", said)


FIELDS_NEAR_BANBURY = {"latitude": 52.05, "longitude": -1.3}
OUTSIDE_WORDS = r"This app shows Safe Places in .+\.\s+The nearest one is \d+ km away\."
AREA_KEPT = """async () => {
    const kept = await (await caches.open("safe-places-saved")).match("/saved/area.json");
    return Boolean(kept);
}"""


def wait_until_area_kept(tab) -> None:
    """Until the phone keeps the area beside its list. Asked with evaluate, which awaits
    the check: wait_for_function would take the check's promise itself as true."""
    for _ in range(150):
        if tab.evaluate(AREA_KEPT):
            return
        tab.wait_for_timeout(100)
    raise AssertionError("the area was never kept")


def test_far_outside_the_area_the_results_say_so(context, web_server: httpx.Client) -> None:
    """The phone tests its position against the area's outline (GET /api/area, kept
    with the saved list): the position itself is never sent for it."""
    context.set_geolocation(FIELDS_NEAR_BANBURY)
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    tab = context.new_page()
    tab.goto("/")
    wait_until_area_kept(tab)  # the saved list, and the area with it
    tab.get_by_role("button", name="Find a Safe Place near me").click()
    tab.locator("#place-to-go").wait_for()
    nearest = web_server.get(
        "/api/venues/nearest", params={"lat": 52.05, "lon": -1.3, "limit": 1}
    ).json()["venues"][0]
    km = round(nearest["distance_m"] / 1000)
    said = tab.locator("#results-body .notice").first.inner_text()
    assert re.match(
        rf"This app shows Safe Places in .+\.\s+The nearest one is {km} km away\.", said
    )
    area_asks = [url for url in asked if "/api/area" in url]
    assert area_asks and not any("52.05" in url for url in area_asks)


@phone_at("day")
def test_a_failed_load_of_the_results_code_is_tried_again(phone) -> None:
    """A lost request for the results' code must not leave "near me" stuck on its wait
    message: the person is told plainly, with 999 and 101 in view, and the next tap,
    with signal again, works."""
    asked: list[str] = []
    signal = {"on": False}

    def results_code(route) -> None:
        asked.append(route.request.url)
        route.continue_() if signal["on"] else route.abort("internetdisconnected")

    phone.route(re.compile(r"/js/results(\.[0-9a-f]+)?\.js$"), results_code)
    phone.goto("/")
    button = phone.get_by_role("button", name="Find a Safe Place near me")
    button.click()
    status = phone.locator("#status")
    status.get_by_text("We cannot show Safe Places now.").wait_for()
    assert "In danger, call 999." in status.inner_text()
    on_screen(phone, status)
    bar = phone.get_by_role("navigation", name="Call for help")
    for name in ("Call 999", "Call 101"):
        call = bar.get_by_role("link", name=name).bounding_box()
        assert call and call["y"] >= 0 and call["y"] + call["height"] <= NARROW["height"]
    phone.wait_for_function("!document.querySelector('#near-me').hasAttribute('aria-busy')")
    tried = len(asked)
    assert tried >= 1
    signal["on"] = True
    button.click()
    phone.locator("#place-to-go").wait_for()
    assert len(asked) > tried  # asked again, not the failure kept
    assert status.inner_text() == ""


def test_the_area_words_never_wait_on_the_network(context) -> None:
    """At search time the words come from the phone's copy of the area: with /api/area
    hanging, the answer is as quick as ever, and nothing asks for the area again."""
    context.set_geolocation(FIELDS_NEAR_BANBURY)
    tab = context.new_page()
    tab.goto("/")
    wait_until_area_kept(tab)
    held: list[str] = []
    tab.route("**/api/area*", lambda route: held.append(route.request.url))  # never answered
    started = time.monotonic()
    tab.get_by_role("button", name="Find a Safe Place near me").click()
    tab.locator("#place-to-go").wait_for()
    took = time.monotonic() - started
    assert re.match(OUTSIDE_WORDS, tab.locator("#results-body .notice").first.inner_text())
    assert held == []
    assert took < 3, took  # waiting on the area took 4 s and more (the weak-signal limit)


FULL_STORAGE = """
    // A phone whose storage is full (or refused): keeping the area fails.
    const put = Cache.prototype.put;
    Cache.prototype.put = function (request, response) {
        return String(request).endsWith("/saved/area.json")
            ? Promise.reject(new DOMException("The storage is full.", "QuotaExceededError"))
            : put.call(this, request, response);
    };
"""


def test_an_area_the_phone_cannot_keep_still_serves_the_page(context) -> None:
    context.set_geolocation(FIELDS_NEAR_BANBURY)
    tab = context.new_page()
    tab.add_init_script(FULL_STORAGE)
    with tab.expect_response("**/api/area"):
        tab.goto("/")
    tab.get_by_role("button", name="Find a Safe Place near me").click()
    tab.locator("#place-to-go").wait_for()
    assert re.match(OUTSIDE_WORDS, tab.locator("#results-body .notice").first.inner_text())
    assert not tab.evaluate(AREA_KEPT)
