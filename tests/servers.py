"""Real server processes for end-to-end tests: `safe-places serve` on a free port."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_server(database_url: str, log: Path, **env: str) -> Iterator[httpx.Client]:
    """Start `safe-places serve`, wait until /healthz answers, and stop it afterwards."""
    port = free_port()
    environment = {
        **os.environ,
        "SAFE_PLACES_DATABASE_URL": database_url,
        "SAFE_PLACES_REFRESH_SECONDS": "0.5",
        "PORT": str(port),
        **env,
    }
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(BIN / "safe-places"), "serve"], env=environment, stdout=output, stderr=output
        )
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start:\n{log.read_text()}")
                time.sleep(0.2)
            yield client
        finally:
            client.close()
            server.terminate()
            server.wait(timeout=30)


def server_pid(api: httpx.Client) -> int:
    """The process id of the server this test started on api's port (a child of ours)."""
    port = f"PORT={api.base_url.port}".encode()
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == os.getpid() and port in (entry / "environ").read_bytes().split(b"\0"):
                return int(entry.name)
        except (OSError, ValueError, IndexError):
            continue
    raise AssertionError(f"no server of ours is serving port {api.base_url.port}")


def children(pid: int) -> list[int]:
    """The process's children, started from any of its threads."""
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]


def safe_places(*args: str, database_url: str, stdin: str | None = None):
    """Run the `safe-places` command line; returns the CompletedProcess."""
    return subprocess.run(
        [str(BIN / "safe-places"), *args],
        # Wide enough that typer's boxed errors never wrap a message mid-phrase.
        env={**os.environ, "SAFE_PLACES_DATABASE_URL": database_url, "COLUMNS": "500"},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
