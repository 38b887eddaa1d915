"""Screenshots of the web app's main screens at 320 px wide, into docs/screenshots/.

    python scripts/take_screenshots.py            # starts its own server on the sample data
    python scripts/take_screenshots.py --url http://127.0.0.1:8000   # public screens only

Uses Debian's Chromium (/usr/bin/chromium) through Playwright, with a made-up
position in Leamington Spa for "near me". Its own server also gets a council officer
and a member of staff (made with `safe-places users add`), for the staff screens.
Look at every picture after a change.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
LEAMINGTON = {"latitude": 52.2886, "longitude": -1.5353}
WIDTH, HEIGHT = 320, 640
# Accounts the script's own server gets, for the staff and officer screens.
STAFF_PASSWORD = "screenshots only password"
OFFICER = "officer@council.example"
STAFF = ("sam@nuneaton-library.example", "SAMPLE-0001")


@contextmanager
def own_server() -> Iterator[str]:
    """`safe-places serve` on a free port, over a new SQLite database of the sample venues."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "SAFE_PLACES_DATABASE_URL": f"sqlite:///{folder}/screens.db",
            "SAFE_PLACES_DATA_CSV": str(ROOT / "data" / "safe_places.csv"),
            "PORT": str(port),
        }
        command = [str(Path(sys.executable).parent / "safe-places"), "serve"]
        server = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            for email, role, *venues in ((OFFICER, "officer"), (*STAFF[:1], "staff", STAFF[1])):
                venue_options = [option for ref in venues for option in ("--venue", ref)]
                subprocess.run(
                    [*command[:1], "users", "add", email, "--role", role, *venue_options],
                    env=env, cwd=ROOT, input=STAFF_PASSWORD + "\n", text=True, check=True,
                    capture_output=True,
                )  # fmt: skip
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


def shoot(page: Page, name: str, scroll_to: str | None = None) -> None:
    """One phone screen (320 x 640), from the top or scrolled to an element."""
    if scroll_to:
        page.locator(scroll_to).first.evaluate("(e) => e.scrollIntoView({block: 'start'})")
    else:
        page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    page.screenshot(path=OUT / f"{name}.png")
    print(f"docs/screenshots/{name}.png")


