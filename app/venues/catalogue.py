"""The in-memory catalogue of active venues that answers nearest look-ups.

The database is the truth; each server process keeps a snapshot of the active
venues with a spatial index (`app.venues.snapshot`), so a look-up touches
neither the ORM nor the disk. Every change to the venue table bumps
`catalogue_state.revision` in the same transaction and stamps the new revision
on the venues it changed. A watcher thread compares the revision with the
snapshot's every `refresh_seconds`; when it moved, it reads only the venues
stamped since and swaps in a snapshot with them changed, which costs
milliseconds whatever the number of venues. The process that made a change
does the same at once (`refresh_if_changed`). Nothing here runs on the event
loop but the look-up itself.
"""

import ctypes
import ctypes.util
import gc
import logging
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Engine, Select, select
from sqlmodel import Session

from app.db import current_revision
from app.hours import (
    Hours,
    HoursError,
    OpeningNow,
    closed_until_words,
    london_now,
    opening_now,
    parse_hours,
)
from app.models.venue import CATEGORY_WORDS, Venue, is_sample_ref
from app.venues.geo import NEARBY_MINUTES, direction_words, distance_and_bearing, walking_minutes
from app.venues.offline_list import OfflineListCache
from app.venues.photo_checks import public_photo
from app.venues.snapshot import MERGE_AT, Found, Snapshot, VenueBlock, VenueEntry

log = logging.getLogger(__name__)

# With open_now=true, look no further than this many nearest venues for open ones.
MAX_CANDIDATES = 2048
# Sphere and ellipsoid distances differ by at most about 0.5 %.
NEAR_TIE = 0.006
# Opening states kept (one per distinct hours): twice what app.hours keeps parsed.
MAX_OPENING = 16384
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
_COLUMNS = [VENUE_TABLE.c[name] for name in _PUBLIC_COLUMNS]


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
        "photo": public_photo(row["photo"]),  # an address from elsewhere: none
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


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc
        return None


_MALLOC_TRIM = _malloc_trim()


