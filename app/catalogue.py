"""The in-memory catalogue of active venues that answers nearest look-ups.

The database is the truth; each server process keeps a snapshot of the active
venues with a spatial index, so a look-up touches neither the ORM nor the disk.
Every change to the venue table bumps `catalogue_state.revision` in the same
transaction; a watcher thread compares it with the snapshot's revision every
`refresh_seconds` and swaps in a new snapshot when it moved. The process that
made a change refreshes at once (`refresh_if_changed`).
"""

import logging
import threading
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Engine, select
from sqlmodel import Session

from app.db import current_revision
from app.geo import (
    NEARBY_MINUTES,
    PointIndex,
    direction_words,
    distance_and_bearing,
    walking_minutes,
)
from app.hours import Hours, HoursError, OpeningNow, closed_until_words, opening_now, parse_hours
from app.models.venue import CATEGORY_WORDS, Venue, is_sample_ref

log = logging.getLogger(__name__)

# With open_now=true, look no further than this many nearest venues for open ones.
MAX_CANDIDATES = 2048
# Sphere and ellipsoid distances differ by at most about 0.5 %.
NEAR_TIE = 0.006
_UNKNOWN_OPENING = b'"open_now":null,"opening_status":null,"opening_today":null,"closes_at":null}'
_PUBLIC_COLUMNS = (
    "id",
    "ref",
    "name",
    "category",
    "address",
    "town",
    "postcode",
    "latitude",
    "longitude",
    "phone",
    "photo",
    "opening_hours",
    "closed_until",
)
VENUE_TABLE = Venue.__table__  # type: ignore[attr-defined]


def _closed_json(closed_until: int) -> bytes:
    status = closed_until_words(date.fromordinal(closed_until))
    return (
        b'"open_now":false,"opening_status":%b,"opening_today":"Closed today.","closes_at":null}'
        % orjson.dumps(status)
    )


def _walk_json(metres: float) -> bytes:
    minutes = walking_minutes(metres)
    if minutes is None:
        return b'"walking_minutes":null,"nearby":false'
    return b'"walking_minutes":%d,"nearby":%b' % (
        minutes,
        b"true" if minutes <= NEARBY_MINUTES else b"false",
    )


class PackedBytes:
    """Many short byte strings in one buffer: about 40 bytes less per item than a list.

    At 100k venues that is 4 MB of a server's memory for the same JSON.
    """

    def __init__(self) -> None:
        self._building = bytearray()
        self._buffer = b""
        self._ends = array("Q")

    def append(self, item: bytes) -> None:
        self._building += item
        self._ends.append(len(self._building))

    def freeze(self) -> "PackedBytes":
        """Finish appending: one exact-size immutable buffer from here on."""
        self._buffer, self._building = bytes(self._building), bytearray()
        return self

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, position: int) -> bytes:
        start = self._ends[position - 1] if position else 0
        return self._buffer[start : self._ends[position]]


@dataclass(frozen=True, slots=True)
class Snapshot:
    revision: int
    index: PointIndex
    # Compact arrays of doubles rather than lists of float objects (8 vs 32 bytes).
    latitudes: array
    longitudes: array
    hours: list[Hours | None]
    # Temporary closures as day ordinals (0: none): closed while today is before it.
    closed_until: array
    # Each venue's fixed fields as the start of a JSON object: b'{"id":1,…,'.
    fragments: PackedBytes
    towns: dict[str, tuple[float, float]]
    # The middle of the venues: among equally good place names, prefer nearby ones.
    centre: tuple[float, float] | None


def _fragment(row: Mapping[Any, Any]) -> bytes:
    fields = {
        "id": row["id"],
        "ref": row["ref"],
        "name": row["name"],
        "category": row["category"],
        "kind": CATEGORY_WORDS[row["category"]],
        "address": row["address"],
        "town": row["town"],
        "postcode": row["postcode"],
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "phone": row["phone"],
        "photo": row["photo"],
        "sample": is_sample_ref(row["ref"]),
    }
    return orjson.dumps(fields)[:-1] + b","


def _hours_or_none(row: Mapping[Any, Any]) -> Hours | None:
    text = row["opening_hours"]
    if not text:
        return None
    try:
        return parse_hours(text, row["latitude"], row["longitude"])
    except HoursError:
        # Stored hours were checked on the way in; if a rule changed since, say
        # "unknown" rather than guess, and tell the operator.
        log.warning("venue %s has opening hours that no longer parse", row["ref"])
        return None


def load_snapshot(engine: Engine) -> Snapshot:
    """Read the active venues (and the revision, first) into a new snapshot."""
    latitudes = array("d")
    longitudes = array("d")
    hours: list[Hours | None] = []
    closed_until = array("l")
    fragments = PackedBytes()
    town_points: dict[str, list[float]] = {}
    with Session(engine) as session:
        revision = current_revision(session)
        columns = [VENUE_TABLE.c[name] for name in _PUBLIC_COLUMNS]
        query = select(*columns).where(VENUE_TABLE.c.active).order_by(VENUE_TABLE.c.id)
        for row in session.execute(query.execution_options(yield_per=5000)).mappings():
            latitudes.append(row["latitude"])
            longitudes.append(row["longitude"])
            hours.append(_hours_or_none(row))
            closed_until.append(row["closed_until"].toordinal() if row["closed_until"] else 0)
            fragments.append(_fragment(row))
            sums = town_points.setdefault(row["town"], [0.0, 0.0, 0.0])
            sums[0] += row["latitude"]
            sums[1] += row["longitude"]
            sums[2] += 1
    towns = {town: (s[0] / s[2], s[1] / s[2]) for town, s in town_points.items()}
    centre = (
        (sum(latitudes) / len(latitudes), sum(longitudes) / len(longitudes)) if latitudes else None
    )
    index = PointIndex(latitudes, longitudes)
    return Snapshot(
        revision,
        index,
        latitudes,
        longitudes,
        hours,
        closed_until,
        fragments.freeze(),
        towns,
        centre,
    )


