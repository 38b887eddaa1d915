"""Keeping a person's position out of the logs.

uvicorn's access log writes each request's path and query string. Look-ups carry a
position (`lat`, `lon`) or a postcode (`q`) in the query string, and a mistaken
client may put them in the path (`/api/venues/nearest/52.5854987/-1.7430023`), as
it may a venue's or an account's id. So the access log writes the route a request
matched, as its template (`/api/venues/{venue_id}`), never the path itself; a path
that matched no route is written with every part that is not a plain word replaced
(`/api/venues/nearest/{redacted}/{redacted}`). No query string is ever written.

`RouteForTheLog` (pure ASGI middleware) notes each request's scope, where the router
records the route it matched; the filter on `uvicorn.access` reads it, in the same
task, when uvicorn writes the line.
"""

import logging
import re
from contextvars import ContextVar
from urllib.parse import quote

from starlette.types import ASGIApp, Receive, Scope, Send

REDACTED = "{redacted}"
# A plain word ("api", "venues", "sw.js"): no digit, nothing a person typed about a place.
PLAIN_WORD = re.compile(r"[a-z][a-z_-]*(\.[a-z]+)?")

_request: ContextVar[Scope | None] = ContextVar("safe_places_request", default=None)


class RouteForTheLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            _request.set(scope)
        await self.app(scope, receive, send)


def redacted_path(path: str) -> str:
    """'/api/venues/nearest/52.58/-1.74?x=1' → '/api/venues/nearest/{redacted}/{redacted}'."""
    parts = path.split("?", 1)[0].split("/")
    return "/".join(part if not part or PLAIN_WORD.fullmatch(part) else REDACTED for part in parts)


def logged_path(path: str) -> str:
    """The route template of the request being logged, or the path redacted."""
    scope = _request.get()
    route = scope.get("route") if scope else None
    template = getattr(route, "path_format", None)
    # Only this request's route (uvicorn logs its quoted path, then the query string).
    if scope is None or not isinstance(template, str):
        return redacted_path(path)
    if path.split("?", 1)[0] != quote(scope["path"]):
        return redacted_path(path)
    return template


class RouteNotPath(logging.Filter):
    """Rewrites uvicorn access records: '/api/venues/12?x=1' → '/api/venues/{venue_id}'."""

    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn.access records have args (client, method, path, http_version, status).
        if isinstance(record.args, tuple) and len(record.args) >= 3:
            path = record.args[2]
            if isinstance(path, str):
                args = list(record.args)
                args[2] = logged_path(path)
                record.args = tuple(args)
        return True


def install_access_log_filter() -> None:
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(existing, RouteNotPath) for existing in access_log.filters):
        access_log.addFilter(RouteNotPath())
