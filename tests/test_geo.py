import random

import pytest
from geopy.distance import geodesic

from app.venues.geo import PointIndex, bearing_degrees, compass_words, distance_m, walking_minutes

WARWICK = (52.2823, -1.5849)


def uk_points(count: int, seed: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    return [(rng.uniform(50.0, 58.6), rng.uniform(-7.5, 1.7)) for _ in range(count)]


def test_distance_agrees_with_geodesic_within_a_hundredth_of_a_percent_nearby() -> None:
    rng = random.Random(7)
    for lat, lon in uk_points(2000, seed=1):
        other = (lat + rng.uniform(-0.1, 0.1), lon + rng.uniform(-0.1, 0.1))
        expected = geodesic((lat, lon), other).m
        assert distance_m(lat, lon, *other) == pytest.approx(expected, rel=1e-4, abs=0.01)


def test_distance_agrees_with_geodesic_across_the_uk_within_half_a_percent() -> None:
    points = uk_points(400, seed=2)
    for (a_lat, a_lon), (b_lat, b_lon) in zip(points, reversed(points), strict=True):
        expected = geodesic((a_lat, a_lon), (b_lat, b_lon)).m
        assert distance_m(a_lat, a_lon, b_lat, b_lon) == pytest.approx(expected, rel=0.005)


def test_distance_to_itself_is_zero() -> None:
    assert distance_m(*WARWICK, *WARWICK) == 0


@pytest.mark.parametrize(
    ("to", "words"),
    [
        ((52.30, -1.5849), "north"),
        ((52.30, -1.56), "north-east"),
        ((52.2823, -1.55), "east"),
        ((52.26, -1.56), "south-east"),
        ((52.26, -1.5849), "south"),
        ((52.26, -1.61), "south-west"),
        ((52.2823, -1.62), "west"),
        ((52.30, -1.61), "north-west"),
    ],
)
def test_compass_words(to: tuple[float, float], words: str) -> None:
    assert compass_words(bearing_degrees(*WARWICK, *to)) == words


def test_walking_minutes_round_up_and_allow_for_streets() -> None:
    assert walking_minutes(0) == 1
    assert walking_minutes(64) == 1  # 80 m of street at 80 m a minute
    assert walking_minutes(65) == 2
    assert walking_minutes(960) == 15


def test_point_index_matches_a_brute_force_ranking() -> None:
    points = uk_points(3000, seed=3)
    index = PointIndex([p[0] for p in points], [p[1] for p in points])
    for lat, lon in uk_points(50, seed=4):
        by_distance = sorted(range(len(points)), key=lambda i: geodesic((lat, lon), points[i]).m)
        _, found = index.nearest(lat, lon, 5)
        assert len(found) == 5
        # Sphere and ellipsoid may swap near-ties, never anything further apart.
        fifth = geodesic((lat, lon), points[by_distance[4]]).m
        for position in found:
            assert geodesic((lat, lon), points[position]).m <= fifth * 1.005
        assert found[0] == by_distance[0]


def test_point_index_with_few_or_no_points() -> None:
    assert PointIndex([], []).nearest(*WARWICK, 5) == ([], [])
    one = PointIndex([52.0], [-1.0])
    assert one.nearest(*WARWICK, 5)[1] == [0]
    assert one.nearest(*WARWICK, 1)[1] == [0]
