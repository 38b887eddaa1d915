"""Cover gaps: the report worked out by hand on a tiny area, and the two routes over
both databases (who may ask, bad input, what-if raising the cover)."""

from datetime import date

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.hours import Hours, parse_hours
from app.hours.evaluate import _day
from app.venues import coverage
from app.venues.coverage import (
    Area,
    ReportCache,
    Venues,
    missing_hours,
    report,
    span_words,
    week_bits,
)
from app.venues.geo import walk_metres, walking_minutes
from app.venues.report_worker import REPORT_WORKER
from app.venues.snapshot import Snapshot, VenueBlock, VenueEntry
from tests.callers import Site, answered, cells
from tests.conftest import HEADER, load, venue_row
from tests.generated import no_server_errors
from tests.people import add_account, cheap_hashing, token_headers  # noqa: F401

# A week with no bank holiday, and one with one (Monday 28 December 2026, for Boxing Day).
PLAIN_WEEK = date(2027, 1, 11)
HOLIDAY_WEEK = date(2026, 12, 28)
# The clocks go forward on Sunday 28 March 2027 (1am to 2am), back on Sunday 25 October 2026.
SPRING_WEEK = date(2027, 3, 22)
AUTUMN_WEEK = date(2026, 10, 19)
# 0.001 degrees of latitude is 111 m; a 15-minute walk reaches 960 m as the crow flies.
LON = -1.5


def hour(day: int, clock: int) -> int:
    return day * 24 + clock


def venues_of(latitudes: list[float], opening: list[tuple[Hours | None, int]]) -> Venues:
    """Venues on the line of longitude LON, each with its (hours, closed until)."""
    distinct = list(dict.fromkeys(hours for hours, _ in opening))
    return Venues(
        np.array(latitudes),
        np.full(len(latitudes), LON),
        distinct,
        np.array([distinct.index(hours) for hours, _ in opening], dtype=np.int32),
        np.array([closed for _, closed in opening], dtype=np.int64),
    )


def tiny(hours: list[str], week: date = PLAIN_WEEK):
    """3 venues and 5 postcodes on one line north-south, in 3 places.

    V1 and V3 at 52.000, V2 at 52.020. Postcodes at 52.000 and 52.005 (Alpha: in
    reach of V1 and V3 only), 52.015 (Beta: V2 only), 52.010 (Beta: 1.1 km from
    both, so never covered) and 53.000 (Gamma: far from all).
    """
    area = Area(
        np.array([52.000, 52.005, 52.015, 52.010, 53.000]),
        np.full(5, LON),
        np.array([0, 0, 1, 1, 2], dtype=np.int32),
        ("Alpha", "Beta", "Gamma"),
    )
    latitudes = [52.000, 52.020, 52.000]
    opening = [(parse_hours(text, lat, LON), 0) for text, lat in zip(hours, latitudes, strict=True)]
    return report(area, venues_of(latitudes, opening), week, 15)


HAND_MADE = ["Mo-Fr 09:00-17:00", "Mo-Su 18:00-02:00", "Sa 10:00-16:30"]


def test_walk_reach_follows_the_nearest_look_up() -> None:
    assert walk_metres(15) == 960.0  # 15 min x 80 m a minute / 1.25 for streets
    assert all(walking_minutes(walk_metres(minutes)) == minutes for minutes in range(1, 61))


def test_every_hour_worked_out_by_hand() -> None:
    found = tiny(HAND_MADE)
    expected = np.zeros(168, dtype=int)
    for day in range(5):  # V1, weekdays 9 to 5: the 2 Alpha postcodes
        expected[hour(day, 9) : hour(day, 17)] += 2
    expected[hour(5, 10) : hour(5, 16)] += 2  # V3: 16:00-16:30 is not a whole hour
    for day in range(7):  # V2, 6pm to 2am every day: the one Beta postcode in reach
        expected[hour(day, 18) : hour(day, 24)] += 1
        expected[hour(day, 0) : hour(day, 2)] += 1  # Monday's from Sunday: the same hours
    assert found.covered.tolist() == expected.tolist()
    assert found.shares()[hour(0, 10)] == pytest.approx(2 / 5)
    assert found.shares()[hour(5, 16)] == 0.0


