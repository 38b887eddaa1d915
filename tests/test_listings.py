"""Changing listings: who may do what (every write route, every kind of caller),
no lost updates, history, and freshness."""

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.callers import Site, answered, cells
from tests.conftest import HEADER, load, venue_row
from tests.people import (
    PASSWORD,
    cheap_hashing,  # noqa: F401  (a fixture)
    venue_ids,
)
from tests.pictures import photo_bytes
from tests.servers import running_server, safe_places

NEW_VENUE = {
    "ref": "NEW-1",
    "name": "New Library",
    "category": "library",
    "address": "1 New Street",
    "town": "Warwick",
    "postcode": "CV34 4AA",
    "latitude": 52.281,
    "longitude": -1.581,
    "opening_hours": "Mo-Fr 09:00-17:00",
}

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def site(engine: Engine, make_client) -> Site:
    return Site(engine, make_client)


def call(site: Site, route: str, headers: dict[str, str]):
    client, a = site.client, site.a
    if route == "change a venue":
        return client.patch(
            f"/api/venues/{a}", headers={**headers, **site.etag(a)}, json={"phone": "01632 960111"}
        )
    if route == "add a venue":
        return client.post("/api/venues", headers=headers, json=NEW_VENUE)
    if route == "withdraw a venue":
        return client.post(f"/api/venues/{a}/withdraw", headers={**headers, **site.etag(a)})
    if route == "bring a venue back":
        return client.post(f"/api/venues/{a}/reinstate", headers={**headers, **site.etag(a)})
    if route == "mark a venue checked":
        return client.post(f"/api/venues/{a}/checked", headers={**headers, **site.etag(a)})
    if route == "read a venue's history":
        return client.get(f"/api/venues/{a}/history", headers=headers)
    if route == "restore an earlier value":
        change_id = site.a_change()
        return client.post(
            f"/api/venues/{a}/history/{change_id}/restore",
            headers={**headers, **site.etag(a)},
        )
    if route == "put up a photo":
        return client.put(
            f"/api/venues/{a}/photo", headers={**headers, **site.etag(a)}, content=photo_bytes()
        )
    if route == "import a venue file":
        file = HEADER + venue_row("A-1", 52.28, -1.58, phone="01632 960222")
        return client.post("/api/venues/import", headers=headers, content=file)
    if route == "page through the venues":
        return client.get("/api/venues/editable/page?sort=last_checked&per_page=5", headers=headers)
    if route == "list venues due a check":
        return client.get("/api/venues/unchecked", headers=headers)
    if route == "export the venues":
        return client.get("/api/venues/export?format=openreferral", headers=headers)
    if route == "add an account":
        return client.post(
            "/api/accounts", headers=headers, json={"email": "n@example.org", "role": "staff"}
        )
    if route == "change an account":
        return client.patch(
            f"/api/accounts/{site.staff_id}",
            headers={**headers, **site.account_etag(site.staff_id)},
            json={"venue_ids": [site.b]},
        )
    if route == "reset a password":
        return client.post(f"/api/accounts/{site.staff_id}/password-reset", headers=headers)
    raise AssertionError(route)


MATRIX = {
    "change a venue": (401, 200, 403, 200, 401, 401),
    "add a venue": (401, 403, 403, 201, 401, 401),
    "withdraw a venue": (401, 403, 403, 200, 401, 401),
    "mark a venue checked": (401, 403, 403, 200, 401, 401),
    "bring a venue back": (401, 403, 403, 200, 401, 401),
    "read a venue's history": (401, 200, 403, 200, 401, 401),
    "restore an earlier value": (401, 200, 403, 200, 401, 401),
    "put up a photo": (401, 200, 403, 200, 401, 401),
    "import a venue file": (401, 403, 403, 200, 401, 401),
    "export the venues": (401, 403, 403, 200, 401, 401),
    "page through the venues": (401, 200, 200, 200, 401, 401),
    "list venues due a check": (401, 403, 403, 200, 401, 401),
    "add an account": (401, 403, 403, 201, 401, 401),
    "change an account": (401, 403, 403, 200, 401, 401),
    "reset a password": (401, 403, 403, 200, 401, 401),
}
CELLS = cells(MATRIX)


@pytest.mark.parametrize(("route", "caller", "status"), CELLS)
def test_who_may_do_what(site: Site, route: str, caller: str, status: int) -> None:
    response = call(site, route, site.callers[caller])
    answered(response, status)


