"""The access log holds routes, not paths: no position, postcode or id a URL carried."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from opentelemetry import trace

from app.http.access_log import redacted_path
from tests.conftest import SAMPLE_CSV
from tests.servers import running_server

# A position, a postcode and an id that appear nowhere in the sample data or the code.
LAT, LON = "52.5854987", "-1.7430023"
POSTCODE = "B74 2QX"
VENUE_ID = "987654"
SECRETS = [LAT, LON, "52.58", "1.743", POSTCODE, "B74", "2QX", VENUE_ID]

ASKED = [  # (method, path as sent, what the log says)
    ("GET", f"/api/venues/nearest/{LAT}/{LON}", "/api/venues/nearest/{redacted}/{redacted}"),
    ("GET", f"/api/venues/nearest?lat={LAT}&lon={LON}", "/api/venues/nearest"),
    ("GET", f"/api/venues/nearest?lat={LAT}&lon=999", "/api/venues/nearest"),
    ("GET", f"/api/places/{POSTCODE.replace(' ', '%20')}", "/api/places/{redacted}"),
    ("GET", f"/api/places?q={POSTCODE.replace(' ', '+')}", "/api/places"),
    ("GET", f"/api/venues/{VENUE_ID}", "/api/venues/{venue_id}"),
    ("GET", f"/api/venues/{VENUE_ID}/history", "/api/venues/{venue_id}/history"),
    ("POST", f"/api/venues/{VENUE_ID}/withdraw", "/api/venues/{venue_id}/withdraw"),
    ("GET", f"/venues/{VENUE_ID}", "/venues/{venue_id}"),
    ("GET", f"/{LAT},{LON}", "/{redacted}"),
    ("GET", f"/staff/{VENUE_ID}/", "/staff/{redacted}/"),
    # 405: the route the router found for the path, though not for the method.
    ("DELETE", f"/api/venues/nearest?lat={LAT}", "/api/venues/nearest"),
]


def test_no_log_line_holds_a_position_a_postcode_or_an_id(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'logs.db'}"
    log = tmp_path / "server.log"
    with running_server(url, log, SAFE_PLACES_DATA_CSV=str(SAMPLE_CSV)) as api:
        for method, path, _ in ASKED:
            api.request(method, path)
    lines = log.read_text().splitlines()
    for method, _, written in ASKED:
        assert any(f'"{method} {written} HTTP/1.1"' in line for line in lines), written
    for line in lines:
        for secret in SECRETS:
            assert secret not in line, line


@pytest.mark.parametrize(
    ("path", "written"),
    [
        ("/api/venues/nearest/52.58/-1.74", "/api/venues/nearest/{redacted}/{redacted}"),
        ("/api/places/CV34%204AB?q=x", "/api/places/{redacted}"),
        ("/api/places/cv344ab", "/api/places/{redacted}"),
        ("/api/accounts/someone@council.example", "/api/accounts/{redacted}"),
        ("/Warwick", "/{redacted}"),
        ("/favicon.ico", "/favicon.ico"),
        ("/staff/", "/staff/"),
        ("/", "/"),
    ],
)
def test_a_path_no_route_matched_keeps_only_plain_words(path: str, written: str) -> None:
    assert redacted_path(path) == written


class RecordingTracer(trace.Tracer):
    """What an OpenTelemetry set-up would export: each span's name and attributes."""

    def __init__(self, spans: list[tuple[str, dict]]) -> None:
        self.spans = spans

    def start_span(self, name: str, *args: Any, attributes: Any = None, **kwargs: Any) -> Any:
        self.spans.append((name, dict(attributes or {})))
        return trace.NonRecordingSpan(trace.INVALID_SPAN_CONTEXT)

    @contextmanager
    def start_as_current_span(self, name: str, *args: Any, **kwargs: Any) -> Iterator[Any]:
        yield self.start_span(name, *args, **kwargs)


class RecordingTracerProvider(trace.TracerProvider):
    def __init__(self) -> None:
        self.spans: list[tuple[str, dict]] = []

    def get_tracer(self, *args: Any, **kwargs: Any) -> trace.Tracer:
        return RecordingTracer(self.spans)


def test_no_telemetry_span_holds_a_position(client, monkeypatch: pytest.MonkeyPatch) -> None:
    """FastAPI makes OpenTelemetry spans of each request, its query string included,
    once a deployment sets OpenTelemetry up: a look-up's position would leave the
    server in them. The app makes none."""
    recording = RecordingTracerProvider()
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", recording)
    assert trace.get_tracer_provider() is recording
    for method, path, _ in ASKED:
        client.request(method, path)
    client.get(f"/api/venues/nearest?lat={LAT}&lon={LON}&limit=99")  # refused: the usual way
    assert recording.spans == []
