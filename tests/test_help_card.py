"""What the help card does besides showing itself to staff, and help without a voice call
(issue 11, items 5-8): a text to my person, the printed wallet card, "Leave this page",
and 999 BSL and Relay UK from /api/help. The privacy of each is tested the way a person
would doubt it: every request the page makes is recorded, and none may carry the card,
the contact or the position."""

import json
import re
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest
from pydantic import ValidationError

from app.config import DEFAULT_NO_VOICE_CONTACTS, Settings
from tests.browser import LEAMINGTON, NARROW
from tests.conftest import SAMPLE_CSV
from tests.servers import running_server
from tests.test_web_standards import (
    meets_the_standards,
)

CARD = {
    "#card-name": "Zebedee Quillfeather",
    "#card-talk": "I lip-read. Please face me.",
    "#card-contact": "Auntie Wilhelmina",
    "#card-number": "07700 900461",
    "#card-notes": "Allergic to kumquats",
}
NEUTRAL = "https://www.bbc.co.uk/weather"
HERE = {"lat": LEAMINGTON["latitude"], "lon": LEAMINGTON["longitude"]}
# A council's own list: the UK-wide services, and its force's 101 by BSL video and by text.
COUNCIL_NO_VOICE = [
    *(contact.model_dump() for contact in DEFAULT_NO_VOICE_CONTACTS),
    {
        "name": "101 in sign language (BSL)",
        "when": "Not an emergency? Call 101 in BSL with a video call.",
        "link": "https://signvideo.example/warwickshire-police",
        "link_words": "Open 101 BSL",
    },
    {
        "name": "101 by text message",
        "when": "Text the police. Say who you are and where you are.",
        "link": "sms:07700900999",
        "link_words": "Text 07700 900999",
    },
]


def save_card(tab) -> None:
    tab.goto("/help-card")
    for field, value in CARD.items():
        tab.fill(field, value)
    tab.get_by_role("button", name="Save my card").click()
    tab.get_by_role("button", name="Show my card to staff").wait_for()


def record_requests(context) -> list[str]:
    """Every request the browser sends, with its body and headers, as one text each."""
    sent: list[str] = []
    context.on(
        "request",
        lambda request: sent.append(
            f"{request.url} {request.post_data or ''} {json.dumps(request.headers)}"
        ),
    )
    return sent


def assert_nothing_private_was_sent(sent: list[str]) -> None:
    """Not the card, not the contact, not the position, in any form a request could hold."""
    private = [*CARD.values(), "07700900461", "Wilhelmina", "Quillfeather", "kumquats"]
    position = [f"{LEAMINGTON['latitude']:.3f}", f"{abs(LEAMINGTON['longitude']):.3f}"]
    assert len(sent) > 5
    for request in sent:
        text = unquote(request)
        for value in private + position:
            assert value not in text and value.replace(" ", "+") not in text, (value, request)


# --- help without a voice call: the API -------------------------------------------------


def test_the_api_lists_help_for_people_who_cannot_hear_or_speak(client) -> None:
    listed = client.get("/api/help").json()["no_voice_contacts"]
    assert listed == [contact.model_dump() for contact in DEFAULT_NO_VOICE_CONTACTS]
    words = " ".join(contact["when"] for contact in listed)
    # The real services (FIELD_NOTES.md section 4): 999 BSL, Relay UK's 18000 and 18001.
    assert "Type 18000." in words and "Type 18001 101." in words
    assert {contact["link"] for contact in listed} == {
        "https://www.999bsl.co.uk/",
        "https://www.relayuk.bt.com/",
    }
    for contact in listed:
        for sentence in re.split(r"(?<=[.?])\s+", contact["when"]):
            assert len(sentence.split()) <= 15, sentence


def test_each_council_sets_its_own(make_client, monkeypatch) -> None:
    monkeypatch.setenv("SAFE_PLACES_NO_VOICE_CONTACTS", json.dumps(COUNCIL_NO_VOICE))
    settings = Settings()
    assert [contact.model_dump() for contact in settings.no_voice_contacts] == COUNCIL_NO_VOICE
    client = make_client(no_voice_contacts=settings.no_voice_contacts)
    assert client.get("/api/help").json()["no_voice_contacts"] == COUNCIL_NO_VOICE


@pytest.mark.parametrize("link", ["javascript:alert(1)", "http://plain.example", "data:,hi", ""])
def test_a_link_that_could_run_a_script_is_refused(link: str) -> None:
    """The pages make each link a button: only an app or website, a text or a call."""
    wrong = {**COUNCIL_NO_VOICE[-1], "link": link}
    with pytest.raises(ValidationError, match="link"):
        Settings.model_validate({"no_voice_contacts": [wrong]})


