"""Security headers, in one place: what every answer carries, and what pages and /docs add.

`SecurityHeaders` is pure ASGI middleware (Starlette's BaseHTTPMiddleware would cost
more than a nearest look-up). On every answer it

- adds `X-Content-Type-Options: nosniff` (API, pages, errors, files);
- adds HSTS in production (where the service sits behind HTTPS);
- makes the answer to anything sent with a token `Cache-Control: no-store`, so no
  browser or proxy keeps what one signed-in person saw;
- turns a redirect back to this server (Starlette's trailing-slash one builds it from
  the Host header a request claims) into a relative one: `/staff`, never
  `http://evil.example/staff`;
- in production, refuses (400) a Host not in `SAFE_PLACES_ALLOWED_HOSTS`.

Not here: which policy a document has (the routes that send pages and /docs add
`PAGE_HEADERS` or `docs_headers`), and whether a route needs a sign-in (app/deps.py).
"""

import base64
import hashlib
from functools import cache
from urllib.parse import urlsplit

import orjson
from fastapi import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings

# Scripts, styles and pictures only from here; no page of ours may be framed; no form
# may be sent anywhere (the help card's form must never leave the phone). Files
# (scripts, styles, pictures) need only nosniff: these govern documents (and the
# service worker), and sending them with every file would add 10 KB to the first view.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=()",
    "X-Frame-Options": "DENY",
}


@cache
def page_headers(photo_hosts: frozenset[str]) -> dict[str, str]:
    """PAGE_HEADERS, with pictures also allowed from the photo hosts an officer listed
    (SAFE_PLACES_PHOTO_HOSTS): the browser itself then refuses a picture from anywhere
    else, whatever a venue's record says, so no third party learns who opened a page."""
    if not photo_hosts:
        return PAGE_HEADERS
    hosts = " ".join(f"https://{host}" for host in sorted(photo_hosts))
    policy = PAGE_HEADERS["Content-Security-Policy"].replace(
        "img-src 'self' data:;", f"img-src 'self' data: {hosts};"
    )
    return {**PAGE_HEADERS, "Content-Security-Policy": policy}


def docs_headers(inline_script: str) -> dict[str, str]:
    """/docs: Swagger UI from this server only, its one inline script allowed by hash."""
    digest = base64.b64encode(hashlib.sha256(inline_script.encode()).digest()).decode()
    return {
        **PAGE_HEADERS,
        # Swagger UI's icons are data: pictures; its styles it sets through the DOM.
        "Content-Security-Policy": (
            f"default-src 'none'; script-src 'self' 'sha256-{digest}'; "
            "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        "Cache-Control": "no-cache",
    }


def no_store(response: Response) -> None:
    """A dependency for answers that hold a secret (a token) though no token was sent."""
    response.headers["Cache-Control"] = "no-store"


NOSNIFF = (b"x-content-type-options", b"nosniff")
NO_STORE = (b"cache-control", b"no-store")
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
REDIRECTS = frozenset({301, 302, 303, 307, 308})
UNKNOWN_HOST = (
    "This server does not answer to that address. "
    "Its owner can add the address to SAFE_PLACES_ALLOWED_HOSTS."
)


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def named_hosts(settings: Settings) -> frozenset[str]:
    """The host names a production server answers to, lower case: the loopback names and
    HOST (for a health check on the machine itself) and SAFE_PLACES_ALLOWED_HOSTS,
    which may hold "*" (any)."""
    return frozenset(
        name.lower() for name in (*LOOPBACK_NAMES, settings.host, *settings.allowed_hosts)
    )


class SecurityHeaders:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.production = settings.environment == "production"
        self.allowed_hosts = named_hosts(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host, signed_in = b"", False
        for name, value in scope["headers"]:
            if name == b"host":
                host = value
            elif name == b"authorization":
                signed_in = True
        if self.production and not self.host_allowed(host):
            await self.refuse_host(send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self.secured(message, host, signed_in)
            await send(message)

        await self.app(scope, receive, send_secured)

    def secured(self, message: Message, host: bytes, signed_in: bool) -> list:
        headers = list(message.get("headers", ()))
        names = {name.lower() for name, _ in headers}
        if b"x-content-type-options" not in names:
            headers.append(NOSNIFF)
        if signed_in:
            headers = [header for header in headers if header[0].lower() != b"cache-control"]
            headers.append(NO_STORE)
        if self.production:
            headers.append(HSTS)
        if message["status"] in REDIRECTS and b"location" in names:
            headers = [relative_redirect(header, host) for header in headers]
        return headers

    def host_allowed(self, host: bytes) -> bool:
        if "*" in self.allowed_hosts:
            return True
        return host_name(host.decode("latin-1")) in self.allowed_hosts

    @staticmethod
    async def refuse_host(send: Send) -> None:
        body = orjson.dumps({"detail": UNKNOWN_HOST, "message": UNKNOWN_HOST})
        headers = [(b"content-type", b"application/json"), NOSNIFF, NO_STORE, HSTS]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def host_name(host: str) -> str:
    """'Example.org:8000' → 'example.org'; '[::1]:8000' → '::1'."""
    if host.startswith("["):
        return host[1 : host.find("]")].lower()
    return host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()


def relative_redirect(header: tuple[bytes, bytes], host: bytes) -> tuple[bytes, bytes]:
    """A Location back to the Host the request named, made relative; others unchanged."""
    name, value = header
    if name.lower() != b"location":
        return header
    place = urlsplit(value.decode("latin-1"))
    if not place.scheme or place.netloc.encode("latin-1") != host:
        return header
    # '//evil.example' (or '/\evil.example') would be read as another host: one slash.
    path = "/" + place.path.lstrip("/\\")
    return name, (path + (f"?{place.query}" if place.query else "")).encode("latin-1")
