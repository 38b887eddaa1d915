"""The cover-gaps report (GET /api/reports/coverage): its time, and what it costs look-ups.

1. In this process, through the route's own path (app.routers.coverage._report):
   the report's first call (the area's postcodes read and placed, the reach found,
   every venue's week), the same call again (cached), another week (the area kept,
   the report made anew), a what-if, and the answer's JSON; at county size (the
   sample venues in data/) and at 100,000 venues spread over Great Britain
   (bench/synthetic.py), whose area is nearly all of its 1.7 million postcodes.
2. A server (`safe-places serve`, 1 worker) on the county's venues: GET
   /api/venues/nearest with wrk, flat out, with and without an officer asking
   for coverage reports back to back, each for a new week (never cached: the
   worst case), in the same process.

    .venv/bin/python bench/coverage.py [--venues 100000] [--seconds 10]
"""

import argparse
import shutil
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import make_engine, migrate
from app.gazetteer.place_names import Gazetteer
from app.hours import check_hours, london_now
from app.routers import coverage
from app.venues.catalogue import Catalogue
from app.venues.importing import import_venue_file
from bench.mixed_load import OFFICER, PASSWORD, PORT, serve
from bench.server_load import nearest_script, rss_mb, wait_until_up, wrk
from bench.synthetic import make_database

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3


def timed(call) -> tuple[float, object]:
    began = time.perf_counter()
    answer = call()
    return time.perf_counter() - began, answer


def sample_database(url: str) -> None:
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        import_venue_file(session, (ROOT / "data" / "safe_places.csv").read_text("utf-8"))
    engine.dispose()


def in_process(label: str, url: str) -> None:
    engine = make_engine(url)
    catalogue = Catalogue(engine)
    gazetteer = Gazetteer.from_csv(ROOT / "data" / "gb_places.csv")
    coverage.REPORTS.clear()
    coverage._held_area = None
    now = london_now()
    monday = now.date() + timedelta(days=7 - now.weekday())

    def report(week=monday):
        return coverage._report(catalogue, gazetteer, "", now, week, 15)

    first, found = timed(report)
    cached, _ = timed(report)
    other, _ = timed(lambda: report(monday + timedelta(days=7)))
    lat, lon = float(found.area.latitudes[0]), float(found.area.longitudes[0])
    hours = check_hours("Mo-Su 18:00-23:00", lat, lon)
    what_if, _ = timed(lambda: found.with_venue(lat, lon, hours))
    answer, _ = timed(lambda: coverage._answer(found, None).model_dump_json())
    answered, _ = timed(lambda: coverage._answer(found, None).model_dump_json())
    held = coverage.REPORTS.nbytes + found.area.nbytes
    print(
        f"{label:<10} {len(found.venues.opening):>8,} {len(found.area):>10,} "
        f"{first:>8.2f} {cached * 1000:>9.3f} {other:>8.2f} {what_if:>8.2f} "
        f"{answer * 1000:>8.0f} {answered * 1000:>8.1f} {held / 2**20:>8.1f} "
        f"{first / max(cached, 1e-9):>9,.0f}"
    )
    catalogue.stop_watching()
    engine.dispose()


def reports_back_to_back(base: str, stop: threading.Event, done: list[float]) -> None:
    token = httpx.post(
        base + "/api/auth/token", data={"username": OFFICER, "password": PASSWORD}
    ).json()["access_token"]
    today = london_now().date()
    monday = today + timedelta(days=7 - today.weekday())
    weeks = 0
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as client:
        while not stop.is_set():
            week = monday + timedelta(days=7 * (weeks % 50))
            walk = 10 + weeks // 50  # a new (week, walk) each time: never cached
            began = time.perf_counter()
            answer = client.get(
                "/api/reports/coverage",
                params={"week": week.isoformat(), "walk_minutes": walk},
                timeout=120,
            )
            answer.raise_for_status()
            done.append(time.perf_counter() - began)
            weeks += 1


def lookups_while_reporting(url: str, seconds: int, folder: Path) -> None:
    server = serve(url, 1)
    base = f"http://127.0.0.1:{PORT}"
    try:
        wait_until_up(base + "/healthz")
        script = nearest_script(folder)
        wrk(base + "/", 2, script)
        quiet, busy, reports = [], [], []
        for _ in range(ROUNDS):
            quiet.append(wrk(base + "/", seconds, script))
            stop = threading.Event()
            officer = threading.Thread(target=reports_back_to_back, args=(base, stop, reports))
            officer.start()
            time.sleep(0.2)
            busy.append(wrk(base + "/", seconds, script))
            stop.set()
            officer.join()
        rss = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    (q_rate, q50, q99), (b_rate, b50, b99) = (sorted(runs)[ROUNDS // 2] for runs in (quiet, busy))
    print(f"\nnearest look-ups, 1 worker, wrk 32 connections, {ROUNDS} x {seconds} s each:")
    print(f"{'':<24} {'req/s':>8} {'p50':>8} {'p99':>8}")
    print(f"{'no reports':<24} {q_rate:>8.0f} {q50:>8} {q99:>8}")
    print(f"{'reports back to back':<24} {b_rate:>8.0f} {b50:>8} {b99:>8}")
    print(
        f"ratio {b_rate / q_rate:.2f}; {len(reports)} reports made meanwhile, "
        f"median {sorted(reports)[len(reports) // 2]:.2f} s each; server memory {rss:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venues", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    arguments = parser.parse_args()
    print(
        "Coverage report, 15 minutes' walk. Seconds unless said. cached: the report again; "
        "JSON: the answer laid out, and again (kept); held: the report cache and the "
        "area's postcodes."
    )
    print(
        f"{'':<10} {'venues':>8} {'postcodes':>10} {'first':>8} {'cached ms':>9} "
        f"{'new week':>8} {'what-if':>8} {'JSON ms':>8} {'again ms':>8} {'held MB':>8} "
        f"{'1st/cached':>9}"
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        county = f"sqlite:///{folder}/county.db"
        sample_database(county)
        in_process("county", county)
        big = f"sqlite:///{folder}/big.db"
        make_database(big, arguments.venues)
        in_process(f"{arguments.venues // 1000}k", big)
        if shutil.which("wrk") is None:
            print("wrk is needed for the look-ups' part: apt-get install wrk")
            return
        lookups_while_reporting(county, arguments.seconds, folder)


if __name__ == "__main__":
    main()
