"""How many public sends (an application to join, a problem report) one address may make.

Counted in the database (`PublicPost`), so every instance sharing it counts the same
sends, as the sign-in throttle does. Only the address (an IPv6 client's /64) and the
time are kept, never what was sent, and rows older than the window are deleted as
new ones come in.
"""

import time
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlmodel import Session, col

from app.models import PublicPost
from app.people.sign_in import address_key
from app.problems import TooSoon


@dataclass(frozen=True)
class PublicLimit:
    """At most `most` sends of this kind from one address within `window_seconds`."""

    kind: str
    most: int
    window_seconds: float = 60 * 60


APPLICATIONS = PublicLimit("application", most=5)
PROBLEM_REPORTS = PublicLimit("problem_report", most=10)


def count_send(session: Session, limit: PublicLimit, host: str, now: float | None = None) -> None:
    """Count one send from this client, or raise TooSoon (nothing counted) when the
    address has used its sends. Commits, so the count holds even if the send fails."""
    now = time.time() if now is None else now
    since = now - limit.window_seconds
    address = address_key(host)
    session.execute(
        delete(PublicPost).where(col(PublicPost.kind) == limit.kind, col(PublicPost.at) < since)
    )
    sent, first = session.execute(
        select(func.count(), func.min(PublicPost.at)).where(
            col(PublicPost.kind) == limit.kind,
            col(PublicPost.address) == address,
            col(PublicPost.at) >= since,
        )
    ).one()
    if sent >= limit.most:
        session.commit()
        wait = max(1, int(first + limit.window_seconds - now) + 1)
        minutes = max(1, -(-wait // 60))
        raise TooSoon(
            f"Too many sent from here. Wait {minutes} minutes, then try again.", retry_after=wait
        )
    session.add(PublicPost(kind=limit.kind, address=address, at=now))
    session.commit()