def test_worst_gaps_in_words() -> None:
    found = tiny(HAND_MADE)
    # Each place's worst run: Alpha's is the weekend, on to Monday 9am (2 postcodes x 41
    # hours): the week is a circle.
    assert [gap.words for gap in found.worst_gaps()] == [
        "Alpha: Saturday 4pm to Monday 9am. No open Safe Place within 15 minutes.",
        # Its one reachable postcode is covered 6pm to 2am; half covered is no gap.
        "Beta: Monday 2am to 6pm. No open Safe Place within 15 minutes.",
    ]
    assert [gap.words for gap in found.never_covered()] == [
        "Gamma: no open Safe Place within 15 minutes at any hour."
    ]


def test_most_of_a_place_is_said_so() -> None:
    area = Area(
        np.array([52.000, 52.010, 52.011, 52.012]),
        np.full(4, LON),
        np.zeros(4, dtype=np.int32),
        ("Nuneaton",),
    )
    venues = venues_of([52.0], [(parse_hours("Mo 10:00-12:00"), 0)])
    gaps = report(area, venues, PLAIN_WEEK, 15).never_covered()
    # 1 of its 4 postcodes is covered on Monday morning: most of it is never.
    assert [gap.words for gap in gaps] == [
        "Most of Nuneaton: no open Safe Place within 15 minutes at any hour."
    ]
    assert gaps[0].postcodes == 4  # on average: 3 on Monday 10am to midday


def test_open_all_the_time_covers_everything_in_reach() -> None:
    found = tiny(["24/7", "off", "off"])
    assert found.covered.tolist() == [2] * 168


def test_none_open_covers_nothing() -> None:
    found = tiny(["off", "off", "off"])
    assert found.covered.tolist() == [0] * 168
    assert found.worst_gaps() == []
    assert [gap.place for gap in found.never_covered()] == ["Alpha", "Beta", "Gamma"]


def test_unknown_hours_and_closures_never_count() -> None:
    assert not week_bits(parse_hours('Mo-Su 09:00-17:00 "phone first"'), 0, PLAIN_WEEK).any()
    always = parse_hours("24/7")
    closed_till_wednesday = PLAIN_WEEK.toordinal() + 2
    bits = week_bits(always, closed_till_wednesday, PLAIN_WEEK)
    assert not bits[:48].any() and bits[48:].all()


def test_bank_holidays_follow_the_venues_rules() -> None:
    usual = week_bits(parse_hours("Mo-Fr 09:00-17:00; PH off", 52.28, -1.58), 0, HOLIDAY_WEEK)
    assert not usual[:24].any()  # Monday 28 December: a bank holiday
    assert usual[hour(1, 9) : hour(1, 17)].all()
    plain = week_bits(parse_hours("Mo-Fr 09:00-17:00; PH off", 52.28, -1.58), 0, PLAIN_WEEK)
    assert plain[hour(0, 9) : hour(0, 17)].all()


def test_what_if_adds_only_its_reach() -> None:
    found = tiny(["off", "off", "off"])
    more = found.more_cover(52.010, LON, parse_hours("Mo-Su 20:00-23:00"))
    # 52.010 reaches 52.005 and 52.015 (556 m), 52.000 and 52.020 are 1.1 km away.
    expected = [3 if 20 <= h % 24 < 23 else 0 for h in range(168)]
    assert (found.covered + more).tolist() == expected
    assert found.covered.tolist() == [0] * 168  # the report it came from is unchanged


def test_a_gap_over_the_weekend_runs_on_into_monday() -> None:
    # Alpha: closed Sunday 10pm to Monday 9am (11 hours) and Monday 5pm to midnight (7).
    found = tiny(["Mo 09:00-17:00; Tu-Sa 00:00-24:00; Su 00:00-22:00", "off", "off"])
    worst = found.worst_gaps()[0]
    assert (worst.place, worst.start, worst.end) == ("Alpha", hour(6, 22), hour(7, 9))
    assert worst.words == (
        "Alpha: Sunday 10pm to Monday 9am. No open Safe Place within 15 minutes."
    )
    assert [(g.place, g.start, g.end) for g in found.all_gaps()] == [
        ("Beta", 0, 168),  # 2 postcodes x 168 hours
        ("Gamma", 0, 168),  # 1 x 168
        ("Alpha", hour(6, 22), hour(7, 9)),  # 2 x 11
        ("Alpha", hour(0, 17), hour(1, 0)),  # 2 x 7
    ]


