"""The active venues in memory: an immutable snapshot that a change replaces cheaply.

Pure: no FastAPI, no database (`app.venues.catalogue` loads the rows and keeps it fresh).

A k-d tree cannot be changed once built, and building one with every venue's
JSON and hours costs over a second at 100k venues. So a snapshot is a *base*
block, built once, plus an *overlay*: the venues changed or added since, in a
small block of their own, and the base positions they hide (changed, or
withdrawn). A look-up asks the base's tree, skips hidden positions, and adds
the overlay's venues that are nearer than the base's k-th. A change makes a new
overlay, at a cost that grows with the overlay, not with the catalogue; past
MERGE_AT the catalogue merges the overlay into a new base, from memory, in a
background thread.
"""

import heapq
import io
import itertools
import math
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from app.hours import Hours
from app.venues.geo import PointIndex, unit_vector

# Merge the overlay into a new base once it holds this many changed venues.
MERGE_AT = 512
# Up to this many overlay venues in the slab are measured one by one; past it, its tree.
SCAN_AT_MOST = 16
# How many past changes a snapshot remembers, for the offline list's updates.
HISTORY = 1024

_serials = itertools.count(1)
Found = tuple[float, "VenueBlock", int]


class VenueEntry(NamedTuple):
    """One active venue, as look-ups and the offline list use it."""

    id: int
    latitude: float
    longitude: float
    hours: Hours | None
    # Closed (whatever the hours say) while today's ordinal is below this; 0: not closed.
    closed_until: int
    # The venue's fixed fields as the start of a JSON object: b'{"id":1,…,'.
    fragment: bytes
    town: str


class PackedBytes:
    """Many short byte strings in one buffer: about 40 bytes less per item than a list.

    At 100k venues that is 4 MB of a server's memory for the same JSON.
    """

    def __init__(self) -> None:
        # BytesIO hands over its buffer, trimmed, without copying it (a bytearray
        # would be copied): a new block never needs its buffer twice over.
        self._building = io.BytesIO()
        self._buffer = b""
        self._ends = array("Q")

    def append(self, item: bytes) -> None:
        self._building.write(item)
        self._ends.append(self._building.tell())

    def freeze(self) -> "PackedBytes":
        """Finish appending: one exact-size immutable buffer from here on."""
        self._buffer, self._building = self._building.getvalue(), io.BytesIO()
        return self

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, position: int) -> bytes:
        start = self._ends[position - 1] if position else 0
        return self._buffer[start : self._ends[position]]


@dataclass(frozen=True, slots=True)
class VenueBlock:
    """Venues in id order, in compact arrays (8 bytes a number, not 32), with a k-d tree."""

    ids: array
    latitudes: array
    longitudes: array
    hours: list[Hours | None]
    closed_until: array
    fragments: PackedBytes
    towns: list[str]
    index: PointIndex

    @classmethod
    def build(cls, entries: Iterable[VenueEntry]) -> "VenueBlock":
        """A block of `entries`, which come in id order (streamed: no list of them is kept)."""
        ids, latitudes, longitudes, closed = array("q"), array("d"), array("d"), array("l")
        hours: list[Hours | None] = []
        towns: list[str] = []
        fragments = PackedBytes()
        for entry in entries:
            ids.append(entry.id)
            latitudes.append(entry.latitude)
            longitudes.append(entry.longitude)
            hours.append(entry.hours)
            closed.append(entry.closed_until)
            fragments.append(entry.fragment)
            towns.append(entry.town)
        index = PointIndex(latitudes, longitudes)
        return cls(ids, latitudes, longitudes, hours, closed, fragments.freeze(), towns, index)

    def __len__(self) -> int:
        return len(self.ids)

    def entry(self, i: int) -> VenueEntry:
        return VenueEntry(
            self.ids[i],
            self.latitudes[i],
            self.longitudes[i],
            self.hours[i],
            self.closed_until[i],
            self.fragments[i],
            self.towns[i],
        )

    def position_of(self, venue_id: int) -> int | None:
        i = bisect_left(self.ids, venue_id)
        return i if i < len(self.ids) and self.ids[i] == venue_id else None

    def positions_between(self, low_id: int, high_id: int) -> range:
        """Positions of the venues with low_id <= id < high_id."""
        return range(bisect_left(self.ids, low_id), bisect_left(self.ids, high_id))