def test_staff_may_change_only_their_fields(site: Site) -> None:
    staff = site.callers["staff of this venue"]
    for field, value in (("name", "Mine now"), ("latitude", 52.3), ("ref", "X-1")):
        response = site.client.patch(
            f"/api/venues/{site.a}", headers={**staff, **site.etag(site.a)}, json={field: value}
        )
        assert response.status_code == 403
        assert response.json()["message"] == f"Only a council officer can change {field}."
    allowed = {
        "opening_hours": "Mo-Sa 08:00-18:00",
        "easy_read": "This is a shop. Staff will help you.",
        "step_free": False,
        "quiet_space": True,
    }
    changed = site.client.patch(
        f"/api/venues/{site.a}", headers={**staff, **site.etag(site.a)}, json=allowed
    )
    assert changed.status_code == 200
    assert {name: changed.json()[name] for name in allowed} == allowed


def test_no_lost_updates(site: Site) -> None:
    one, two = site.callers["staff of this venue"], site.callers["officer"]
    read_by_both = site.etag(site.a)
    first = site.client.patch(
        f"/api/venues/{site.a}", headers={**one, **read_by_both}, json={"phone": "01632 960001"}
    )
    assert first.status_code == 200
    assert first.headers["etag"] != read_by_both["If-Match"]
    second = site.client.patch(
        f"/api/venues/{site.a}", headers={**two, **read_by_both}, json={"phone": "01632 960002"}
    )
    assert second.status_code == 412
    assert "Read it again" in second.json()["message"]
    missing = site.client.patch(
        f"/api/venues/{site.a}", headers=two, json={"phone": "01632 960003"}
    )
    assert missing.status_code == 428
    assert site.client.get(f"/api/venues/{site.a}").json()["phone"] == "01632 960001"


def test_bad_values_are_refused_whole(site: Site) -> None:
    officer = site.callers["officer"]
    before = site.client.get(f"/api/venues/{site.a}")
    response = site.client.patch(
        f"/api/venues/{site.a}",
        headers={**officer, **site.etag(site.a)},
        json={"phone": "01632 960009", "opening_hours": "whenever", "postcode": "NOPE1"},
    )
    assert response.status_code == 422
    message = response.json()["message"]
    assert "opening_hours is not in OpenStreetMap format" in message
    assert "postcode 'NOPE1' is not a UK postcode" in message
    after = site.client.get(f"/api/venues/{site.a}")
    assert after.json() == before.json()
    assert after.headers["etag"] == before.headers["etag"]
    unknown = site.client.patch(
        f"/api/venues/{site.a}", headers={**officer, **site.etag(site.a)}, json={"colour": "red"}
    )
    assert unknown.status_code == 422
    assert "colour" in unknown.json()["message"]


def test_history_says_who_when_and_what(site: Site) -> None:
    staff, officer = site.callers["staff of this venue"], site.callers["officer"]
    site.client.patch(
        f"/api/venues/{site.a}",
        headers={**staff, **site.etag(site.a)},
        json={"phone": "01632 960077"},
    )
    site.client.post(f"/api/venues/{site.a}/withdraw", headers={**officer, **site.etag(site.a)})
    history = site.client.get(f"/api/venues/{site.a}/history", headers=staff).json()
    assert [(h["field"], h["old_value"], h["new_value"], h["changed_by"]) for h in history] == [
        ("active", True, False, "officer@example.org"),
        ("phone", None, "01632 960077", "a@example.org"),
    ]


def test_withdrawn_venues_disappear_at_once_but_are_kept(site: Site) -> None:
    officer = site.callers["officer"]
    near = {"lat": 52.28, "lon": -1.58, "limit": 5}
    assert site.a in [
        v["id"] for v in site.client.get("/api/venues/nearest", params=near).json()["venues"]
    ]
    withdrawn = site.client.post(
        f"/api/venues/{site.a}/withdraw", headers={**officer, **site.etag(site.a)}
    )
    assert withdrawn.json()["active"] is False
    nearest = site.client.get("/api/venues/nearest", params=near).json()["venues"]
    assert site.a not in [venue["id"] for venue in nearest]
    assert site.client.get(f"/api/venues/{site.a}").status_code == 404
    assert len(site.client.get(f"/api/venues/{site.a}/history", headers=officer).json()) == 1


def test_edits_reach_nearest_at_once_on_this_instance(site: Site) -> None:
    officer = site.callers["officer"]
    site.client.patch(
        f"/api/venues/{site.a}", headers={**officer, **site.etag(site.a)}, json={"name": "Renamed"}
    )
    nearest = site.client.get("/api/venues/nearest", params={"lat": 52.28, "lon": -1.58}).json()
    assert nearest["venues"][0]["name"] == "Renamed"
    added = site.client.post("/api/venues", headers=officer, json=NEW_VENUE)
    assert added.status_code == 201
    assert added.headers["etag"] == '"1"'
    nearest = site.client.get("/api/venues/nearest", params={"lat": 52.281, "lon": -1.581}).json()
    assert nearest["venues"][0]["ref"] == "NEW-1"
    again = site.client.post("/api/venues", headers=officer, json=NEW_VENUE)
    assert (again.status_code, again.json()["message"]) == (
        409,
        "ref NEW-1 is already used by another venue.",
    )


