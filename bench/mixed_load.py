"""Look-ups while an officer edits, at 100k venues: do edits stall the readers?

Starts `safe-places serve` on a synthetic 100k-venue database with an officer
account (made by `safe-places users add`, as an operator would), then runs the
same minute twice, side by side:

- wrk asks for the nearest venues (32 connections), at a steady rate (2,000 a
  second by default, about half of what one worker answers here) and
  then as fast as it can;
- a phone fetches the offline list every second, gzipped (every fifth time
  without gzip), read by curl;
- the second time, the officer also changes a venue every 0.5 s (120 writes:
  moves, new hours, new names, withdrawals and bring-backs), each a PATCH or
  POST with If-Match, as the staff screens send them.

It prints, for both runs: readers' requests/s, p50 and p99; the writes' times;
the offline list's times; and the server's memory before and after. Then six
offline-list requests at once without gzip, and the memory they took.
Targets: a write ≤ 100 ms, readers' p99 ≤ 50 ms, memory growth ≤ 10 MB over
the 120 writes, every offline-list request ≤ 200 ms. Each run with writes is
then checked against each target, printed as met or OVER (p99s), so a reader
need not compare the columns by eye.

By default (--pin 1) the server has the first core to itself and wrk, curl and
the officer the others, as when the load comes from other machines (a real
server's case). With --pin 0 they all share every core, and on a 2-core machine
wrk then competes with the server's own threads for the second core: a write
waits for a core as well as for its turn (flat out 81-127 ms p99, against
59-76 ms pinned, 7 December).

    .venv/bin/python bench/mixed_load.py [--venues 100000] [--seconds 60] [--rates 2000,0] [--pin 1]
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server_load import nearest_script, rss_mb, wait_until_up, wrk
from bench.synthetic import make_database, sample_hours

PORT = 8766
OFFICER = "officer@bench.example"
PASSWORD = "bench officer password"
WRITE_EVERY = 0.5
WARM_UP_WRITES = 40
OFFLINE_EVERY = 1.0
PLAIN_EVERY = 5


@dataclass
class Run:
    """What one minute of load measured."""

    rate: float = 0.0
    p50: str = ""
    p99: str = ""
    writes: list[float] = field(default_factory=list)
    gzipped: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)

    def fetch_offline(self, base: str, tick: int) -> None:
        # Phones take gzip; a client that does not is rarer (and reading 48 MB costs
        # this machine's shared cores too).
        gzipped = tick % PLAIN_EVERY != PLAIN_EVERY - 1
        times = self.gzipped if gzipped else self.plain
        times.append(timed(lambda: fetch_offline(base, gzipped)))


def pin(cores: int) -> tuple[set[int], set[int]]:
    """The server's cores (the first `cores`) and the load's (the rest, for wrk, curl and the
    officer): as if the load came from other machines, as it does for a real server.

    Unpinned on this 2-core machine, wrk takes most of one core and the write's worker
    thread then waits for a core as well as for the interpreter lock: flat out, a write
    took 81 / 176 ms unpinned and 50 / 67-75 ms pinned (7 December)."""
    every_core = sorted(os.sched_getaffinity(0))
    if len(every_core) <= cores:
        raise SystemExit(
            f"--pin {cores} needs more than {cores} cores; this machine has {len(every_core)}"
        )
    server, load = set(every_core[:cores]), set(every_core[cores:])
    os.sched_setaffinity(0, load)  # this process, and wrk and curl, which it starts
    return server, load


def serve(database_url: str, workers: int, cores: set[int] | None = None) -> subprocess.Popen:
    env = {
        **os.environ,
        "SAFE_PLACES_DATABASE_URL": database_url,
        "SAFE_PLACES_WORKERS": str(workers),
        "SAFE_PLACES_SECRET_KEY": "bench-" + "k" * 40,
        "SAFE_PLACES_REFRESH_SECONDS": "1",
    }
    bin_dir = Path(sys.executable).parent
    added = subprocess.run(
        [str(bin_dir / "safe-places"), "users", "add", OFFICER, "--role", "officer"],
        env=env,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    if added.returncode != 0 and "already" not in added.stderr:
        raise SystemExit(f"could not add the officer: {added.stderr}")
    return subprocess.Popen(
        [str(bin_dir / "safe-places"), "serve", "--port", str(PORT)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Before the server starts: its threads and processes inherit the cores.
        preexec_fn=(lambda: os.sched_setaffinity(0, cores)) if cores else None,
    )


def timed(call) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def every(interval: float, stop: threading.Event, action) -> None:
    """Call `action(i)` at fixed ticks (not after each call: a slow call must not thin them)."""
    start = time.monotonic()
    tick = 0
    while not stop.is_set():
        action(tick)
        tick += 1
        stop.wait(max(0.0, start + tick * interval - time.monotonic()))


class Officer:
    """Changes venues through the API the way the staff screens do: read, then If-Match."""

    def __init__(self, base: str, venues: int) -> None:
        self.http = httpx.Client(base_url=base, timeout=60)
        token = self.http.post(
            "/api/auth/token", data={"username": OFFICER, "password": PASSWORD}
        ).json()["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.rng = random.Random(3)
        self.venues = venues
        self.hours = [text for text in sample_hours() if text]
        self.withdrawn: int | None = None

    def write(self, tick: int) -> float:
        """One change; returns the seconds the write itself took (not the read before it)."""
        if self.withdrawn is not None:
            venue, self.withdrawn = self.withdrawn, None
            return self._send(venue, "POST", "reinstate", tick)
        venue = self.rng.randint(1, self.venues)
        if tick % 10 == 9:
            self.withdrawn = venue
            return self._send(venue, "POST", "withdraw", tick)
        return self._send(venue, "PATCH", "", tick)

    def _change(self, listing: dict, tick: int) -> dict:
        return {
            "latitude": round(listing["latitude"] + self.rng.uniform(-0.01, 0.01), 6),
            "longitude": round(listing["longitude"] + self.rng.uniform(-0.01, 0.01), 6),
            "opening_hours": self.rng.choice(self.hours),
            "name": f"Bench venue {listing['id']}, changed at tick {tick}",
        }

    def _send(self, venue: int, method: str, action: str, tick: int) -> float:
        read = self.http.get(f"/api/venues/{venue}/listing")
        body = self._change(read.json(), tick) if method == "PATCH" else None
        path = f"/api/venues/{venue}/{action}".rstrip("/")
        began = time.perf_counter()
        response = self.http.request(
            method, path, json=body, headers={"If-Match": read.headers["etag"]}
        )
        seconds = time.perf_counter() - began
        if response.status_code != 200:
            raise SystemExit(f"{method} {path}: {response.status_code} {response.text}")
        return seconds


def fetch_offline(base: str, gzipped: bool) -> int:
    """One whole offline list, read to the end by curl; returns its size as sent.

    Not by httpx: a Python client reading the 48 MB list on the same 2 cores as the
    server and wrk timed itself as much as the server (idle, plain: httpx 128-178
    ms, curl 75-83 ms). The time still includes starting curl (a few ms)."""
    encoding = "gzip" if gzipped else "identity"
    command = ["curl", "-sS", "--max-time", "60", "-o", "/dev/null"]
    command += ["-w", "%{http_code} %{size_download}", "-H", f"Accept-Encoding: {encoding}"]
    answer = subprocess.run(
        [*command, base + "/api/venues/offline"], capture_output=True, text=True, check=True
    )
    status, size = answer.stdout.split()
    if status != "200":
        raise SystemExit(f"offline list: {status}")
    return int(size)


def one_minute(base: str, pid: int, script: Path, seconds: int, officer: Officer | None) -> Run:
    run = Run()
    stop = threading.Event()
    helpers = [
        threading.Thread(
            target=every, args=(OFFLINE_EVERY, stop, lambda i: run.fetch_offline(base, i))
        ),
        threading.Thread(target=every, args=(0.5, stop, lambda _i: run.rss.append(rss_mb(pid)))),
    ]
    if officer:
        helpers.append(
            threading.Thread(
                target=every,
                args=(WRITE_EVERY, stop, lambda i: run.writes.append(officer.write(i))),
            )
        )
    for helper in helpers:
        helper.start()
    try:
        run.rate, run.p50, run.p99 = wrk(base + "/", seconds, script)
    finally:
        stop.set()
        for helper in helpers:
            helper.join()
    time.sleep(1)
    run.rss.append(rss_mb(pid))
    return run


def six_at_once(base: str, pid: int) -> tuple[float, float, float]:
    """Six offline lists without gzip at once: memory before, at the peak, and the slowest."""
    before = rss_mb(pid)
    peak = before
    times: list[float] = []
    threads = [
        threading.Thread(target=lambda: times.append(timed(lambda: fetch_offline(base, False))))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, rss_mb(pid))
        time.sleep(0.02)
    return before, peak, max(times)


def ms(seconds: list[float]) -> str:
    if not seconds:
        return "-"
    p50 = statistics.median(seconds) * 1000
    return f"{p50:.0f} / {p99_ms(seconds):.0f} / {max(seconds) * 1000:.0f}"


def wrk_ms(text: str) -> float:
    """wrk's latency ("850.00us", "6.20ms", "1.02s") in milliseconds."""
    for unit, scale in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * scale
    raise ValueError(f"not a wrk latency: {text}")


