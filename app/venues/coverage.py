"""Cover gaps: for each hour of a week, how much of the area has an open Safe Place
within a walk, and where and when it has none. Pure: no FastAPI, no database.

What counts (and why):

- **Where people are** is the area's postcodes (Code-Point Open, one point each):
  about 15 addresses each, so a share of postcodes is close to a share of homes.
  Each postcode belongs to its nearest named place (data/gb_places.csv), so gaps
  can be said by town.
- **Within a walk** is as the nearest look-up says it (app.venues.geo): a walk is
  ROUTE_FACTOR times the distance as the crow flies at WALKING_METRES_PER_MINUTE,
  so 15 minutes is 960 m as the crow flies. Distances are on the k-d tree's
  sphere, within 0.5 % of the ellipsoid's.
- **An hour** is a London wall-clock hour of the given week, Monday 00:00 first
  (index 0) and Sunday 23:00 last (167), on the week's real dates, so bank
  holidays follow each venue's PH rules. It is **covered** only if some venue in
  reach is open for the whole hour: a place that shuts at 22:30 does not cover
  22:00-23:00, since someone arriving at 22:45 would find it shut. Unknown
  hours ("phone first") and temporary closures never count as open, as the
  nearest look-up's `open_now` never offers them.
- **The clocks changing**: in spring, 1am to 2am on the last Sunday of March
  never happens, so it is not an hour of the week: it has no share, no gap and
  no place in the best or worst (`missing_hours`). In autumn, 1am to 2am happens
  twice; the wall-clock hour is counted once, as a venue's hours say it once.
- **A place's gap** is an hour in which most (more than half) of its postcodes
  have no open Safe Place in reach; the worst gaps are the longest runs of such
  hours, weighted by how many postcodes they leave out. The week is a circle: a
  gap from Sunday 10pm to Monday 7am is one gap, not two.

How it is fast: the postcodes' venues in reach are found once with a k-d tree
(`Reach`, kept per walk); each distinct hours value's week is worked out once a
Monday (`WeekTable`, its own cache: the shared day cache the public look-ups
rely on is left alone) and packed as 168 bits (21 bytes); venues are an index
into those weeks, never an object each; a postcode's week is the OR of its
venues' weeks, one numpy reduction. See `Coverage` for what is kept afterwards.
"""

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Generic, Protocol, TypeVar

import numpy as np

from app.gazetteer.postcodes import RECORD
from app.hours import DAY_NAMES, LONDON, Hours, State, clock_words
from app.venues.geo import KDTree, unit_vectors, walk_metres

HOURS_IN_WEEK = 168
WEEK_BYTES = HOURS_IN_WEEK // 8
EARTH_RADIUS_M = 6_371_008.8
# A place has a gap in an hour when fewer than this share of its postcodes are covered.
GAP_BELOW = 0.5
WORST_GAPS = 10
# The map shows at most about this many points of each kind (nearby ones merged).
MAP_POINTS = 1500
# Waking hours, for the map's default hour: the worst of these is the one to see.
WAKING = range(7, 23)
# Reports kept (each 21 bytes a postcode: see `Coverage`): a few weeks and walks.
KEPT = 4
FIRST_K = 16
# Postcodes unpacked at once while adding up the hours.
CHUNK = 65536
# Postcodes asked of the k-d tree at once (a few milliseconds' work each).
QUERY_PIECE = 8192
# Weeks kept per Monday (21 bytes each): past this, a table starts afresh.
WEEKS_KEPT = 65536
# Mondays whose weeks are kept.
MONDAYS_KEPT = KEPT
# What the spring hour that never happens says instead of a share.
CLOCKS_GO_FORWARD = "The clocks go forward: this hour does not happen."


def hour_words(index: int) -> str:
    """'Friday 10pm' for an hour of the week (0: Monday midnight)."""
    day, hour = divmod(index, 24)
    if hour == 0:
        return f"{DAY_NAMES[(day - 1) % 7]} midnight"
    return f"{DAY_NAMES[day]} {clock_words(_clock(hour))}"