def test_marking_checked_shows_on_the_public_page(site: Site) -> None:
    officer = site.callers["officer"]
    site.client.post(f"/api/venues/{site.a}/checked", headers={**officer, **site.etag(site.a)})
    today = datetime.now(UTC).astimezone().date().isoformat()
    assert site.client.get(f"/api/venues/{site.a}").json()["last_checked"][:4] == today[:4]


def test_an_edit_reaches_another_instance_within_two_seconds(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58))
    added = safe_places(
        "users", "add", "o@example.org", "--role", "officer",
        database_url=database_url, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    with (
        running_server(database_url, tmp_path / "one.log") as one,
        running_server(database_url, tmp_path / "two.log") as two,
    ):
        token = one.post(
            "/api/auth/token", data={"username": "o@example.org", "password": PASSWORD}
        )
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        [venue_id] = venue_ids(engine, "A-1")
        etag = one.get(f"/api/venues/{venue_id}").headers["etag"]
        changed = one.patch(
            f"/api/venues/{venue_id}",
            headers={**headers, "If-Match": etag},
            json={"name": "Changed on one"},
        )
        assert changed.status_code == 200, changed.text
        changed_at = time.monotonic()
        here = {"lat": 52.28, "lon": -1.58, "limit": 1}
        assert (
            one.get("/api/venues/nearest", params=here).json()["venues"][0]["name"]
            == "Changed on one"
        )
        while (
            two.get("/api/venues/nearest", params=here).json()["venues"][0]["name"]
            != "Changed on one"
        ):
            assert time.monotonic() - changed_at < 2.0, "the other instance was stale for 2 s"
            time.sleep(0.05)


def test_easy_read_text_must_stay_easy_read(site: Site) -> None:
    staff = site.callers["staff of this venue"]
    response = site.client.patch(
        f"/api/venues/{site.a}",
        headers={**staff, **site.etag(site.a)},
        json={"easy_read": "PLEASE attend the premises. We have three rooms."},
    )
    assert response.status_code == 422
    message = response.json()["message"]
    assert "easy_read: Write PLEASE as please" in message
    assert "easy_read: 'premises' is a hard word" in message
    assert "easy_read: Write 3, not three." in message


def test_a_temporary_closure_shows_everywhere_and_lapses_by_itself(
    engine: Engine, make_client, clock
) -> None:
    from app.hours import LONDON

    clock.now = datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)  # a Wednesday
    site = Site(engine, make_client)
    staff = site.callers["staff of this venue"]
    closed = site.client.patch(
        f"/api/venues/{site.a}",
        headers={**staff, **site.etag(site.a)},
        json={"closed_until": "2026-11-30"},
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["open_now"] is False
    assert closed.json()["opening_status"] == "Closed until Monday 30 November."
    assert [day["hours"] for day in closed.json()["opening_week"][:6]] == ["Closed"] * 5 + [
        "9am to 5pm"
    ]
    here = {"lat": 52.28, "lon": -1.58, "limit": 2}
    [first, _] = site.client.get("/api/venues/nearest", params=here).json()["venues"]
    assert (first["id"], first["open_now"], first["opening_today"]) == (
        site.a,
        False,
        "Closed today.",
    )
    assert first["opening_status"] == "Closed until Monday 30 November."
    open_ones = site.client.get("/api/venues/nearest", params={**here, "open_now": "true"}).json()
    assert site.a not in [venue["id"] for venue in open_ones["venues"]]
    clock.now = datetime(2026, 11, 30, 12, 0, tzinfo=LONDON)  # the closure has ended
    [first, _] = site.client.get("/api/venues/nearest", params=here).json()["venues"]
    assert (first["id"], first["open_now"]) == (site.a, True)


@pytest.mark.parametrize("day", ["2020-01-01", "2030-01-01"])
def test_a_closure_must_be_soon_and_in_the_future(site: Site, day: str) -> None:
    staff = site.callers["staff of this venue"]
    response = site.client.patch(
        f"/api/venues/{site.a}", headers={**staff, **site.etag(site.a)}, json={"closed_until": day}
    )
    assert response.status_code == 422
    assert response.json()["message"].startswith("closed_until must be a day after today")


def test_an_earlier_value_can_be_restored(site: Site) -> None:
    staff, officer = site.callers["staff of this venue"], site.callers["officer"]
    site.client.patch(
        f"/api/venues/{site.a}",
        headers={**staff, **site.etag(site.a)},
        json={"phone": "01632 960055"},
    )
    site.client.post(f"/api/venues/{site.a}/withdraw", headers={**officer, **site.etag(site.a)})
    history = site.client.get(f"/api/venues/{site.a}/history", headers=officer).json()
    withdrawal, phone = history[0]["id"], history[1]["id"]
    denied = site.client.post(
        f"/api/venues/{site.a}/history/{withdrawal}/restore", headers={**staff, **site.etag(site.a)}
    )
    assert denied.status_code == 403
    back = site.client.post(
        f"/api/venues/{site.a}/history/{withdrawal}/restore",
        headers={**officer, **site.etag(site.a)},
    )
    assert back.json()["active"] is True
    restored = site.client.post(
        f"/api/venues/{site.a}/history/{phone}/restore", headers={**staff, **site.etag(site.a)}
    )
    assert restored.status_code == 200
    assert restored.json()["phone"] is None
    fields = [
        h["field"] for h in site.client.get(f"/api/venues/{site.a}/history", headers=staff).json()
    ]
    assert fields == ["phone", "active", "active", "phone"]  # restoring is recorded too
    other = site.client.post(
        f"/api/venues/{site.b}/history/{phone}/restore", headers={**officer, **site.etag(site.b)}
    )
    assert other.status_code == 404


def test_officers_see_venues_not_checked_for_a_year(site: Site, clock) -> None:
    from app.hours import LONDON

    officer = site.callers["officer"]
    clock.now = datetime(2025, 6, 1, 12, 0, tzinfo=LONDON)
    site.client.post(f"/api/venues/{site.a}/checked", headers={**officer, **site.etag(site.a)})
    clock.now = datetime(2026, 11, 24, 12, 0, tzinfo=LONDON)
    site.client.post(f"/api/venues/{site.b}/checked", headers={**officer, **site.etag(site.b)})
    stale = site.client.get("/api/venues/unchecked", headers=officer).json()
    assert [(venue["ref"], venue["last_checked"]) for venue in stale] == [("A-1", "2025-06-01")]
    assert (
        site.client.get(
            "/api/venues/unchecked", headers=site.callers["staff of this venue"]
        ).status_code
        == 403
    )


def test_a_nul_byte_in_a_new_ref_is_refused_before_the_database(site: Site) -> None:
    officer = site.callers["officer"]
    response = site.client.post("/api/venues", headers=officer, json={**NEW_VENUE, "ref": "\x00"})
    assert response.status_code == 422
    assert "ref holds a control character" in response.json()["message"]


def test_problems_are_said_once_each_with_one_full_stop(site: Site) -> None:
    officer = site.callers["officer"]
    response = site.client.patch(
        f"/api/venues/{site.a}",
        headers={**officer, **site.etag(site.a)},
        json={"easy_read": "PLEASE come in.", "postcode": "NOPE1"},
    )
    message = response.json()["message"]
    assert ".." not in message
    assert message.endswith("capitals read as shouting.")


def test_each_editor_lists_the_venues_they_may_change(site: Site) -> None:
    officer, staff = site.callers["officer"], site.callers["staff of this venue"]
    site.client.post(f"/api/venues/{site.a}/withdraw", headers={**officer, **site.etag(site.a)})
    everything = site.client.get("/api/venues/editable", headers=officer).json()
    assert [(v["ref"], v["active"]) for v in everything] == [("A-1", False), ("B-1", True)]
    theirs = site.client.get("/api/venues/editable", headers=staff).json()
    assert [v["ref"] for v in theirs] == ["A-1"]
    assert site.client.get("/api/venues/editable").status_code == 401


def test_a_withdrawn_venue_can_be_brought_back(site: Site) -> None:
    officer = site.callers["officer"]
    site.client.post(f"/api/venues/{site.a}/withdraw", headers={**officer, **site.etag(site.a)})
    assert site.client.get(f"/api/venues/{site.a}").status_code == 404
    back = site.client.post(
        f"/api/venues/{site.a}/reinstate", headers={**officer, **site.etag(site.a)}
    )
    assert back.status_code == 200 and back.json()["active"] is True
    assert site.client.get(f"/api/venues/{site.a}").status_code == 200
    nearest = site.client.get("/api/venues/nearest", params={"lat": 52.28, "lon": -1.58}).json()
    assert nearest["venues"][0]["id"] == site.a  # nearest look-ups see it again at once
    history = site.client.get(f"/api/venues/{site.a}/history", headers=officer).json()
    assert [(h["field"], h["new_value"]) for h in history[:2]] == [
        ("active", True),
        ("active", False),
    ]
