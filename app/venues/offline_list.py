"""Every active venue in one compact document, for a phone to keep for when it has no signal.

A phone cannot read OpenStreetMap opening hours without a heavy library, so each
venue carries its open (and unknown) spans as UTC epoch seconds from the start
of today to the end of the 7th day after it, London time. Past `valid_until`
the phone must say "unknown". Temporary closures are already taken out.

The document is built from the catalogue's snapshot, not the database, and kept
only gzipped (at 100k venues: 5 MB, where the JSON is 48 MB), in chunks of the
venues whose ids share a block of CHUNK_IDS, each compressed on its own
(`app.venues.gzip_parts`). A change to a venue recompresses its chunk alone
(milliseconds, where the whole list takes seconds); a new day rebuilds the list.
It is sent part by part: gzipped as kept, or, to a client that does not take
gzip, inflated a few megabytes at a time, so no request holds the whole JSON,
however many come at once.
"""

import hashlib
import itertools
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TypeVar

import orjson

from app.hours import LONDON, Hours, Span, state_spans
from app.venues.gzip_parts import Part, deflate_part, gzip_pieces, gzip_size, inflate_parts
from app.venues.page import WHEN_YOU_ARRIVE
from app.venues.snapshot import Snapshot, VenueEntry

# Today and the next 7 days: a week ahead from any moment today.
WINDOW_DAYS = 8
# Venues with ids in one block of this many share a chunk: about 120 KB of JSON.
CHUNK_IDS = 256
# What is handed to the server to send at a time: gzip is only copied; JSON is
# inflated (by ISA-L, about 1 ms a MB here), which look-ups wait behind. Each step
# also waits its turn behind the look-ups the loop has ready, so under load the
# number of steps, more than their size, sets how long the list takes. The 48 MB
# list at 100k venues beside an officer's writes (bench/mixed_load.py --pin 1,
# 7 December): in 1 MB steps 140-153 / 167-173 ms (p50 / p99) at 2,000 look-ups a
# second and 386 / 430 ms flat out; in 4 MB steps 117 / 128 ms and 171 / 192 ms,
# the look-ups' p99 15.7 -> 16.0 ms flat out, six lists at once +28 MB, not +8.
# (With zlib's inflate, twice as slow, 4 MB steps cost the look-ups 17-21 ms.)
# A step's parts are inflated in one call, so the interpreter lock is let go (and
# must be taken back, behind any other thread that wants it) once a step. Tried
# and not kept: inflating in a worker thread a step ahead (no faster at 2,000/s;
# flat out 4 s, each step waiting for the loop); 2 MB steps (no better than 1 MB
# at 2,000/s); skipping the extra turn when sending a step already waited (no
# better).
GZIP_SEND_BYTES = 1 << 20
JSON_SEND_BYTES = 4 << 20
_COMMA = deflate_part(b",")
_END = deflate_part(b"]}")
SpansOf = dict[int, tuple[list[Span], list[Span]]]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class OfflineBody:
    """One version of the list, as parts to send one after another, gzipped or inflated.

    Never joined into one buffer: a version is replaced at every change, and a
    5 MB buffer each time would leave the server's heap scattered and larger.
    """

    etag: str
    parts: tuple[Part, ...]
    # Bytes of JSON, and of gzip, as sent.
    size: int
    gzipped_size: int

    def gzip_chunks(self) -> Iterator[bytes]:
        """The gzip stream, in pieces of about GZIP_SEND_BYTES."""
        runs = _runs(gzip_pieces(self.parts), len, GZIP_SEND_BYTES)
        return (b"".join(run) for run in runs)

    def json_chunks(self) -> Iterator[bytes]:
        """The JSON in pieces of about JSON_SEND_BYTES, each inflated in one call."""
        runs = _runs(self.parts, lambda part: part.size, JSON_SEND_BYTES)
        return (inflate_parts(run) for run in runs)

    def json(self) -> bytes:
        return b"".join(self.json_chunks())