# --- help without a voice call: the pages -----------------------------------------------


def test_the_report_and_help_pages_show_999_bsl_and_relay_uk(page) -> None:
    page.goto("/report")
    page.get_by_role("heading", name="If you cannot hear or speak on the phone").wait_for()
    bsl = page.get_by_role("link", name="Open 999 BSL")
    assert bsl.get_attribute("href") == "https://www.999bsl.co.uk/"
    assert page.get_by_text("In danger now? Open the Relay UK app. Type 18000.").is_visible()
    assert page.get_by_text("Not an emergency? Open the Relay UK app. Type 18001 101.").is_visible()

    page.goto("/whats-wrong")
    page.get_by_role("link", name="I am scared").click()
    page.locator("#scared").get_by_role("link", name="I cannot hear or speak on the phone").click()
    answer = page.locator("#no-voice")
    answer.get_by_role("link", name="Open 999 BSL").wait_for()
    assert page.evaluate("document.activeElement.id") == "no-voice"
    assert page.locator("#choices").is_hidden()
    assert answer.get_by_role("link", name="Find a Safe Place near me").is_visible()


def test_a_councils_own_services_reach_every_place_that_shows_them(browser, tmp_path) -> None:
    with running_server(
        f"sqlite:///{tmp_path / 'council.db'}",
        tmp_path / "council.log",
        SAFE_PLACES_DATA_CSV=str(SAMPLE_CSV),
        SAFE_PLACES_NO_VOICE_CONTACTS=json.dumps(COUNCIL_NO_VOICE),
    ) as council:
        context = browser.new_context(base_url=str(council.base_url), viewport=NARROW)
        tab = context.new_page()
        for path in ("/report", "/whats-wrong#no-voice"):
            tab.goto(path)
            video = tab.get_by_role("link", name="Open 101 BSL")
            assert video.get_attribute("href") == "https://signvideo.example/warwickshire-police"
            assert video.is_visible()
            text = tab.get_by_role("link", name="Text 07700 900999")
            assert text.get_attribute("href") == "sms:07700900999"
            # Each block reads aloud, like the page's own.
            block = tab.locator(".idea", has=video)
            assert block.get_by_role("button", name="Read this to me").count() == 1
        # What the results' "nothing open" box uses: the list the phone kept.
        shown = tab.evaluate(
            """async () => {
                const { noVoiceHelp } = await import('/js/no-voice.js');
                const { savedNoVoiceContacts } = await import('/js/help-numbers.js');
                const box = noVoiceHelp(savedNoVoiceContacts(), 3);
                return [box.querySelector('h3').textContent,
                        [...box.querySelectorAll('h4')].map((h) => h.textContent),
                        [...box.querySelectorAll('a')].map((a) => a.getAttribute('href'))];
            }"""
        )
        assert shown[0] == "If you cannot hear or speak on the phone"
        assert shown[1] == [contact["name"] for contact in COUNCIL_NO_VOICE]
        assert shown[2] == [contact["link"] for contact in COUNCIL_NO_VOICE]
        context.close()


# --- tell my person where I am ----------------------------------------------------------


def sms_bodies(href: str) -> tuple[str, str]:
    """The message as Android reads the link (the query's `body`) and as an iPhone does
    (everything after `&body=`)."""
    android = parse_qs(urlsplit(href).query)["body"][0]
    iphone = unquote(href.split("&body=", 1)[1])
    return android, iphone


def expected_places(tab, api: httpx.Client) -> tuple[dict, dict | None]:
    """The nearest Safe Place, and the place to go as "near me" chooses it (js/places.js)."""
    nearest = api.get("/api/venues/nearest", params={**HERE, "limit": 1}).json()["venues"][0]
    open_now = api.get(
        "/api/venues/nearest", params={**HERE, "limit": 5, "open_now": "true"}
    ).json()["venues"]
    going = tab.evaluate("async (open) => (await import('/js/places.js')).bestOpen(open)", open_now)
    return nearest, going


