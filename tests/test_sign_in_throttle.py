"""The sign-in limits: one count in the database for every instance, client addresses
only from the proxies a deployment names, and no way for an attacker elsewhere to lock
the real owner out of their account. On SQLite and PostgreSQL."""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from app.db import make_engine, migrate
from app.models import SignInAttempt
from app.people import sign_in as security
from app.people.sign_in import SignInLimits, SignInThrottle, TooManyTries, address_key
from tests.people import (
    PASSWORD,
    add_account,
    cheap_hashing,  # noqa: F401  (a fixture)
)
from tests.servers import running_server

# Argon2 at its cheapest: these tests are about counting tries, not about hashing.
pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture(autouse=True)
def forget_the_cheap_dummy_hash() -> Iterator[None]:
    """The hash checked for unknown emails is made once: one made cheaply here must not
    make unknown emails quicker to check in later tests."""
    yield
    security._dummy_hash.cache_clear()


OFFICER = "officer@example.org"
TOKEN = "/api/auth/token"
REFUSED = "Too many tries. Wait 15 minutes, then try again."
ELSEWHERE = (
    "There have been many wrong passwords for this account from other places:"
    " you can still sign in from a place where you have signed in before."
)


@pytest.fixture
def app(engine: Engine, make_client) -> FastAPI:
    """The app, running, with one officer account."""
    add_account(engine, OFFICER, "officer")
    return make_client().app


def at(app: FastAPI, address: str) -> TestClient:
    """A client connecting from `address` (the running app's state is shared)."""
    return TestClient(app, client=(address, 50000))


def sign_in(client, email: str = OFFICER, password: str = PASSWORD, **headers: str):
    return client.post(TOKEN, data={"username": email, "password": password}, headers=headers)


def assert_refused(answer, *also: str) -> None:
    assert answer.status_code == 429, answer.text
    assert 840 < int(answer.headers["retry-after"]) <= 900  # the first failure's age
    assert answer.json()["message"] == " ".join((REFUSED, *also))


# --- the owner is not locked out ------------------------------------------------------


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(app: FastAPI) -> None:
    attacker, desk = at(app, "198.51.100.7"), at(app, "192.0.2.10")
    for _ in range(5):
        assert sign_in(attacker, password="a wrong guess").status_code == 401
    # The attacker's address is refused for this account, even with the right password…
    assert_refused(sign_in(attacker))
    # …but the officer, at their own desk, signs in.
    assert sign_in(desk).status_code == 200


def test_many_attackers_close_the_account_except_where_its_owner_signs_in(
    app: FastAPI,
) -> None:
    desk = at(app, "192.0.2.10")
    assert sign_in(desk).status_code == 200  # the officer's usual place
    for attacker in range(4):
        for _ in range(5):
            answer = sign_in(at(app, f"198.51.100.{attacker}"), password="a wrong guess")
            assert answer.status_code == 401
    # 20 failures in all: a new address is refused, and told where the owner can go…
    assert_refused(sign_in(at(app, "203.0.113.50")), ELSEWHERE)
    # …and the officer's usual place still lets them in.
    assert sign_in(desk).status_code == 200


def test_twenty_failures_from_one_address_close_it_for_new_accounts(
    app: FastAPI, engine: Engine
) -> None:
    add_account(engine, "staff@example.org", "staff")
    cafe = at(app, "192.0.2.99")  # one address, a café's Wi-Fi
    assert sign_in(cafe, "staff@example.org").status_code == 200
    for guess in range(20):
        assert sign_in(cafe, f"guess{guess}@example.org", "wrong").status_code == 401
    assert_refused(sign_in(cafe))
    # Not elsewhere, and not for an account that signs in here.
    assert sign_in(at(app, "192.0.2.100")).status_code == 200
    assert sign_in(cafe, "staff@example.org").status_code == 200


# --- addresses: from named proxies only -----------------------------------------------


def test_a_named_proxy_says_whose_try_it_passes_on(make_client, engine: Engine) -> None:
    add_account(engine, OFFICER, "officer")
    app = make_client(trusted_proxies=["10.0.0.0/8"]).app
    proxy, stranger = at(app, "10.1.2.3"), at(app, "198.51.100.20")
    for _ in range(5):
        answer = sign_in(proxy, password="wrong", **{"X-Forwarded-For": "203.0.113.9"})
        assert answer.status_code == 401
    assert_refused(sign_in(proxy, **{"X-Forwarded-For": "203.0.113.9"}))
    assert sign_in(proxy, **{"X-Forwarded-For": "203.0.113.10"}).status_code == 200
    # A client that is no named proxy cannot choose its address.
    for _ in range(5):
        answer = sign_in(stranger, password="wrong", **{"X-Forwarded-For": "192.0.2.1"})
        assert answer.status_code == 401
    for number in range(2, 12):
        assert_refused(sign_in(stranger, **{"X-Forwarded-For": f"192.0.2.{number}"}))