def _runs(items: Iterable[T], size_of: Callable[[T], int], at_least: int) -> Iterator[list[T]]:
    """The items in order, in runs of at least `at_least` bytes (the last may be less)."""
    run: list[T] = []
    size = 0
    for item in items:
        run.append(item)
        size += size_of(item)
        if size >= at_least:
            yield run
            run, size = [], 0
    if run:
        yield run


@dataclass(frozen=True, slots=True)
class Chunk:
    """Some venues' JSON, joined by commas and deflated, and where each venue's ends."""

    part: Part
    ids: array
    ends: array
    # SHA-256 of the JSON: the list's ETag is made of its chunks'.
    digest: bytes
    sample: bool

    @classmethod
    def of(cls, ids: list[int], venues: list[bytes], sample: bool) -> "Chunk":
        text = b",".join(venues)
        ends = array("L", itertools.accumulate(len(venue) + 1 for venue in venues))
        return cls(deflate_part(text), array("q", ids), ends, hashlib.sha256(text).digest(), sample)

    def venues(self) -> dict[int, bytes]:
        """Each venue's JSON, by id."""
        text = self.part.inflate()
        starts = itertools.chain((0,), self.ends)
        return {
            venue_id: text[start : end - 1]
            for venue_id, start, end in zip(self.ids, starts, self.ends, strict=False)
        }


@dataclass(frozen=True, slots=True)
class Window:
    """From the start of today to the end of the 7th day after, London time."""

    start: datetime
    end: datetime

    @classmethod
    def at(cls, now: datetime) -> "Window":
        start = datetime.combine(now.astimezone(LONDON).date(), time(0), LONDON)
        end = datetime.combine(start.date() + timedelta(days=WINDOW_DAYS), time(0), LONDON)
        return cls(start, end)


def _epochs(spans: list[Span], not_before: float) -> list[tuple[int, int]]:
    """Spans as whole epoch seconds, cut so none starts before `not_before`."""
    result = []
    for a, b in spans:
        start, end = max(a.timestamp(), not_before), b.timestamp()
        if start < end:
            result.append((int(start), int(end)))
    return result


def _hours_json(hours: Hours | None, closed_until: int, at: Window, spans_of: SpansOf) -> bytes:
    """The end of a venue's object: its closure, open spans and unknown spans."""
    closed = date.fromordinal(closed_until) if closed_until else None
    reopens = datetime.combine(closed, time(0), LONDON).timestamp() if closed else 0.0
    if hours is None:
        open_spans, unknown = None, []
    else:
        # Venues often share hours (one parsed object): work each out once.
        if id(hours) not in spans_of:
            spans_of[id(hours)] = state_spans(hours, at.start, at.end)
        opened, unsure = spans_of[id(hours)]
        open_spans, unknown = _epochs(opened, reopens), _epochs(unsure, reopens)
    return orjson.dumps({"closed_until": closed, "open": open_spans, "unknown": unknown})[1:]


def _venue_json(venue: VenueEntry, at: Window, spans_of: SpansOf) -> bytes:
    # Closures that ended before today no longer matter.
    today = at.start.date().toordinal()
    closed = venue.closed_until if venue.closed_until > today else 0
    return venue.fragment + _hours_json(venue.hours, closed, at, spans_of)


def _chunk(
    venues: list[VenueEntry], at: Window, spans_of: SpansOf, kept: dict[int, bytes]
) -> Chunk | None:
    """The chunk of these venues (None if none), reusing the JSON in `kept`."""
    if not venues:
        return None
    pieces = [kept.get(venue.id) or _venue_json(venue, at, spans_of) for venue in venues]
    # `sample` is each fragment's last field.
    sample = any(venue.fragment.endswith(b'"sample":true,') for venue in venues)
    return Chunk.of([venue.id for venue in venues], pieces, sample)


