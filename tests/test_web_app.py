"""The web app in a real browser: finding places, a venue's page, the help card, offline."""

import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote_plus, urlsplit

import httpx
import pytest
from playwright.sync_api import expect

from app.hours import LONDON, opening_now, parse_hours
from bench.web_weight import first_view_paths, wire_bytes
from tests.browser import LEAMINGTON, find_near_me, week_row
from tests.conftest import SAMPLE_CSV
from tests.servers import running_server

HERE = {"lat": LEAMINGTON["latitude"], "lon": LEAMINGTON["longitude"]}


def nearest(api: httpx.Client, **params: object) -> list[dict]:
    return api.get("/api/venues/nearest", params={**HERE, **params}).json()["venues"]


def place_to_go(api: httpx.Client) -> dict | None:
    """What the app should put on top: of the 5 nearest open places, the first still open
    after the walk there and 10 minutes, else the nearest open one (js/places.js)."""
    open_now = nearest(api, open_now="true", limit=5)
    now = datetime.now(UTC)

    def in_time(venue: dict) -> bool:
        if venue["closes_at"] is None:
            return True
        minutes = (venue["walking_minutes"] or 0) + 10
        return datetime.fromisoformat(venue["closes_at"]) - now >= timedelta(minutes=minutes)

    return next(filter(in_time, open_now), open_now[0] if open_now else None)


def expect_results_for_here(tab, api: httpx.Client) -> None:
    """The top of the list is the place to go; beyond a short walk, it says how far."""
    best = place_to_go(api)
    first = tab.locator(".place").first
    first.wait_for()
    if best is None:  # nothing known to be open anywhere: "No Safe Place is open now." or
        # "We do not know of a Safe Place that is open now." (test_results_first.py)
        assert tab.locator(".nothing-open").is_visible()
        return
    assert first.locator(".place-name").inner_text() == best["name"]
    label = first.locator(".place-best-label").inner_text()
    if best["nearby"]:
        assert label == "Nearest open Safe Place"
    else:  # at night, or far from any: how far, with 999 and 101 beside it
        assert re.fullmatch(r"The nearest .+ is \d+ (minutes walk|km away)\.", label), label
        assert first.get_by_role("link", name="Call 101").is_visible()


def test_near_me_shows_the_nearest_open_safe_place(page, web_server: httpx.Client) -> None:
    page.goto("/")
    find_near_me(page)
    expect_results_for_here(page, web_server)
    assert page.locator(".place").count() >= 5
    # Said once, on the page or in the results.
    assert page.locator("text=They are not real Safe Places. >> visible=true").count() == 1
    walk = page.locator(".place").first.locator(".place-line").first.inner_text()
    assert "walk" in walk or walk == "It is right here."


def test_nothing_open_nearby_offers_101(context, web_server: httpx.Client) -> None:
    context.set_geolocation({"latitude": 52.05, "longitude": -1.3})  # fields near Banbury
    tab = context.new_page()
    tab.goto("/")
    find_near_me(tab)
    top = tab.locator("#place-to-go.place-far")
    label = top.locator(".place-best-label").inner_text()
    assert re.fullmatch(r"The nearest open Safe Place is \d+ km away\.", label), label
    call = top.locator("a[href='tel:101']")
    # "Call 101" on screen; screen readers also hear whose number it is.
    assert call.inner_text().startswith("Call 101")
    assert call.locator("[data-help-number]").inner_text() == "101"
    assert call.locator(".visually-hidden [data-help-name]").count() == 1


def test_a_town_search_lists_places_near_it(page) -> None:
    page.goto("/")
    page.get_by_role("textbox", name="Town or postcode").fill("Rugby")
    page.get_by_role("button", name="Search").click()
    page.locator("#results:not([hidden]) .place").first.wait_for()
    assert page.locator("#results-heading").inner_text() == "Safe Places near Rugby"


def test_a_misspelt_town_asks_did_you_mean(page) -> None:
    page.goto("/")
    page.get_by_role("textbox", name="Town or postcode").fill("Kenilwoth")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Did you mean Kenilworth?").wait_for()
    page.get_by_role("button", name="Kenilworth").click()
    page.locator("#results:not([hidden]) .place").first.wait_for()
    assert page.locator("#results-heading").inner_text() == "Safe Places near Kenilworth"