def hour_label(index: int) -> str:
    """'Monday 12am', 'Friday 10pm': one hour of the week, as the heat table heads it."""
    day, hour = divmod(index, 24)
    clock = f"{hour % 12 or 12}{'am' if hour < 12 else 'pm'}"
    return f"{DAY_NAMES[day]} {clock}"


def span_words(start: int, end: int) -> str:
    """'Friday 10pm to Saturday 7am' for hours [start, end) of the week."""
    if end - start >= HOURS_IN_WEEK:
        return "all week"
    first, last = hour_words(start), hour_words(end % HOURS_IN_WEEK)
    if start % 24 and (end - 1) // 24 == start // 24:
        # The same day: 'Monday 2am to 6pm', 'Friday 10pm to midnight'.
        last = last.split(" ", 1)[1]
    return f"{first} to {last}"


def _clock(hour: int) -> time:
    return time(hour)


def _vectors(latitudes: object, longitudes: object) -> np.ndarray:
    """unit_vectors, for numpy arrays as well as lists."""
    return unit_vectors(latitudes, longitudes)  # type: ignore[arg-type]


# Weeks --------------------------------------------------------------------------


def week_bits(hours: Hours | None, closed_until: int, monday: date) -> np.ndarray:
    """168 booleans: open for the whole of each hour of the week starting `monday`.

    Worked out with `Hours._segments`, the evaluation behind `Hours.day` without
    the day cache all values share: 20,000 distinct values' weeks would empty the
    cache the public look-ups rely on (see `WeekTable`).
    """
    week = np.zeros(HOURS_IN_WEEK, dtype=bool)
    if hours is None:
        return week
    for day_number in range(7):
        day = monday + timedelta(days=day_number)
        if day.toordinal() < closed_until:
            continue
        base = day_number * 24
        for start, end, answer in hours._segments(day):
            if answer.state is State.OPEN:
                first, last = -(-start // 60), end // 60  # whole hours inside [start, end)
                if first < last:
                    week[base + first : base + last] = True
    return week


def missing_hours(monday: date) -> np.ndarray:
    """168 booleans: the hours of the week that never happen in London (spring forward)."""
    missing = np.zeros(HOURS_IN_WEEK, dtype=bool)
    for day_number in range(7):
        day = monday + timedelta(days=day_number)
        begin = datetime.combine(day, time(0), LONDON).timestamp()
        end = datetime.combine(day + timedelta(days=1), time(0), LONDON).timestamp()
        if end - begin >= 24 * 60 * 60:
            continue  # none missing (autumn's 25 hours are counted as 24)
        for hour in range(24):
            # A wall time in the gap comes back from UTC as another hour.
            wall = datetime.combine(day, time(hour), LONDON)
            if wall.astimezone(UTC).astimezone(LONDON).hour != hour:
                missing[day_number * 24 + hour] = True
    return missing


# Each row: the week as 21 bytes, open only from the start of day 0…7 (closed before).
_OPEN_FROM = np.packbits(np.arange(HOURS_IN_WEEK)[None, :] >= 24 * np.arange(8)[:, None], axis=1)


class WeekTable:
    """One Monday's weeks (21 bytes each) by hours value, worked out once per value.

    The coverage report's own cache: keyed by the `Hours` object (parse_hours
    shares one per value and nation), never the shared day cache."""

    def __init__(self, monday: date) -> None:
        self.monday = monday
        self._row: dict[Hours | None, int] = {}
        self._weeks = np.zeros((256, WEEK_BYTES), dtype=np.uint8)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._row)

    def weeks(self, values: Sequence[Hours | None]) -> np.ndarray:
        """These values' weeks, one row each (a copy: the table may grow)."""
        with self._lock:
            rows = np.fromiter((self._row_of(hours) for hours in values), np.int64, len(values))
            return self._weeks[rows]

    def _row_of(self, hours: Hours | None) -> int:
        row = self._row.get(hours)
        if row is None:
            row = self._row[hours] = len(self._row)
            if row == len(self._weeks):
                self._weeks = np.concatenate((self._weeks, np.zeros_like(self._weeks)))
            self._weeks[row] = np.packbits(week_bits(hours, 0, self.monday))
        return row


