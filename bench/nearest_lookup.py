"""In-process nearest look-up at 1k, 100k and 1M venues.

Prints the time per look-up (the 5 nearest, as the JSON the API sends), with
and without the open-now filter, against a pure-Python scan of every venue:
the baseline a spatial index has to beat. Target: at most 50 µs per look-up at
every size.

    .venv/bin/python bench/nearest_lookup.py [--sizes 1000,100000,1000000]
"""

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import make_engine
from app.hours import london_now
from app.venues.catalogue import Catalogue
from app.venues.geo import distance_m
from bench.synthetic import make_database, random_positions

QUERIES = 20_000
Positions = list[tuple[float, float]]


def seconds_per_call(call: Callable[[float, float], object], positions: Positions) -> list[float]:
    """Seconds per call, timed in batches of 100 so the timer's cost is negligible."""
    per_call: list[float] = []
    for start in range(0, len(positions), 100):
        batch = positions[start : start + 100]
        began = time.perf_counter()
        for lat, lon in batch:
            call(lat, lon)
        per_call.append((time.perf_counter() - began) / len(batch))
    return per_call


def measure(size: int, folder: str, queries: Positions) -> str:
    url = f"sqlite:///{folder}/bench_{size}.db"
    make_database(url, size)
    began = time.perf_counter()
    catalogue = Catalogue(make_engine(url))
    build = time.perf_counter() - began
    snap = catalogue.snapshot
    now = london_now()

    def nearest(lat: float, lon: float) -> object:
        return catalogue.nearest(lat, lon, 5, now)

    def nearest_open(lat: float, lon: float) -> object:
        return catalogue.nearest(lat, lon, 5, now, open_only=True)

    def scan(lat: float, lon: float) -> object:
        lats, lons = snap.base.latitudes, snap.base.longitudes
        return sorted(range(len(lats)), key=lambda i: distance_m(lat, lon, lats[i], lons[i]))[:5]

    seconds_per_call(nearest, queries[:2000])  # warm up, as a running server is
    times = seconds_per_call(nearest, queries)
    open_times = seconds_per_call(nearest_open, queries[: QUERIES // 4])
    scan_times = seconds_per_call(scan, queries[: max(3, 200_000 // size)])
    mean = statistics.fmean(times) * 1e6
    p99 = statistics.quantiles(times, n=100)[98] * 1e6
    scan_mean = statistics.fmean(scan_times) * 1e6
    return (
        f"{size:>9} {build:>8.2f} {mean:>11.1f} {p99:>8.1f} "
        f"{statistics.fmean(open_times) * 1e6:>13.1f} {scan_mean:>10.0f} "
        f"{scan_mean / mean:>10.0f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    queries = random_positions(QUERIES, seed=99)
    print(
        f"{'venues':>9} {'build s':>8} {'nearest µs':>11} {'p99 µs':>8} "
        f"{'open-only µs':>13} {'scan µs':>10} {'scan/index':>11}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            print(measure(size, folder, queries), flush=True)
    print("target: nearest ≤ 50 µs at every size (p99 is of 100-query batches)")


if __name__ == "__main__":
    main()
