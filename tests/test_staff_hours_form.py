"""Opening hours chosen day by day (js/hours-grid.js, js/staff-hours-form.js): staff
never type the OpenStreetMap code. The grid's reading and writing of values, checked in
the browser against the opening-hours library the server uses, and the form end to end.
The screen's standards (axe, 48 px, 320 px) are in tests/test_staff_standards.py."""

import json
import random
import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from app.hours import State, parse_hours
from tests.browser import NARROW, StaffSite, signed_in_already, week_row

LONDON = ZoneInfo("Europe/London")
# Three weeks over Christmas 2026: bank holidays on Friday 25 and Monday 28 December
# (Boxing Day falls on a Saturday) and Friday 1 January.
CHRISTMAS = (datetime(2026, 12, 14, tzinfo=LONDON), datetime(2027, 1, 11, tzinfo=LONDON))
DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]

# Values the grid writes exactly as it reads them.
ROUND_TRIP = [
    "",
    "Mo-Fr 09:00-17:00",
    "Mo-Fr 09:00-17:00; Sa 10:00-16:00",
    "Mo,We,Fr 09:00-17:00",
    "Mo,We,Fr 10:00-17:00; Tu,Th 10:00-19:00; Sa 10:00-13:00",
    "Mo-We,Sa 09:00-17:00",
    "Mo-Fr 09:00-12:30,13:30-17:00; Sa 10:00-13:00",
    "Fr 17:00-01:00",
    "Fr,Sa 21:00-03:00",
    "Mo-Th 17:00-23:00; Fr,Sa 17:00-02:00",
    "Fr 17:00-01:00, Sa 10:00-16:00",
    "Mo 09:00-17:00, Su 20:00-02:00",
    "Mo-Th,Su 17:00-23:30, Fr,Sa 17:00-01:00",
    "Mo-Th 12:00-23:00; Fr,Sa 12:00-01:00, Su 12:00-22:00",
    "Tu 10:00-12:00,18:00-01:00, We 10:00-16:00",
    "Mo-Fr 09:00-17:00; Sa 10:00-16:00; PH off",
    "Mo-Fr 09:00-17:00; PH 10:00-16:00",
    "Mo-Fr 09:00-17:00; PH 10:00-12:00,13:00-16:00",
    "Mo-Fr 09:00-17:00; 2026 Dec 24 off",
    "Mo-Fr 09:00-17:00; PH off; 2026 Dec 24-2026 Dec 26 off; 2027 Jan 04 off",
    "Mo-Fr 00:00-24:00; Sa 10:00-16:00",
    "24/7",
    "24/7; PH off",
    "24/7; 2026 Dec 25 off",
]

# Values written by hand, and what the grid writes for them: the same hours.
SAME_HOURS = [
    ("Mo-Sa 09:00-16:30; Su off", "Mo-Sa 09:00-16:30"),
    ("Tu-Sa 10:00-16:30; Su,Mo off", "Tu-Sa 10:00-16:30"),
    ("Mo-Fr 9:00-17:00", "Mo-Fr 09:00-17:00"),
    ("Mo,Tu,We 09:00-17:00", "Mo-We 09:00-17:00"),
    ("Sa,Su 10:00-16:00; Mo-Fr 09:00-17:00", "Mo-Fr 09:00-17:00; Sa,Su 10:00-16:00"),
    ("Fr 17:00-25:00", "Fr 17:00-01:00"),
    ("Fr 17:00-00:00", "Fr 17:00-24:00"),
    ("Mo-Su 00:00-24:00", "24/7"),
    ("Mo-Fr 09:00-17:00; PH closed", "Mo-Fr 09:00-17:00; PH off"),
    (
        "Mo-Fr 09:00-17:00; 2026 Dec 26 off; 2026 Dec 24-25 off",
        "Mo-Fr 09:00-17:00; 2026 Dec 24-2026 Dec 26 off",
    ),
    ("Mo-Fr 09:00-17:00;  Sa 10:00-16:00", "Mo-Fr 09:00-17:00; Sa 10:00-16:00"),
    # Sunday's rule comes first, so Saturday's hours after midnight stand; the grid writes
    # ", " so that evaluators that read it otherwise (the opening-hours library) agree.
    ("Mo-Th,Su 17:00-23:30; Fr,Sa 17:00-01:00", "Mo-Th,Su 17:00-23:30, Fr,Sa 17:00-01:00"),
    ("Sa 10:00-16:00; Fr 17:00-01:00", "Fr 17:00-01:00, Sa 10:00-16:00"),
    ("Sa off; Fr 17:00-01:00", "Fr 17:00-01:00"),
]