def sign_in(page: Page, email: str) -> None:
    page.goto("/staff")
    page.fill("#email", email)
    page.fill("#password", STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/venues")
    page.locator(".card").first.wait_for()


def take_staff(context) -> None:
    """The staff and officer screens: sign in, changing a venue, the officers' list."""
    page = context.new_page()
    page.goto("/staff")
    shoot(page, "8-staff-sign-in")
    sign_in(page, STAFF[0])
    page.get_by_role("link", name="Change Nuneaton Library").click()
    page.locator("#venue-form:not([hidden])").wait_for()
    shoot(page, "9-staff-edit-venue")
    page.get_by_label("Easy-read text").fill(
        "This is Nuneaton Library. You can come in through the big front door "
        "and ask any of the friendly staff at the desk for help."
    )
    page.get_by_text("The easy-read checker says:").wait_for()
    # Below the sticky 999/101 bar, not under it.
    page.locator("#field-easy_read").evaluate(
        "(e) => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -100); }"
    )
    page.wait_for_timeout(300)
    page.screenshot(path=OUT / "9b-staff-easy-read-advice.png")
    print("docs/screenshots/9b-staff-easy-read-advice.png")
    # Opening hours, chosen day by day; the check's words come after a pause.
    page.locator("#hours-words li").first.wait_for()
    shoot(page, "9c-staff-opening-hours", scroll_to="#hours-mo")
    page.evaluate("sessionStorage.clear()")
    sign_in(page, OFFICER)
    page.get_by_label("Search by name, ref or town").fill("leamington")
    page.get_by_text("Showing").wait_for()
    shoot(page, "10-officer-venues", scroll_to="h1")


def take_scheme(context) -> None:
    """Running the scheme: a place applies, staff log a visit, a member of the public
    reports a problem, and the officers' screens that show it all."""
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/join")
    shoot(page, "11-join")
    page.get_by_label("Name of your place").fill("The Night Owl Café")
    page.get_by_label("What kind of place is it?").select_option(label="Café")
    page.get_by_label("Street address").fill("3 Castle Street")
    page.get_by_label("Town").fill("Rugby")
    page.get_by_label("Postcode").fill("CV21 2JT")
    page.get_by_label("Opening hours").fill("Mo-Su 07:00-23:00")
    page.get_by_label("Your name").fill("Sam Patel")
    page.get_by_label("Your email").fill("sam@nightowl.example")
    page.get_by_label("Your phone number").fill("01632 960124")
    page.get_by_label("Number of staff who had the training").fill("3")
    page.get_by_label("When did they have it?").fill("2026-11-02")
    page.get_by_role("button", name="Send my form").click()
    page.get_by_role("heading", name="Your form is sent").wait_for()

    sign_in(page, STAFF[0])
    page.locator(".card").first.get_by_role("link", name="Someone came to us").click()
    page.get_by_role("heading", name="Why did they come?").wait_for()
    shoot(page, "12-staff-visit-why", scroll_to="h1")
    page.get_by_role("button", name="They were lost").click()
    page.get_by_role("heading", name="What did you do?").wait_for()
    shoot(page, "12b-staff-visit-what", scroll_to="h1")
    page.get_by_role("button", name="We helped them find their way").click()
    page.get_by_role("heading", name="Thank you. It is saved.").wait_for()
    page.evaluate("sessionStorage.clear()")

    page.goto("/venues/1")
    page.locator("#venue:not([hidden])").wait_for()
    page.get_by_text("Something is wrong with this place").click()
    page.get_by_role("button", name="Send to the council").wait_for()
    shoot(page, "13-venue-something-wrong", scroll_to="#report-problem")
    page.get_by_role("radio", name="I could not get in").check()
    page.get_by_role("button", name="Send to the council").click()
    page.get_by_role("heading", name="Thank you").wait_for()

    sign_in(page, OFFICER)
    page.goto("/staff/applications")
    page.locator(".card").first.wait_for()
    shoot(page, "14-officer-applications", scroll_to="h1")
    page.goto("/staff/usage")
    page.get_by_role("table", name="Why people came").wait_for()
    shoot(page, "15-officer-usage", scroll_to="h1")
    shoot(page, "15b-officer-usage-bars", scroll_to="table >> nth=1")
    page.goto("/staff/coverage")
    page.locator("#heat tbody tr").first.wait_for()
    shoot(page, "16-officer-coverage", scroll_to="#heat-heading")
    shoot(page, "16b-officer-coverage-map", scroll_to="#map")
    page.goto("/staff/problems")
    page.locator(".card").first.wait_for()
    shoot(page, "17-officer-problems", scroll_to="h1")
    page.goto("/staff/poster?venue=1")
    page.locator("#poster:not([hidden])").wait_for()
    page.wait_for_load_state("networkidle")
    shoot(page, "18-window-poster", scroll_to="#poster")


def take(url: str, staff: bool = False) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        context = browser.new_context(
            viewport={"width": WIDTH, "height": HEIGHT},
            device_scale_factor=2,
            geolocation=LEAMINGTON,
            permissions=["geolocation"],
            base_url=url,
            reduced_motion="reduce",
        )
        page = context.new_page()
        page.goto("/")
        shoot(page, "1-home")
        page.get_by_role("button", name="Find a Safe Place near me").click()
        page.locator(".place").first.wait_for()
        shoot(page, "2-results", scroll_to="#results")
        shoot(page, "2b-results-more", scroll_to=".place >> nth=2")
        page.locator(".place-link").first.click()
        page.locator("#venue:not([hidden])").wait_for()
        shoot(page, "3-venue")
        shoot(page, "3b-venue-arrive", scroll_to="#venue .idea >> nth=3")
        page.goto("/whats-wrong")
        shoot(page, "4-whats-wrong")
        page.goto("/whats-wrong#scared")
        shoot(page, "4b-whats-wrong-scared", scroll_to="#scared")
        page.goto("/help-card")
        page.fill("#card-name", "Sam Jones")
        page.fill("#card-talk", "I do not speak much. Please write things down.")
        page.fill("#card-contact", "Mum")
        page.fill("#card-number", "01632 960111")
        page.fill("#card-notes", "I have epilepsy.")
        shoot(page, "5-help-card-form", scroll_to="#card-form")
        page.get_by_role("button", name="Save my card").click()
        page.get_by_role("button", name="Show my card to staff").click()
        shoot(page, "6-help-card-shown")
        page.goto("/report")
        shoot(page, "7-report")
        if staff:
            take_staff(context)
            take_scheme(context)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an app already running; default: start one")
    args = parser.parse_args()
    if args.url:
        take(args.url)
    else:
        with own_server() as url:
            take(url, staff=True)


if __name__ == "__main__":
    main()
