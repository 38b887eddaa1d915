"""Distance, direction and nearest-neighbour maths. Pure: no FastAPI, no database.

Distances use the WGS84 ellipsoid's radii of curvature (see
`distance_and_bearing`): within 0.003 % of the full geodesic up to about
100 km and 0.02 % across the UK, at about half a microsecond, where geopy's
geodesic costs about 80 µs.

The nearest look-up keeps points as unit vectors in a k-d tree (pykdtree): the straight-line
(chord) distance between unit vectors orders points exactly as the great-circle
distance does, so the tree answers "which are nearest" without trigonometry.
"""

import math
import os
from collections.abc import Sequence

import numpy as np

# pykdtree parallelises queries with OpenMP. One point per query gains nothing
# from threads, and idle OpenMP threads spin on the CPU the web server needs.
os.environ.setdefault("OMP_NUM_THREADS", "1")
from pykdtree.kdtree import KDTree

# WGS84 ellipsoid.
_A = 6378137.0
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)

COMPASS_POINTS = (
    "north",
    "north-east",
    "east",
    "south-east",
    "south",
    "south-west",
    "west",
    "north-west",
)
# A person walks about 80 m a minute (4.8 km/h); streets are rarely straight,
# so a walk is about 1.25 times the distance as the crow flies.
WALKING_METRES_PER_MINUTE = 80.0
ROUTE_FACTOR = 1.25
# Further than this (over an hour's walk) a place is not offered as a walk at all.
MAX_WALK_M = 5000.0
# Within this a place is "nearby": the national Safe Places app offers to ring
# 101 when nothing open is within a 15-minute walk.
NEARBY_MINUTES = 15
# Closer than this, "north-east" means nothing: you are there.
HERE_M = 20.0


def distance_and_bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    """Metres from point 1 to point 2, and the initial bearing in degrees from north.

    One function, because the nearest look-up needs both for every result.
    Within about 100 km (the case that matters on foot) the Earth is treated as
    flat around the mean latitude, with the ellipsoid's radii of curvature
    there: within 0.003 % of the geodesic, at half the cost of a haversine.
    Further apart, the haversine with the radius of curvature along the path.
    """
    d_lat = lat2 - lat1
    d_lon = lon2 - lon1
    mean = math.radians((lat1 + lat2) / 2)
    sin_mean = math.sin(mean)
    w = 1 - _E2 * sin_mean * sin_mean
    meridian = _A * (1 - _E2) / (w * math.sqrt(w))
    prime_vertical = _A / math.sqrt(w)
    if -1 < d_lat < 1 and -1.5 < d_lon < 1.5:
        north = math.radians(d_lat) * meridian
        east = math.radians(d_lon) * prime_vertical * math.cos(mean)
        return math.hypot(east, north), math.degrees(math.atan2(east, north)) % 360.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(d_lon)
    cos_p1, cos_p2 = math.cos(p1), math.cos(p2)
    h = math.sin((p2 - p1) / 2) ** 2 + cos_p1 * cos_p2 * math.sin(dl / 2) ** 2
    central_angle = 2 * math.asin(min(1.0, math.sqrt(h)))
    heading = math.atan2(
        math.sin(dl) * cos_p2, cos_p1 * math.sin(p2) - math.sin(p1) * cos_p2 * math.cos(dl)
    )
    # Euler's formula: the radius of curvature in the direction of travel.
    cos_h, sin_h = math.cos(heading), math.sin(heading)
    radius = 1 / (cos_h * cos_h / meridian + sin_h * sin_h / prime_vertical)
    return central_angle * radius, math.degrees(heading) % 360.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Metres between two points (see the module docstring for the method)."""
    return distance_and_bearing(lat1, lon1, lat2, lon2)[0]


def bearing_degrees(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing from point 1 to point 2, degrees clockwise from north."""
    return distance_and_bearing(lat1, lon1, lat2, lon2)[1]


def compass_point(bearing: float) -> int:
    """Which of COMPASS_POINTS a bearing in degrees is nearest to."""
    return round(bearing / 45.0) % 8


def compass_words(bearing: float) -> str:
    """'north', 'south-west' … for a bearing in degrees."""
    return COMPASS_POINTS[compass_point(bearing)]


def walking_minutes(metres: float) -> int | None:
    """Minutes' walk, rounded up, never less than 1; None when too far to walk."""
    if metres > MAX_WALK_M:
        return None
    return max(1, math.ceil(metres * ROUTE_FACTOR / WALKING_METRES_PER_MINUTE))


def walk_metres(walk_minutes: float) -> float:
    """How far as the crow flies a walk of this many minutes reaches: the inverse of
    `walking_minutes` (without its rounding up)."""
    return walk_minutes * WALKING_METRES_PER_MINUTE / ROUTE_FACTOR


def direction_words(metres: float, bearing: float) -> str:
    """'north-east', or 'here' when the place is where you are."""
    return "here" if metres < HERE_M else COMPASS_POINTS[compass_point(bearing)]


def unit_vectors(latitudes: Sequence[float], longitudes: Sequence[float]) -> np.ndarray:
    lat = np.radians(np.asarray(latitudes, dtype=np.float64))
    lon = np.radians(np.asarray(longitudes, dtype=np.float64))
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)))


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    p, lam = math.radians(lat), math.radians(lon)
    return (math.cos(p) * math.cos(lam), math.cos(p) * math.sin(lam), math.sin(p))


class PointIndex:
    """Positions of points 0…n-1, answering "which k are nearest to here?"."""

    def __init__(self, latitudes: Sequence[float], longitudes: Sequence[float]) -> None:
        self.size = len(latitudes)
        self._tree = KDTree(unit_vectors(latitudes, longitudes)) if self.size else None

    def nearest(self, lat: float, lon: float, k: int) -> tuple[list[float], list[int]]:
        """Up to `k` points, nearest first (great-circle order): (chord lengths, positions).

        A chord is the straight-line distance between unit vectors; it grows with
        the great-circle distance, so chords compare like distances.
        """
        return self.nearest_to(unit_vector(lat, lon), k)

    def nearest_to(
        self, vector: tuple[float, float, float], k: int
    ) -> tuple[list[float], list[int]]:
        """As `nearest`, from a unit vector (`unit_vector(lat, lon)`)."""
        if self._tree is None or k <= 0:
            return [], []
        k = min(k, self.size)
        chords, positions = self._tree.query(np.array([vector]), k=k)
        if k == 1:
            return [float(chords[0])], [int(positions[0])]
        return chords[0].tolist(), positions[0].tolist()