def test_an_unknown_place_says_so(page) -> None:
    page.goto("/")
    page.get_by_role("textbox", name="Town or postcode").fill("Xqzvbnm")
    page.keyboard.press("Enter")
    page.get_by_text("We cannot find that place.").wait_for()


def test_the_venue_page_works_when_opened_directly(page, web_server: httpx.Client) -> None:
    venue = web_server.get(f"/api/venues/{nearest(web_server, limit=1)[0]['id']}").json()
    page.goto(f"/venues/{venue['id']}")
    # The heading is filled in by the page's script: wait for it, do not race it.
    expect(page.locator("h1")).to_have_text(venue["name"])
    assert page.title() == f"{venue['name']} - Safe Places"
    call = page.get_by_role("link", name=f"Call {venue['phone']}")
    assert call.get_attribute("href") == "tel:" + venue["phone"].replace(" ", "")
    directions = page.get_by_role("link", name="Get directions").get_attribute("href")
    assert directions.startswith("https://www.google.com/maps/dir/?api=1&destination=")
    assert quote_plus(f"{venue['latitude']},{venue['longitude']}") in directions
    for step in venue["when_you_arrive"]:
        assert page.get_by_text(step).is_visible()
    for sentence in venue["easy_read_sentences"]:
        assert page.get_by_text(sentence, exact=True).is_visible()
    assert page.get_by_text(venue["opening_status"]).is_visible()
    assert page.locator("#venue").get_by_text("They are not real Safe Places.").is_visible()
    blocks = page.locator("#venue .idea, #venue .notice").count()
    assert page.get_by_role("button", name="Read this to me").count() == blocks >= 7


def test_read_this_to_me_speaks_the_block(page) -> None:
    page.add_init_script(
        "window.__spoken = [];speechSynthesis.speak = (u) => window.__spoken.push(u.text);"
    )
    page.goto("/venues/1")
    block = page.locator("#venue .idea").filter(has_text="Where it is")
    block.get_by_role("button", name="Read this to me").click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[0].startswith("Where it is")
    assert "Read this" not in spoken[0]
    assert block.get_by_role("button", name="Stop reading").is_visible()


def test_an_unknown_venue_says_so(page) -> None:
    page.goto("/venues/999999")
    page.get_by_text("We cannot find this Safe Place.").wait_for()


def test_the_help_card_never_leaves_the_phone(context) -> None:
    sent: list[str] = []
    context.on("request", lambda request: sent.append(f"{request.url} {request.post_data or ''}"))
    tab = context.new_page()
    tab.goto("/help-card")
    typed = {
        "#card-name": "Zebedee Quillfeather",
        "#card-talk": "I use Makaton signs",
        "#card-contact": "Auntie Wilhelmina",
        "#card-number": "07700 900461",
        "#card-notes": "Allergic to kumquats",
    }
    for field, value in typed.items():
        tab.fill(field, value)
    tab.get_by_role("button", name="Save my card").click()
    tab.get_by_role("button", name="Show my card to staff").click()
    card = tab.locator("#card-view")
    assert card.get_by_text("Zebedee Quillfeather").is_visible()
    call = card.get_by_role("link", name="Call Auntie Wilhelmina")
    assert call.get_attribute("href") == "tel:07700900461"
    # Staff holding the phone can still call 999 from the card itself.
    emergency = card.locator("a.call-emergency")
    assert emergency.is_visible() and emergency.get_attribute("href") == "tel:999"
    tab.get_by_role("button", name="Close my card").click()
    tab.reload()
    tab.get_by_role("button", name="Show my card to staff").wait_for()
    saved = json.loads(tab.evaluate("localStorage.getItem('safe-places-help-card')"))
    assert saved["name"] == "Zebedee Quillfeather"
    tab.goto("/whats-wrong#lost")
    assert tab.get_by_role("link", name="Call Auntie Wilhelmina").first.is_visible()
    assert len(sent) > 5
    for value in typed.values():
        for form in {value, quote_plus(value), value.replace(" ", "%20"), value.split()[-1]}:
            assert not any(form in request for request in sent), (form, sent)