def _all_chunks(snapshot: Snapshot, at: Window) -> dict[int, Chunk]:
    spans_of: SpansOf = {}
    chunks = {}
    for key, venues in itertools.groupby(snapshot.venues(), lambda venue: venue.id // CHUNK_IDS):
        chunk = _chunk(list(venues), at, spans_of, {})
        if chunk:
            chunks[key] = chunk
    return chunks


def _updated_chunks(
    chunks: dict[int, Chunk], snapshot: Snapshot, changed: Iterable[int], at: Window
) -> dict[int, Chunk]:
    """The chunks again, with the changed venues' chunks made anew (the rest of theirs kept)."""
    changed = set(changed)
    chunks = dict(chunks)
    spans_of: SpansOf = {}
    for key in {venue_id // CHUNK_IDS for venue_id in changed}:
        old = chunks.pop(key, None)
        kept = {i: json for i, json in old.venues().items() if i not in changed} if old else {}
        venues = snapshot.venues_between(key * CHUNK_IDS, (key + 1) * CHUNK_IDS)
        if chunk := _chunk(venues, at, spans_of, kept):
            chunks[key] = chunk
    return chunks


def _body(chunks: dict[int, Chunk], now: datetime, at: Window) -> OfflineBody:
    """The whole list from its chunks, with an ETag that changes only with its venues."""
    ordered = [chunks[key] for key in sorted(chunks)]
    valid_until = int(at.end.timestamp())
    head = {
        "generated_at": now.astimezone(LONDON).isoformat(timespec="seconds"),
        "valid_from": int(at.start.timestamp()),
        "valid_until": valid_until,
        "sample": any(chunk.sample for chunk in ordered),
        "when_you_arrive": WHEN_YOU_ARRIVE,
    }
    parts = [deflate_part(orjson.dumps(head)[:-1] + b',"venues":[')]
    digest = hashlib.sha256(b"%d:" % valid_until)
    for n, chunk in enumerate(ordered):
        parts += [_COMMA, chunk.part] if n else [chunk.part]
        digest.update(chunk.digest)
    parts.append(_END)
    return OfflineBody(
        f'"{digest.hexdigest()[:20]}"',
        tuple(parts),
        sum(part.size for part in parts),
        gzip_size(parts),
    )


def build_offline_list(snapshot: Snapshot, now: datetime) -> OfflineBody:
    """The whole list, from nothing."""
    at = Window.at(now)
    return _body(_all_chunks(snapshot, at), now, at)


@dataclass(frozen=True, slots=True)
class _Built:
    at: Window
    serial: int
    chunks: dict[int, Chunk]
    body: OfflineBody


class OfflineListCache:
    """The last list built, brought up to date with the venues that changed since."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: _Built | None = None

    def current(self, snapshot: Snapshot, now: datetime) -> OfflineBody | None:
        """The list if it is up to date (no work, so fit for the event loop); else None."""
        built = self._built
        if built is not None and built.serial == snapshot.serial and built.at == Window.at(now):
            return built.body
        return None

    def get(self, snapshot: Snapshot, now: datetime) -> OfflineBody:
        """The list, brought up to date first if need be: work for a worker thread."""
        at = Window.at(now)
        with self._lock:
            built = self._built
            changed = snapshot.changed_since(built.serial) if built and built.at == at else None
            if built is None or changed is None:
                chunks = _all_chunks(snapshot, at)
                self._built = _Built(at, snapshot.serial, chunks, _body(chunks, now, at))
            else:
                self._built = _brought_up_to_date(built, snapshot, changed, now)
            return self._built.body

    def follow(self, snapshot: Snapshot, now: datetime) -> None:
        """Take in a newer snapshot's changes, if there is a list for today; else do nothing.

        For the catalogue's watcher, after each change: requests then find the list
        ready. Never builds a list from nothing, nor goes back to an older snapshot.
        """
        with self._lock:
            built = self._built
            if built is None or built.at != Window.at(now):
                return
            changed = snapshot.changed_since(built.serial)
            if changed is not None:
                self._built = _brought_up_to_date(built, snapshot, changed, now)


def _brought_up_to_date(
    built: _Built, snapshot: Snapshot, changed: set[int], now: datetime
) -> _Built:
    if not changed:
        # The same venues (the same snapshot, or the catalogue merged its overlay).
        return replace(built, serial=snapshot.serial)
    chunks = _updated_chunks(built.chunks, snapshot, changed, built.at)
    return _Built(built.at, snapshot.serial, chunks, _body(chunks, now, built.at))
