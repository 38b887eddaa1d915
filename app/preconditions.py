"""If-Match: a change must name the version it was made from (venues and accounts alike).

Not HTTP: raises `app.problems` kinds (`ReadItFirst` 428, `Stale` 412 in
app/http/errors.py). The write itself is a compare-and-set on the version, so
this check is the quick answer, not the guarantee (app/venues/edits.py,
app/people/account_records.py).
"""

from app.problems import ReadItFirst, Stale


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