_tables: OrderedDict[date, WeekTable] = OrderedDict()
_tables_lock = threading.Lock()


def week_table(monday: date) -> WeekTable:
    """The table of `monday`'s weeks (the last MONDAYS_KEPT Mondays' are kept)."""
    with _tables_lock:
        table = _tables.get(monday)
        if table is None or len(table) > WEEKS_KEPT:
            table = _tables[monday] = WeekTable(monday)
        _tables.move_to_end(monday)
        while len(_tables) > MONDAYS_KEPT:
            _tables.popitem(last=False)
        return table


def forget_week_tables() -> None:
    """Drop every Monday's kept weeks (a benchmark's run starts afresh)."""
    with _tables_lock:
        _tables.clear()


def venue_weeks(venues: "Venues", weeks: np.ndarray, monday: date) -> np.ndarray:
    """Each venue's week (21 bytes): its hours' week, less the days it is closed."""
    closed_days = np.clip(venues.closed_until - monday.toordinal(), 0, 7)
    return weeks[venues.hours_of] & _OPEN_FROM[closed_days]


# Reach ----------------------------------------------------------------------------


def in_reach(
    postcode_vectors: np.ndarray, venue_vectors: np.ndarray, metres: float
) -> tuple[np.ndarray, np.ndarray]:
    """Every (postcode, venue) pair within `metres`, ordered by postcode: two index arrays.

    pykdtree answers "the k nearest, within a bound": postcodes whose k-th is still
    in reach are asked again with a larger k, so none is cut short.
    """
    n = len(venue_vectors)
    if n == 0 or len(postcode_vectors) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    chord = 2 * math.sin(metres / (2 * EARTH_RADIUS_M))
    tree = KDTree(venue_vectors)
    asking = np.arange(len(postcode_vectors))
    k = min(FIRST_K, n)
    found_postcodes, found_venues = [], []
    while len(asking):
        distances, indices = _query(tree, postcode_vectors[asking], k, chord)
        full = (distances[:, -1] <= chord) if k < n else np.zeros(len(asking), dtype=bool)
        done = ~full
        rows, columns = np.nonzero(distances[done] <= chord)
        found_postcodes.append(asking[done][rows])
        found_venues.append(indices[done][rows, columns])
        asking, k = asking[full], min(k * 4, n)
    postcodes = np.concatenate(found_postcodes)
    venues = np.concatenate(found_venues)
    order = np.argsort(postcodes, kind="stable")
    return postcodes[order], venues[order]


def _query(tree: KDTree, points: np.ndarray, k: int, bound: float) -> tuple[np.ndarray, np.ndarray]:
    """tree.query in pieces: between them, other threads (public look-ups) get the GIL."""
    distances = np.empty((len(points), k), dtype=np.float64)
    indices = np.empty((len(points), k), dtype=np.int64)
    for start in range(0, len(points), QUERY_PIECE):
        piece = points[start : start + QUERY_PIECE]
        found, where = tree.query(piece, k=k, distance_upper_bound=bound)
        distances[start : start + len(piece)] = found.reshape(len(piece), k)
        indices[start : start + len(piece)] = where.reshape(len(piece), k)
    return distances, indices