class Catalogue:
    """The current snapshot, kept fresh, and the nearest look-up over it."""

    def __init__(self, engine: Engine, refresh_seconds: float = 1.0) -> None:
        self._engine = engine
        self._refresh_seconds = refresh_seconds
        self._snapshot = load_snapshot(engine)
        # id(hours) -> (hours, its state now, that state as JSON). Entries are
        # replaced when they expire, so the dict never outgrows the distinct hours.
        self._opening: dict[int, tuple[Hours, OpeningNow, bytes]] = {}
        self._reload_lock = threading.Lock()
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def refresh_if_changed(self) -> bool:
        """Reload when the database's revision differs from ours; True if it did."""
        with self._reload_lock:
            with Session(self._engine) as session:
                revision = current_revision(session)
            if revision == self._snapshot.revision:
                return False
            self._snapshot = load_snapshot(self._engine)
            return True

    def start_watching(self) -> None:
        self._watcher = threading.Thread(target=self._watch, name="catalogue-watcher", daemon=True)
        self._watcher.start()

    def stop_watching(self) -> None:
        self._stop.set()
        if self._watcher:
            self._watcher.join(timeout=5)

    def _watch(self) -> None:
        while not self._stop.wait(self._refresh_seconds):
            try:
                self.refresh_if_changed()
            except Exception:
                # A database that is briefly away must not kill the watcher:
                # keep serving the last good snapshot and try again.
                log.exception("could not refresh the venue catalogue")

    def opening(self, hours: Hours | None, now: datetime) -> tuple[OpeningNow | None, bytes]:
        """A venue's state now and its JSON, cached until the state can change."""
        if hours is None:
            return None, _UNKNOWN_OPENING
        entry = self._opening.get(id(hours))
        if (
            entry is not None
            and entry[0] is hours
            and entry[1].valid_from <= now < entry[1].valid_until
        ):
            return entry[1], entry[2]
        state = opening_now(hours, now)
        as_json = orjson.dumps(
            {
                "open_now": state.open_now,
                "opening_status": state.status,
                "opening_today": state.today,
                "closes_at": state.closes_at,
            }
        )[1:]
        self._opening[id(hours)] = (hours, state, as_json)
        return state, as_json

    def nearest(
        self, lat: float, lon: float, limit: int, now: datetime, open_only: bool = False
    ) -> list[bytes]:
        """The `limit` nearest active venues (open ones only if asked), as JSON objects.

        This is the hot path: it touches no database and no ORM, computes
        distances for only the few candidates the tree returns, and joins
        pre-serialised JSON.
        """
        snap = self._snapshot
        chords, positions = self._candidates(snap, lat, lon, limit, now, open_only)
        if not positions:
            return []
        # The tree ranks on a sphere; the Earth is not one. Candidates within
        # NEAR_TIE of the last place are re-ranked by the ellipsoidal distance;
        # the rest (almost always none) are dropped without computing it.
        cutoff = chords[min(limit, len(chords)) - 1] * (1 + NEAR_TIE)
        lats, lons = snap.latitudes, snap.longitudes
        ranked = sorted(
            (*distance_and_bearing(lat, lon, lats[p], lons[p]), p)
            for chord, p in zip(chords, positions, strict=True)
            if chord <= cutoff
        )
        fragments, hours, closed = snap.fragments, snap.hours, snap.closed_until
        today = now.date().toordinal()
        return [
            b'%b"distance_m":%d,%b,"direction":"%b",%b'
            % (
                fragments[p],
                round(metres),
                _walk_json(metres),
                direction_words(metres, bearing).encode(),
                _closed_json(closed[p]) if closed[p] > today else self.opening(hours[p], now)[1],
            )
            for metres, bearing, p in ranked[:limit]
        ]

    def _candidates(
        self, snap: Snapshot, lat: float, lon: float, limit: int, now: datetime, open_only: bool
    ) -> tuple[list[float], list[int]]:
        """Chords and positions of the nearest venues (open ones, if asked), nearest first."""
        if not open_only:
            return snap.index.nearest(lat, lon, limit + 2)
        k = limit * 4
        today = now.date().toordinal()
        while True:
            chords, positions = snap.index.nearest(lat, lon, k)
            keep = [
                i
                for i, p in enumerate(positions)
                if snap.closed_until[p] <= today
                and (state := self.opening(snap.hours[p], now)[0]) is not None
                and state.open_now
            ]
            if len(keep) >= limit or k >= min(snap.index.size, MAX_CANDIDATES):
                return [chords[i] for i in keep], [positions[i] for i in keep]
            k = min(k * 4, MAX_CANDIDATES)