def test_the_hour_the_clocks_skip_is_not_an_hour() -> None:
    assert np.flatnonzero(missing_hours(SPRING_WEEK)).tolist() == [hour(6, 1)]
    # The autumn hour that happens twice is one hour of the week, counted once.
    assert not missing_hours(AUTUMN_WEEK).any() and not missing_hours(PLAIN_WEEK).any()
    found = tiny(["24/7", "off", "off"], week=SPRING_WEEK)
    shares = found.shares()
    assert shares[hour(6, 1)] is None and found.covered[hour(6, 1)] == 0
    assert shares[hour(6, 0)] == shares[hour(6, 2)] == pytest.approx(2 / 5)
    assert found.worst_gaps() == []  # Alpha is covered in every hour there is
    # A gap over the missing hour is one gap, and the hour is not counted in it.
    found = tiny(["Mo-Sa 07:00-22:00; Su 02:00-22:00", "off", "off"], week=SPRING_WEEK)
    night = next(g for g in found.all_gaps() if g.start == hour(5, 22))
    assert night.end == hour(6, 2) and night.words.startswith("Alpha: Saturday 10pm to Sunday 2am.")


def test_the_weeks_leave_the_shared_day_cache_alone() -> None:
    before = _day.cache_info()
    tiny(["Mo-Fr 08:00-18:30; Sa 09:15-12:45", "Mo-Su 06:00-23:15", "Tu-Th 10:00-14:00"])
    after = _day.cache_info()
    assert (after.hits, after.misses, after.currsize) == (
        before.hits,
        before.misses,
        before.currsize,
    )


def test_venues_sharing_hours_share_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    worked: list[str] = []
    real = coverage.week_bits

    def counted(hours, closed_until, monday):
        worked.append(hours.text)
        return real(hours, closed_until, monday)

    monkeypatch.setattr(coverage, "week_bits", counted)
    same = "Mo-Fr 07:45-19:10"
    tiny([same, same, same], week=date(2027, 2, 1))
    tiny([same, same, "Sa 07:45-19:10"], week=date(2027, 2, 1))  # kept for the Monday
    assert worked == [same, "Sa 07:45-19:10"]


def test_closures_come_off_the_days_they_cover() -> None:
    always = parse_hours("24/7")
    venues = venues_of([52.0, 52.0], [(always, PLAIN_WEEK.toordinal() - 1), (always, 1)])
    area = Area(np.array([52.0]), np.array([LON]), np.zeros(1, dtype=np.int32), ("Alpha",))
    found = report(area, venues, PLAIN_WEEK, 15)
    assert found.covered.tolist() == [1] * 168  # the closure ended before the week
    found = report(area, venues_of([52.0], [(always, PLAIN_WEEK.toordinal() + 3)]), PLAIN_WEEK, 15)
    assert found.covered.tolist() == [0] * 72 + [1] * 96  # closed Monday to Wednesday


def entry(venue_id: int, lat: float, hours: str, closed_until: int = 0) -> VenueEntry:
    return VenueEntry(venue_id, lat, LON, parse_hours(hours), closed_until, b"{", "Alpha")


def test_the_snapshots_venues_as_arrays_leave_out_hidden_ones() -> None:
    latitudes = [52.01, 52.02, 52.03, 52.04, 52.05]
    base = VenueBlock.build(
        entry(i, lat, "24/7" if i % 2 else "off") for i, lat in enumerate(latitudes, start=1)
    )
    snapshot = Snapshot.from_base(base, 1).with_changes(
        {2: None, 3: entry(3, 53.0, "Mo 10:00-12:00", 700_000), 9: entry(9, 54.0, "24/7")}, 2
    )
    latitudes, longitudes, hours, hours_of, closed = snapshot.columns()
    assert latitudes.tolist() == [52.01, 52.04, 52.05, 53.0, 54.0]  # base, then the overlay
    assert longitudes.tolist() == [LON] * 5
    assert [hours[i].text for i in hours_of] == ["24/7", "off", "24/7", "Mo 10:00-12:00", "24/7"]
    assert len(hours) == 3 and hours_of.dtype == np.int32  # one per distinct value
    assert closed.tolist() == [0, 0, 0, 700_000, 0]


