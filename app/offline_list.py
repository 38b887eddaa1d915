"""Every active venue in one compact document, for a phone to keep for when it has no signal.

A phone cannot read OpenStreetMap opening hours without a heavy library, so each
venue carries its open (and unknown) spans as UTC epoch seconds from the start
of today to the end of the 7th day after it, London time. Past `valid_until`
the phone must say "unknown". Temporary closures are already taken out.

The document is built from the catalogue's snapshot, not the database, and is
kept (with its gzip form) until the venues change or the day does.
"""

import gzip
import hashlib
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import orjson

from app.catalogue import Snapshot
from app.hours import LONDON, Hours, Span, state_spans
from app.venue_page import WHEN_YOU_ARRIVE

# Today and the next 7 days: a week ahead from any moment today.
WINDOW_DAYS = 8


@dataclass(frozen=True, slots=True)
class OfflineBody:
    # Kept gzipped only: at 100k venues the JSON is 48 MB, gzipped 5 MB. Nearly every
    # client accepts gzip; the rare one that does not costs a decompression.
    gzipped: bytes
    etag: str

    def json(self) -> bytes:
        return gzip.decompress(self.gzipped)


def window(now: datetime) -> tuple[datetime, datetime]:
    """From the start of today to the end of the 7th day after, London time."""
    start = datetime.combine(now.astimezone(LONDON).date(), time(0), LONDON)
    return start, datetime.combine(start.date() + timedelta(days=WINDOW_DAYS), time(0), LONDON)


def _epochs(spans: list[Span], not_before: float) -> list[tuple[int, int]]:
    """Spans as whole epoch seconds, cut so none starts before `not_before`."""
    result = []
    for a, b in spans:
        start, end = max(a.timestamp(), not_before), b.timestamp()
        if start < end:
            result.append((int(start), int(end)))
    return result


def _hours_json(
    hours: Hours | None,
    closed_until: int,
    start: datetime,
    end: datetime,
    spans_of: dict[int, tuple[list[Span], list[Span]]],
) -> bytes:
    """The end of a venue's object: its closure, open spans and unknown spans."""
    closed = date.fromordinal(closed_until) if closed_until else None
    reopens = datetime.combine(closed, time(0), LONDON).timestamp() if closed else 0.0
    if hours is None:
        open_spans, unknown = None, []
    else:
        # Venues often share hours (one parsed object): work each out once.
        if id(hours) not in spans_of:
            spans_of[id(hours)] = state_spans(hours, start, end)
        opened, unsure = spans_of[id(hours)]
        open_spans, unknown = _epochs(opened, reopens), _epochs(unsure, reopens)
    return orjson.dumps({"closed_until": closed, "open": open_spans, "unknown": unknown})[1:]


def build_offline_list(snapshot: Snapshot, now: datetime) -> OfflineBody:
    """The whole list as JSON (and gzipped), with an ETag that changes only with its venues."""
    start, end = window(now)
    # Closures that ended before today no longer matter.
    today = start.date().toordinal()
    spans_of: dict[int, tuple[list[Span], list[Span]]] = {}
    venues = b",".join(
        snapshot.fragments[p]
        + _hours_json(
            snapshot.hours[p],
            closed if (closed := snapshot.closed_until[p]) > today else 0,
            start,
            end,
            spans_of,
        )
        for p in range(len(snapshot.fragments))
    )
    valid_until = int(end.timestamp())
    head = {
        "generated_at": now.astimezone(LONDON).isoformat(timespec="seconds"),
        "valid_from": int(start.timestamp()),
        "valid_until": valid_until,
        "sample": _any_sample(snapshot),
        "when_you_arrive": WHEN_YOU_ARRIVE,
    }
    body = orjson.dumps(head)[:-1] + b',"venues":[' + venues + b"]}"
    digest = hashlib.sha256(b"%d:%b" % (valid_until, venues)).hexdigest()[:20]
    return OfflineBody(gzip.compress(body, compresslevel=6, mtime=0), f'"{digest}"')


def _any_sample(snapshot: Snapshot) -> bool:
    """Whether any venue is sample data: `sample` is each fragment's last field."""
    return any(
        snapshot.fragments[p].endswith(b'"sample":true,') for p in range(len(snapshot.fragments))
    )


class OfflineListCache:
    """The last list built, kept until the snapshot or the day changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._day: datetime | None = None
        self._body: OfflineBody | None = None

    def get(self, snapshot: Snapshot, now: datetime) -> OfflineBody:
        day = window(now)[0]
        with self._lock:
            # Identity, not equality: a new snapshot is a new list, even at the same revision.
            if self._body is None or self._snapshot is not snapshot or self._day != day:
                self._body = build_offline_list(snapshot, now)
                self._snapshot, self._day = snapshot, day
            return self._body
