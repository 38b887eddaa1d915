"""Accounts for tests: made directly in the database, signed in through the API."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import Role, Venue
from app.people import sign_in as security
from app.people.account_records import create_account

PASSWORD = "correct horse battery staple"


def venue_ids(engine: Engine, *refs: str) -> list[int]:
    with Session(engine) as session:
        found = session.exec(select(Venue.ref, Venue.id).where(Venue.ref.in_(refs))).all()  # type: ignore[attr-defined]
        by_ref = dict(found)
    return [by_ref[ref] for ref in refs]


def add_account(
    engine: Engine, email: str, role: str, venue_refs: tuple[str, ...] = (), **options: bool
) -> int:
    with Session(engine) as session:
        account = create_account(
            session,
            email,
            Role(role),
            PASSWORD,
            venue_ids(engine, *venue_refs),
            must_change_password=options.get("must_change_password", False),
        )
        session.commit()
        assert account.id is not None
        return account.id


def token_headers(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Argon2 at its lowest cost, for tests about permissions, not about hashing.

    The real cost (about 0.1 s a hash) is what stops guessing; here it only
    slows a matrix of a hundred sign-ins. tests/test_accounts.py keeps it.
    """
    monkeypatch.setattr(
        security,
        "_hasher",
        PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),)),
    )
    # The hash checked for unknown emails is made once, with the hasher of the
    # moment: forget a cheap one, so a later test about equal costs gets a real one.
    security._dummy_hash.cache_clear()
    yield
    security._dummy_hash.cache_clear()