@dataclass(frozen=True, slots=True)
class Reach:
    """Which venues each postcode can walk to, compactly: the postcodes with any
    (`postcodes`), where each one's venues start in `venues`, and the venues."""

    count: int  # the area's postcodes
    postcodes: np.ndarray
    starts: np.ndarray
    venues: np.ndarray

    @classmethod
    def of(cls, area: "Area", venues: "Venues", walk_minutes: int) -> "Reach":
        postcodes, found = in_reach(
            _vectors(area.latitudes, area.longitudes),
            _vectors(venues.latitudes, venues.longitudes),
            walk_metres(walk_minutes),
        )
        starts = (
            np.flatnonzero(np.r_[True, postcodes[1:] != postcodes[:-1]])
            if len(postcodes)
            else postcodes
        )
        return cls(len(area), postcodes[starts].astype(np.int32), starts, found.astype(np.int32))

    @property
    def nbytes(self) -> int:
        return self.postcodes.nbytes + self.starts.nbytes + self.venues.nbytes


def postcode_weeks(reach: Reach, weeks: np.ndarray) -> np.ndarray:
    """Each postcode's week (21 bytes): the OR of the weeks of the venues in its reach."""
    if len(reach.venues) == 0:
        return np.zeros((reach.count, WEEK_BYTES), dtype=np.uint8)
    # As 3 words of 64 bits, not 21 bytes: a seventh of the work for the reduction.
    wide = np.zeros((len(weeks), 24), dtype=np.uint8)
    wide[:, :WEEK_BYTES] = weeks
    words = wide.view(np.uint64)
    covered = np.zeros((reach.count, 3), dtype=np.uint64)
    covered[reach.postcodes] = np.bitwise_or.reduceat(words[reach.venues], reach.starts, axis=0)
    return np.ascontiguousarray(covered.view(np.uint8)[:, :WEEK_BYTES])


def hour_columns(weeks: np.ndarray) -> Iterable[tuple[int, np.ndarray]]:
    """(hour, a 0/1 per postcode) for each hour of the week, without unpacking them all."""
    for byte in range(WEEK_BYTES):
        column = weeks[:, byte]
        for bit in range(8):
            yield byte * 8 + bit, (column >> (7 - bit)) & 1


# The report -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Area:
    """The area's postcodes: positions (float32, as stored) and each one's place."""

    latitudes: np.ndarray
    longitudes: np.ndarray
    place_of: np.ndarray  # index into place_names, per postcode
    place_names: tuple[str, ...]

    def __post_init__(self) -> None:
        # Kept in place order, so a place's postcodes are one run (see Coverage).
        if len(self.place_of) and (np.diff(self.place_of) < 0).any():
            order = np.argsort(self.place_of, kind="stable")
            for name in ("latitudes", "longitudes", "place_of"):
                object.__setattr__(self, name, getattr(self, name)[order])

    def __len__(self) -> int:
        return len(self.latitudes)

    @property
    def nbytes(self) -> int:
        return self.latitudes.nbytes + self.longitudes.nbytes + self.place_of.nbytes


@dataclass(frozen=True, slots=True)
class Venues:
    """The venues counted, as arrays (no object per venue: at 100,000 venues those
    cost full garbage collections of a third of a second): positions, the distinct
    hours values, each venue's index into them, and the day (ordinal) its temporary
    closure ends (0: none). `Snapshot.columns` gives them in this order."""

    latitudes: np.ndarray
    longitudes: np.ndarray
    hours: list[Hours | None]
    hours_of: np.ndarray
    closed_until: np.ndarray

    def __len__(self) -> int:
        return len(self.latitudes)


@dataclass(frozen=True, slots=True)
class Gap:
    place: str
    start: int  # hour of the week, 0-167
    end: int  # the first hour after it, 1-335: past 168 it runs on into Monday
    postcodes: int  # of the place's, left without cover for most of the run
    all_of_it: bool  # no postcode of the place covered in any of its hours
    walk_minutes: int

    @property
    def words(self) -> str:
        """'Nuneaton: Friday 10pm to Saturday 7am. No open Safe Place within 15 minutes.'

        Two short sentences: the place and when, then what is missing."""
        where = self.place if self.all_of_it else f"Most of {self.place}"
        if self.end - self.start >= HOURS_IN_WEEK:
            return f"{where}: no open Safe Place within {self.walk_minutes} minutes at any hour."
        return (
            f"{where}: {span_words(self.start, self.end)}. "
            f"No open Safe Place within {self.walk_minutes} minutes."
        )


