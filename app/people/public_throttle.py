"""How many public sends (an application to join, a problem report) one address may make.

Counted in the database (`PublicPost`), so every instance sharing it counts the same
sends, as the sign-in throttle does. Only a keyed hash of the address (an IPv6 client's
/64) and the time are kept, never the address or what was sent, and every send prunes
rows of any kind older than the window: nothing ties an address to a report.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select
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
# Rows older than every window count for nothing, whatever their kind.
KEPT_SECONDS = max(APPLICATIONS.window_seconds, PROBLEM_REPORTS.window_seconds)


def keyed_address(host: str, key: str) -> str:
    """What a row holds: HMAC-SHA256 of the address under the server's secret key, 64
    hex digits. Counts match; the address cannot be read back, nor found by trying
    every IPv4 address, without the key."""
    message = b"public_post\x00" + address_key(host).encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def count_send(
    session: Session, limit: PublicLimit, host: str, key: str, now: float | None = None
) -> None:
    """Count one send from this client, or raise TooSoon (nothing counted) when the
    address has used its sends. Commits, so the count holds even if the send fails.

    As in SignInThrottle.begin: a read-only check first, so a refused send writes
    nothing; then the send is written and committed, and counted after with the sends
    written before it, so however many arrive at once only the first `most` go."""
    now = time.time() if now is None else now
    address = keyed_address(host, key)
    mine = and_(
        col(PublicPost.kind) == limit.kind,
        col(PublicPost.address) == address,
        col(PublicPost.at) >= now - limit.window_seconds,
    )
    _refuse_if_over(session, limit, mine, now)
    _prune(session, limit, now)
    if session.get_bind().dialect.name == "postgresql":
        # Ids come from a sequence, so one taken earlier may commit later: queue this
        # address's writes, so that every send written before this one is counted.
        session.execute(select(func.pg_advisory_xact_lock(int(address[:15], 16))))
    added = insert(PublicPost).values(kind=limit.kind, address=address, at=now)
    own = session.execute(added.returning(col(PublicPost.id))).scalar_one()
    session.commit()
    try:
        _refuse_if_over(session, limit, and_(mine, col(PublicPost.id) < own), now)
    except TooSoon:
        session.execute(delete(PublicPost).where(col(PublicPost.id) == own))
        session.commit()
        raise


def _refuse_if_over(
    session: Session, limit: PublicLimit, sends: ColumnElement[bool], now: float
) -> None:
    """TooSoon when `sends` number `most` or more, waiting until the `most`-th latest
    leaves the window (then fewer than `most` remain)."""
    latest = select(col(PublicPost.at)).where(sends).order_by(col(PublicPost.at).desc())
    times = session.execute(latest.limit(limit.most)).scalars().all()
    if len(times) < limit.most:
        return
    wait = max(1, int(times[-1] + limit.window_seconds - now) + 1)
    minutes = max(1, -(-wait // 60))
    raise TooSoon(
        f"Too many sent from here. Wait {minutes} minutes, then try again.", retry_after=wait
    )


def _prune(session: Session, limit: PublicLimit, now: float) -> None:
    """Delete this kind's rows older than its window, and every kind's older than the
    longest, skipping rows another send is deleting (never wait on another instance).
    Left to the caller's commit."""
    old = col(PublicPost.at) < now - limit.window_seconds
    older = col(PublicPost.at) < now - max(KEPT_SECONDS, limit.window_seconds)
    stale = and_(old, or_(col(PublicPost.kind) == limit.kind, older))
    doomed = select(col(PublicPost.id)).where(stale).with_for_update(skip_locked=True)
    session.execute(delete(PublicPost).where(col(PublicPost.id).in_(doomed)))