def test_addresses_counted() -> None:
    # A device is handed a whole IPv6 /64: any address in it is the same client.
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::2")
    assert address_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:192.0.2.1") == address_key("192.0.2.1") == "192.0.2.1"
    assert len(address_key("x" * 10_000)) <= 64


# --- the count, in the database ---------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def failures(engine: Engine) -> int:
    query = select(func.count()).select_from(SignInAttempt).where(~SignInAttempt.succeeded)  # type: ignore[arg-type]
    with engine.connect() as connection:
        return connection.execute(query).scalar_one()


def test_failures_lapse_after_the_window_and_are_forgotten(engine: Engine) -> None:
    clock = Clock()
    throttle = SignInThrottle(engine, SignInLimits(window_seconds=60), clock)
    for _ in range(5):
        throttle.begin(OFFICER, "192.0.2.1")
    with pytest.raises(TooManyTries) as refused:
        throttle.begin(OFFICER, "192.0.2.1")
    assert (refused.value.wait_seconds, refused.value.elsewhere) == (60, False)
    clock.now += 45
    with pytest.raises(TooManyTries) as refused:
        throttle.begin(OFFICER, "192.0.2.1")
    assert refused.value.wait_seconds == 15
    assert failures(engine) == 5  # a refused try is not counted
    clock.now += 16
    throttle.begin(OFFICER, "192.0.2.1")
    assert failures(engine) == 1  # the old ones are gone from the table


def test_signing_in_forgives_that_address_only(engine: Engine) -> None:
    throttle = SignInThrottle(engine)
    for _ in range(4):
        throttle.begin(OFFICER, "192.0.2.1")
        throttle.begin(OFFICER, "198.51.100.1")
    throttle.succeeded(throttle.begin(OFFICER, "192.0.2.1"))
    assert failures(engine) == 4
    for _ in range(5):
        throttle.begin(OFFICER, "192.0.2.1")
    throttle.begin(OFFICER, "198.51.100.1")
    with pytest.raises(TooManyTries):
        throttle.begin(OFFICER, "198.51.100.1")


def test_tries_at_the_same_moment_on_two_instances_all_count(
    engine: Engine, database_url: str
) -> None:
    instances = [SignInThrottle(make_engine(database_url)) for _ in range(2)]
    start = threading.Barrier(12)

    def try_once(number: int) -> bool:
        start.wait()
        try:
            instances[number % 2].begin(OFFICER, "198.51.100.9")
            return True
        except TooManyTries:
            return False

    with ThreadPoolExecutor(12) as pool:
        checked = sum(pool.map(try_once, range(12)))
    assert checked <= 5
    assert failures(engine) == checked
    # Afterwards, one at a time, exactly 5 are ever checked, on either instance.
    while True:
        try:
            instances[checked % 2].begin(OFFICER, "198.51.100.9")
            checked += 1
        except TooManyTries:
            break
    assert checked == 5 == failures(engine)
    for instance in instances:
        instance._engine.dispose()


# --- whole servers ----------------------------------------------------------------------


def test_two_instances_count_the_same_tries(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    add_account(engine, OFFICER, "officer")
    with (
        running_server(database_url, tmp_path / "one.log") as one,
        running_server(database_url, tmp_path / "two.log") as two,
    ):
        for number in range(5):
            assert sign_in((one, two)[number % 2], password="wrong").status_code == 401
        for instance in (one, two):
            assert_refused(sign_in(instance))


def test_forwarded_addresses_count_only_from_the_proxies_named(tmp_path: Path) -> None:
    # On SQLite only: which address counts is the server's business, not the database's.
    database_url = f"sqlite:///{tmp_path / 'proxies.db'}"
    engine = make_engine(database_url)
    migrate(engine)
    add_account(engine, OFFICER, "officer")
    engine.dispose()
    proxies = {"SAFE_PLACES_TRUSTED_PROXIES": '["127.0.0.1"]'}
    with (
        running_server(database_url, tmp_path / "direct.log") as direct,
        running_server(database_url, tmp_path / "proxied.log", **proxies) as proxied,
    ):
        # A local client is no proxy unless named: the address it makes up changes nothing.
        for number in range(20):
            forwarded = {"X-Forwarded-For": f"203.0.113.{number}"}
            assert (
                sign_in(direct, f"guess{number}@example.org", "wrong", **forwarded).status_code
                == 401
            )
        for number in range(20, 30):
            forwarded = {"X-Forwarded-For": f"203.0.113.{number}"}
            assert_refused(sign_in(direct, f"guess{number}@example.org", "wrong", **forwarded))
        # Behind a named proxy, the address it passes on is the one counted.
        for _ in range(5):
            answer = sign_in(proxied, password="wrong", **{"X-Forwarded-For": "198.51.100.1"})
            assert answer.status_code == 401
        assert_refused(sign_in(proxied, **{"X-Forwarded-For": "198.51.100.1"}))
        assert sign_in(proxied, **{"X-Forwarded-For": "198.51.100.2"}).status_code == 200