@dataclass(frozen=True, slots=True)
class Gaps:
    """Every run of gap hours, by place, worst (most postcode-hours left out) first:
    arrays, one item a run, so a county-wide report keeps no object per run."""

    place: np.ndarray
    start: np.ndarray
    end: np.ndarray
    postcodes: np.ndarray
    all_of_it: np.ndarray

    def gap(self, i: int, names: tuple[str, ...], walk_minutes: int) -> Gap:
        return Gap(
            names[self.place[i]],
            int(self.start[i]),
            int(self.end[i]),
            int(self.postcodes[i]),
            bool(self.all_of_it[i]),
            walk_minutes,
        )


@dataclass(slots=True)
class Coverage:
    """A week's report, and what a what-if needs to change it cheaply.

    Holds 21 bytes per postcode and per venue (their weeks) and 4 bytes per place
    and hour, and shares the area's 12 bytes per postcode, the venues' arrays and
    the reach with every other report of the area. Measured (bench/coverage.py, 2
    reports and the area): 2.1 MB for the county (38,000 postcodes), 28 MB at
    100,000 venues over 442,000 postcodes; all of Great Britain (1.7 million
    postcodes) would be about 36 MB a report.
    """

    monday: date
    walk_minutes: int
    area: Area
    venues: Venues
    venue_weeks: np.ndarray  # per venue, 21 bytes
    weeks: np.ndarray  # per postcode, 21 bytes
    missing: np.ndarray = field(init=False)  # per hour: never happens (spring forward)
    covered: np.ndarray = field(init=False)  # per hour: postcodes covered
    place_covered: np.ndarray = field(init=False)  # places x hours
    place_sizes: np.ndarray = field(init=False)
    _gaps: Gaps | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        places = len(self.area.place_names)
        place_of = self.area.place_of
        self.missing = missing_hours(self.monday)
        self.place_sizes = np.bincount(place_of, minlength=places)
        self.place_covered = np.zeros((places, HOURS_IN_WEEK), dtype=np.int32)
        # A chunk of postcodes at a time, unpacked to one byte an hour (at most 11 MB);
        # the area's postcodes are in place order, so each place's are a run to add up.
        for start in range(0, len(place_of), CHUNK):
            hours = np.unpackbits(self.weeks[start : start + CHUNK], axis=1)
            chunk_places = place_of[start : start + CHUNK]
            runs = np.flatnonzero(np.r_[True, chunk_places[1:] != chunk_places[:-1]])
            self.place_covered[chunk_places[runs]] += np.add.reduceat(
                hours, runs, axis=0, dtype=np.int32
            )
        self.place_covered[:, self.missing] = 0
        self.covered = self.place_covered.sum(axis=0, dtype=np.int64)

    @property
    def nbytes(self) -> int:
        return (
            self.weeks.nbytes
            + self.venue_weeks.nbytes
            + self.place_covered.nbytes
            + self.covered.nbytes
        )

    def shares(self) -> list[float | None]:
        """Per hour, the share (0-1) of the area's postcodes covered; None: no such hour."""
        total = len(self.area)
        return [
            None if missing else float(c) / total if total else 0.0
            for c, missing in zip(self.covered, self.missing, strict=True)
        ]

    def gaps(self) -> Gaps:
        """Every run of gap hours, by place, worst first (worked out once)."""
        if self._gaps is None:
            self._gaps = find_gaps(
                self.place_covered, self.place_sizes, self.missing, self.area.place_names
            )
        return self._gaps

    def all_gaps(self) -> list[Gap]:
        """Every run of gap hours as a `Gap`, worst first: for a small area."""
        gaps = self.gaps()
        return [
            gaps.gap(i, self.area.place_names, self.walk_minutes) for i in range(len(gaps.place))
        ]

    def worst_gaps(self, limit: int = WORST_GAPS) -> list[Gap]:
        """Each place's worst gap, in places that have cover at some hours, worst first."""
        gaps = self.gaps()
        seen: set[int] = set()
        found = []
        for i in np.flatnonzero(gaps.end - gaps.start < HOURS_IN_WEEK).tolist():
            place = int(gaps.place[i])
            if place not in seen:
                seen.add(place)
                found.append(gaps.gap(i, self.area.place_names, self.walk_minutes))
                if len(found) == limit:
                    break
        return found

    def never_covered(self, limit: int = WORST_GAPS) -> list[Gap]:
        """Places with no cover (for most of them) at any hour, biggest first."""
        gaps = self.gaps()
        every_hour = np.flatnonzero(gaps.end - gaps.start >= HOURS_IN_WEEK)[:limit]
        return [gaps.gap(i, self.area.place_names, self.walk_minutes) for i in every_hour.tolist()]

    def worst_waking_hour(self) -> int:
        """The hour people are most likely out (7am to 11pm) with the least cover."""
        waking = [day * 24 + hour for day in range(7) for hour in WAKING]
        return min(
            (hour for hour in waking if not self.missing[hour]),
            key=lambda hour: (self.covered[hour], hour),
        )

    def uncovered_points(self, hour: int) -> list[tuple[float, float]]:
        """Where postcodes have no open Safe Place in reach at this hour (thinned)."""
        byte, bit = divmod(hour, 8)
        left_out = ((self.weeks[:, byte] >> (7 - bit)) & 1) == 0
        return thinned(self.area.latitudes[left_out], self.area.longitudes[left_out])

    def venue_points(self, hour: int) -> list[tuple[float, float, bool]]:
        """Where the venues are, and whether each (thinned: any) is open at this hour."""
        byte, bit = divmod(hour, 8)
        opens = ((self.venue_weeks[:, byte] >> (7 - bit)) & 1).astype(bool)
        found: list[tuple[float, float, bool]] = []
        for is_open in (False, True):
            picked = opens == is_open
            points = thinned(self.venues.latitudes[picked], self.venues.longitudes[picked])
            found += [(lat, lon, is_open) for lat, lon in points]
        return found

    def more_cover(self, latitude: float, longitude: float, hours: Hours) -> np.ndarray:
        """Per hour, the postcodes one more venue would cover that are not covered now:
        only the postcodes in its reach are looked at, and no report is made."""
        near = within(self.area, latitude, longitude, walk_metres(self.walk_minutes))
        week = np.packbits(week_bits(hours, 0, self.monday))
        gained = np.unpackbits(week & ~self.weeks[near], axis=1).sum(axis=0, dtype=np.int64)
        gained[self.missing] = 0
        return gained