def test_offline_the_app_opens_and_finds_places_from_the_saved_list(
    context, web_server: httpx.Client
) -> None:
    tab = context.new_page()
    tab.goto("/")
    tab.evaluate("navigator.serviceWorker.ready.then(() => true)")
    tab.locator("[data-saved-note]:not([hidden])").wait_for()
    listed = web_server.get("/api/venues/offline").json()["venues"]
    visited, never_visited = listed[0], listed[-1]
    tab.goto(f"/venues/{visited['id']}")
    tab.locator("#venue:not([hidden])").wait_for()
    tab.evaluate(f"caches.match('/saved/venue/{visited['id']}').then(Boolean)")

    context.set_offline(True)
    tab.goto("/")
    assert tab.locator("h1").inner_text() == "Find a Safe Place"
    assert tab.locator("[data-saved-note]").inner_text().startswith("Saved on ")
    find_near_me(tab)
    assert tab.get_by_text("You have no signal, or it is weak.").is_visible()
    context.set_offline(False)
    expect_results_for_here(tab, web_server)
    context.set_offline(True)

    tab.get_by_role("textbox", name="Town or postcode").fill("rugby")
    tab.keyboard.press("Enter")
    tab.locator("#results-heading", has_text="Safe Places near Rugby").wait_for()
    assert tab.locator(".place-name").first.inner_text() in {
        v["name"] for v in listed if v["town"] == "Rugby"
    }
    # Spelt nearly right, as the server's search forgives: asked, then found.
    for typed, town in (("Warwik", "Warwick"), ("lemington", "Leamington Spa")):
        tab.get_by_role("textbox", name="Town or postcode").fill(typed)
        tab.keyboard.press("Enter")
        tab.get_by_role("heading", name=f"Did you mean {town}?").wait_for()
        tab.get_by_role("button", name=town, exact=True).click()
        tab.locator("#results-heading", has_text=f"Safe Places near {town}").wait_for()
    tab.get_by_role("textbox", name="Town or postcode").fill("Coventree")  # no Safe Place's
    tab.keyboard.press("Enter")
    tab.get_by_text("We cannot find that place.").wait_for()

    tab.goto(f"/venues/{visited['id']}")
    tab.locator("#venue:not([hidden])").wait_for()
    assert tab.locator("h1").inner_text() == visited["name"]
    assert tab.get_by_text("This page was saved on").is_visible()
    tab.goto(f"/venues/{never_visited['id']}")
    tab.locator("#venue:not([hidden])").wait_for()
    assert tab.locator("h1").inner_text() == never_visited["name"]
    assert tab.get_by_text("Some details need signal.").is_visible()
    assert tab.get_by_text("We used the list saved on").is_visible()  # not "this page was"
    assert tab.get_by_text("Go inside and find a member of staff.").is_visible()
    tab.goto("/whats-wrong#scared")
    assert tab.get_by_role("heading", name="I am scared").is_visible()


def test_offline_a_typed_postcode_district_is_found_from_the_saved_table(context) -> None:
    """CV33 (Whitnash, Harbury) is no Safe Place's district: only the district table,
    saved on the phone after the first view, can place it with no signal. A full
    postcode in it is placed by its district."""
    tab = context.new_page()
    tab.goto("/")
    tab.locator("[data-saved-note]:not([hidden])").wait_for()
    saved = "(await caches.open('safe-places-saved')).match('/saved/districts.json')"
    tab.wait_for_function(f"async () => Boolean(await {saved})")
    context.set_offline(True)
    for typed in ("cv33", "CV33 6XX"):
        tab.goto("/")
        tab.get_by_role("textbox", name="Town or postcode").fill(typed)
        tab.keyboard.press("Enter")
        tab.locator("#results-heading", has_text="Safe Places near CV33").wait_for()
        assert tab.locator(".place-name").count() > 0
        # A whole postcode, placed only by its district's middle: no directions from it.
        rough = tab.get_by_text("With no signal we can find the area CV33, but not CV33 6XX.")
        walks = tab.locator(".place .place-line").all_inner_texts()
        if typed == "cv33":
            assert rough.count() == 0
        else:
            assert rough.is_visible()
            said = " ".join(walks)
            assert "from the middle of the area" in said
            assert not re.search(r"walk, (north|south|east|west)", said), said
    tab.goto("/")
    tab.get_by_role("textbox", name="Town or postcode").fill("ZZ9")  # no such district
    tab.keyboard.press("Enter")
    tab.get_by_text("We cannot find that place.").wait_for()


