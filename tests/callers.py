"""Every kind of caller a route meets, for the route-by-caller matrices of each test
file: `Site` makes them (two venues, an officer, staff of each venue, a disabled
account and a forged token); `cells` turns a file's MATRIX into test cases, and
`answered` checks one cell."""

from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import Engine, text
from sqlmodel import Session

from tests.conftest import HEADER, load, venue_row
from tests.people import add_account, token_headers, venue_ids

CALLERS = (
    "anonymous",
    "staff of this venue",
    "staff of another venue",
    "officer",
    "disabled account",
    "forged token",
)


class Site:
    """Two venues, an officer, staff of each venue, and a disabled staff account."""

    def __init__(self, engine: Engine, make_client) -> None:
        load(engine, HEADER + venue_row("A-1", 52.28, -1.58) + venue_row("B-1", 52.29, -1.59))
        self.client = make_client()  # after the venues, so it starts with them
        self.a, self.b = venue_ids(engine, "A-1", "B-1")
        self.callers = every_caller(engine, self.client, "A-1", "B-1")
        self.staff_id = self.account_id("a@example.org")

    def a_change(self) -> int:
        """The id of a change to venue A (made by the officer), to restore."""
        officer = self.callers["officer"]
        changed = self.client.patch(
            f"/api/venues/{self.a}",
            headers={**officer, **self.etag(self.a)},
            json={"phone": "01632 960100"},
        )
        assert changed.status_code == 200
        return self.client.get(f"/api/venues/{self.a}/history", headers=officer).json()[0]["id"]

    def account_id(self, email: str) -> int:
        accounts = self.client.get("/api/accounts", headers=self.callers["officer"]).json()
        return next(account["id"] for account in accounts if account["email"] == email)

    def account_etag(self, account_id: int) -> dict[str, str]:
        account = self.client.get(f"/api/accounts/{account_id}", headers=self.callers["officer"])
        return {"If-Match": account.headers["etag"]}

    def etag(self, venue_id: int) -> dict[str, str]:
        """The ETag as an editor reads it (the public page hides withdrawn venues)."""
        listing = self.client.get(
            f"/api/venues/{venue_id}/listing", headers=self.callers["officer"]
        )
        return {"If-Match": listing.headers["etag"]}


def every_caller(
    engine: Engine, client, this_ref: str, other_ref: str
) -> dict[str, dict[str, str]]:
    """An account for each kind of caller (staff of `this_ref`, staff of `other_ref`, an
    officer, a disabled staff account of `this_ref`), and the headers each sends."""
    add_account(engine, "officer@example.org", "officer")
    add_account(engine, "a@example.org", "staff", (this_ref,))
    add_account(engine, "b@example.org", "staff", (other_ref,))
    add_account(engine, "gone@example.org", "staff", (this_ref,))
    callers = {
        "anonymous": {},
        "staff of this venue": token_headers(client, "a@example.org"),
        "staff of another venue": token_headers(client, "b@example.org"),
        "officer": token_headers(client, "officer@example.org"),
        "disabled account": token_headers(client, "gone@example.org"),
        "forged token": {"Authorization": "Bearer " + forged_token()},
    }
    with Session(engine) as session:  # disabled after its token was issued
        session.execute(text("UPDATE account SET active = false WHERE email = 'gone@example.org'"))
        session.commit()
    return callers


def forged_token() -> str:
    claims = {"sub": "1", "ver": 0, "exp": datetime.now(UTC) + timedelta(minutes=5)}
    return jwt.encode(claims, "not the server's secret key, but long enough", algorithm="HS256")


def cells(matrix: dict[str, tuple[int, ...]]) -> list[tuple[str, str, int]]:
    """(route, caller, status) for every route and every caller, in CALLERS' order."""
    return [
        (route, caller, status)
        for route, statuses in matrix.items()
        for caller, status in zip(CALLERS, statuses, strict=True)
    ]


def answered(response, status: int) -> None:
    """The status the matrix says; a refusal also says why, in plain words."""
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.json()["message"]