# Values the grid cannot show: they open as text, under "These hours are complex."
COMPLEX = [
    'Mo-Fr 09:00-17:00 "by appointment"',
    "Mo-Fr 09:00-17:00; Dec 25 off",
    "Jan-Mar Mo-Fr 09:00-16:00; Apr-Dec Mo-Fr 09:00-18:00",
    "week 01-26 Mo 10:00-12:00",
    "Mo-Fr sunrise-sunset",
    "Mo-Fr 09:00+",
    'Mo-Fr 09:00-17:00 || "call first"',
    "Mo-Fr 08:00-10:00,12:00-14:00,16:00-18:00",
    "Mo 12:00-14:00,09:00-11:00",
    "Mo-Fr 09:00-17:00; We 09:00-13:00",
    "Su,PH 10:00-16:00",
    "PH off; Mo-Fr 09:00-17:00",
    "2026 Dec 24 off; Mo-Fr 09:00-17:00",
    "Mo-Fr 09:00-17:00; 2026 Dec 24 10:00-14:00",
    "Mo-Fr 09:00-17:00; PH 18:00-02:00",
    "off",
    "whenever we like",
    # Saturday's later rule cuts Friday off at midnight, as the server reads it: the grid
    # would show hours after midnight that people would not see.
    "Fr 17:00-01:00; Sa 10:00-16:00",
    "Fr 17:00-01:00; Sa off",
    "Fr 17:00-01:00, Sa off",
]


@pytest.fixture
def context(browser, staff_site: StaffSite) -> Iterator:
    """Overrides tests/browser.py's: a 320 px phone on the staff screens' own server."""
    made = browser.new_context(base_url=str(staff_site.api.base_url), viewport=NARROW)
    made.set_default_timeout(15000)
    yield made
    made.close()


@pytest.fixture
def grid(page):
    """Calls a function of js/hours-grid.js in the browser: grid("writeHours", model);
    "writeEach", "parseEach" and "problemsEach" take a list, in one call."""
    page.goto("/staff")

    def run(name: str, *arguments):
        return page.evaluate(
            """async ([name, args]) => {
                const module = await import('/js/hours-grid.js');
                if (name === 'writeEach') return args[0].map(module.writeHours);
                if (name === 'parseEach') return args[0].map(module.parseHours);
                if (name === 'problemsEach') return args[0].map(module.gridProblems);
                return module[name](...args);
            }""",
            [name, list(arguments)],
        )

    return run


def open_spans(
    value: str, start: datetime = CHRISTMAS[0], end: datetime = CHRISTMAS[1]
) -> list[tuple[datetime, datetime]]:
    """When the server's own evaluation (app.hours) says a value is open: over
    Christmas 2026 unless told."""
    spans: list[tuple[datetime, datetime]] = []
    if not value:
        return spans
    for a, b, state, _comment in parse_hours(value).intervals(start, end):
        if state == State.OPEN:
            if spans and spans[-1][1] == a:
                spans[-1] = (spans[-1][0], b)
            else:
                spans.append((a, b))
    return spans


def test_the_grid_writes_back_what_it_reads(grid) -> None:
    for value in ROUND_TRIP:
        model = grid("parseHours", value)
        assert model is not None, value
        assert grid("writeHours", model) == value
        if value:
            assert grid("parseHours", grid("writeHours", model)) == model


def test_hours_written_by_hand_keep_their_meaning(grid) -> None:
    for value, written in SAME_HOURS:
        model = grid("parseHours", value)
        assert model is not None, value
        assert grid("writeHours", model) == written
        assert open_spans(written) == open_spans(value), value
    for value in ROUND_TRIP[1:]:
        assert open_spans(value), value  # every one is open some time over Christmas


def test_what_the_grid_cannot_show_is_complex(grid) -> None:
    assert [value for value in COMPLEX if grid("parseHours", value) is not None] == []