def test_a_slow_answer_falls_back_to_the_saved_list(context) -> None:
    tab = context.new_page()
    tab.goto("/")
    tab.locator("[data-saved-note]:not([hidden])").wait_for()
    # The signal is there but too weak: the nearest look-up takes longer than 4 seconds.
    tab.route("**/api/venues/nearest*", lambda route: None)  # never answered
    find_near_me(tab)
    assert tab.get_by_text("You have no signal, or it is weak.").is_visible()


def test_the_phone_works_out_open_now_as_the_server_does(page, web_server: httpx.Client) -> None:
    """js/opening.js on the saved spans says what app/hours.py says, through 5 days."""
    page.goto("/about")
    listed = web_server.get("/api/venues/offline").json()
    start = datetime.now(LONDON).replace(second=0, microsecond=0)
    moments = [start + timedelta(hours=7 * step, minutes=13) for step in range(18)]
    worked_out = page.evaluate(
        """async ([list, moments]) => {
            const { openingFromSpans } = await import('/js/opening.js');
            return list.venues.map((v) =>
                moments.map((ms) => {
                    const { opening_status, closes_at } = openingFromSpans(v, ms, list);
                    return [opening_status, closes_at ? Date.parse(closes_at) / 1000 : null];
                }));
        }""",
        [listed, [int(moment.timestamp() * 1000) for moment in moments]],
    )
    for venue, statuses in zip(listed["venues"], worked_out, strict=True):
        text = web_server.get(f"/api/venues/{venue['id']}").json()["opening_hours"]
        hours = parse_hours(text) if text else None
        for moment, (status, closes_at) in zip(moments, statuses, strict=True):
            state = opening_now(hours, moment) if hours else None
            expected = state.status if state else None
            if state and state.closes_at and state.closes_at.timestamp() < listed["valid_until"]:
                assert closes_at == state.closes_at.timestamp(), (venue["name"], moment)
            change = hours.next_change(moment) if hours else None
            if expected and change and change.timestamp() >= listed["valid_until"]:
                # Past the saved times the phone cannot know when it next changes.
                expected = expected.split(".")[0] + "."
            assert status == expected, (venue["name"], text, moment)


def test_the_place_to_go_is_still_open_when_you_get_there(page) -> None:
    """The nearest open place that closes before a walk there (and 10 minutes) is passed over."""
    page.goto("/about")
    now = 1_800_000_000_000  # milliseconds

    def closing_in(minutes: int) -> str:
        return datetime.fromtimestamp((now + minutes * 60_000) / 1000, UTC).isoformat()

    venues = [
        {"id": 1, "open_now": True, "walking_minutes": 8, "closes_at": closing_in(12)},
        {"id": 2, "open_now": False, "walking_minutes": 9, "closes_at": None},
        {"id": 3, "open_now": True, "walking_minutes": 11, "closes_at": closing_in(40)},
        {"id": 4, "open_now": True, "walking_minutes": 12, "closes_at": None},
    ]
    chosen = page.evaluate(
        """async ([venues, now]) => {
            const { bestOpen } = await import('/js/places.js');
            return [bestOpen(venues, now)?.id, bestOpen(venues.slice(0, 2), now)?.id,
                    bestOpen(venues.slice(1, 2), now)];
        }""",
        [venues, now],
    )
    # Venue 1 shuts 4 minutes after you arrive: go to 3. With only 1 open, 1 it is.
    assert chosen == [3, 1, None]


@pytest.mark.parametrize("path", ["/", "/venues/3", "/whats-wrong", "/help-card", "/report"])
def test_999_and_101_are_one_tap_away(page, path: str) -> None:
    page.goto(path)
    bar = page.get_by_role("navigation", name="Call for help")
    assert bar.get_by_role("link", name="Call 999").get_attribute("href") == "tel:999"
    assert bar.get_by_role("link", name="Call 101").get_attribute("href") == "tel:101"


