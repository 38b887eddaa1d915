"""The cover-gaps report is made in a process of its own (app.venues.report_worker):
at the lowest CPU priority, started again if it dies, ended when the server ends,
and an officer kept waiting too long is told to try again, not left hanging."""

import os
import pickle
import re
import signal
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.db import make_engine
from app.hours import parse_hours
from app.routers import coverage as coverage_route
from app.venues.report_worker import NICENESS, REPORT_WORKER, WAIT_SECONDS, ReportWorker
from tests.callers import Site
from tests.conftest import HEADER, load, venue_row
from tests.people import add_account, cheap_hashing, token_headers  # noqa: F401
from tests.servers import children, running_server, server_pid

pytestmark = pytest.mark.usefixtures("cheap_hashing")
URL = "/api/reports/coverage?week=2027-01-11"
VENUES = (
    HEADER
    + venue_row("A-1", 52.28, -1.58, opening_hours="Mo-Fr 09:00-17:00")
    + venue_row("B-1", 52.29, -1.59, opening_hours="Mo-Su 18:00-02:00; PH off")
)


@pytest.fixture
def site(engine: Engine, make_client) -> Site:
    load(engine, VENUES)
    return Site(engine, make_client)


def officer(site: Site) -> dict[str, str]:
    return site.callers["officer"]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent has yet to collect it


def test_reports_are_made_in_another_process_at_the_lowest_priority(site: Site) -> None:
    response = site.client.get(URL, headers=officer(site))
    assert response.status_code == 200, response.text
    pid, niceness = REPORT_WORKER.process()
    assert pid != os.getpid()
    assert niceness == max(NICENESS, os.nice(0)) == 19
    assert response.json()["venues"] == 2


def test_a_killed_worker_is_replaced_and_the_answer_is_the_same(site: Site) -> None:
    first = site.client.get(URL, headers=officer(site))
    assert first.status_code == 200, first.text
    pid, _ = REPORT_WORKER.process()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    # The new worker is given the venues and places again, and makes the same report.
    again = site.client.get(URL, headers=officer(site))
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert REPORT_WORKER.process()[0] != pid


def test_an_officer_kept_waiting_is_told_to_try_again(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    impatient = ReportWorker(wait_seconds=0.001)  # less than a new process takes to start
    monkeypatch.setattr(coverage_route, "REPORT_WORKER", impatient)
    try:
        response = site.client.get(URL, headers=officer(site))
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "60"
        assert response.json()["message"] == (
            "The report is still being made. Try again in a minute."
        )
        what_if = site.client.post(
            "/api/reports/coverage/what-if",
            headers=officer(site),
            json={"latitude": 52.28, "longitude": -1.58, "opening_hours": "24/7"},
        )
        assert what_if.status_code == 503, what_if.text
    finally:
        impatient.close()


def test_the_wait_ends_before_the_staff_screens_give_up() -> None:
    """Told "still being made" by the server, not "no signal" by the page's own clock."""
    script = (Path(__file__).parent.parent / "app/web/js/staff-api.js").read_text()
    staff_timeout_ms = int(re.search(r"STAFF_TIMEOUT_MS = (\d+);", script).group(1))
    assert REPORT_WORKER._wait_seconds == WAIT_SECONDS
    # A third of the time left for the answer to travel on a weak signal.
    assert staff_timeout_ms * 2 / 3 >= WAIT_SECONDS * 1000


def test_hours_reach_the_worker_as_they_are() -> None:
    """Each distinct opening hours goes as its text, nation and place, and is made
    again as parse_hours makes it: shared, with the same bank holidays and sun."""
    for text, lat, lon in (
        ("Mo-Fr 09:00-17:00; PH off", 55.95, -3.19),  # Edinburgh: Scotland's holidays
        ("sunset-23:00", 52.28, -1.58),  # bound to its place, for the sun
    ):
        hours = parse_hours(text, lat, lon)
        sent = pickle.loads(pickle.dumps(hours))
        assert sent is hours  # in one process, the very same shared object
        assert (sent.nation, sent.place, sent.text) == (hours.nation, hours.place, hours.text)
        assert sent.day(date(2027, 1, 4)) == hours.day(date(2027, 1, 4))
    # Across processes only the three go: Scotland's bank holidays stay Scotland's.
    assert pickle.loads(pickle.dumps(parse_hours("PH off", 55.95, -3.19))).nation == "Scotland"


def test_the_worker_ends_when_its_server_is_killed(tmp_path: Path) -> None:
    """A server killed with -9 cannot stop its worker: the worker sees it gone and ends,
    so no orphan is left holding the reports' memory."""
    database = tmp_path / "safe_places.db"
    url = f"sqlite:///{database}"
    settings = {"SAFE_PLACES_SECRET_KEY": "k" * 40}
    with running_server(url, tmp_path / "server.log", **settings) as api:
        engine = make_engine(url)
        add_account(engine, "officer@example.org", "officer")
        engine.dispose()
        headers = token_headers(api, "officer@example.org")  # type: ignore[arg-type]
        answer = api.get(URL, headers=headers, timeout=120)
        assert answer.status_code == 200, answer.text
        server = server_pid(api)
        workers = [child for child in children(server) if niceness_of(child) == NICENESS]
        assert len(workers) == 1
        os.kill(server, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while alive(workers[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(workers[0])


def niceness_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])
