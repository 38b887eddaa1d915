"""The cover-gaps report (GET /api/reports/coverage): its time, and what it costs look-ups.

1. In this process, as the report worker makes it (app.venues.report_worker.Store):
   the report's first call (the area's postcodes read and placed, the reach found,
   every venue's week), the same call again (cached), another week (the area kept,
   the report made anew), another walk, a what-if, and the answer's JSON; at county
   size (the sample venues in data/), at 100,000 venues spread over Great Britain
   (bench/synthetic.py), whose area is nearly all of its 1.7 million postcodes,
   and at 100,000 venues with DISTINCT different opening hours (synthetic.py
   reuses the sample's ~40: real venues' hours differ far more). Meanwhile a
   thread that sleeps 1 ms records its longest wait (the GIL held, or a garbage
   collection), and the longest full (generation 2) collection is timed: what a
   thread of the server would suffer if the report were made there, as it was.
2. A server (`safe-places serve`, 1 worker) on the venues of --lookups-on:
   GET /api/venues/nearest with wrk, flat out, with and without an officer asking
   for coverage reports back to back, each for a new week (never cached: the
   worst case), made in the server's report worker.

    .venv/bin/python bench/coverage.py [--venues 100000] [--distinct 20000]
        [--seconds 10] [--lookups-on county|varied]
"""

import argparse
import gc
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import httpx
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import make_engine, migrate
from app.gazetteer.place_names import Gazetteer
from app.gazetteer.postcodes import open_postcode_table
from app.hours import check_hours, london_now
from app.routers import coverage
from app.venues import report_worker
from app.venues.catalogue import Catalogue, freeze_long_lived
from app.venues.coverage import forget_week_tables
from app.venues.coverage_answers import what_if_out
from app.venues.importing import import_venue_file
from bench import synthetic
from bench.mixed_load import OFFICER, PASSWORD, PORT, serve
from bench.server_load import CONNECTIONS, nearest_script, wait_until_up
from bench.synthetic import make_database
from tests.servers import children

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3


def timed(call) -> tuple[float, object]:
    began = time.perf_counter()
    answer = call()
    return time.perf_counter() - began, answer


