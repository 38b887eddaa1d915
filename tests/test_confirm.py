""" "Still correct?": a venue's staff (or an officer) say the listing is still right, through
the one write path (If-Match, history, a new ETag), and are told when it is due again."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, update
from sqlmodel import Session

from app.hours import LONDON
from app.hours.calendar import add_months
from app.models import Account, Role, Venue
from app.permissions import editable_fields
from tests.callers import Site, answered, cells
from tests.conftest import Clock
from tests.people import cheap_hashing  # noqa: F401  (a fixture)

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def site(engine, make_client) -> Site:
    return Site(engine, make_client)


def confirm(site: Site, caller: str = "staff of this venue", etag: dict | None = None):
    headers = {**site.callers[caller], **(site.etag(site.a) if etag is None else etag)}
    return site.client.post(f"/api/venues/{site.a}/confirm", headers=headers)


def confirmation(site: Site, caller: str = "staff of this venue") -> dict:
    answer = site.client.get(f"/api/venues/{site.a}/confirmation", headers=site.callers[caller])
    assert answer.status_code == 200, answer.text
    return answer.json()


CALLS = {
    "confirm a listing": lambda site, headers: site.client.post(
        f"/api/venues/{site.a}/confirm", headers={**headers, **site.etag(site.a)}
    ),
    "read when it is due": lambda site, headers: site.client.get(
        f"/api/venues/{site.a}/confirmation", headers=headers
    ),
}
MATRIX = {
    "confirm a listing": (401, 200, 403, 200, 401, 401),
    "read when it is due": (401, 200, 403, 200, 401, 401),
}
CELLS = cells(MATRIX)


@pytest.mark.parametrize(("route", "caller", "status"), CELLS)
def test_who_may_do_what(site: Site, route: str, caller: str, status: int) -> None:
    response = CALLS[route](site, site.callers[caller])
    answered(response, status)


def test_confirming_is_recorded_and_changes_the_etag(site: Site, clock: Clock) -> None:
    # Just after midnight in London in summer: still the day before in UTC.
    clock.now = datetime(2026, 7, 1, 0, 30, tzinfo=LONDON)
    before = site.etag(site.a)
    confirmed = confirm(site, etag=before)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["id"] == site.a  # the venue, as the other writes answer
    assert confirmed.headers["etag"] != before["If-Match"]
    assert confirmed.headers["etag"] == site.etag(site.a)["If-Match"]
    history = site.client.get(f"/api/venues/{site.a}/history", headers=site.callers["officer"])
    latest = history.json()[0]
    assert (latest["field"], latest["old_value"], latest["new_value"], latest["changed_by"]) == (
        "last_confirmed",
        None,
        "2026-07-01",
        "a@example.org",
    )
    said = confirmation(site)
    assert (said["last_confirmed"], said["counted_from"], said["due_on"], said["due"]) == (
        "2026-07-01",
        "2026-07-01",
        "2026-10-01",
        False,
    )
    # Nothing else about the venue changed.
    assert confirmed.json()["last_checked"] is None


def test_confirming_twice_in_a_day_is_fine(site: Site, clock: Clock) -> None:
    clock.now = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
    first = confirm(site)
    second = confirm(site, caller="officer")
    assert (first.status_code, second.status_code) == (200, 200)
    # Nothing new to record: the same version, one entry in the history.
    assert second.headers["etag"] == first.headers["etag"]
    history = site.client.get(f"/api/venues/{site.a}/history", headers=site.callers["officer"])
    assert [h["field"] for h in history.json()].count("last_confirmed") == 1
    clock.now += timedelta(days=1)
    third = confirm(site, caller="officer")
    assert third.headers["etag"] != second.headers["etag"]
    assert confirmation(site, "officer")["last_confirmed"] == "2026-03-03"


def test_a_stale_or_missing_if_match_is_refused(site: Site) -> None:
    read = site.etag(site.a)
    officer = site.callers["officer"]
    changed = site.client.patch(
        f"/api/venues/{site.a}", headers={**officer, **read}, json={"phone": "01632 960100"}
    )
    assert changed.status_code == 200
    stale = confirm(site, etag=read)
    assert stale.status_code == 412
    assert "Read it again" in stale.json()["message"]
    missing = site.client.post(
        f"/api/venues/{site.a}/confirm", headers=site.callers["staff of this venue"]
    )
    assert missing.status_code == 428
    assert confirmation(site)["last_confirmed"] is None


def test_a_withdrawn_venue_can_still_be_confirmed_by_an_officer(site: Site) -> None:
    officer = site.callers["officer"]
    site.client.post(f"/api/venues/{site.a}/withdraw", headers={**officer, **site.etag(site.a)})
    assert confirm(site, caller="officer").status_code == 200
    assert (
        site.client.post(
            "/api/venues/999999/confirm", headers={**officer, "If-Match": '"1"'}
        ).status_code
        == 404
    )


def test_a_venue_never_confirmed_is_due_counted_from_when_it_was_added(
    site: Site, engine, clock: Clock
) -> None:
    # Added at 00:30 on 1 June in London (still 31 May in UTC); asked on 2 June: both
    # pinned, so the test does not depend on the day (or the hour) it runs.
    with Session(engine) as session:
        session.execute(
            update(Venue)
            .where(Venue.id == site.a)  # type: ignore[arg-type]
            .values(created_at=datetime(2026, 5, 31, 23, 30, tzinfo=UTC))
        )
        session.commit()
    clock.now = datetime(2026, 6, 2, 9, 0, tzinfo=LONDON)
    added = date(2026, 6, 1)
    said = confirmation(site)
    assert (said["last_confirmed"], said["counted_from"]) == (None, added.isoformat())
    assert said["due_on"] == add_months(added, 3).isoformat() == "2026-09-01"
    assert (said["due"], said["every_months"]) == (False, 3)
    clock.now = datetime.combine(add_months(added, 3), datetime.min.time(), LONDON)
    assert confirmation(site)["due"] is True
    clock.now -= timedelta(minutes=1)
    assert confirmation(site)["due"] is False


def test_how_often_is_a_setting(engine, make_client, clock: Clock) -> None:
    site = Site(engine, make_client)
    monthly = make_client(confirm_every_months=1)
    clock.now = datetime(2026, 1, 31, 12, tzinfo=LONDON)
    assert (
        monthly.post(
            f"/api/venues/{site.a}/confirm",
            headers={**site.callers["officer"], **site.etag(site.a)},
        ).status_code
        == 200
    )
    said = monthly.get(f"/api/venues/{site.a}/confirmation", headers=site.callers["officer"]).json()
    assert (said["due_on"], said["every_months"]) == ("2026-02-28", 1)


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.config import Settings

    monkeypatch.setenv("SAFE_PLACES_CONFIRM_EVERY_MONTHS", "6")
    assert Settings().confirm_every_months == 6
    monkeypatch.setenv("SAFE_PLACES_CONFIRM_EVERY_MONTHS", "0")
    with pytest.raises(ValueError, match="confirm_every_months"):
        Settings()


@pytest.mark.parametrize(
    ("day", "months", "then"),
    [
        (date(2026, 1, 15), 3, date(2026, 4, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 1), 12, date(2027, 12, 1)),
    ],
)
def test_months_are_counted_on_the_calendar(day: date, months: int, then: date) -> None:
    assert add_months(day, months) == then


@pytest.mark.parametrize("role", [Role.staff, Role.officer])
def test_confirming_is_no_field_anyone_may_set_in_a_change(role: Role) -> None:
    """last_confirmed is set by confirming alone: never sent in a PATCH, never restored."""
    assert "last_confirmed" not in editable_fields(Account(email="x@example.org", role=role))


def test_a_confirmation_cannot_be_put_back_from_the_history(site: Site) -> None:
    assert confirm(site).status_code == 200
    officer = site.callers["officer"]
    change = site.client.get(f"/api/venues/{site.a}/history", headers=officer).json()[0]
    assert change["field"] == "last_confirmed"
    restore = site.client.post(
        f"/api/venues/{site.a}/history/{change['id']}/restore",
        headers={**officer, **site.etag(site.a)},
    )
    # Not "only a council officer can change it" to an officer: no one can, this way.
    assert restore.status_code == 422
    assert restore.json()["message"] == "last_confirmed cannot be restored this way."
    staff = site.client.post(
        f"/api/venues/{site.a}/history/{change['id']}/restore",
        headers={**site.callers["staff of this venue"], **site.etag(site.a)},
    )
    assert (staff.status_code, staff.json()["message"]) == (422, restore.json()["message"])
    assert confirmation(site)["last_confirmed"] is not None


def test_confirming_asks_once_whether_the_caller_looks_after_the_venue(site: Site) -> None:
    asked: list[str] = []

    def note(_conn, _cursor, statement: str, *_args) -> None:
        if "account_venue" in statement:
            asked.append(statement)

    app_engine = site.client.app.state.engine
    event.listen(app_engine, "before_cursor_execute", note)
    try:
        assert confirm(site).status_code == 200
    finally:
        event.remove(app_engine, "before_cursor_execute", note)
    assert len(asked) == 1, asked
