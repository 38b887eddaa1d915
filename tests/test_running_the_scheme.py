"""Issue 12 end to end, in the browser at 320 px, as the people who run a scheme meet it:
a place applies to join, an officer approves it, its staff sign in with the one-time
password, record a visit and say their listing is still right; a member of the public
reports a problem from its page; and the officer sees all of it: the visit in the usage
report, the new cover in the gap report (exactly as "what if" foretold), the problem in
the queue. Each screen's own details and standards are tested beside it
(tests/test_join_screens.py, test_visit_screens.py, test_problem_screens.py,
test_coverage_screen.py); this is the path through them all."""

import re
import uuid

from playwright.sync_api import expect

from app.models.scheme import (
    PROBLEM_KIND_WORDS,
    VISIT_OUTCOME_WORDS,
    VISIT_REASON_WORDS,
    ProblemKind,
    VisitOutcome,
    VisitReason,
)
from tests.browser import NARROW, OFFICER, StaffSite, sign_in, signed_in_already
from tests.test_join_screens import fill_the_form

# Towns away from the sample venues' night cover, with a real Code-Point Open postcode:
# the first where a place open day and night would add cover at 3am on Sunday is used.
CANDIDATES = (
    ("Kenilworth", "CV8 1BP"),
    ("Shipston-on-Stour", "CV36 4AA"),
    ("Atherstone", "CV9 1AA"),
    ("Bedworth", "CV12 8AA"),
    ("Rugby", "CV21 2JT"),
)
SUNDAY_3AM = 6 * 24 + 3
DAY_AND_NIGHT = "24/7"


def a_place_that_adds_night_cover(site: StaffSite) -> tuple[str, str, list[int]]:
    """(town, postcode, the cover 'what if' foretells for each of the week's 168 hours)."""
    for town, postcode in CANDIDATES:
        answer = site.api.post(
            "/api/reports/coverage/what-if",
            json={"postcode": postcode, "opening_hours": DAY_AND_NIGHT},
            headers=site.headers(),
        )
        assert answer.status_code == 200, answer.text
        change = answer.json()["change"]
        if change[SUNDAY_3AM]["more_postcodes"] > 0:
            return town, postcode, [hour["percent_after"] for hour in change]
    raise AssertionError("every candidate already has night cover: choose others")


def visits_by(site: StaffSite, group: str) -> dict[str, int]:
    answer = site.api.get("/api/reports/visits", params={"group": group}, headers=site.headers())
    assert answer.status_code == 200, answer.text
    return {row["key"]: row["count"] for row in answer.json()["rows"]}


def phone(browser, site: StaffSite, email: str | None = None):
    context = browser.new_context(
        base_url=str(site.api.base_url), viewport=NARROW, service_workers="block"
    )
    context.set_default_timeout(30000)
    if email:
        signed_in_already(context, site, email)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())
    return context, tab


def test_a_place_joins_is_used_and_the_council_sees_it(browser, staff_site: StaffSite) -> None:
    site = staff_site
    town, postcode, foretold = a_place_that_adds_night_cover(site)
    name = f"Night Owl Café {uuid.uuid4().hex[:6]}"
    email = f"owl-{uuid.uuid4().hex[:8]}@cafe.example"
    visits_in_town = visits_by(site, "town").get(town, 0)

    # --- the place applies -----------------------------------------------------------
    public, tab = phone(browser, site)
    tab.goto("/join")
    fill_the_form(tab, name, email, postcode=postcode)
    tab.get_by_label("Town").fill(town)
    tab.get_by_label("Opening hours").fill(DAY_AND_NIGHT)
    tab.get_by_role("button", name="Send my form").click()
    tab.get_by_role("heading", name="Your form is sent").wait_for()

    # --- an officer approves it --------------------------------------------------------
    office, desk = phone(browser, site, OFFICER)
    desk.goto("/staff/applications")
    desk.locator(".card").filter(has_text=name).get_by_role(
        "button", name=f"Approve {name}"
    ).click()
    password = desk.locator("#one-time-password").inner_text()
    link = desk.get_by_role("link", name="See the new Safe Place").get_attribute("href")
    venue_id = int(link.removeprefix("/venues/"))

    # --- its staff sign in with the one-time password, record a visit, confirm ----------
    shop, counter = phone(browser, site)
    sign_in(counter, email, password)
    counter.get_by_label("Your new password", exact=True).fill("our own long password")
    counter.get_by_label("Type your new password again").fill("our own long password")
    counter.get_by_role("button", name="Save my password").click()
    counter.wait_for_url("**/staff/venues")
    card = counter.locator(".card").filter(has_text=name)
    card.get_by_role("link", name=re.compile("Someone came to us")).click()
    counter.get_by_role("button", name=VISIT_REASON_WORDS[VisitReason.lost]).click()
    counter.get_by_role("button", name=VISIT_OUTCOME_WORDS[VisitOutcome.helped_find_way]).click()
    counter.get_by_role("heading", name="Thank you. It is saved.").wait_for()
    counter.goto(f"/staff/edit?id={venue_id}")
    counter.get_by_role("button", name="Everything is still right").click()
    expect(counter.locator("#status")).to_have_text(
        "Thank you. You said everything is still right today."
    )

    # --- a member of the public says something is wrong --------------------------------
    tab.goto(f"/venues/{venue_id}")
    tab.locator("#venue:not([hidden])").wait_for()
    tab.get_by_text("Something is wrong with this place").click()
    tab.get_by_role("radio", name=PROBLEM_KIND_WORDS[ProblemKind.closed_when_open]).check()
    tab.get_by_role("button", name="Send to the council").click()
    tab.get_by_role("heading", name="Thank you").wait_for()

    # --- the officer sees the visit, the new cover and the problem ----------------------
    listing = site.api.get(f"/api/venues/{venue_id}/listing", headers=site.headers())
    assert visits_by(site, "venue").get(listing.json()["ref"]) == 1
    assert visits_by(site, "town").get(town) == visits_in_town + 1
    desk.goto("/staff/usage")
    towns = desk.get_by_role("table", name="Visits by town")
    row = towns.get_by_role("row", name=re.compile(re.escape(town)))
    expect(row.locator(".bar-count")).to_have_text(str(visits_in_town + 1))

    report = site.api.get("/api/reports/coverage", headers=site.headers()).json()
    assert [hour["percent"] for hour in report["hours"]] == foretold
    desk.goto("/staff/coverage")
    sunday = desk.locator("#heat tbody tr").nth(6)
    expect(sunday.locator("td").nth(3)).to_have_text(f"{foretold[SUNDAY_3AM]}%")

    desk.goto("/staff/problems")
    problem = desk.locator(".card").filter(has_text=name)
    expect(problem).to_contain_text(PROBLEM_KIND_WORDS[ProblemKind.closed_when_open])
    for context in (public, office, shop):
        context.close()