@dataclass(frozen=True, slots=True)
class Overlay:
    """The venues changed or added since the base was built, and the base positions they hide."""

    entries: dict[int, VenueEntry]
    hidden: frozenset[int]
    block: VenueBlock
    # The block's unit vectors (z, x, y, position), by z: a chord is never shorter than
    # the two points' difference in z, so only a thin slab can be near a point.
    by_z: list[tuple[float, float, float, int]]
    zs: list[float]

    @classmethod
    def build(cls, entries: dict[int, VenueEntry], hidden: frozenset[int]) -> "Overlay":
        block = VenueBlock.build(entries[venue_id] for venue_id in sorted(entries))
        by_z = sorted(
            (z, x, y, i)
            for i, (x, y, z) in enumerate(map(unit_vector, block.latitudes, block.longitudes))
        )
        return cls(entries, hidden, block, by_z, [point[0] for point in by_z])

    @property
    def size(self) -> int:
        """How far the snapshot is from its base: what a merge would fold in."""
        return len(self.entries) + len(self.hidden)

    def within(self, vector: tuple[float, float, float], radius: float, k: int) -> list[Found]:
        """Overlay venues within `radius` (a chord) of `vector`: all of them, or the k nearest."""
        x, y, z = vector
        low, high = bisect_left(self.zs, z - radius), bisect_right(self.zs, z + radius)
        block = self.block
        if high - low > SCAN_AT_MOST:
            chords, positions = block.index.nearest_to(vector, k)
            return [(c, block, p) for c, p in zip(chords, positions, strict=True) if c <= radius]
        found = []
        for pz, px, py, p in self.by_z[low:high]:
            chord = math.sqrt((px - x) ** 2 + (py - y) ** 2 + (pz - z) ** 2)
            if chord <= radius:
                found.append((chord, block, p))
        return found


