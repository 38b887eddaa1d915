import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.people.sign_in import hash_password, verify_password
from tests.conftest import HEADER, load, venue_row
from tests.people import PASSWORD, add_account, token_headers, venue_ids
from tests.servers import safe_places


@pytest.fixture
def site(engine: Engine, make_client) -> TestClient:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58) + venue_row("B-1", 52.29, -1.59))
    add_account(engine, "officer@example.org", "officer")
    add_account(engine, "staff@example.org", "staff", ("A-1",))
    return make_client()


def sign_in(client: TestClient, email: str, password: str, address: str = "testclient"):
    return client.post("/api/auth/token", data={"username": email, "password": password})


def change(client: TestClient, officer: dict[str, str], account_id: int, **body: object):
    """PATCH an account with the ETag an officer just read, as every change must."""
    read = client.get(f"/api/accounts/{account_id}", headers=officer)
    headers = {**officer, "If-Match": read.headers["etag"]}
    return client.patch(f"/api/accounts/{account_id}", headers=headers, json=body)


def test_passwords_are_argon2_hashes() -> None:
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert verify_password(PASSWORD, hashed)
    assert not verify_password("wrong", hashed)


def test_sign_in_and_me(site: TestClient, engine: Engine) -> None:
    response = sign_in(site, "Staff@Example.org", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    me = site.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert me["email"] == "staff@example.org"
    assert me["role"] == "staff"
    assert me["venue_ids"] == venue_ids(engine, "A-1")
    assert (me["can_add_venues"], me["can_manage_accounts"]) == (False, False)


def test_wrong_password_and_unknown_email_get_the_same_answer(site: TestClient) -> None:
    def timed(email: str) -> tuple[int, dict, float]:
        began = time.perf_counter()
        response = sign_in(site, email, "not the password")
        return response.status_code, response.json(), time.perf_counter() - began

    wrong = timed("staff@example.org")
    unknown = timed("nobody@example.org")
    assert wrong[:2] == unknown[:2]
    assert wrong[0] == 401
    # Both check an argon2 hash, so neither is quick: no timing tells them apart.
    assert unknown[2] > 0.3 * wrong[2]


def test_repeated_failures_are_throttled_per_account_and_address(site: TestClient) -> None:
    # More in tests/test_sign_in_throttle.py: other addresses, instances, proxies.
    for _ in range(5):
        assert sign_in(site, "staff@example.org", "wrong").status_code == 401
    throttled = sign_in(site, "staff@example.org", PASSWORD)
    assert throttled.status_code == 429
    wait = int(throttled.headers["retry-after"])
    assert 0 < wait <= 900
    # The words and the header agree: 900 seconds is "15 minutes", not 16.
    minutes = -(-wait // 60)
    assert f"Wait {minutes} minutes, then try again." in throttled.json()["message"]
    # Another account is not locked by someone guessing this one.
    assert sign_in(site, "officer@example.org", PASSWORD).status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        jwt.encode(
            {"sub": "1", "ver": 0, "exp": datetime.now(UTC) + timedelta(minutes=5)}, "x" * 32
        ),
        "",
    ],
)
def test_forged_or_malformed_tokens_get_401(site: TestClient, token: str) -> None:
    response = site.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_expired_tokens_get_401(site: TestClient, engine: Engine) -> None:
    secret = site.app.state.settings.secret_key
    expired = jwt.encode(
        {"sub": "1", "ver": 0, "exp": datetime.now(UTC) - timedelta(seconds=1)}, secret
    )
    assert site.get("/api/me", headers={"Authorization": f"Bearer {expired}"}).status_code == 401


def test_officer_adds_staff_who_must_choose_a_password(site: TestClient, engine: Engine) -> None:
    officer = token_headers(site, "officer@example.org")
    [b1] = venue_ids(engine, "B-1")
    created = site.post(
        "/api/accounts",
        headers=officer,
        json={"email": "new@example.org", "role": "staff", "venue_ids": [b1]},
    )
    assert created.status_code == 201
    one_time = created.json()["one_time_password"]
    assert created.json()["must_change_password"] is True
    assert "password_hash" not in created.json()
    first = token_headers(site, "new@example.org", one_time)
    assert site.get("/api/me", headers=first).status_code == 200
    blocked = site.patch(f"/api/venues/{b1}", headers=first, json={"phone": "01632 960000"})
    assert blocked.status_code == 403
    assert "Choose your own password first" in blocked.json()["message"]
    changed = site.post(
        "/api/auth/password",
        headers=first,
        json={"current_password": one_time, "new_password": "my own long password"},
    )
    assert changed.status_code == 200
    assert site.get("/api/me", headers=first).status_code == 401  # old sign-in ended
    mine = token_headers(site, "new@example.org", "my own long password")
    assert site.get("/api/me", headers=mine).json()["must_change_password"] is False


def test_disabling_or_resetting_ends_existing_sign_ins(site: TestClient, engine: Engine) -> None:
    officer = token_headers(site, "officer@example.org")
    staff = token_headers(site, "staff@example.org")
    staff_id = site.get("/api/me", headers=staff).json()["id"]
    disabled = change(site, officer, staff_id, active=False)
    assert disabled.json()["active"] is False
    assert site.get("/api/me", headers=staff).status_code == 401
    assert sign_in(site, "staff@example.org", PASSWORD).status_code == 401
    change(site, officer, staff_id, active=True)
    staff = token_headers(site, "staff@example.org")
    reset = site.post(f"/api/accounts/{staff_id}/password-reset", headers=officer)
    assert reset.json()["must_change_password"] is True
    assert site.get("/api/me", headers=staff).status_code == 401
    assert sign_in(site, "staff@example.org", reset.json()["one_time_password"]).status_code == 200