class Made:
    nbytes = 1


def test_a_report_that_fails_can_be_asked_for_again() -> None:
    cache: ReportCache[Made] = ReportCache()

    def fails() -> Made:
        raise RuntimeError("the postcode table is missing")

    with pytest.raises(RuntimeError):
        cache.get(("week",), fails)
    assert cache._making == {}
    made = Made()
    assert cache.get(("week",), lambda: made) is made
    assert cache._making == {} and cache.get(("week",), fails) is made


def test_span_words() -> None:
    assert span_words(hour(4, 22), hour(5, 7)) == "Friday 10pm to Saturday 7am"
    assert span_words(hour(4, 22), hour(5, 0)) == "Friday 10pm to midnight"
    assert span_words(0, hour(0, 7)) == "Sunday midnight to Monday 7am"


# The routes --------------------------------------------------------------------------

pytestmark = pytest.mark.usefixtures("cheap_hashing")
WARWICK = (52.2823, -1.5849)
TWO_VENUES = (
    HEADER
    + venue_row("A-1", 52.28, -1.58, opening_hours="Mo-Fr 09:00-17:00")
    + venue_row("B-1", 52.29, -1.59, opening_hours="Mo-Fr 09:00-17:00")
)
WHAT_IF = {"postcode": "CV34 4AB", "opening_hours": "24/7", "week": "2027-01-11"}


@pytest.fixture
def site(engine: Engine, make_client) -> Site:
    return Site(engine, make_client)


def officer(site: Site) -> dict[str, str]:
    return site.callers["officer"]


def test_the_report_by_hour(site: Site) -> None:
    response = site.client.get(
        "/api/reports/coverage?walk_minutes=15&week=2027-01-11", headers=officer(site)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["week"] == "2027-01-11" and body["walk_metres"] == 960
    assert body["venues"] == 2 and body["postcodes"] > 100
    assert [h["hour"] for h in body["hours"]] == list(range(168))
    assert body["hours"][hour(0, 10)]["words"] == "Monday 10am"
    assert body["hours"][0]["words"] == "Monday 12am"  # as the table heads it
    # The site's venues open 9 to 5 every day: nothing covered at night.
    assert body["hours"][hour(5, 10)]["covered"] > 0
    assert body["hours"][hour(5, 16)]["covered"] == body["hours"][hour(0, 9)]["covered"]
    assert {h["covered"] for h in body["hours"] if not 9 <= h["hour"] % 24 < 17} == {0}
    assert body["hours"][hour(0, 8)]["percent"] == 0
    # 2 venues cover less than half of any place: each place is "never covered".
    assert body["worst_gaps"] == []
    assert body["never_covered"][0]["words"].endswith("within 15 minutes at any hour.")
    assert body["map"]["uncovered"] and body["map"]["venues"]


def test_default_week_is_next_monday(site: Site, clock) -> None:
    from datetime import datetime

    from app.hours import LONDON

    clock.now = datetime(2026, 12, 9, 12, tzinfo=LONDON)  # a Wednesday
    body = site.client.get("/api/reports/coverage", headers=officer(site)).json()
    assert body["week"] == "2026-12-14"


def test_any_day_gives_its_week_within_a_year(site: Site, clock) -> None:
    from datetime import datetime

    from app.hours import LONDON

    clock.now = datetime(2026, 12, 9, 12, tzinfo=LONDON)  # a Wednesday
    for asked, week in (
        ("2027-01-13", "2027-01-11"),  # a Wednesday: its Monday
        ("2027-01-17", "2027-01-11"),  # a Sunday: the week it ends
        ("2035-06-04", "2027-12-13"),  # too far: the last week within a year (53 weeks)
        ("0001-01-01", "2025-12-01"),
    ):
        body = site.client.get(f"/api/reports/coverage?week={asked}", headers=officer(site))
        assert body.status_code == 200, body.text
        assert body.json()["week"] == week


def test_repeated_reports_are_made_once(site: Site) -> None:
    url = "/api/reports/coverage?week=2027-01-11"
    first = site.client.get(url, headers=officer(site)).json()
    made = REPORT_WORKER.counts()
    assert made["report_bytes"] > 0
    again = site.client.get(url, headers=officer(site))
    assert again.json() == first
    assert again.headers["content-type"] == "application/json"
    assert REPORT_WORKER.counts() == made  # not made again


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("walk_minutes=0", "walk_minutes", "walk_minutes must be 1 or more."),
        ("walk_minutes=61", "walk_minutes", "walk_minutes must be 60 or less."),
        ("week=soon", "week", "date"),
        ("hour=168", "hour", "hour must be 167 or less."),
    ],
)
def test_bad_questions_are_refused_in_words(site: Site, query: str, field: str, words: str):
    response = site.client.get(f"/api/reports/coverage?{query}", headers=officer(site))
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert errors[0]["field"] == field
    assert words in errors[0]["message"]