def test_a_text_to_my_person_is_made_on_the_phone(context, web_server: httpx.Client) -> None:
    sent = record_requests(context)
    context.add_init_script("navigator.share = async (data) => { window.shared = data; };")
    tab = context.new_page()
    save_card(tab)
    tab.get_by_role("button", name="Text Auntie Wilhelmina where I am").click()
    words = tab.locator(".say")
    words.wait_for()
    message = words.inner_text()
    # Focus moves to the text, so a screen reader reads it next.
    assert tab.evaluate("document.activeElement.textContent").startswith("Send the text to")

    nearest, going = expected_places(tab, web_server)
    assert message.startswith("I need help. I am near ")
    assert nearest["distance_m"] <= 1000  # the sample venues: a street to name
    assert f"I am near {nearest['name']}, {nearest['address']}, {nearest['town']}." in message
    if going and going["walking_minutes"] is not None:
        assert f"I am going to {going['name']}, {going['address']}, {going['town']}." in message
    else:  # at night, nothing open within a walk: no place to promise
        assert "I am going to" not in message
    assert message.endswith(
        "This map shows where I am: https://www.google.com/maps/search/?api=1&query=52.28860,-1.53530"
    )
    for sentence in re.split(r"(?<=[.?])\s+", message):
        assert len(sentence.split()) <= 15, sentence

    send = tab.get_by_role("link", name="Send the text to Auntie Wilhelmina")
    href = send.get_attribute("href")
    assert href.startswith("sms:07700900461?&body=")
    assert sms_bodies(href) == (message, message)
    # Where the phone has no messages app: any app the person picks.
    tab.get_by_role("button", name="Send it another way").click()
    assert tab.evaluate("window.shared") == {"text": message}

    # "What is wrong?" offers the same text beside the card.
    tab.goto("/whats-wrong#lost")
    tab.locator("#lost").get_by_role("button", name="Text Auntie Wilhelmina where I am").click()
    assert tab.locator("#lost .say", has_text="I need help.").inner_text() == message

    # Nothing reached the server: not even the position, since the places came from the
    # list kept on the phone.
    assert not any("/api/venues/nearest" in request for request in sent)
    assert_nothing_private_was_sent(sent)
    assert tab.evaluate("JSON.stringify(localStorage).includes('I need help')") is False


def test_without_the_position_the_text_says_so(browser, web_server: httpx.Client) -> None:
    context = browser.new_context(base_url=str(web_server.base_url), viewport=NARROW)
    tab = context.new_page()
    save_card(tab)
    tab.get_by_role("button", name="Text Auntie Wilhelmina where I am").click()
    tab.get_by_text("We could not find where you are.").wait_for()
    assert tab.get_by_text("The text does not say where you are.").is_visible()
    assert tab.locator(".say").inner_text() == "I need help. Please call or text me."
    href = tab.get_by_role("link", name="Send the text to Auntie Wilhelmina").get_attribute("href")
    assert sms_bodies(href) == ("I need help. Please call or text me.",) * 2
    context.close()


def test_with_no_signal_the_card_texts_and_prints(context) -> None:
    tab = context.new_page()
    save_card(tab)  # online: the page, its worker and the saved list of places arrive
    tab.evaluate("navigator.serviceWorker.ready.then(() => true)")
    saved = "(await caches.open('safe-places-saved')).match('/saved/venues.json')"
    tab.wait_for_function(f"async () => Boolean(await {saved})")
    context.set_offline(True)
    assert tab.get_by_role("link", name="Leave this page").is_visible()
    tab.get_by_role("button", name="Text Auntie Wilhelmina where I am").click()
    message = tab.locator(".say")
    message.wait_for()
    assert message.inner_text().startswith("I need help. I am near ")
    tab.evaluate("window.print = () => { window.printed = true; }")
    tab.get_by_role("button", name="Print my card").click()
    assert tab.evaluate("window.printed") is True
    tab.emulate_media(media="print")
    assert tab.locator(".wallet-card").get_by_text("Zebedee Quillfeather").is_visible()
    context.set_offline(False)


# --- the printed wallet card -------------------------------------------------------------


def lines(side) -> list[str]:
    return [line for line in side.inner_text().split("\n") if line]


