"""Request bodies: a JSON or form body over 64 KB is refused unread (413), and a route
that needs a sign-in answers 401 before it reads a byte of body."""

import asyncio
import itertools
import json
import os
import re
import select
import socket
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Message

from app.http.bodies import JSON_TOO_BIG, MAX_JSON_BYTES, SIGN_IN_FIRST
from tests.conftest import SAMPLE_CSV
from tests.servers import running_server

T = TypeVar("T")

JSON = {"Content-Type": "application/json"}
BIG = b'{"text": "' + b"a" * MAX_JSON_BYTES + b'"}'
TWO_HUNDRED_MB = 200 * 1024 * 1024


def test_a_json_body_over_64_kb_is_refused(client: TestClient) -> None:
    response = client.post("/api/easy-read/check", content=BIG, headers=JSON)
    assert response.status_code == 413
    assert response.json() == {"detail": JSON_TOO_BIG, "message": JSON_TOO_BIG}


def test_a_streamed_body_is_counted_too(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield from (BIG[start : start + 4096] for start in range(0, len(BIG), 4096))

    response = client.post("/api/easy-read/check", content=chunks(), headers=JSON)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["message"] == JSON_TOO_BIG


def test_a_body_under_the_limit_is_read_as_before(client: TestClient) -> None:
    text = "a" * (MAX_JSON_BYTES - 100)
    response = client.post("/api/easy-read/check", json={"text": text})
    assert response.status_code == 422  # read, and found too long for the field
    assert response.json()["message"].startswith("text must be at most 2000 characters")
    form = client.post("/api/auth/token", data={"username": "x" * 70_000, "password": "p"})
    assert form.status_code == 413  # a form is held to the same limit


def operations(client: TestClient, signed_in: bool) -> list[tuple[str, str]]:
    """Every operation that takes a JSON body, that needs a sign-in (or not)."""
    paths = client.get("/openapi.json").json()["paths"]
    return [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, methods in paths.items()
        for method, operation in methods.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
        and bool(operation.get("security")) == signed_in
    ]


def test_every_route_that_needs_a_sign_in_refuses_before_the_body(client: TestClient) -> None:
    protected = operations(client, signed_in=True)
    assert ("POST", "/api/accounts") in protected and ("PATCH", "/api/venues/1") in protected
    for method, path in protected:
        start, body, read = run_apart(asgi_call(client.app, method, path))
        assert (method, path, start["status"], read) == (method, path, 401, False)
        assert (b"www-authenticate", b"Bearer") in start["headers"]
        assert json.loads(body)["message"] == SIGN_IN_FIRST


def run_apart(call: Coroutine[Any, Any, T]) -> T:
    """asyncio.run on a thread of its own: once a browser test has started Playwright's
    sync API, this thread has an event loop running, and asyncio.run refuses."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, call).result()


async def asgi_call(app: ASGIApp, method: str, path: str) -> tuple[Message, bytes, bool]:
    """Call the app as a server would, with a big JSON body: the answer's start, its
    body, and whether the app asked for the request's body at all."""
    read = False
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal read
        read = True
        return {"type": "http.request", "body": BIG, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BIG))]
    scope = {
        **{"type": "http", "http_version": "1.1", "scheme": "http", "root_path": ""},
        **{"method": method, "path": path, "raw_path": path.encode(), "query_string": b""},
        **{"headers": headers, "client": ("127.0.0.1", 1), "server": ("testserver", 80)},
    }
    await app(scope, receive, send)
    return sent[0], b"".join(message.get("body", b"") for message in sent[1:]), read


def test_every_public_json_route_refuses_a_big_body(client: TestClient) -> None:
    public = operations(client, signed_in=False)
    assert ("POST", "/api/easy-read/check") in public
    for method, path in public:
        response = client.request(method, path, content=BIG, headers=JSON)
        assert (method, path, response.status_code) == (method, path, 413)


def test_with_a_token_the_body_is_read_and_the_token_checked(client: TestClient) -> None:
    forged = {**JSON, "Authorization": "Bearer forged"}
    response = client.post("/api/accounts", content=b'{"email": "a@b.example"}', headers=forged)
    assert response.status_code == 401
    assert response.json()["message"] == "Your sign-in has ended. Sign in again."
    assert client.post("/api/accounts", content=BIG, headers=forged).status_code == 413


# --- a real server: refused at once, and its memory does not climb ----------------


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def server_pid() -> int:
    """The `safe-places serve` this test started (one process: one worker)."""
    me = os.getpid()
    for task in Path(f"/proc/{me}/task").iterdir():
        for child in (task / "children").read_text().split():
            if b"serve" in Path(f"/proc/{child}/cmdline").read_bytes():
                return int(child)
    raise AssertionError("no server process")


def answer_to(port: int, head: str, body_chunks: Iterator[bytes] | None = None) -> tuple[str, int]:
    """Send a request's head, then its body until the server answers; the status line
    and how many body bytes were sent by then."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(head.encode())
        deadline = time.monotonic() + 30
        for chunk in body_chunks or ():
            if select.select([conn], [], [], 0)[0] or time.monotonic() > deadline:
                break
            try:
                conn.sendall(chunk)
            except OSError:  # the server answered and closed
                break
            sent += len(chunk)
        conn.settimeout(5)
        return conn.recv(4096).decode("latin-1").split("\r\n", 1)[0], sent


def test_a_200_mb_body_never_reaches_the_servers_memory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bodies.db'}"
    with running_server(url, tmp_path / "server.log", SAFE_PLACES_DATA_CSV=str(SAMPLE_CSV)) as api:
        port, pid = api.base_url.port, server_pid()
        assert port is not None
        before = rss_mb(pid)
        began = time.monotonic()
        head = "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        # Declared: answered before a byte of the body is sent.
        declared = head + f"Content-Length: {TWO_HUNDRED_MB}\r\n\r\n"
        status, _ = answer_to(port, declared.format("/api/easy-read/check"))
        assert status == "HTTP/1.1 413 Request Entity Too Large"
        status, _ = answer_to(port, declared.format("/api/accounts"))
        assert status == "HTTP/1.1 401 Unauthorized"
        # Streamed, with no length: answered long before 200 MB is sent.
        chunk = b"10000\r\n" + b" " * 0x10000 + b"\r\n"  # 64 KB, 3,200 times: 200 MB
        chunks = itertools.chain(itertools.repeat(chunk, 3200), [b"0\r\n\r\n"])
        chunked = head.format("/api/easy-read/check") + "Transfer-Encoding: chunked\r\n\r\n"
        status, sent = answer_to(port, chunked, chunks)
        assert status == "HTTP/1.1 413 Request Entity Too Large"
        assert sent < 50 * 1024 * 1024
        assert time.monotonic() - began < 10
        assert rss_mb(pid) - before < 20
        assert api.get("/healthz").status_code == 200