def test_what_if_raises_the_cover(site: Site) -> None:
    response = site.client.post(
        "/api/reports/coverage/what-if", headers=officer(site), json=WHAT_IF
    )
    assert response.status_code == 200, response.text
    body = response.json()
    # Only what the page shows: no second report laid out and thrown away.
    assert set(body) == {"position", "change", "change_words"}
    assert all(c["more_postcodes"] >= 0 for c in body["change"])
    night = body["change"][hour(2, 3)]
    assert night["percent_before"] == 0 and night["more_postcodes"] > 0
    assert night["percent_after"] > 0
    assert body["change_words"].startswith("This venue would add cover in ")


def test_what_if_at_a_position(site: Site) -> None:
    json = {"latitude": 52.28, "longitude": -1.58, "opening_hours": "Sa 20:00-22:00"}
    body = site.client.post("/api/reports/coverage/what-if", headers=officer(site), json=json)
    assert body.status_code == 200, body.text
    change = body.json()["change"]
    assert change[hour(5, 20)]["more_postcodes"] == change[hour(5, 21)]["more_postcodes"] > 0
    assert {c["more_postcodes"] for c in change if c["hour"] not in (140, 141)} == {0}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"opening_hours": "Mondays 9 to 5"}, "opening_hours", '"Mondays" is not a day'),
        ({"postcode": "ZZ99 9ZZ"}, "postcode", "We cannot find the postcode ZZ99 9ZZ."),
        ({"postcode": None}, "postcode", "Say where the venue would be"),
        ({"walk_minutes": 90}, "walk_minutes", "walk_minutes must be 60 or less."),
    ],
)
def test_bad_what_ifs_are_refused_in_words(site: Site, change: dict, field: str, words: str):
    response = site.client.post(
        "/api/reports/coverage/what-if", headers=officer(site), json={**WHAT_IF, **change}
    )
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert errors[0]["field"] == field
    assert words in errors[0]["message"]


def test_bad_hours_get_the_hours_checkers_words(site: Site) -> None:
    checked = site.client.post("/api/opening-hours/check", json={"opening_hours": "Mondays 9 to 5"})
    response = site.client.post(
        "/api/reports/coverage/what-if",
        headers=officer(site),
        json={**WHAT_IF, "opening_hours": "Mondays 9 to 5"},
    )
    assert response.status_code == 422
    assert response.json()["message"] == checked.json()["message"]


MATRIX = {
    "read the coverage report": (401, 403, 403, 200, 401, 401),
    "ask what if": (401, 403, 403, 200, 401, 401),
}
CELLS = cells(MATRIX)


@pytest.mark.parametrize(("route", "caller", "status"), CELLS)
def test_who_may_ask(site: Site, route: str, caller: str, status: int) -> None:
    headers = site.callers[caller]
    if route == "read the coverage report":
        response = site.client.get("/api/reports/coverage?week=2027-01-11", headers=headers)
    else:
        response = site.client.post("/api/reports/coverage/what-if", headers=headers, json=WHAT_IF)
    answered(response, status)


