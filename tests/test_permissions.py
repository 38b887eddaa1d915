"""Who may change which field: app/permissions.py, as one table, and what /api/me sends.

The route-by-caller matrix (who may call which route) is tests/test_listings.py;
this is the field rule beneath it, and the proof that the web app is sent the
rule rather than keeping a copy.
"""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import Account, Role, Venue
from app.models.venue import VenuePatch
from app.permissions import (
    NOT_YOUR_VENUE,
    OFFICER_FIELDS,
    VENUE_FIELDS,
    editable_fields,
    require_editor,
    require_fields,
)
from app.problems import NotAllowed
from tests.conftest import HEADER, load, venue_row
from tests.people import add_account, cheap_hashing, token_headers  # noqa: F401

pytestmark = pytest.mark.usefixtures("cheap_hashing")

# field: (staff of the venue, officer). The rule, written out once.
TABLE = {
    "ref": (False, True),
    "name": (False, True),
    "category": (False, True),
    "address": (False, True),
    "town": (False, True),
    "postcode": (False, True),
    "latitude": (False, True),
    "longitude": (False, True),
    "phone": (True, True),
    "website": (True, True),
    "opening_hours": (True, True),
    "easy_read": (True, True),
    "step_free": (True, True),
    "accessible_toilet": (True, True),
    "quiet_space": (True, True),
    "photo": (True, True),
    "closed_until": (True, True),
    "active": (False, True),
    "last_checked": (False, True),
}


def test_the_table_covers_every_field_a_change_can_send() -> None:
    assert set(VenuePatch.model_fields) == VENUE_FIELDS
    assert set(TABLE) == OFFICER_FIELDS


@pytest.mark.parametrize("field", sorted(TABLE))
@pytest.mark.parametrize("role", [Role.staff, Role.officer])
def test_who_may_change_each_field(field: str, role: Role) -> None:
    account = Account(email="x@example.org", role=role)
    allowed = TABLE[field][role == Role.officer]
    assert (field in editable_fields(account)) is allowed
    if allowed:
        require_fields(account, [field])
    else:
        with pytest.raises(NotAllowed, match=f"Only a council officer can change {field}."):
            require_fields(account, [field])


@pytest.mark.parametrize("role", ["staff", "officer"])
def test_me_sends_the_fields_you_may_edit(engine: Engine, make_client, role: str) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58))
    add_account(engine, "someone@example.org", role, ("A-1",) if role == "staff" else ())
    client: TestClient = make_client()
    me = client.get("/api/me", headers=token_headers(client, "someone@example.org")).json()
    expected = sorted(field for field, rule in TABLE.items() if rule[role == "officer"])
    assert me["editable_fields"] == expected


def test_an_editor_is_required_in_the_words_of_what_was_tried(engine: Engine) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58) + venue_row("B-1", 52.29, -1.59))
    add_account(engine, "a@example.org", "staff", ("A-1",))
    with Session(engine) as session:
        staff = session.exec(select(Account).where(Account.email == "a@example.org")).one()
        theirs, other = (
            session.exec(select(Venue).where(Venue.ref == ref)).one() for ref in ("A-1", "B-1")
        )
        require_editor(session, staff, theirs)
        with pytest.raises(NotAllowed, match=NOT_YOUR_VENUE):
            require_editor(session, staff, other)
        with pytest.raises(NotAllowed, match="You can only record visits"):
            require_editor(session, staff, other, "You can only record visits to yours.")