EMPTY_OVERLAY = Overlay.build({}, frozenset())


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Every active venue at one catalogue revision; never changed, only replaced."""

    revision: int
    # Unique in the process, so a cache can tell snapshots (of any catalogue) apart.
    serial: int
    base: VenueBlock
    overlay: Overlay
    # (serial, ids changed since the snapshot before it), oldest first, this one's last.
    # None: anything may have changed (a whole reload).
    history: tuple[tuple[int, frozenset[int] | None], ...]
    places: "TownCentres"
    size: int

    @classmethod
    def from_base(cls, base: VenueBlock, revision: int) -> "Snapshot":
        serial = next(_serials)
        places = TownCentres.of(zip(base.towns, base.latitudes, base.longitudes, strict=True))
        return cls(revision, serial, base, EMPTY_OVERLAY, ((serial, None),), places, len(base))

    @property
    def towns(self) -> dict[str, tuple[float, float]]:
        """Each town's venues' middle."""
        return self.places.means

    @property
    def centre(self) -> tuple[float, float] | None:
        """The middle of the venues: among equally good place names, prefer nearby ones."""
        return self.places.centre

    def nearest(self, lat: float, lon: float, k: int) -> list[Found]:
        """Up to k venues, nearest first (great-circle order): (chord, block, position)."""
        vector = unit_vector(lat, lon)
        base, hidden = self.base, self.overlay.hidden
        asked = k
        while True:
            chords, positions = base.index.nearest_to(vector, asked)
            found = list(zip(chords, repeat(base), positions))
            if hidden:
                found = [each for each in found if each[2] not in hidden]
            if len(found) >= k or asked >= len(base):
                break
            # Some were hidden: ask again, further out.
            asked = min(len(base), 2 * asked + len(chords) - len(found))
        if not self.overlay.entries:
            return found if len(found) <= k else found[:k]
        radius = found[k - 1][0] if len(found) >= k else math.inf
        found += self.overlay.within(vector, radius, k)
        found.sort(key=itemgetter(0))
        return found[:k]

    def entry(self, venue_id: int) -> VenueEntry | None:
        """An active venue by id (None: not active, or not known)."""
        if (entry := self.overlay.entries.get(venue_id)) is not None:
            return entry
        position = self.base.position_of(venue_id)
        if position is None or position in self.overlay.hidden:
            return None
        return self.base.entry(position)

    def venues_between(self, low_id: int, high_id: int) -> list[VenueEntry]:
        """The active venues with low_id <= id < high_id, in id order."""
        base, extra, hidden = self.base, self.overlay.block, self.overlay.hidden
        found = [base.entry(p) for p in base.positions_between(low_id, high_id) if p not in hidden]
        added = [extra.entry(p) for p in extra.positions_between(low_id, high_id)]
        return sorted(found + added, key=itemgetter(0)) if added else found

    def venues(self) -> Iterator[VenueEntry]:
        """Every active venue, in id order."""
        base, hidden = self.base, self.overlay.hidden
        from_base = (base.entry(p) for p in range(len(base)) if p not in hidden)
        extra = self.overlay.block
        from_overlay = (extra.entry(p) for p in range(len(extra)))
        return heapq.merge(from_base, from_overlay, key=itemgetter(0))

    def columns(
        self,
    ) -> tuple[np.ndarray, np.ndarray, list[Hours | None], np.ndarray, np.ndarray]:
        """Every active venue as arrays, for work on all of them (the coverage report):
        latitudes, longitudes, the distinct hours values, each venue's index into
        them, and each one's `closed_until`. Base venues first, then the overlay's
        (not id order), and no object made per venue."""
        latitudes, longitudes, closed, codes = [], [], [], []
        distinct: dict[Hours | None, int] = {}
        for block, hidden in ((self.base, self.overlay.hidden), (self.overlay.block, ())):
            keep = np.ones(len(block), dtype=bool)
            if hidden:
                keep[list(hidden)] = False
            # len(distinct) is read before setdefault adds the value: its new index.
            indices = (distinct.setdefault(hours, len(distinct)) for hours in block.hours)
            codes.append(np.fromiter(indices, np.int32, len(block))[keep])
            latitudes.append(np.asarray(block.latitudes, dtype=np.float64)[keep])
            longitudes.append(np.asarray(block.longitudes, dtype=np.float64)[keep])
            closed.append(np.asarray(block.closed_until, dtype=np.int64)[keep])
        return (
            np.concatenate(latitudes),
            np.concatenate(longitudes),
            list(distinct),
            np.concatenate(codes),
            np.concatenate(closed),
        )

    def changed_since(self, serial: int) -> set[int] | None:
        """Ids of the venues changed since snapshot `serial`; None if that is not known."""
        changed: set[int] = set()
        for each, ids in reversed(self.history):
            if each == serial:
                return changed
            if ids is None:
                return None
            changed |= ids
        return None

    def with_changes(self, changes: Mapping[int, VenueEntry | None], revision: int) -> "Snapshot":
        """A new snapshot with these venues changed or added (an entry) or gone (None)."""
        entries = dict(self.overlay.entries)
        hidden = set(self.overlay.hidden)
        gone: list[VenueEntry] = []
        for venue_id, entry in changes.items():
            old = entries.pop(venue_id, None)
            position = self.base.position_of(venue_id) if old is None else None
            if position is not None and position not in hidden:
                old = self.base.entry(position)
                hidden.add(position)
            if old is not None:
                gone.append(old)
            if entry is not None:
                entries[venue_id] = entry
        came = [entry for entry in changes.values() if entry is not None]
        serial = next(_serials)
        return Snapshot(
            revision,
            serial,
            self.base,
            Overlay.build(entries, frozenset(hidden)),
            (*self.history[1 - HISTORY :], (serial, frozenset(changes))),
            self.places.changed(gone, came),
            self.size - len(gone) + len(came),
        )

    def rebased(self, base: VenueBlock, built_from: int) -> "Snapshot | None":
        """The same venues over `base`, a merge of snapshot `built_from` (None: too old).

        Changes made while the base was being built are applied again over it.
        """
        changed = self.changed_since(built_from)
        if changed is None:
            return None
        replay = {venue_id: self.entry(venue_id) for venue_id in changed}
        fresh = Snapshot.from_base(base, self.revision).with_changes(replay, self.revision)
        # Nothing changed for a reader: the history goes on from this snapshot.
        return replace(fresh, history=(*self.history[1 - HISTORY :], (fresh.serial, frozenset())))


@dataclass(frozen=True, slots=True)
class TownCentres:
    """The middle of each town's venues, and of all of them, kept as sums to change cheaply."""

    # Per town: the sums of its venues' latitudes and longitudes, and their count.
    sums: dict[str, tuple[float, float, int]]
    means: dict[str, tuple[float, float]]
    centre: tuple[float, float] | None

    @classmethod
    def of(cls, venues: Iterable[tuple[str, float, float]]) -> "TownCentres":
        sums: dict[str, tuple[float, float, int]] = {}
        for town, lat, lon in venues:
            sum_lat, sum_lon, count = sums.get(town, (0.0, 0.0, 0))
            sums[town] = (sum_lat + lat, sum_lon + lon, count + 1)
        means = {town: (lat / count, lon / count) for town, (lat, lon, count) in sums.items()}
        return cls(sums, means, _centre(sums.values()))

    def changed(self, gone: list[VenueEntry], came: list[VenueEntry]) -> "TownCentres":
        """With `gone` taken out and `came` put in: work for their towns only."""
        sums, means = dict(self.sums), dict(self.means)
        for venues, sign in ((gone, -1), (came, 1)):
            for venue in venues:
                sum_lat, sum_lon, count = sums.get(venue.town, (0.0, 0.0, 0))
                sums[venue.town] = (
                    sum_lat + sign * venue.latitude,
                    sum_lon + sign * venue.longitude,
                    count + sign,
                )
        for town in {venue.town for venue in (*gone, *came)}:
            lat, lon, count = sums[town]
            if count:
                means[town] = (lat / count, lon / count)
            else:
                del sums[town], means[town]
        return TownCentres(sums, means, _centre(sums.values()))


def _centre(sums: Iterable[tuple[float, float, int]]) -> tuple[float, float] | None:
    lat = lon = 0.0
    total = 0
    for sum_lat, sum_lon, count in sums:
        lat, lon, total = lat + sum_lat, lon + sum_lon, total + count
    return (lat / total, lon / total) if total else None
