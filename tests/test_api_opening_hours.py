"""Opening hours through the API: the check route, and the same evaluation behind
nearest, the venue page and the phone's offline spans (on both databases)."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.hours import LONDON
from app.venues.importing import import_venue_file
from app.venues.venue_file import VenueFileError
from tests.conftest import HEADER, Clock, load, venue_row

CHECK = "/api/opening-hours/check"
WARWICK = {"latitude": 52.2819, "longitude": -1.5849}
EDINBURGH = {"latitude": 55.9533, "longitude": -3.1883}


def venue_id(engine: Engine, ref: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT id FROM venue WHERE ref = :ref"), {"ref": ref}
        ).scalar_one()


def test_check_gives_states_week_and_bank_holidays(client: TestClient, clock: Clock) -> None:
    clock.now = datetime(2026, 12, 1, 12, 0, tzinfo=LONDON)
    body = client.post(
        CHECK,
        json={
            "opening_hours": "Mo-Fr 09:00-17:00; PH off",
            **WARWICK,
            "at": [
                "2026-04-06T10:00:00+01:00",
                "2026-04-07T10:00:00+01:00",
                "2026-04-07T20:00:00Z",
            ],
        },
    ).json()
    assert [state["open_now"] for state in body["states"]] == [False, True, False]
    assert body["week"][0] == "Tuesday 1 December: 9am to 5pm"
    assert body["week"][4] == "Saturday 5 December: Closed"
    assert len(body["week"]) == 7
    assert body["holidays"][:2] == [
        "On Friday 25 December, a bank holiday: closed.",
        "On Saturday 26 December, a bank holiday: closed.",
    ]
    assert "On Monday 28 December, a bank holiday: closed." in (body["holidays"])


def test_check_knows_each_nations_bank_holidays(client: TestClient) -> None:
    second_of_january = {
        "opening_hours": "Mo-Fr 09:00-17:00; PH off",
        "at": ["2026-01-02T10:00:00Z"],
    }
    edinburgh = client.post(CHECK, json={**second_of_january, **EDINBURGH}).json()
    warwick = client.post(CHECK, json={**second_of_january, **WARWICK}).json()
    assert edinburgh["states"][0]["open_now"] is False
    assert warwick["states"][0]["open_now"] is True


def test_check_says_null_when_the_hours_do_not_say(client: TestClient) -> None:
    body = client.post(
        CHECK, json={"opening_hours": 'Mo-Sa 10:00+ "phone first"', "at": ["2026-12-07T11:00:00Z"]}
    ).json()
    assert body["states"] == [{"at": "2026-12-07T11:00:00Z", "open_now": None}]


def test_check_defaults_to_now(client: TestClient, clock: Clock) -> None:
    clock.now = datetime(2026, 12, 5, 12, 0, tzinfo=LONDON)  # a Saturday
    body = client.post(CHECK, json={"opening_hours": "Mo-Fr 09:00-17:00"}).json()
    assert [state["open_now"] for state in body["states"]] == [False]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"opening_hours": "SH off"}, "school holidays (SH)"),
        ({"opening_hours": "Mo-Fr 9am-5pm"}, "24-hour clock"),
        ({"opening_hours": "Mo-Fx 09:00-17:00"}, "near character 4"),
        ({"opening_hours": ""}, "opening_hours must be at least 1 characters"),
        ({"opening_hours": "x" * 501}, "opening_hours must be at most 500 characters"),
        ({"opening_hours": "24/7", "latitude": 52.28}, "Give both latitude and longitude"),
        ({"opening_hours": "24/7", "latitude": 48.0, "longitude": 2.35}, "latitude must be"),
        ({"opening_hours": "24/7", "at": ["2026-04-06T10:00:00"]}, "UTC offset"),
        ({"opening_hours": "24/7", "at": ["yesterday"]}, "at.0"),
        ({"opening_hours": "24/7", "at": ["2026-04-06T10:00:00Z"] * 101}, "at most 100"),
        ({"hours": "24/7"}, "opening_hours is missing"),
        ({"opening_hours": "Mo-Fr 9:00-5:30"}, "write 09:00-17:30 (the 24-hour clock)"),
    ],
)
def test_check_refuses_plainly(client: TestClient, body: dict, says: str) -> None:
    response = client.post(CHECK, json=body)
    assert response.status_code == 422
    assert says in response.json()["message"]


def test_the_night_owl_keeps_saturday_night_everywhere(
    engine: Engine, make_client, clock: Clock
) -> None:
    """The sample's Night Owl Diner: Saturday is 5pm to 1am on the page, in nearest,
    and in the phone's offline spans."""
    hours = "Mo-Th,Su 17:00-23:30; Fr,Sa 17:00-01:00"
    load(engine, HEADER + venue_row("N-1", 52.524919, -1.452584, opening_hours=hours))
    clock.now = datetime(2026, 12, 5, 23, 45, tzinfo=LONDON)  # a Saturday night
    client = make_client()
    page = client.get(f"/api/venues/{venue_id(engine, 'N-1')}").json()
    assert {day["day"]: day["hours"] for day in page["opening_week"]}["Saturday"] == "5pm to 1am"
    assert page["open_now"] is True
    assert page["opening_status"] == "Open now. Closes tomorrow at 1am."
    nearest = client.get("/api/venues/nearest", params={"lat": 52.52, "lon": -1.45}).json()
    assert nearest["venues"][0]["open_now"] is True
    offline = client.get("/api/venues/offline").json()
    spans = offline["venues"][0]["open"]
    saturday_night = [
        int(datetime(2026, 12, 5, 17, 0, tzinfo=UTC).timestamp()),
        int(datetime(2026, 12, 6, 1, 0, tzinfo=UTC).timestamp()),
    ]
    assert saturday_night in spans