def test_the_grid_model_in_detail(grid) -> None:
    model = grid("parseHours", "Mo-Fr 09:00-12:30,13:30-17:00; Sa 18:00-02:00; PH off")
    assert model["days"][0] == {
        "mode": "open",
        "spans": [{"opens": "09:00", "closes": "12:30"}, {"opens": "13:30", "closes": "17:00"}],
        "overnight": False,
    }
    assert model["days"][5] == {
        "mode": "open",
        "spans": [{"opens": "18:00", "closes": "02:00"}],
        "overnight": True,
    }
    assert model["days"][6] == {"mode": "closed", "spans": [], "overnight": False}
    assert model["holidays"]["mode"] == "closed"
    all_day = grid("parseHours", "24/7; PH 10:00-16:00; 2026 Dec 24-2026 Dec 26 off")
    assert {day["mode"] for day in all_day["days"]} == {"all-day"}
    assert all_day["holidays"]["spans"] == [{"opens": "10:00", "closes": "16:00"}]
    assert all_day["closedDates"] == [{"from": "2026-12-24", "to": "2026-12-26"}]
    assert grid("datesWords", all_day["closedDates"][0]) == (
        "Thursday 24 December 2026 to Saturday 26 December 2026"
    )
    joined = grid("addClosedDates", all_day, "2026-12-27", "2026-12-27")  # the day after
    assert joined["closedDates"] == [{"from": "2026-12-24", "to": "2026-12-27"}]
    assert grid("daySelector", [0, 2, 4]) == "Mo,We,Fr"
    assert grid("daySelector", [0, 1, 2, 5, 6]) == "Mo-We,Sa,Su"


def test_problems_the_grid_finds_before_saving(grid) -> None:
    model = grid("emptyGrid")
    model["days"][0] = {
        "mode": "open",
        "spans": [{"opens": "17:00", "closes": "09:00"}],
        "overnight": False,
    }
    model["days"][4] = {
        "mode": "open",
        "spans": [{"opens": "17:00", "closes": "18:00"}],
        "overnight": True,
    }
    model["days"][5] = {
        "mode": "open",
        "spans": [{"opens": "09:00", "closes": "13:00"}, {"opens": "12:00", "closes": "17:00"}],
        "overnight": False,
    }
    assert grid("gridProblems", model) == [
        {
            "row": 0,
            "control": "closes",
            "words": "Monday: it closes before it opens. Choose a later time.",
        },
        {
            "row": 4,
            "control": "closes",
            "words": "Friday: after midnight it must close by 5pm.",
        },
        {
            "row": 5,
            "control": "break-ends",
            "words": "Saturday: the break must end after it starts.",
        },
    ]


def random_grid(chance: random.Random) -> dict:
    """A grid a person could fill in: days closed, open (maybe with a break, maybe past
    midnight) or open all day, and dates when closed."""
    days = []
    for _ in DAYS:
        mode = chance.choice(["closed", "open", "open", "open", "all-day"])
        if mode != "open":
            days.append({"mode": mode, "spans": [], "overnight": False})
            continue
        opens = chance.choice(["07:00", "09:00", "12:00", "17:00"])
        overnight = opens >= "12:00" and chance.random() < 0.5
        closes = (
            chance.choice(["00:30", "01:00", "03:00"])
            if overnight
            else chance.choice(["18:00", "22:00", "24:00"])
        )
        spans = [{"opens": opens, "closes": closes}]
        gap = ("13:00", "14:00") if opens < "13:00" else ("17:30", "18:00")
        if chance.random() < 0.3 and (overnight or closes > gap[1]):
            spans = [{"opens": opens, "closes": gap[0]}, {"opens": gap[1], "closes": closes}]
        days.append({"mode": mode, "spans": spans, "overnight": overnight})
    dates = sorted(chance.sample(range(2, 21), chance.randint(0, 3)))
    closed = [{"from": f"2027-03-{day:02d}", "to": f"2027-03-{day:02d}"} for day in dates]
    merged: list[dict] = []
    for day, dates_closed in zip(dates, closed, strict=True):
        if merged and int(merged[-1]["to"][-2:]) == day - 1:
            merged[-1]["to"] = dates_closed["to"]
        else:
            merged.append(dict(dates_closed))
    return {
        "days": days,
        "holidays": {"mode": "usual", "spans": [], "overnight": False},
        "closedDates": merged,
    }