def test_whats_wrong_leads_to_the_next_step(page) -> None:
    page.goto("/whats-wrong")
    page.get_by_role("link", name="Someone is bothering me").click()
    answer = page.locator("#bothered")
    assert answer.is_visible()
    assert page.evaluate("document.activeElement.id") == "bothered"
    assert answer.get_by_role("link", name="Call 999").get_attribute("href") == "tel:999"
    assert answer.get_by_text("Someone is bothering me. Please can you help me?").is_visible()
    # The answer opens at its top: "Are you in danger now?" is on screen, not above it.
    top = answer.bounding_box()
    assert top is not None and 0 <= top["y"] < page.viewport_size["height"] / 2
    answer.get_by_role("link", name="Find a Safe Place near me").click()
    page.locator("#results:not([hidden]) .place").first.wait_for()


def test_report_and_call_bar_use_the_councils_numbers(browser, tmp_path) -> None:
    contacts = [
        {"name": "Police, emergency", "number": "999", "when": "Call 999 if you are in danger."},
        {"name": "Police, not urgent", "number": "101", "when": "Call 101 to tell the police."},
        {"name": "Hate crime line", "number": "01632 960555", "when": "Call us about hate crime."},
    ]
    with running_server(
        f"sqlite:///{tmp_path / 'council.db'}",
        tmp_path / "council.log",
        SAFE_PLACES_DATA_CSV=str(SAMPLE_CSV),
        SAFE_PLACES_HELP_CONTACTS=json.dumps(contacts),
    ) as council:
        tab = browser.new_context(base_url=str(council.base_url)).new_page()
        tab.goto("/report")
        line = tab.get_by_role("link", name="Call 01632 960555")
        assert line.get_attribute("href") == "tel:01632960555"
        assert tab.get_by_text("Call us about hate crime.").is_visible()
        assert tab.get_by_role("link", name="Call 0800 555 111").count() == 0
        bar = tab.get_by_role("navigation", name="Call for help")
        bar.get_by_text("Police, not urgent").wait_for(state="attached")
        tab.context.close()


def test_the_first_view_is_under_50_kb_and_the_bench_sees_all_of_it(
    browser, web_server: httpx.Client
) -> None:
    paths = first_view_paths(web_server)
    total = sum(sum(wire_bytes(web_server, path)) for path in paths)
    assert total < 50 * 1024
    # What Chromium itself loads for the first view is what the bench counts.
    tab = browser.new_page(base_url=str(web_server.base_url), service_workers="block")
    loaded: list[str] = []
    tab.on("request", lambda request: loaded.append(urlsplit(request.url).path))
    tab.goto("/")
    tab.wait_for_load_state("networkidle")
    tab.close()
    # Fetched after the page is usable: the list of places, then the district table and
    # the scheme's area, kept beside it for no signal.
    background = {"/api/venues/offline", "/api/places/districts", "/api/area"}
    assert set(loaded) - background <= set(paths) - {"/sw.js"}


def test_each_day_of_the_week_has_its_date_and_a_bank_holiday_its_name(
    page, web_server: httpx.Client
) -> None:
    """A row that says only "Monday: Closed" in a bank-holiday week reads as a mistake."""
    lat, lon = LEAMINGTON["latitude"], LEAMINGTON["longitude"]
    nearest = web_server.get("/api/venues/nearest", params={"lat": lat, "lon": lon}).json()
    pages = (web_server.get(f"/api/venues/{v['id']}").json() for v in nearest["venues"])
    venue = next(page for page in pages if page["opening_week"])
    venue_id = venue["id"]
    # The server names a holiday only in a week that has one: this one is given one.
    venue["opening_week"][1] |= {"holiday": "Boxing Day", "hours": "Closed"}
    page.route(f"**/api/venues/{venue_id}", lambda route: route.fulfill(json=venue))
    page.goto(f"/venues/{venue_id}")
    rows = page.locator(".week tr")
    expect(rows).to_have_count(7)
    for row, day in zip(rows.all(), venue["opening_week"], strict=True):
        assert [cell.strip() for cell in row.inner_text().split("\t")] == week_row(day)
    assert rows.nth(1).inner_text().endswith("Boxing Day, a bank holiday.\nClosed")
