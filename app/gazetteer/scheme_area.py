"""The scheme's own area, as its venues draw it, and what to say to someone outside it.

Pure: no FastAPI, no database. The area is the smallest convex outline around the
middles of the venues' towns, widened by NEAR_M so that the edge of each town and
the villages just over the border count as in. It follows the venues as they
change: nothing to set up but, optionally, its name (SAFE_PLACES_AREA_NAME).
Searches put places inside it first (app.gazetteer.place_names), and a place or a
position outside it is told so plainly. The phone makes the same test on the same
outline (GET /api/area), so a person's position never has to leave the phone.

Not here: the towns' middles (app.venues.snapshot keeps them as venues change).
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.venues.geo import distance_m
from app.venues.snapshot import Snapshot

# How far beyond the outermost towns' middles the area reaches: about as far as
# a county's border lies beyond its outer towns, so its villages count as in.
NEAR_M = 8000.0
# The widening's circle, drawn as a figure with this many sides around it.
CORNERS = 16
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180  # of latitude, on the mean sphere
Point = tuple[float, float]  # (latitude, longitude)


def _turn(o: Point, a: Point, b: Point) -> float:
    """Above 0 when o → a → b turns left (anticlockwise), longitude as x, latitude as y."""
    return (a[1] - o[1]) * (b[0] - o[0]) - (a[0] - o[0]) * (b[1] - o[1])


def convex_outline(points: Iterable[Point]) -> list[Point]:
    """The convex hull, anticlockwise (Andrew's monotone chain); fewer than 3 if degenerate."""
    ordered = sorted(set(points), key=lambda p: (p[1], p[0]))
    if len(ordered) < 3:
        return ordered
    lower: list[Point] = []
    upper: list[Point] = []
    for chain, sequence in ((lower, ordered), (upper, reversed(ordered))):
        for point in sequence:
            while len(chain) >= 2 and _turn(chain[-2], chain[-1], point) <= 0:
                chain.pop()
            chain.append(point)
    return lower[:-1] + upper[:-1]


def widened(outline: Sequence[Point], metres: float) -> list[Point]:
    """The outline grown by `metres` all round (every point that near is inside)."""
    # The figure's corners lie a little beyond the circle, so its sides touch it.
    reach = metres / math.cos(math.pi / CORNERS)
    around = []
    for lat, lon in outline:
        lat_step = reach / METRES_PER_DEGREE
        lon_step = lat_step / math.cos(math.radians(lat))
        for corner in range(CORNERS):
            angle = 2 * math.pi * (corner + 0.5) / CORNERS
            around.append((lat + lat_step * math.cos(angle), lon + lon_step * math.sin(angle)))
    return [(round(lat, 5), round(lon, 5)) for lat, lon in convex_outline(around)]


def inside(outline: Sequence[Point], lat: float, lon: float) -> bool:
    """Whether the point is in the convex, anticlockwise outline (on its edge counts)."""
    here = (lat, lon)
    return all(
        _turn(corner, outline[(i + 1) % len(outline)], here) >= 0
        for i, corner in enumerate(outline)
    )


@dataclass(frozen=True, slots=True)
class SchemeArea:
    """Where the scheme's venues are: its name (may be empty), middle and outline."""

    name: str
    centre: Point | None
    # (latitude, longitude) corners, anticlockwise; empty when there are no venues.
    outline: tuple[Point, ...]

    @classmethod
    def around(cls, towns: Iterable[Point], centre: Point | None, name: str = "") -> "SchemeArea":
        """The area of venues whose towns' middles are `towns`."""
        hull = convex_outline(towns)
        return cls(name, centre, tuple(widened(hull, NEAR_M)) if hull else ())

    def contains(self, lat: float, lon: float) -> bool:
        """In or near the area; with no venues yet, everywhere is."""
        return not self.outline or inside(self.outline, lat, lon)

    @property
    def shows(self) -> str:
        """What the app covers, as a sentence."""
        if self.name:
            return f"This app shows Safe Places in {self.name}."
        return "This app shows Safe Places in one area only."

    @property
    def outside_template(self) -> str:
        """What to say outside the area, with {km} for the nearest Safe Place's distance."""
        return f"{self.shows} The nearest one is {{km}} km away."

    def outside_words(self, nearest_m: float) -> str:
        """'This app shows Safe Places in Warwickshire. The nearest one is 13 km away.'"""
        return self.outside_template.format(km=max(1, round(nearest_m / 1000)))


_held: tuple[int, str, SchemeArea] | None = None


def area_of(snapshot: Snapshot, name: str) -> SchemeArea:
    """The area of a snapshot's venues, worked out once per snapshot (not per request)."""
    global _held
    held = _held
    if held is not None and held[0] == snapshot.serial and held[1] == name:
        return held[2]
    area = SchemeArea.around(snapshot.towns.values(), snapshot.centre, name)
    # Swapped whole: a thread reading meanwhile sees the old triple or the new one.
    _held = (snapshot.serial, name, area)
    return area


def outside_words_at(area: SchemeArea, snapshot: Snapshot, lat: float, lon: float) -> str:
    """What to say at a point: nothing in the area; outside it, how far the nearest venue is."""
    if area.contains(lat, lon):
        return ""
    found = snapshot.nearest(lat, lon, 1)
    if not found:
        return ""
    _, block, position = found[0]
    return area.outside_words(
        distance_m(lat, lon, block.latitudes[position], block.longitudes[position])
    )