def test_twelve_hour_hours_stored_by_another_road_are_unknown_never_open_at_night(
    engine: Engine, make_client, clock: Clock
) -> None:
    """ "Mo-Fr 9-5" reads as open until 5 the next morning, so it is refused on the way in;
    one written into the database by another road (an older version) is "unknown" on
    every answer, never open at 3am."""
    load(engine, HEADER + venue_row("T-1", 52.2819, -1.5849))
    with engine.begin() as connection:
        connection.execute(text("UPDATE venue SET opening_hours = 'Mo-Fr 9-5' WHERE ref = 'T-1'"))
    clock.now = datetime(2026, 12, 9, 3, 0, tzinfo=LONDON)  # a Wednesday night
    client = make_client()
    page = client.get(f"/api/venues/{venue_id(engine, 'T-1')}").json()
    assert page["open_now"] is None
    nearest = client.get("/api/venues/nearest", params={"lat": 52.28, "lon": -1.58}).json()
    assert nearest["venues"][0]["open_now"] is None
    offline = client.get("/api/venues/offline").json()["venues"][0]
    assert offline["open"] is None


def test_easter_monday_is_closed_in_warwick_on_every_answer(
    engine: Engine, make_client, clock: Clock
) -> None:
    load(
        engine,
        HEADER + venue_row("W-1", 52.2819, -1.5849, opening_hours="Mo-Fr 09:00-17:00; PH off"),
    )
    clock.now = datetime(2026, 4, 6, 10, 0, tzinfo=LONDON)
    client = make_client()
    page = client.get(f"/api/venues/{venue_id(engine, 'W-1')}").json()
    assert (page["open_now"], page["opening_status"]) == (
        False,
        "Closed now. Opens tomorrow at 9am.",
    )
    assert page["opening_week"][0]["hours"] == "Closed"
    # The day is named as the bank holiday it is (England's: the venue is in Warwick).
    assert [day["holiday"] for day in page["opening_week"]] == ["Easter Monday"] + [None] * 6
    nearest = client.get("/api/venues/nearest", params={"lat": 52.28, "lon": -1.58}).json()
    assert nearest["venues"][0]["open_now"] is False
    assert client.get("/api/venues/nearest?lat=52.28&lon=-1.58&open_now=true").json() == {
        "venues": []
    }


def test_a_venue_with_always_open_hours_answers_at_once(
    engine: Engine, make_client, clock: Clock
) -> None:
    load(engine, HEADER + venue_row("A-1", 52.2819, -1.5849, opening_hours="Mo-Su 00:00-24:00"))
    clock.now = datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)
    page = make_client().get(f"/api/venues/{venue_id(engine, 'A-1')}").json()
    assert page["opening_status"] == "Open now. Open all day and night."
    assert {day["hours"] for day in page["opening_week"]} == {"Open all day"}


def test_an_import_with_hours_we_cannot_answer_for_imports_nothing(
    engine: Engine, make_client
) -> None:
    client = make_client()
    good = venue_row("G-1", 52.2819, -1.5849, opening_hours="Mo-Fr 09:00-17:00")
    bad = venue_row("B-1", 52.2819, -1.5849, opening_hours="Mo-Fr 09:00-17:00; SH off")
    with Session(engine) as session, pytest.raises(VenueFileError) as caught:
        import_venue_file(session, HEADER + good + bad)
    assert [str(error) for error in caught.value.errors] == [
        "line 3: opening_hours cannot use school holidays (SH) near character 20. "
        "We have no dates for school holidays. "
        "Give the dates instead, like Jul 22-Sep 02 10:00-16:00."
    ]
    assert client.get("/api/venues/nearest?lat=52.28&lon=-1.58").json() == {"venues": []}


def test_numbers_with_underscores_are_not_positions(client: TestClient) -> None:
    """Python reads "5_2.37" as 52.37; a person who typed it meant something else."""
    nearest = client.get("/api/venues/nearest", params={"lat": "5_2.37", "lon": "-1.58"})
    assert nearest.status_code == 422
    assert nearest.json()["message"].startswith("lat must be a number.")
    check = client.post(
        CHECK, json={"opening_hours": "24/7", "latitude": "5_2.37", "longitude": "-1.58"}
    )
    assert check.status_code == 422
    assert "latitude must be a number" in check.json()["message"]


def test_a_body_that_is_not_json_or_not_a_list_is_said_plainly(client: TestClient) -> None:
    broken = client.post(CHECK, content=b"not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 422
    assert (
        broken.json()["message"] == "The body is not JSON: check its quotes, commas and brackets."
    )
    one = client.post(CHECK, json={"opening_hours": "24/7", "at": "2026-04-06T10:00:00Z"})
    assert one.json()["message"] == "at must be a list, in [ and ]."
