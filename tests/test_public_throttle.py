"""Public sends are counted per address in the database: a real SQLite file and
PostgreSQL, two sessions standing for two server instances."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from app.db import migrate
from app.models import PublicPost
from app.people.public_throttle import PublicLimit, count_send
from app.problems import TooSoon

LIMIT = PublicLimit("test", most=3, window_seconds=600)
KEY = "k" * 40


def test_the_limit_holds_across_instances_and_ends_with_the_window(engine: Engine) -> None:
    migrate(engine)
    with Session(engine) as one, Session(engine) as two:
        count_send(one, LIMIT, "203.0.113.9", KEY, now=1000)
        count_send(two, LIMIT, "203.0.113.9", KEY, now=1001)
        count_send(one, LIMIT, "203.0.113.9", KEY, now=1002)
        with pytest.raises(TooSoon) as refused:
            count_send(two, LIMIT, "203.0.113.9", KEY, now=1003)
        assert refused.value.retry_after == 598
        assert refused.value.message == "Too many sent from here. Wait 10 minutes, then try again."
        # Another address, and another /64 for IPv6, have their own count.
        count_send(two, LIMIT, "203.0.113.10", KEY, now=1003)
        for n in range(3):
            count_send(one, LIMIT, f"2001:db8:1:1::{n + 1}", KEY, now=1004)
        with pytest.raises(TooSoon):
            count_send(one, LIMIT, "2001:db8:1:1::99", KEY, now=1005)
        count_send(one, LIMIT, "2001:db8:1:2::1", KEY, now=1005)
        # Once the first send is older than the window, one more may go; old rows go.
        count_send(one, LIMIT, "203.0.113.9", KEY, now=1601)
        kept = one.execute(select(func.min(PublicPost.at))).scalar_one()
        assert kept >= 1601 - 600


def rows(engine: Engine) -> list[PublicPost]:
    with Session(engine) as session:
        return list(session.execute(select(PublicPost)).scalars())


def test_of_many_sends_at_once_only_the_limit_goes(engine: Engine) -> None:
    """20 sends from one address at the same moment, each in its own session: exactly
    `most` go and are counted; a refused send leaves no row."""
    migrate(engine)
    limit = PublicLimit("test", most=5, window_seconds=600)
    together = threading.Barrier(20)

    def send(_: int) -> bool:
        with Session(engine) as session:
            together.wait()
            try:
                count_send(session, limit, "203.0.113.9", KEY)
            except TooSoon:
                return False
            return True

    with ThreadPoolExecutor(20) as pool:
        accepted = sum(pool.map(send, range(20)))
    assert accepted == limit.most
    assert len(rows(engine)) == limit.most


def test_rows_hold_no_address_and_old_rows_of_any_kind_go(engine: Engine) -> None:
    migrate(engine)
    other = PublicLimit("other", most=3, window_seconds=600)
    with Session(engine) as session:
        count_send(session, other, "2001:db8:1:1::5", KEY, now=1000)
        count_send(session, LIMIT, "203.0.113.9", KEY, now=1001)
        # The server's key makes the row: under another key, the same address differs.
        count_send(session, LIMIT, "203.0.113.9", "another key " * 4, now=1001)
    kept = [row.address for row in rows(engine)]
    assert len(set(kept)) == 3 and all(len(address) == 64 for address in kept)
    assert not [address for address in kept if "203.0.113" in address or "2001:db8" in address]
    # A send of one kind prunes every kind's rows older than the longest window.
    with Session(engine) as session:
        count_send(session, LIMIT, "198.51.100.1", KEY, now=1000 + 60 * 60 + 2)
    assert [row.at for row in rows(engine)] == [1000 + 60 * 60 + 2]


def test_a_refused_send_writes_nothing(engine: Engine) -> None:
    migrate(engine)
    with Session(engine) as session:
        for at in (1000, 1001, 1002):
            count_send(session, LIMIT, "203.0.113.9", KEY, now=at)
        before = [(row.id, row.at) for row in rows(engine)]
        with pytest.raises(TooSoon):
            count_send(session, LIMIT, "203.0.113.9", KEY, now=1003)
    assert [(row.id, row.at) for row in rows(engine)] == before