def expected_spans(model: dict, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """When a grid means to be open: each day's spans, the last maybe into the next day."""
    closed = {
        start.date() + timedelta(days=n)
        for n in range((end - start).days)
        for dates in model["closedDates"]
        if dates["from"] <= (start.date() + timedelta(days=n)).isoformat() <= dates["to"]
    }
    wanted = []
    for n in range(-1, (end - start).days):
        day = (start + timedelta(days=n)).date()
        plan = model["days"][day.weekday()]
        if plan["mode"] == "closed":
            continue
        midnight = datetime(day.year, day.month, day.day, tzinfo=LONDON)
        if day in closed:
            # The library's reading: a closed date stops that day's hours, but not the
            # hours after midnight its rule for the weekday starts (unless the next day
            # is closed too). The words from the check route show it.
            last = plan["spans"][-1] if plan["mode"] == "open" else None
            if last and plan["overnight"] and day + timedelta(days=1) not in closed:
                upto = int(last["closes"][:2]) * 60 + int(last["closes"][3:])
                after = midnight + timedelta(days=1)
                wanted.append((max(after, start), min(after + timedelta(minutes=upto), end)))
            continue
        spans = (
            [{"opens": "00:00", "closes": "24:00"}] if plan["mode"] == "all-day" else plan["spans"]
        )
        for index, span in enumerate(spans):
            at = [
                midnight + timedelta(hours=int(t[:2]), minutes=int(t[3:]))
                for t in (span["opens"], span["closes"])
            ]
            if plan["overnight"] and index == len(spans) - 1:
                at[1] += timedelta(days=1)
                # A closed date after an overnight day: the hours after midnight are cut.
                if day + timedelta(days=1) in closed:
                    at[1] = midnight + timedelta(days=1)
            wanted.append((max(at[0], start), min(at[1], end)))
    merged: list[tuple[datetime, datetime]] = []
    for a, b in sorted(w for w in wanted if w[0] < w[1]):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def test_random_grids_mean_what_they_show(grid) -> None:
    """Hundreds of grids: each written value reads back as the same grid, and the
    library the server uses opens it exactly when the grid says, past midnight too."""
    chance = random.Random(8)
    # 3 weeks with no bank holiday and no change of the clocks.
    start, end = datetime(2027, 3, 1, tzinfo=LONDON), datetime(2027, 3, 22, tzinfo=LONDON)
    models = [random_grid(chance) for _ in range(300)]
    values = grid("writeEach", models)
    assert grid("problemsEach", models) == [[] for _ in models]  # grids a person can save
    assert sum(", " in value for value in values) > 30  # many need an additional rule
    for model, value, read_back in zip(models, values, grid("parseEach", values), strict=True):
        assert read_back == model, value
        assert open_spans(value, start, end) == expected_spans(model, start, end), (
            value,
            json.dumps(model),
        )


def test_rules_written_by_hand_read_as_the_server_reads_them(grid) -> None:
    """Days in rules of any order, joined by "; " or ", ", some past midnight, some off:
    what the grid takes, it writes with the same meaning; what it refuses is complex."""
    chance = random.Random(26)
    values = []
    for _ in range(400):
        days = chance.sample(range(7), 7)
        cuts = sorted(chance.sample(range(1, 7), chance.randint(1, 3)))
        groups = [sorted(days[a:b]) for a, b in zip([0, *cuts], [*cuts, 7], strict=True)]
        rules = [
            ",".join(DAYS[d] for d in group)
            + " "
            + chance.choice(["20:00-02:00", "10:00-16:00", "09:00-12:00,13:00-17:00", "off"])
            for group in groups
        ]
        values.append(rules[0] + "".join(chance.choice(["; ", ", "]) + r for r in rules[1:]))
    models = grid("parseEach", values)
    read = [(v, m) for v, m in zip(values, models, strict=True) if m is not None]
    assert 100 < len(read) < len(values)  # most are read, some are refused
    start, end = datetime(2027, 3, 1, tzinfo=LONDON), datetime(2027, 3, 22, tzinfo=LONDON)
    written = grid("writeEach", [model for _value, model in read])
    for (value, _model), again in zip(read, written, strict=True):
        assert open_spans(again, start, end) == open_spans(value, start, end), (value, again)


# --- the form, end to end --------------------------------------------------------------


def staff_of(site: StaffSite, ref: str) -> str:
    return site.add_user(f"hours-{uuid.uuid4().hex[:8]}@shop.example", "staff", ref)


def open_edit(page, site: StaffSite, ref: str, email: str) -> None:
    signed_in_already(page.context, site, email)
    page.goto(f"/staff/edit?id={site.ids[ref]}")
    page.locator("#venue-form:not([hidden])").wait_for()


def set_hours(site: StaffSite, ref: str, value: str) -> None:
    site.officer_changes(ref, opening_hours=value)


def tab_to(page, id_starts: str, limit: int = 60) -> None:
    """Press Tab until the focus is on a control whose id starts with `id_starts`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id").startswith(id_starts):
            return
    raise AssertionError(f"Tab never reached #{id_starts}…")


def choose_day(page, day: str, mode: str = "Open", opens: str = "", closes: str = "") -> None:
    """One day of the grid, as a person sets it: "Monday", "Open", "9am", "5pm"."""
    page.get_by_role("group", name=day, exact=True).get_by_label(mode, exact=True).check()
    if opens:
        page.get_by_label(f"{day} opens at").select_option(label=opens)
    if closes:
        page.get_by_label(f"{day} closes at").select_option(label=closes)


def test_staff_set_the_hours_by_keyboard_and_the_public_page_shows_them(
    page, staff_site: StaffSite
) -> None:
    email = staff_of(staff_site, "SAMPLE-0018")  # Mo-Sa 09:00-16:30; Su off
    venue_id = staff_site.ids["SAMPLE-0018"]
    open_edit(page, staff_site, "SAMPLE-0018", email)
    monday = page.get_by_role("group", name="Monday", exact=True)
    expect(monday.get_by_label("Open", exact=True)).to_be_checked()
    expect(page.get_by_label("Monday opens at")).to_have_value("09:00")
    expect(page.get_by_label("Monday closes at")).to_have_value("16:30")
    expect(page.get_by_role("group", name="Sunday").get_by_label("Closed")).to_be_checked()
    expect(page.get_by_label("Opening hours")).to_be_hidden()  # nobody types the code

    # Keyboard alone: Monday closes at 5pm, copied to Tuesday to Friday; Saturday closed;
    # closed on bank holidays.
    page.get_by_label("Monday opens at").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "hours-mo-closes"
    page.keyboard.type("5pm")
    expect(page.get_by_label("Monday closes at")).to_have_value("17:00")
    tab_to(page, "hours-copy-monday")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Friday closes at")).to_have_value("17:00")
    tab_to(page, "hours-sa-")
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("group", name="Saturday").get_by_label("Closed")).to_be_checked()
    tab_to(page, "hours-ph-")
    page.keyboard.press("ArrowDown")
    bank_holidays = page.get_by_role("group", name="Bank holidays")
    expect(bank_holidays.get_by_label("Closed", exact=True)).to_be_checked()
    assert page.get_by_label("Opening hours").input_value() == "Mo-Fr 09:00-17:00; PH off"

    # The server's check says it back in words before saving.
    words = page.locator("#hours-words")
    expect(words).to_have_attribute("aria-live", "polite")  # quiet only as the page opens
    expect(words.locator("li").first).to_contain_text("day ")
    expect(words).to_contain_text("9am to 5pm")
    week = words.locator("ul").first.locator("li").all_inner_texts()
    assert len(week) == 7
    assert sum(line.endswith("9am to 5pm") for line in week) >= 4
    assert any("bank holiday" in line and "closed" in line.lower() for line in week) or (
        words.get_by_text("Bank holidays:").is_visible()
    )

    tab_to(page, "save", limit=80)
    page.keyboard.press("Enter")
    page.locator("#status").get_by_text("Your changes are saved.").wait_for()
    public = staff_site.api.get(f"/api/venues/{venue_id}").json()
    assert public["opening_hours"] == "Mo-Fr 09:00-17:00; PH off"
    page.goto(f"/venues/{venue_id}")
    page.locator("#venue:not([hidden])").wait_for()
    rows = page.locator(".week tr")
    for row, day in zip(rows.all(), public["opening_week"], strict=True):
        assert [cell.strip() for cell in row.inner_text().split("\t")] == week_row(day)
    assert "9am to 5pm" in " ".join(day["hours"] for day in public["opening_week"])


def test_a_break_past_midnight_bank_holiday_hours_and_dates_closed(
    page, staff_site: StaffSite
) -> None:
    email = staff_of(staff_site, "SAMPLE-0017")  # Mo-Fr 09:00-17:30; Sa 09:00-12:30; PH off
    open_edit(page, staff_site, "SAMPLE-0017", email)
    hours = page.get_by_label("Opening hours")
    page.get_by_label("Monday has a break, like lunch").check()
    page.get_by_label("Monday's break starts at").select_option(label="12:30pm")
    page.get_by_label("Monday's break ends at").select_option(label="1:30pm")
    page.get_by_label("Friday closes at").select_option(label="1am")
    page.get_by_label("Friday closes after midnight").check()
    bank_holidays = page.get_by_role("group", name="Bank holidays")
    bank_holidays.get_by_label("Other hours").check()
    page.get_by_label("On bank holidays it opens at").select_option(label="10am")
    page.get_by_label("On bank holidays it closes at").select_option(label="4pm")
    page.get_by_label("First day it is closed").fill("2026-12-24")
    page.get_by_label("Last day it is closed").fill("2026-12-26")
    page.get_by_role("button", name="Add the dates").click()
    page.get_by_label("First day it is closed").fill("2026-12-31")
    page.get_by_label("First day it is closed").press("Enter")  # adds; does not save
    expect(page.locator("#hours-dates-status")).to_have_text("Added: Thursday 31 December 2026.")
    dates = page.locator(".hours-date")
    expect(dates).to_have_count(2)
    expect(dates.first).to_contain_text("Thursday 24 December 2026 to Saturday 26 December 2026")
    expect(hours).to_have_value(
        "Mo 09:00-12:30,13:30-17:30; Tu-Th 09:00-17:30; Fr 09:00-01:00, Sa 09:00-12:30; "
        "PH 10:00-16:00; 2026 Dec 24-2026 Dec 26 off; 2026 Dec 31 off"
    )
    page.get_by_role("button", name="Remove Thursday 31 December 2026").click()
    expect(dates).to_have_count(1)
    assert page.evaluate("document.activeElement.id") == "hours-remove-date-0"
    assert not hours.input_value().endswith("2026 Dec 31 off")

    # Closing before opening is put right before anything is sent.
    choose_day(page, "Wednesday", closes="8am")
    # Said beside the time at once, where the person is looking (not only on saving).
    expect(page.locator("#hours-we-closes-error")).to_contain_text("it closes before it opens")
    page.get_by_role("button", name="Save changes").click()
    problem = page.locator("#problem")
    problem.get_by_text("Check the opening hours.").wait_for()
    error = page.locator("#hours-we-closes-error")
    expect(error).to_contain_text("Wednesday: it closes before it opens.")
    assert page.get_by_label("Wednesday closes at").get_attribute("aria-invalid") == "true"
    problem.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "hours-we-closes"
    page.get_by_label("Wednesday closes at").select_option(label="5:30pm")
    expect(error).to_have_count(0)
    page.get_by_role("button", name="Save changes").click()
    page.locator("#status").get_by_text("Your changes are saved.").wait_for()
    venue = staff_site.api.get(f"/api/venues/{staff_site.ids['SAMPLE-0017']}").json()
    assert venue["opening_hours"] == (
        "Mo 09:00-12:30,13:30-17:30; Tu-Th 09:00-17:30; Fr 09:00-01:00, Sa 09:00-12:30; "
        "PH 10:00-16:00; 2026 Dec 24-2026 Dec 26 off"
    )


def test_complex_hours_open_in_a_text_box(page, staff_site: StaffSite) -> None:
    complex_hours = "Mo-Sa 09:00-17:30; Su 10:00-16:00; Dec 25 off"
    set_hours(staff_site, "SAMPLE-0019", complex_hours)
    email = staff_of(staff_site, "SAMPLE-0019")
    open_edit(page, staff_site, "SAMPLE-0019", email)
    expect(
        page.get_by_role("heading", name="These hours are complex. Change them here.")
    ).to_be_visible()
    box = page.get_by_label("Opening hours")
    expect(box).to_have_value(complex_hours)
    expect(page.get_by_role("group", name="Monday")).to_have_count(0)  # the grid is hidden
    expect(page.get_by_role("button", name="Choose the hours day by day")).to_be_hidden()

    # The check's 422 sits beside the box, which points at it.
    box.fill("Mo-Sa 09:00-17:30; whenever")
    check = page.locator("#field-opening_hours-check")
    check.wait_for()
    expect(check).to_contain_text(re.compile(r"^Opening hours .+"))  # its label, not its name
    assert "field-opening_hours-check" in box.get_attribute("aria-describedby")

    # The way back to the grid is to clear the box.
    box.fill("")
    back = page.get_by_role("button", name="Choose the hours day by day")
    back.click()
    monday = page.get_by_role("group", name="Monday", exact=True)
    expect(monday.get_by_label("Closed")).to_be_checked()
    assert page.evaluate("document.activeElement.id") == "hours-mo-closed"
    expect(box).to_be_hidden()
    choose_day(page, "Monday")
    expect(box).to_have_value("Mo 09:00-17:00")