def test_the_wallet_card_has_2_sides_the_size_of_a_bank_card(context) -> None:
    sent = record_requests(context)
    context.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    tab = context.new_page()
    save_card(tab)
    wallet = tab.locator(".wallet-card")
    tab.get_by_role("button", name="Print my card").click()
    assert tab.evaluate("window.printed") == 1
    assert wallet.is_hidden()  # on the screen, never

    tab.emulate_media(media="print")
    front, back = wallet.locator(".wallet-side").all()
    assert lines(front) == [
        "Please help me. This is my help card.",
        "My name is",
        "Zebedee Quillfeather",
        "How I talk to people",
        "I lip-read. Please face me.",
    ]
    assert lines(back) == [
        "Please call",
        "Auntie Wilhelmina: 07700 900461",
        "Please know this about me",
        "Allergic to kumquats",
        "If I am in danger, call 999.",
    ]
    # 85.6 by 54 mm at 96 px an inch: a bank card, side by side to fold.
    for side in (front, back):
        box = side.bounding_box()
        assert box is not None
        assert abs(box["width"] - 85.6 / 25.4 * 96) < 1 and box["height"] >= 54 / 25.4 * 96 - 1
    assert front.bounding_box()["y"] == back.bounding_box()["y"]
    # Nothing else prints: not the form, the call bar or "Leave this page".
    for other in ("h1", ".call-bar", ".quick-exit", "#card-summary", ".site-footer"):
        assert tab.locator(other).first.is_hidden(), other

    # After printing the card is gone from the page; printing the page itself (the
    # browser's menu, with no card) prints the page as it is.
    tab.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert wallet.inner_text() == ""
    assert tab.locator("h1").is_visible()
    assert_nothing_private_was_sent(sent)


# --- leave this page ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/report", "/help-card"])
def test_leave_this_page_replaces_it_and_its_history(context, path: str) -> None:
    context.route(
        f"{NEUTRAL}**",
        lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"),
    )
    tab = context.new_page()
    tab.goto("/about")
    tab.goto(path)
    tab.evaluate("sessionStorage.setItem('something', 'private')")
    before = tab.evaluate("history.length")
    # Early in the keyboard's order, and in view wherever the person has scrolled.
    leave = tab.get_by_role("link", name="Leave this page")
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert leave.is_visible() and leave.bounding_box()["y"] < NARROW["height"]
    tabs = 0
    while tab.evaluate("document.activeElement.textContent") != "Leave this page":
        tab.keyboard.press("Tab")
        tabs += 1
        assert tabs <= 8
    tab.keyboard.press("Enter")
    tab.wait_for_url(NEUTRAL)
    assert tab.evaluate("history.length") == before
    tab.go_back()
    assert urlsplit(tab.url).path == "/about"
    assert tab.evaluate("sessionStorage.length") == 0


def test_leave_this_page_works_without_a_script(browser, web_server: httpx.Client) -> None:
    context = browser.new_context(base_url=str(web_server.base_url), java_script_enabled=False)
    context.route(
        f"{NEUTRAL}**", lambda route: route.fulfill(body="Weather", content_type="text/html")
    )
    tab = context.new_page()
    tab.goto("/report")
    tab.get_by_role("link", name="Leave this page").click()
    tab.wait_for_url(NEUTRAL)
    context.close()


# --- the standards, on each new screen ---------------------------------------------------


def open_state(tab, state: str) -> None:
    if state == "text-ready":
        save_card(tab)
        tab.get_by_role("button", name="Text Auntie Wilhelmina where I am").click()
        tab.locator(".say").wait_for()
    elif state == "no-voice":
        tab.goto("/whats-wrong#no-voice")
    tab.wait_for_load_state("networkidle")


@pytest.mark.parametrize("state", ["text-ready", "no-voice"])
def test_every_new_screen_meets_the_standards(browser, web_server, state: str) -> None:
    """As tests/test_web_standards.py checks every page: axe 0, 19 px text, 48 px
    targets, short sentences with digits, 320 px wide and 200 % zoom."""
    context = browser.new_context(
        base_url=str(web_server.base_url),
        viewport=NARROW,
        geolocation=LEAMINGTON,
        permissions=["geolocation"],
        service_workers="block",
        reduced_motion="reduce",
    )
    tab = context.new_page()
    open_state(tab, state)
    # From the top of the page, where the sticky bar covers nothing (meets_the_standards).
    meets_the_standards(tab, state)
    # Browser zoom at 200 % in a 640 x 800 window leaves 320 x 400 px to lay out (CSS
    # zoom does not change media queries), like a landscape phone: "Leave this page"
    # then scrolls with the page, not over what the person is reading; on the landscape
    # phone 999 and 101 stay.
    if state == "text-ready":
        for short in ({"width": 320, "height": 400}, {"width": 640, "height": 320}):
            tab.set_viewport_size(short)
            tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            leave = tab.locator(".quick-exit").bounding_box()
            assert leave["y"] + leave["height"] <= 0, short
            calls = tab.locator(".call-bar").bounding_box()
            assert (calls["y"] == 0) == (short["width"] > short["height"]), short
    context.close()
