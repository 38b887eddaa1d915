"""How much the home page's first view transfers, as the server sends it (gzip).

Starts `safe-places serve` on the sample venues, fetches `/` and everything it
loads before a person can use it: the style sheet, every script module (and the
modules they import), every picture, the manifest, the service worker script,
and the help numbers (`/api/help`). Counts the bytes on the wire, bodies as
sent plus response headers, and prints the total against the 50 KB budget.

What the app saves for offline use in the background after the first view
(the list of venues, the service worker's copy of the app) is reported apart.

    .venv/bin/python bench/web_weight.py
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 50 * 1024
# What the scripts fetch as the page opens: the help numbers (layout.js), the service
# worker, and the "Read this to me" button's picture (speak.js). A test checks this
# list against what Chromium really loads.
LOADED_BY_SCRIPTS = ("/icons/speaker.svg", "/sw.js", "/api/help")
ACCEPT = {"Accept-Encoding": "gzip, deflate, br"}


class Links(HTMLParser):
    """The URLs a page loads: scripts, styles, pictures, the manifest and icon."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        url = found.get("src") if tag in ("script", "img") else found.get("href")
        if tag in ("script", "img", "link") and url and url not in self.urls:
            self.urls.append(url)


def imports(script: str, base: str) -> list[str]:
    """Static imports of an ES module, as absolute paths."""
    folder = base.rsplit("/", 1)[0]
    return [
        f"{folder}/{name[2:]}" if name.startswith("./") else name
        for name in re.findall(r'^import[^"\']*["\']([^"\']+)["\'];', script, re.MULTILINE)
    ]


def first_view_paths(client: httpx.Client) -> list[str]:
    """Every path the home page loads before it is usable, in the order found."""
    home = client.get("/")
    parser = Links()
    parser.feed(home.text)
    paths = ["/", *[url for url in parser.urls if url != "/"]]
    for path in paths:  # grows as modules and their imports are found
        if path.endswith(".js"):
            paths += [p for p in imports(client.get(path).text, path) if p not in paths]
        elif path.endswith(".css"):
            found = re.findall(r"url\(['\"]?([^'\")]+)", client.get(path).text)
            paths += [p for p in found if p not in paths]
    return [*paths, *LOADED_BY_SCRIPTS]


def wire_bytes(client: httpx.Client, path: str) -> tuple[int, int]:
    """(body bytes as sent, header bytes) of one response."""
    with client.stream("GET", path, headers=ACCEPT) as response:
        for _ in response.iter_raw():
            pass
        body = response.num_bytes_downloaded
        headers = sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 17
    return body, headers


@contextmanager
def serving() -> Iterator[httpx.Client]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "SAFE_PLACES_DATABASE_URL": f"sqlite:///{folder}/weight.db",
            "SAFE_PLACES_DATA_CSV": str(ROOT / "data" / "safe_places.csv"),
            "PORT": str(port),
        }
        command = [str(Path(sys.executable).parent / "safe-places"), "serve"]
        server = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
        try:
            for _ in range(300):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            yield client
        finally:
            client.close()
            server.terminate()
            server.wait(timeout=30)


def report(client: httpx.Client) -> int:
    total = 0
    print(f"{'path':40} {'body':>7} {'headers':>8}")
    for path in first_view_paths(client):
        body, headers = wire_bytes(client, path)
        total += body + headers
        print(f"{path:40} {body:7d} {headers:8d}")
    print(
        f"\nfirst view: {total / 1024:.1f} KB on the wire; budget 50 KB; ratio {total / BUDGET:.2f}"
    )
    shell = re.search(r"const SHELL = \[(.*?)\];", client.get("/sw.js").text)
    kept = re.findall(r'"([^"]+)"', shell.group(1)) if shell else []
    background = sum(sum(wire_bytes(client, path)) for path in kept)
    offline_list = sum(wire_bytes(client, "/api/venues/offline"))
    print(
        f"after it, in the background: the app's files for offline use {background / 1024:.1f} KB, "
        f"the list of venues {offline_list / 1024:.1f} KB"
    )
    return total


if __name__ == "__main__":
    with serving() as running:
        report(running)
