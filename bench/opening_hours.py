"""What opening hours cost: the worst values we accept, and the server meanwhile.

1. In process, for the worst cases (`Mo-Su 00:00-24:00`, `Mo-Su`, `week 01-53`,
   `Jan-Dec 00:00-24:00`, the longest rule list we accept, sun times) and the
   slowest values of the reference corpus: the time to read a value, and the time
   to evaluate it as a request does with nothing cached (state now, next change
   and a week of spans, on a fresh `Hours` at a new instant each run), p50 and
   max over many runs at instants spread across 2026. Budget: 1 ms, worst case.
2. A running server on the sample venues plus one with `Mo-Su 00:00-24:00`:
   `/healthz` p50 and p99 while that venue's page is requested in a loop by
   four clients (budget: p99 under 50 ms).

    .venv/bin/python bench/opening_hours.py [--runs 400] [--seconds 10]
"""

import argparse
import gc
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.hours import LONDON, HoursError, parse_hours, state_spans
from app.hours.evaluate import Hours
from app.hours.syntax import parse_rules

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "opening_hours_corpus.txt"
WARWICK = (52.2819, -1.5849)
PORT = 8766
LONG_RULES = "; ".join(
    f"2026 {month} {day:02d} 10:00-12:00"
    for month in ("Jan", "Feb", "Mar", "Apr")
    for day in range(1, 11)
)
WORST_CASES = [
    "Mo-Su 00:00-24:00",
    "Mo-Su",
    "week 01-53",
    "Jan-Dec 00:00-24:00",
    "Mo-Th,Su 17:00-23:30; Fr,Sa 17:00-01:00",
    "sunrise-sunset; PH off",
    "Mo-Fr 08:00-12:00,13:00-17:30; Sa 09:00-12:00; PH off; Dec 25 off",
    LONG_RULES,
]


def instants(count: int, seed: int = 1) -> list[datetime]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=LONDON)
    return [start + timedelta(minutes=rng.randrange(365 * 24 * 60)) for _ in range(count)]


def timings(value: str, runs: int) -> tuple[list[float], list[float]]:
    """Seconds to read the value, and to evaluate it cold, over `runs` runs."""
    hours = parse_hours(value, *WARWICK)  # the bound place (nation, sun)
    read, evaluate = [], []
    gc.disable()  # a collection pause is the process's, not the evaluation's
    try:
        for moment in instants(runs):
            started = time.perf_counter()
            rules = parse_rules(value)
            read.append(time.perf_counter() - started)
            fresh = Hours(value, hours.place, nation=hours.nation, rules=rules)
            started = time.perf_counter()
            fresh.state(moment)
            fresh.next_change(moment)
            state_spans(fresh, moment, moment + timedelta(days=8))
            evaluate.append(time.perf_counter() - started)
    finally:
        gc.enable()
    return read, evaluate


def p99(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.99) - 1]


def in_process(runs: int) -> None:
    corpus = [line.rstrip("\n") for line in CORPUS.open(encoding="utf-8") if line.strip()]
    accepted = []
    for value in corpus:
        try:
            parse_hours(value, *WARWICK)
        except HoursError:
            continue
        accepted.append(value)
    # The slowest of the corpus, found with a few runs each, then measured fully.
    quick = sorted(accepted, key=lambda v: -max(timings(v, 10)[1]))[:8]
    print(f"Opening hours: {len(accepted)} corpus values accepted of {len(corpus)}")
    print(f"{'value':58} {'read p50':>9} {'eval p50':>9} {'eval p99':>9} {'eval max':>9}")
    worst = 0.0
    for value in WORST_CASES + [v for v in quick if v not in WORST_CASES]:
        read, evaluate = timings(value, runs)
        worst = max(worst, max(evaluate))
        shown = value if len(value) <= 56 else value[:53] + "..."
        print(
            f"{shown:58} {statistics.median(read) * 1e6:7.0f}µs "
            f"{statistics.median(evaluate) * 1e6:7.0f}µs {p99(evaluate) * 1e6:7.0f}µs "
            f"{max(evaluate) * 1e6:7.0f}µs"
        )
    print(f"worst evaluation: {worst * 1e6:.0f} µs (budget 1000 µs: ratio {worst / 1e-3:.2f})")


def serve(database: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SAFE_PLACES_DATABASE_URL": f"sqlite:///{database}",
        "PORT": str(PORT),
    }
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "safe-places"), "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def add_always_open_venue(database: Path) -> int:
    """The sample venues, plus one whose hours people write for 'always open'."""
    csv_file = database.parent / "venues.csv"
    rows = (ROOT / "data" / "safe_places.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    extra = dict.fromkeys(header, "")
    extra.update(
        ref="SAMPLE-BENCH-1",
        name="Always Open Shop",
        address="1 High Street",
        town="Warwick",
        postcode="CV34 4AB",
        latitude="52.2819",
        longitude="-1.5849",
        opening_hours="Mo-Su 00:00-24:00",
    )
    rows.append(",".join(extra[column] for column in header))
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    env = {**os.environ, "SAFE_PLACES_DATABASE_URL": f"sqlite:///{database}"}
    cli = str(ROOT / ".venv" / "bin" / "safe-places")
    subprocess.run([cli, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([cli, "import", str(csv_file)], env=env, check=True, capture_output=True)
    import sqlite3

    with sqlite3.connect(database) as connection:
        (venue_id,) = connection.execute(
            "select id from venue where ref = 'SAMPLE-BENCH-1'"
        ).fetchone()
    return int(venue_id)


def get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as response:
        response.read()
    return time.perf_counter() - started


def server(seconds: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="hours-bench-"))
    try:
        database = folder / "venues.db"
        venue_id = add_always_open_venue(database)
        process = serve(database)
        base = f"http://127.0.0.1:{PORT}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    get(f"{base}/healthz")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.2)
            quiet = [get(f"{base}/healthz") for _ in range(200)]
            stop = threading.Event()
            pages = [0]

            def load() -> None:
                while not stop.is_set():
                    get(f"{base}/api/venues/{venue_id}")
                    pages[0] += 1

            clients = [threading.Thread(target=load) for _ in range(4)]
            for client in clients:
                client.start()
            loaded = []
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                loaded.append(get(f"{base}/healthz"))
                time.sleep(0.005)
            stop.set()
            for client in clients:
                client.join()
        finally:
            process.terminate()
            process.wait(timeout=10)

        print(
            f"/healthz alone: p50 {statistics.median(quiet) * 1e3:.1f} ms, "
            f"p99 {p99(quiet) * 1e3:.1f} ms"
        )
        print(
            f"/healthz while 4 clients request the 'Mo-Su 00:00-24:00' venue's page "
            f"({pages[0] / seconds:.0f} pages/s): p50 {statistics.median(loaded) * 1e3:.1f} ms, "
            f"p99 {p99(loaded) * 1e3:.1f} ms (budget 50 ms: ratio {p99(loaded) / 0.05:.2f})"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    in_process(args.runs)
    server(args.seconds)


if __name__ == "__main__":
    main()
