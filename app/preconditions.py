"""If-Match: a change must name the version it was made from (venues, accounts and
problem reports alike).

Not HTTP: raises `app.problems` kinds (`ReadItFirst` 428, `Stale` 412 in
app/http/errors.py). The write itself is a compare-and-set on the version, so
this check is the quick answer, not the guarantee (app/venues/edits.py,
app/people/account_records.py, app/venues/problem_reports.py).
"""

from datetime import UTC, datetime, timedelta

from app.db import stored_utc
from app.problems import ReadItFirst, Stale

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def moment_etag(updated_at: datetime) -> str:
    """The ETag of a row whose version is the moment of its last change, to the microsecond."""
    return f'"{(stored_utc(updated_at) - EPOCH) // MICROSECOND}"'


def moment_after(read: datetime, now: datetime) -> datetime:
    """When a change made now is stamped: later than the moment read, by at least a
    microsecond, so every change gives a new ETag (even with a clock held still)."""
    return max(now.astimezone(UTC), stored_utc(read) + MICROSECOND)


def require_fresh(if_match: str | None, current: str, stale: str) -> None:
    """ReadItFirst without If-Match or with `*`; Stale (saying `stale`) unless it names `current`.

    `*` would match whatever is stored now, so it could overwrite a change the
    sender never saw: it is refused as not saying which version was read (428,
    "send the precondition we need"), not as a failed precondition (412).
    """
    if if_match is None:
        raise ReadItFirst("Send If-Match with the ETag you read, so no change is lost.")
    tags = [tag.strip().removeprefix("W/") for tag in if_match.split(",")]
    if "*" in tags:
        raise ReadItFirst(
            "If-Match: * is not enough. Send If-Match with the ETag you read, so no change is lost."
        )
    if current not in tags:
        raise Stale(stale)