class Stalls:
    """While in use: the longest wait of a thread that sleeps 1 ms (what any other
    thread, such as a public look-up, could be kept waiting), and the longest full
    (generation 2) garbage collection."""

    def __init__(self) -> None:
        self.longest_gap = 0.0
        self.longest_full_gc = 0.0
        self._stop = threading.Event()
        self._gc_began = 0.0

    def _tick(self) -> None:
        last = time.perf_counter()
        while not self._stop.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            self.longest_gap = max(self.longest_gap, now - last)
            last = now

    def _collected(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._gc_began = time.perf_counter()
        else:
            self.longest_full_gc = max(self.longest_full_gc, time.perf_counter() - self._gc_began)

    def __enter__(self) -> "Stalls":
        self._thread = threading.Thread(target=self._tick, daemon=True)
        gc.callbacks.append(self._collected)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        gc.callbacks.remove(self._collected)


def varied_hours(count: int, seed: int = 7) -> list[str]:
    """`count` different opening hours, as real venues write them (times to the quarter)."""
    rng = random.Random(seed)
    found: set[str] = set()
    while len(found) < count:
        opens, closes = rng.randrange(24, 48), rng.randrange(56, 96)  # quarter hours
        weekend = rng.choice(["Sa 10:00-16:00", "Sa-Su 09:00-17:30", "Sa 08:00-12:00; Su off"])
        days = rng.choice(["Mo-Fr", "Mo-Sa", "Tu-Fr", "Mo-Th"])
        late = rng.choice(["", "; Th 09:00-20:00", "; PH off", "; Fr 10:00-22:00"])
        found.add(
            f"{days} {opens // 4:02d}:{opens % 4 * 15:02d}-{closes // 4:02d}:{closes % 4 * 15:02d}"
            f"; {weekend}{late}"
        )
    return sorted(found)


def varied_database(url: str, count: int, distinct: int) -> None:
    """bench/synthetic.py's venues, each with one of `distinct` opening hours."""
    with mock.patch.object(synthetic, "sample_hours", lambda: varied_hours(distinct)):
        make_database(url, count)


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
    store = report_worker.Store()
    forget_week_tables()  # each run works its weeks out afresh
    freeze_long_lived()  # as the server does once it has started (app/main.py)
    now = london_now()
    monday = now.date() + timedelta(days=7 - now.weekday())
    snapshot = catalogue.snapshot
    postcodes = open_postcode_table()

    def report(week=monday, walk=15):
        question = coverage._question(snapshot, gazetteer, postcodes, "", now, week, walk)
        return store.report(question)

    with Stalls() as stalls:
        # What the worker is given: the venues as arrays, and the places.
        given = report_worker.Given(
            (snapshot.serial, report_worker.venues_of(snapshot)),
            (gazetteer.serial, report_worker.places_of(gazetteer)),
        )
        store.take(given)
        first, found = timed(report)
        cached, _ = timed(report)
        other, _ = timed(lambda: report(monday + timedelta(days=7)))
        walk, _ = timed(lambda: report(monday, 20))
    lat, lon = float(found.area.latitudes[0]), float(found.area.longitudes[0])
    hours = check_hours("Mo-Su 18:00-23:00", lat, lon)
    what_if, asked = timed(lambda: what_if_out(found, lat, lon, hours).model_dump_json())
    what_if_kb = len(asked) / 1000
    answer, _ = timed(lambda: store.answer(found, None))
    answered, _ = timed(lambda: store.answer(found, None))
    held = store.reports.nbytes + found.area.nbytes
    print(
        f"{label:<10} {len(found.venues.latitudes):>8,} {len(found.area):>10,} "
        f"{first:>8.2f} {cached * 1000:>9.3f} {other:>8.2f} {walk:>8.2f} {what_if:>8.2f} "
        f"{what_if_kb:>7.0f} "
        f"{answer * 1000:>8.0f} {answered * 1000:>8.1f} {held / 2**20:>8.1f} "
        f"{stalls.longest_gap * 1000:>8.0f} {stalls.longest_full_gc * 1000:>8.0f}"
    )
    catalogue.stop_watching()
    engine.dispose()


def reports_back_to_back(base: str, stop: threading.Event, done: list[float]) -> None:
    token = httpx.post(
        base + "/api/auth/token", data={"username": OFFICER, "password": PASSWORD}, timeout=120
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


def wrk(url: str, seconds: int, script: Path) -> tuple[float, str, str, int]:
    """As bench/server_load.py's, but a look-up slower than 2 s is a figure (up to
    10 s), not a failure: (requests/s, p50, p99, how many took over 10 s)."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["--latency", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"wrk saw errors:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)
    timeouts = re.search(r"timeout (\d+)", output)
    return rate, p50, p99, int(timeouts.group(1)) if timeouts else 0


def lookups_while_reporting(label: str, url: str, seconds: int, folder: Path) -> None:
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
        rss = own_mb(server.pid)
        worker = sum(own_mb(child) for child in children(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)
    (q_rate, q50, q99, q_out), (b_rate, b50, b99, b_out) = (
        sorted(runs)[ROUNDS // 2] for runs in (quiet, busy)
    )
    print(
        f"\nnearest look-ups ({label}), 1 worker, wrk 32 connections, {ROUNDS} x {seconds} s each:"
    )
    print(f"{'':<24} {'req/s':>8} {'p50':>8} {'p99':>8} {'>10 s':>6}")
    print(f"{'no reports':<24} {q_rate:>8.0f} {q50:>8} {q99:>8} {q_out:>6}")
    print(f"{'reports back to back':<24} {b_rate:>8.0f} {b50:>8} {b99:>8} {b_out:>6}")
    print(
        f"ratio {b_rate / q_rate:.2f}; {len(reports)} reports made meanwhile, "
        f"median {sorted(reports)[len(reports) // 2]:.2f} s each; memory: the server "
        f"{rss:.0f} MB, its report worker {worker:.0f} MB"
    )


def own_mb(pid: int) -> float:
    """Resident memory of the process alone, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venues", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--lookups-on", choices=["county", "varied"], default="county")
    parser.add_argument("--lookups-only", action="store_true", help="skip part 1")
    arguments = parser.parse_args()
    print(
        "Coverage report, 15 minutes' walk. Seconds unless said. cached: the report again; "
        "new walk: 20 minutes, same week; what-if: the route's answer, and its JSON's size; "
        "JSON: the answer laid out, and again (kept); "
        "held: the report cache and the area's postcodes; gap: the longest a thread "
        "sleeping 1 ms waited; full GC: the longest generation-2 collection."
    )
    print(
        f"{'':<10} {'venues':>8} {'postcodes':>10} {'first':>8} {'cached ms':>9} "
        f"{'new week':>8} {'new walk':>8} {'what-if':>8} {'its KB':>7} {'JSON ms':>8} "
        f"{'again ms':>8} "
        f"{'held MB':>8} {'gap ms':>8} {'full GC ms':>8}"
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        county = f"sqlite:///{folder}/county.db"
        sample_database(county)
        varied = f"sqlite:///{folder}/varied.db"
        varied_database(varied, arguments.venues, arguments.distinct)
        if not arguments.lookups_only:
            in_process("county", county)
            big = f"sqlite:///{folder}/big.db"
            make_database(big, arguments.venues)
            in_process(f"{arguments.venues // 1000}k", big)
            in_process(f"{arguments.venues // 1000}k/{arguments.distinct // 1000}k", varied)
        if shutil.which("wrk") is None:
            print("wrk is needed for the look-ups' part: apt-get install wrk")
            return
        url = county if arguments.lookups_on == "county" else varied
        lookups_while_reporting(arguments.lookups_on, url, arguments.seconds, folder)


if __name__ == "__main__":
    main()