def test_relinking_and_account_errors(site: TestClient, engine: Engine) -> None:
    officer = token_headers(site, "officer@example.org")
    me = site.get("/api/me", headers=officer).json()
    staff_id = next(
        account["id"]
        for account in site.get("/api/accounts", headers=officer).json()
        if account["email"] == "staff@example.org"
    )
    both = venue_ids(engine, "A-1", "B-1")
    relinked = change(site, officer, staff_id, venue_ids=both)
    assert relinked.json()["venue_ids"] == sorted(both)
    unknown = change(site, officer, staff_id, venue_ids=[999999])
    assert (unknown.status_code, unknown.json()["message"]) == (
        422,
        "There is no venue with id 999999.",
    )
    taken = site.post(
        "/api/accounts", headers=officer, json={"email": "STAFF@example.org", "role": "staff"}
    )
    assert (taken.status_code, taken.json()["message"]) == (
        422,
        "There is already an account for staff@example.org.",
    )
    myself = change(site, officer, me["id"], active=False)
    assert myself.status_code == 422
    bad_email = site.post("/api/accounts", headers=officer, json={"email": "nope", "role": "staff"})
    assert bad_email.status_code == 422
    assert "email" in bad_email.json()["message"]
    assert ".." not in bad_email.json()["message"]  # email-validator ends with its own


def test_first_officer_from_the_command_line(engine: Engine, database_url: str) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58))
    added = safe_places(
        "users", "add", "Chief@Example.org", "--role", "officer",
        database_url=database_url, stdin="a long enough password\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Added officer chief@example.org." in added.stdout
    staff = safe_places(
        "users", "add", "s@example.org", "--role", "staff", "--venue", "A-1",
        database_url=database_url, stdin="another long password\n",
    )  # fmt: skip
    assert staff.returncode == 0, staff.stderr
    again = safe_places(
        "users", "add", "chief@example.org", "--role", "officer",
        database_url=database_url, stdin="a long enough password\n",
    )  # fmt: skip
    assert again.returncode == 1
    assert "already an account" in again.stderr
    short = safe_places(
        "users", "add", "x@example.org", "--role", "staff",
        database_url=database_url, stdin="short\n",
    )  # fmt: skip
    assert short.returncode == 1


def test_a_nul_byte_in_the_email_is_just_a_wrong_sign_in(site: TestClient) -> None:
    assert sign_in(site, "staff@example.org\x00", PASSWORD).status_code == 401


def test_account_bodies_are_strict(site: TestClient) -> None:
    officer = token_headers(site, "officer@example.org")
    for body in (
        {"email": "x@example.org", "role": "staff", "venue_ids": [True]},
        {"email": "x@example.org", "role": "staff", "colour": "red"},
    ):
        assert site.post("/api/accounts", headers=officer, json=body).status_code == 422


def test_signing_out_ends_the_sign_in_everywhere(site: TestClient) -> None:
    here = token_headers(site, "staff@example.org")
    there = token_headers(site, "staff@example.org")
    assert site.get("/api/me", headers=there).status_code == 200
    assert site.post("/api/auth/sign-out", headers=here).status_code == 204
    for headers in (here, there):
        assert site.get("/api/me", headers=headers).status_code == 401
    assert site.post("/api/auth/sign-out").status_code == 401


def test_account_changes_need_the_etag_they_were_read_with(site: TestClient) -> None:
    officer = token_headers(site, "officer@example.org")
    listed = {a["email"]: a for a in site.get("/api/accounts", headers=officer).json()}
    staff = listed["staff@example.org"]
    read = site.get(f"/api/accounts/{staff['id']}", headers=officer)
    assert read.headers["etag"] == staff["etag"] == read.json()["etag"]
    path = f"/api/accounts/{staff['id']}"
    missing = site.patch(path, headers=officer, json={"active": False})
    assert (missing.status_code, missing.json()["message"]) == (
        428,
        "Send If-Match with the ETag you read, so no change is lost.",
    )
    star = site.patch(path, headers={**officer, "If-Match": "*"}, json={"active": False})
    assert (star.status_code, star.json()["message"]) == (
        428,
        "If-Match: * is not enough. Send If-Match with the ETag you read, so no change is lost.",
    )
    first = site.patch(path, headers={**officer, "If-Match": staff["etag"]}, json={"active": False})
    assert first.status_code == 200
    assert first.headers["etag"] == first.json()["etag"] != staff["etag"]
    again = site.patch(path, headers={**officer, "If-Match": staff["etag"]}, json={"active": True})
    assert (again.status_code, again.json()["message"]) == (
        412,
        "Someone changed this account after you read it. Read it again, then change it.",
    )
    assert site.get(path, headers=officer).json()["active"] is False
    reset = site.post(f"{path}/password-reset", headers=officer)
    assert reset.headers["etag"] == reset.json()["etag"] != first.headers["etag"]
    stale = site.patch(path, headers={**officer, "If-Match": first.headers["etag"]}, json={})
    assert stale.status_code == 412
