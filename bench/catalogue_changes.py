"""What a change to the venues costs a server, in process, at 100k venues.

Edits one venue at a time through the same functions the API uses
(`record_change`, then `Catalogue.refresh_if_changed`) until the overlay is
due to be merged, and prints:

- the time to take one change in (read the stamped venue, make the new snapshot);
- the time to bring the offline list up to date after it;
- the nearest look-up's time with no overlay, and with a full one (MERGE_AT);
- a merge of the overlay into a new base: its time, and the memory at its peak
  and after it, against the memory before.

    .venv/bin/python bench/catalogue_changes.py [--venues 100000]
"""

import argparse
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session

from app.db import make_engine
from app.hours import london_now
from app.models import Venue
from app.venues.catalogue import Catalogue
from app.venues.edits import record_change
from app.venues.offline_list import OfflineListCache
from app.venues.snapshot import MERGE_AT
from bench.synthetic import make_database, random_positions, sample_hours


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.1f} ms (max {max(seconds) * 1000:.1f})"


def lookup_us(catalogue: Catalogue, positions: list[tuple[float, float]]) -> float:
    now = london_now()
    for lat, lon in positions[:1000]:
        catalogue.nearest(lat, lon, 5, now)
    began = time.process_time()
    for lat, lon in positions:
        catalogue.nearest(lat, lon, 5, now)
    return (time.process_time() - began) / len(positions) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venues", type=int, default=100_000)
    arguments = parser.parse_args()
    rng = random.Random(4)
    hours = [text for text in sample_hours() if text]
    positions = random_positions(20_000, seed=99)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        make_database(url, arguments.venues)
        engine = make_engine(url)
        catalogue = Catalogue(engine)
        lists = OfflineListCache()
        now = london_now()
        lists.get(catalogue.snapshot, now)
        empty = lookup_us(catalogue, positions)
        taken_in, offline = [], []
        while catalogue.snapshot.overlay.size < MERGE_AT - 2:
            with Session(engine) as session:
                venue = session.get(Venue, rng.randint(1, arguments.venues))
                assert venue is not None
                values = {
                    "latitude": venue.latitude + rng.uniform(-0.01, 0.01),
                    "opening_hours": rng.choice(hours),
                    "name": f"{venue.name}, changed",
                }
                record_change(session, venue, None, values)
                session.commit()
            began = time.perf_counter()
            catalogue.refresh_if_changed()
            taken_in.append(time.perf_counter() - began)
            began = time.perf_counter()
            lists.get(catalogue.snapshot, now)
            offline.append(time.perf_counter() - began)
        full = lookup_us(catalogue, positions)
        before, peak = rss_mb(), [rss_mb()]
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.005):
                peak.append(rss_mb())

        watcher = threading.Thread(target=watch)
        watcher.start()
        began = time.perf_counter()
        catalogue.merge_overlay()
        merged = time.perf_counter() - began
        done.set()
        watcher.join()
        after = rss_mb()
    print(f"{arguments.venues} venues, {len(taken_in)} changes, one at a time")
    print(f"take one change in:              {ms(taken_in)}")
    print(f"bring the offline list up to date: {ms(offline)}")
    print(f"nearest look-up, no overlay:      {empty:.1f} µs")
    print(f"nearest look-up, overlay of {MERGE_AT}: {full:.1f} µs")
    print(
        f"merge into a new base: {merged * 1000:.0f} ms; memory {before:.0f} MB before, "
        f"{max(peak):.0f} MB at the peak, {after:.0f} MB after"
    )


if __name__ == "__main__":
    main()