def test_the_spring_hour_is_said_not_counted(site: Site) -> None:
    body = site.client.get(
        "/api/reports/coverage?week=2027-03-22&hour=145", headers=officer(site)
    ).json()
    skipped = body["hours"][hour(6, 1)]
    assert skipped["share"] is None and skipped["percent"] is None
    assert skipped["note"] == "The clocks go forward: this hour does not happen."
    assert "Sunday 1am" not in body["summary"]
    assert body["map"]["hour"] == hour(6, 2)  # the clocks jump to 2am
    what_if = site.client.post(
        "/api/reports/coverage/what-if",
        headers=officer(site),
        json={**WHAT_IF, "week": "2027-03-22"},
    ).json()
    assert what_if["change"][hour(6, 1)]["percent_after"] is None
    assert what_if["change"][hour(6, 1)]["more_postcodes"] == 0


def test_a_new_walk_or_week_redoes_only_its_part(site: Site) -> None:
    before = REPORT_WORKER.counts()

    def made() -> dict[str, int]:
        now = REPORT_WORKER.counts()
        return {part: now[part] - before[part] for part in ("areas", "reach", "weeks", "reports")}

    for query in ("walk_minutes=15&week=2027-01-11", "walk_minutes=20&week=2027-01-11"):
        assert site.client.get(f"/api/reports/coverage?{query}", headers=officer(site)).is_success
    # The site's area is new to the worker: its postcodes found once; the week's weeks once.
    assert made() == {"areas": 1, "reach": 2, "weeks": 1, "reports": 2}
    assert site.client.get(
        "/api/reports/coverage?walk_minutes=20&week=2027-01-18", headers=officer(site)
    ).is_success
    assert made() == {"areas": 1, "reach": 2, "weeks": 2, "reports": 3}  # the walk's reach, kept


def test_a_change_to_the_venues_makes_a_new_report(engine: Engine, make_client) -> None:
    load(engine, TWO_VENUES)
    client: TestClient = make_client()
    add_account(engine, "officer@example.org", "officer")
    headers = token_headers(client, "officer@example.org")
    url = "/api/reports/coverage?week=2027-01-11"
    before = client.get(url, headers=headers).json()
    load(engine, HEADER + venue_row("C-1", 52.285, -1.585, opening_hours="24/7"))
    client.app.state.catalogue.refresh_if_changed()  # type: ignore[attr-defined]
    after = client.get(url, headers=headers).json()
    assert after["venues"] == 3
    assert after["hours"][hour(6, 3)]["covered"] > before["hours"][hour(6, 3)]["covered"] == 0


def test_generated_questions_never_break_the_report(engine: Engine, make_client) -> None:
    """Schemathesis on this file's 2 operations, as tests/test_schemathesis.py runs them all."""
    import schemathesis

    load(engine, TWO_VENUES)
    client = make_client()
    add_account(engine, "officer@example.org", "officer")
    headers = token_headers(client, "officer@example.org")
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path.startswith("/api/reports/coverage")
    ]
    assert sorted(op.label for op in operations) == [
        "GET /api/reports/coverage",
        "POST /api/reports/coverage/what-if",
    ]
    for operation in operations:
        # A valid what-if can still be refused (hours, a postcode not in the table).
        no_server_errors(operation, headers, refused_while_valid=operation.method.upper() == "POST")


def test_a_small_gain_is_said_in_postcodes_not_as_an_unchanged_share() -> None:
    from app.venues.coverage_answers import HourChange, _change_words

    def change(before: int, after: int, more: int) -> list[HourChange]:
        return [
            HourChange(
                hour=h,
                words=f"hour {h}",
                percent_before=before,
                percent_after=after,
                more_postcodes=more if h == 3 else 0,
            )
            for h in range(168)
        ]

    assert _change_words(change(2, 2, 57)) == (
        "This venue would add cover in 1 hour of the week. Most on hour 3: "
        "57 more postcodes, too few to change the share of 2%."
    )
    assert _change_words(change(2, 9, 1200)).endswith(
        "Most on hour 3: 1,200 more postcodes, from 2% to 9%."
    )