def find_gaps(
    place_covered: np.ndarray,
    sizes: np.ndarray,
    missing: np.ndarray,
    names: tuple[str, ...],
) -> Gaps:
    """Every run of gap hours, every place at once, worst first (then earliest, then by name).

    The week is a circle, so a run may start on Sunday and end on Monday (its `end`
    is then past 168); hours that never happen are skipped, not counted.
    """
    hours = np.flatnonzero(~missing)
    count = len(hours)
    covered = place_covered[:, hours]
    gap = (covered < GAP_BELOW * sizes[:, None]) & (sizes[:, None] > 0)
    places = np.flatnonzero(gap.any(axis=1))
    gap, covered, sizes = gap[places], covered[places], sizes[places]
    # Turn each place's week to start at an hour with cover, so no run crosses its end
    # (a place with a gap in every hour starts where it is: one run, the whole week).
    turn = np.where(gap.all(axis=1), 0, np.argmin(gap, axis=1))
    order = (np.arange(count)[None, :] + turn[:, None]) % count
    rows = np.arange(len(places))[:, None]
    gap, covered = gap[rows, order], covered[rows, order]
    left_out = np.cumsum(np.c_[np.zeros(len(places)), sizes[:, None] - covered], axis=1)
    none_covered = np.cumsum(np.c_[np.zeros(len(places)), covered == 0], axis=1)
    edges = np.diff(
        np.c_[np.zeros(len(places), np.int8), gap.astype(np.int8), np.zeros(len(places), np.int8)],
        axis=1,
    )
    which, first = np.nonzero(edges == 1)
    _, after = np.nonzero(edges == -1)
    length = after - first
    weight = left_out[which, after] - left_out[which, first]
    # Back to hours of the week: the first hour, and the first hour after the run.
    start_at, end_at = first + turn[which], after + turn[which]
    start = hours[start_at % count] + HOURS_IN_WEEK * (start_at // count)
    end = hours[end_at % count] + HOURS_IN_WEEK * (end_at // count)
    full = length == count
    start, end = np.where(full, 0, start), np.where(full, HOURS_IN_WEEK, end)
    later = start >= HOURS_IN_WEEK
    start, end = (
        np.where(later, start - HOURS_IN_WEEK, start),
        np.where(later, end - HOURS_IN_WEEK, end),
    )
    name_rank = np.argsort(np.argsort(np.array(names, dtype=object)))
    place = places[which]
    ranked = np.lexsort((name_rank[place], start, -weight))
    return Gaps(
        place[ranked],
        start[ranked],
        end[ranked],
        np.round(weight / length)[ranked].astype(np.int64),
        (none_covered[which, after] - none_covered[which, first] == length)[ranked],
    )


def within(area: Area, latitude: float, longitude: float, metres: float) -> np.ndarray:
    """Indices of the area's postcodes within `metres` of a point (on the sphere)."""
    chord = 2 * math.sin(metres / (2 * EARTH_RADIUS_M))
    # Only those in a box around it need measuring.
    degrees = math.degrees(metres / EARTH_RADIUS_M) * 1.01
    wide = degrees / max(math.cos(math.radians(latitude)), 0.01)
    box = np.flatnonzero(
        (np.abs(area.latitudes - latitude) <= degrees)
        & (np.abs(area.longitudes - longitude) <= wide)
    )
    vectors = _vectors(area.latitudes[box], area.longitudes[box])
    here = _vectors([latitude], [longitude])[0]
    return box[np.linalg.norm(vectors - here, axis=1) <= chord]


def thinned(latitudes: np.ndarray, longitudes: np.ndarray) -> list[tuple[float, float]]:
    """At most about MAP_POINTS points: one per grid square, squares grown until they fit."""
    if len(latitudes) == 0:
        return []
    # About 200 m, or squares big enough for the points' extent to hold MAP_POINTS.
    extent = float(np.ptp(latitudes)) * float(np.ptp(longitudes)) / 1.6
    step = max(0.002, math.sqrt(extent / MAP_POINTS) / 2)
    while True:
        rows = np.round(latitudes / step).astype(np.int64)
        columns = np.round(longitudes / (step * 1.6)).astype(np.int64)
        cells = np.unique(rows * (1 << 32) + (columns & 0xFFFFFFFF))
        if len(cells) <= MAP_POINTS:
            break
        step *= 1.5
    rows, columns = cells >> 32, (cells & 0xFFFFFFFF).astype(np.uint32).view(np.int32)
    return [
        (round(float(row) * step, 4), round(float(column) * step * 1.6, 4))
        for row, column in zip(rows, columns, strict=True)
    ]


def report(
    area: Area,
    venues: Venues,
    monday: date,
    walk_minutes: int,
    reach: Reach | None = None,
    weeks: np.ndarray | None = None,
) -> Coverage:
    """The week's report: one OR per postcode of its venues' weeks. `reach` (for this
    area, venues and walk) and `weeks` (the venues' distinct hours' weeks, as
    `WeekTable.weeks` gives them) are worked out when not given."""
    if reach is None:
        reach = Reach.of(area, venues, walk_minutes)
    if weeks is None:
        weeks = week_table(monday).weeks(venues.hours)
    each_venue = venue_weeks(venues, weeks, monday)
    return Coverage(
        monday, walk_minutes, area, venues, each_venue, postcode_weeks(reach, each_venue)
    )


# The area's postcodes ---------------------------------------------------------------


def postcodes_inside(
    folder: Path, outline: Sequence[tuple[float, float]]
) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes (float32) of the table's postcodes inside a convex outline."""
    if len(outline) < 3:
        empty = np.zeros(0, dtype=np.float32)
        return empty, empty
    records = np.memmap(folder / "postcodes.bin", dtype=RECORD, mode="r")
    lats = np.asarray(records["lat"])
    lons = np.asarray(records["lon"])
    corners = np.asarray(outline, dtype=np.float64)
    box = (
        (lats >= corners[:, 0].min())
        & (lats <= corners[:, 0].max())
        & (lons >= corners[:, 1].min())
        & (lons <= corners[:, 1].max())
    )
    lat, lon = lats[box].astype(np.float64), lons[box].astype(np.float64)
    keep = np.ones(len(lat), dtype=bool)
    # app.gazetteer.scheme_area.inside, for all the points at once.
    for (a_lat, a_lon), (b_lat, b_lon) in zip(corners, np.roll(corners, -1, axis=0), strict=True):
        keep &= (b_lon - a_lon) * (lat - a_lat) - (b_lat - a_lat) * (lon - a_lon) >= 0
    del records
    return lats[box][keep].copy(), lons[box][keep].copy()


def nearest_places(
    latitudes: np.ndarray,
    longitudes: np.ndarray,
    places: Sequence[tuple[str, float, float]],
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each point's nearest named place: (index per point, the places' names)."""
    if not places or not len(latitudes):
        return np.zeros(len(latitudes), dtype=np.int32), tuple(name for name, _, _ in places)
    tree = KDTree(_vectors([p[1] for p in places], [p[2] for p in places]))
    _, nearest = tree.query(_vectors(latitudes, longitudes), k=1)
    # Only the places some postcode is nearest to: a county's few hundred, not 3,600.
    used, place_of = np.unique(nearest, return_inverse=True)
    return place_of.astype(np.int32), tuple(places[i][0] for i in used)


class Measured(Protocol):
    @property
    def nbytes(self) -> int: ...


Kept = TypeVar("Kept", bound=Measured)


class ReportCache(Generic[Kept]):
    """Reports (or their parts: the area, reach, weeks) by key, the last KEPT of
    them, each made once. Callers asking for the same one at once wait for the
    first to make it; if making it fails, the next caller tries again. `made`
    counts what was made (not found kept)."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self.made = 0
        self._reports: OrderedDict[tuple, Kept] = OrderedDict()
        self._making: dict[tuple, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple, make: Callable[[], Kept]) -> Kept:
        with self._lock:
            found = self._reports.get(key)
            if found is not None:
                self._reports.move_to_end(key)
                return found
            making = self._making.setdefault(key, threading.Lock())
        try:
            with making:
                with self._lock:
                    found = self._reports.get(key)
                if found is None:
                    found = make()
                    with self._lock:
                        self.made += 1
                        self._reports[key] = found
                        while len(self._reports) > self._kept:
                            self._reports.popitem(last=False)
                return found
        finally:
            with self._lock:
                if self._making.get(key) is making:
                    del self._making[key]

    @property
    def nbytes(self) -> int:
        with self._lock:
            return sum(report.nbytes for report in self._reports.values())

    def clear(self) -> None:
        with self._lock:
            self._reports.clear()