def give_back_freed_memory() -> None:
    """Return the memory of a snapshot's base just dropped (35 MB at 100k venues) to the system.

    glibc keeps large freed blocks for reuse rather than return them, and a base
    built later seldom fits exactly where the last one was: without this, each
    merge would leave the server tens of megabytes larger, for good.
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def freeze_long_lived() -> None:
    """Once the server has loaded what it keeps for good (the catalogue, the gazetteer,
    the parsed opening hours: 2.1 million objects at 100,000 venues), collect once and
    move all of it out of the garbage collector's sight (`gc.freeze`).

    Otherwise the first full collection after start-up comes when the server is
    busy (an officer's coverage report, 20,000 distinct opening hours) and walks every
    one of them with the interpreter held: 450-480 ms in which no look-up is
    answered (bench/coverage.py). Frozen objects are still freed when nothing refers
    to them; only cycles among them would stay, and the catalogue has none.
    """
    gc.collect()
    gc.freeze()


def _entry(row: Mapping[Any, Any]) -> VenueEntry:
    closed = row["closed_until"]
    return VenueEntry(
        row["id"],
        row["latitude"],
        row["longitude"],
        _hours_or_none(row),
        closed.toordinal() if closed else 0,
        _fragment(row),
        # Thousands of venues share a town: keep one copy of its name.
        sys.intern(row["town"]),
    )


def _rows(session: Session, query: Select) -> Iterator[Mapping[Any, Any]]:
    return session.execute(query.execution_options(yield_per=5000)).mappings()


def load_snapshot(engine: Engine) -> Snapshot:
    """Read the active venues (and the revision, first) into a new snapshot."""
    with Session(engine) as session:
        revision = current_revision(session)
        query = select(*_COLUMNS).where(VENUE_TABLE.c.active).order_by(VENUE_TABLE.c.id)
        base = VenueBlock.build(_entry(row) for row in _rows(session, query))
    return Snapshot.from_base(base, revision)


def load_changes(
    engine: Engine, since: int, at_most: int
) -> tuple[int, dict[int, VenueEntry | None] | None]:
    """The revision now, and the venues stamped after `since`: an entry, or None if withdrawn.

    None instead of the venues when there are more than `at_most` (an import): a
    whole reload is cheaper then. Reading the revision first is what
    makes this complete: a writer stamps its venues and bumps the revision in one
    transaction, in revision order (see `app.db.bump_revision`).
    """
    with Session(engine) as session:
        revision = current_revision(session)
        if revision <= since:
            return revision, {}
        # By the revision index (no ORDER BY id, which SQLite would answer by scanning).
        query = select(*_COLUMNS, VENUE_TABLE.c.active).where(VENUE_TABLE.c.revision > since)
        rows = session.execute(query.limit(at_most + 1)).mappings().all()
        if len(rows) > at_most:
            return revision, None
        return revision, {row["id"]: _entry(row) if row["active"] else None for row in rows}


class Catalogue:
    """The current snapshot, kept fresh, and the nearest look-up over it."""

    def __init__(self, engine: Engine, refresh_seconds: float = 1.0) -> None:
        self._engine = engine
        self._refresh_seconds = refresh_seconds
        self._snapshot = load_snapshot(engine)
        # id(hours) -> (hours, its state now, that state as JSON). Entries are
        # replaced when they expire; the dict is emptied if it outgrows MAX_OPENING.
        self._opening: dict[int, tuple[Hours, OpeningNow, bytes]] = {}
        self._reload_lock = threading.Lock()
        # Every active venue for a phone to keep, brought up to date by the watcher.
        self.offline_list = OfflineListCache()
        self._stop = threading.Event()
        # Set when a snapshot is swapped in: wakes the watcher to update the offline list.
        self._swapped = threading.Event()
        self._watcher: threading.Thread | None = None
        self._merging: threading.Thread | None = None

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def refresh_if_changed(self) -> bool:
        """Take in the venues changed since our revision; True if there were any.

        Runs in the writer's thread or the watcher's, never on the event loop.
        Look-ups keep using the snapshot they hold while a new one is made.
        """
        with self._reload_lock:
            held = self._snapshot
            at_most = max(MERGE_AT, held.size // 4)
            revision, changes = load_changes(self._engine, held.revision, at_most)
            if revision == held.revision:
                return False
            if changes and revision > held.revision:
                self._snapshot = held.with_changes(changes, revision)
            else:
                # Many changes (an import), a database that went back (a restore), or
                # a revision moved with no venue stamped (a change made by hand):
                # only a whole reload is sure to be right.
                self._snapshot = load_snapshot(self._engine)
                del held
                give_back_freed_memory()
            self._swapped.set()
            if self._snapshot.overlay.size >= MERGE_AT and not self._merge_running():
                self._merging = threading.Thread(
                    target=self.merge_overlay, name="catalogue-merge", daemon=True
                )
                self._merging.start()
            return True

    def merge_overlay(self) -> bool:
        """Fold the overlay into a new base (from memory, not the database); True if done.

        The slow part (about 0.3 s at 100k venues) runs outside the lock: changes
        keep coming in meanwhile, and are applied again over the new base.
        """
        start = self._snapshot
        if not start.overlay.size:
            return False
        base = VenueBlock.build(start.venues())
        with self._reload_lock:
            merged = self._snapshot.rebased(base, start.serial)
            if merged is not None:
                self._snapshot = merged
                self._swapped.set()
        done = merged is not None
        del start, base, merged
        give_back_freed_memory()
        return done

    def _merge_running(self) -> bool:
        return self._merging is not None and self._merging.is_alive()

    def start_watching(self) -> None:
        self._watcher = threading.Thread(target=self._watch, name="catalogue-watcher", daemon=True)
        self._watcher.start()

    def stop_watching(self) -> None:
        self._stop.set()
        self._swapped.set()
        for thread in (self._watcher, self._merging):
            if thread:
                thread.join(timeout=5)

    def _watch(self) -> None:
        """Every refresh_seconds, or at once after a change here: look for changes made
        elsewhere, and bring the offline list up to date (off the writer's request)."""
        while True:
            self._swapped.wait(self._refresh_seconds)
            self._swapped.clear()
            if self._stop.is_set():
                return
            try:
                self.refresh_if_changed()
                self.offline_list.follow(self._snapshot, london_now())
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
        if len(self._opening) >= MAX_OPENING:
            # Hours no venue uses any more would otherwise be kept for ever.
            self._opening.clear()
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
        found = self._candidates(self._snapshot, lat, lon, limit, now, open_only)
        if not found:
            return []
        # The tree ranks on a sphere; the Earth is not one. Candidates within
        # NEAR_TIE of the last place are re-ranked by the ellipsoidal distance;
        # the rest (almost always none) are dropped without computing it.
        cutoff = found[min(limit, len(found)) - 1][0] * (1 + NEAR_TIE)
        ranked = sorted(
            (*distance_and_bearing(lat, lon, block.latitudes[p], block.longitudes[p]), n, block, p)
            for n, (chord, block, p) in enumerate(found)
            if chord <= cutoff
        )
        today = now.date().toordinal()
        return [
            b'%b"distance_m":%d,%b,"direction":"%b",%b'
            % (
                block.fragments[p],
                round(metres),
                _walk_json(metres),
                direction_words(metres, bearing).encode(),
                _closed_json(closed)
                if (closed := block.closed_until[p]) > today
                else self.opening(block.hours[p], now)[1],
            )
            for metres, bearing, _, block, p in ranked[:limit]
        ]

    def _candidates(
        self, snap: Snapshot, lat: float, lon: float, limit: int, now: datetime, open_only: bool
    ) -> list[Found]:
        """The nearest venues (open ones, if asked), nearest first: (chord, block, position)."""
        if not open_only:
            return snap.nearest(lat, lon, limit + 2)
        k = limit * 4
        today = now.date().toordinal()
        while True:
            keep = [
                (chord, block, p)
                for chord, block, p in snap.nearest(lat, lon, k)
                if block.closed_until[p] <= today
                and (state := self.opening(block.hours[p], now)[0]) is not None
                and state.open_now
            ]
            if len(keep) >= limit or k >= min(snap.size, MAX_CANDIDATES):
                return keep
            k = min(k * 4, MAX_CANDIDATES)