def p99_ms(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def verdicts(run: Run) -> str:
    """Each target against this run's figure: met or over (a run with writes)."""
    checks = [
        ("a write p99", p99_ms(run.writes), 100, "ms"),
        ("readers' p99", wrk_ms(run.p99), 50, "ms"),
        ("memory growth", run.rss[-1] - run.rss[0], 10, "MB"),
        ("offline gzipped p99", p99_ms(run.gzipped), 200, "ms"),
        ("offline plain p99", p99_ms(run.plain), 200, "ms"),
    ]
    return "; ".join(
        f"{name} {value:.1f} {unit} ≤ {limit}: {'met' if value <= limit else 'OVER'}"
        for name, value, limit, unit in checks
    )


def report(name: str, run: Run) -> None:
    growth = run.rss[-1] - run.rss[0]
    print(
        f"{name:<26} {run.rate:>6.0f} {run.p50:>8} {run.p99:>8} {len(run.writes):>6} "
        f"{ms(run.writes):>14} {ms(run.gzipped):>14} {ms(run.plain):>16} "
        f"{run.rss[0]:>5.0f} {run.rss[-1]:>5.0f} {growth:>+6.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venues", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rates", default="2000,0", help="look-ups a second; 0: flat out")
    parser.add_argument("--database-url", help="a database to fill (default: a new SQLite file)")
    parser.add_argument(
        "--pin",
        type=int,
        default=1 if len(os.sched_getaffinity(0)) > 1 else 0,
        metavar="CORES",
        help="give the server the first CORES cores and the load the rest; 0: share all "
        "(default: 1, on a machine with more than one core)",
    )
    arguments = parser.parse_args()
    for tool in ("wrk", "curl"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed: apt-get install {tool}")
    load_before = os.getloadavg()[0]
    cores = pin(arguments.pin) if arguments.pin else None
    runs: list[tuple[str, Run]] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = arguments.database_url or f"sqlite:///{folder}/bench.db"
        make_database(url, arguments.venues)
        server = serve(url, arguments.workers, cores and cores[0])
        base = f"http://127.0.0.1:{PORT}"
        try:
            wait_until_up(base + "/healthz")
            fetch_offline(base, gzipped=True)  # the first list is built at the first request
            wrk(base + "/", 3, nearest_script(folder))
            officer = Officer(base, arguments.venues)
            # The first writes after a start fill caches (compiled statements, worker
            # threads): about 10 MB, once. What is measured is what writes add after.
            for tick in range(WARM_UP_WRITES):
                officer.write(tick)
            for rate in (int(each) for each in arguments.rates.split(",")):
                script = nearest_script(folder, rate)
                pace = f"{rate}/s asked" if rate else "flat out"
                for writer in (None, officer):
                    what = f"{pace}, {'writes' if writer else 'reads only'}"
                    runs.append(
                        (what, one_minute(base, server.pid, script, arguments.seconds, writer))
                    )
            six = six_at_once(base, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    where = (
        f"the server on cores {sorted(cores[0])}, the load on {sorted(cores[1])}"
        if cores
        else f"{os.cpu_count()} cores shared by the server and the load"
    )
    print(
        f"{arguments.venues} venues, {arguments.workers} worker(s), {arguments.seconds} s a run, "
        f"wrk 1 thread 32 connections on nearest, {where}, load average "
        f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
    )
    print(
        f"{'nearest, asked':<26} {'got/s':>6} {'p50':>8} {'p99':>8} {'writes':>6} "
        f"{'write ms':>14} {'offline gz ms':>14} {'offline plain ms':>16} "
        f"{'MB':>5} {'end':>5} {'growth':>6}"
    )
    print(f"{'':<26} {'':>6} {'':>8} {'':>8} {'':>6} {'p50/p99/max':>14} {'p50/p99/max':>14}")
    for what, run in runs:
        report(what, run)
    for what, run in runs:
        if run.writes:
            print(f"{what}: {verdicts(run)}")
    print(
        f"six offline lists at once without gzip: {six[0]:.0f} MB before, {six[1]:.0f} MB at "
        f"the peak (+{six[1] - six[0]:.0f}), slowest {six[2] * 1000:.0f} ms"
    )
    print(
        "targets: a write ≤ 100 ms; readers' p99 ≤ 50 ms; memory growth ≤ 10 MB over the "
        "writes; offline list ≤ 200 ms a request; six at once bounded"
    )


if __name__ == "__main__":
    main()
