"""Public sends are counted per address in the database: a real SQLite file and
PostgreSQL, two sessions standing for two server instances."""

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from app.db import migrate
from app.models import PublicPost
from app.people.public_throttle import PublicLimit, count_send
from app.problems import TooSoon

LIMIT = PublicLimit("test", most=3, window_seconds=600)


def test_the_limit_holds_across_instances_and_ends_with_the_window(engine: Engine) -> None:
    migrate(engine)
    with Session(engine) as one, Session(engine) as two:
        count_send(one, LIMIT, "203.0.113.9", now=1000)
        count_send(two, LIMIT, "203.0.113.9", now=1001)
        count_send(one, LIMIT, "203.0.113.9", now=1002)
        with pytest.raises(TooSoon) as refused:
            count_send(two, LIMIT, "203.0.113.9", now=1003)
        assert refused.value.retry_after == 598
        assert refused.value.message == "Too many sent from here. Wait 10 minutes, then try again."
        # Another address, and another /64 for IPv6, have their own count.
        count_send(two, LIMIT, "203.0.113.10", now=1003)
        for n in range(3):
            count_send(one, LIMIT, f"2001:db8:1:1::{n + 1}", now=1004)
        with pytest.raises(TooSoon):
            count_send(one, LIMIT, "2001:db8:1:1::99", now=1005)
        count_send(one, LIMIT, "2001:db8:1:2::1", now=1005)
        # Once the first send is older than the window, one more may go; old rows go.
        count_send(one, LIMIT, "203.0.113.9", now=1601)
        kept = one.execute(select(func.min(PublicPost.at))).scalar_one()
        assert kept >= 1601 - 600
