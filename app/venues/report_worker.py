"""The cover-gaps report made in a process of its own, so that public look-ups never
wait for it.

Why a process: the report is mostly Python (each distinct opening hours' week) and
numpy between, and a thread holds the interpreter's lock for most of it. At 100,000
venues with 20,000 different opening hours, made in a thread of the server, public
`nearest` look-ups fell to 0.29 of their rate and their p99 rose from 12 to 284 ms
(bench/coverage.py). In a process of its own, at the lowest CPU priority
(`NICENESS`), the report uses only the time the server leaves over.

What goes where:

- The server (`ReportWorker.ask`) sends a `Question`: which snapshot (its serial),
  which gazetteer, the area's outline, the week and the walk. The worker keeps the
  venues and the places of the last few it was given; when it lacks them it says so
  (`Missing`) and the server sends them once (`Given`): the venues as arrays and
  each distinct opening hours as its text, nation and place (`Hours.__reduce__`).
- The worker keeps every part of the report (the area's postcodes, the reach, the
  weeks, the reports; app.venues.coverage.ReportCache) and lays the answer out as
  JSON, so the server only passes bytes on: about 300 KB for a county, with nothing
  to work out or collect.
- If the worker dies (killed, out of memory) the next question starts another; if a
  report takes longer than `WAIT_SECONDS` the officer is told to try again shortly,
  and the report, still being made, is kept for then. The worker ends itself once
  the server has gone.
- The worker is spawned, not forked (the server has threads, whose locks a fork
  would copy held), so, as with any multiprocessing, a script that makes the app
  itself must keep its top level under `if __name__ == "__main__":`, which
  `safe-places serve`, uvicorn and pytest do.
"""

import logging
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from app.hours import check_hours
from app.problems import Busy
from app.venues.coverage import (
    Area,
    Coverage,
    Reach,
    ReportCache,
    Venues,
    nearest_places,
    postcodes_inside,
    report,
    week_table,
)
from app.venues.coverage_answers import coverage_out, what_if_out

if TYPE_CHECKING:
    from app.gazetteer.place_names import Gazetteer
    from app.venues.snapshot import Snapshot

logger = logging.getLogger(__name__)

# The worker's CPU priority (nice): 19 is the lowest. Under Linux's scheduler a
# process at 19 gets about 1/70 of a busy CPU beside one at 0, so a server kept
# busy by look-ups loses almost nothing, and an idle one lends the report all of it.
NICENESS = 19
# How long an officer's request waits for a report before being told to try again:
# within the staff screens' 30 s (STAFF_TIMEOUT_MS in staff-api.js), so the officer
# reads "still being made", not "no signal". At 100k venues a report takes 2-4 s.
WAIT_SECONDS = 20.0
# Snapshots' venues and gazetteers' places the worker keeps (a new one each edit).
VENUES_KEPT = 2
PLACES_KEPT = 2
ANSWERS_KEPT = 16
# How often the worker looks whether the server is still there.
PARENT_CHECK_SECONDS = 1.0

Outline = tuple[tuple[float, float], ...]
Places = list[tuple[str, float, float]]


@dataclass(frozen=True, slots=True)
class Question:
    """What a report is of: the snapshot's and gazetteer's serials stand for their
    venues and places, which the worker is given once (`Given`)."""

    venues: int
    places: int
    outline: Outline
    postcodes: Path  # the postcode table's folder
    monday: date
    walk_minutes: int


@dataclass(frozen=True, slots=True)
class Given:
    """Venues and places the worker said it lacked."""

    venues: tuple[int, Venues] | None = None
    places: tuple[int, Places] | None = None


@dataclass(frozen=True, slots=True)
class Missing:
    venues: bool
    places: bool


# The worker's side ---------------------------------------------------------------


class Store:
    """What the worker keeps: venues and places it was given, and the report's parts.
    The worker answers one question at a time, so nothing here is shared between threads
    (the parts' ReportCaches lock for themselves)."""

    def __init__(self) -> None:
        self.venues: OrderedDict[int, Venues] = OrderedDict()
        self.places: OrderedDict[int, Places] = OrderedDict()
        self.areas: ReportCache[Area] = ReportCache(kept=1)
        self.reach: ReportCache[Reach] = ReportCache(kept=2)
        self.weeks: ReportCache[np.ndarray] = ReportCache()
        self.reports: ReportCache[Coverage] = ReportCache()
        self.answers: OrderedDict[tuple[int, int | None], tuple[Coverage, bytes]] = OrderedDict()

    def take(self, given: Given) -> None:
        if given.venues is not None:
            _keep(self.venues, *given.venues, VENUES_KEPT)
        if given.places is not None:
            _keep(self.places, *given.places, PLACES_KEPT)

    def lacks(self, question: Question) -> Missing | None:
        venues = question.venues not in self.venues
        places = question.places not in self.places
        return Missing(venues, places) if venues or places else None

    def report(self, question: Question) -> Coverage:
        """The question's report, made from the parts kept where it can be."""
        q = question
        venues, places = self.venues[q.venues], self.places[q.places]

        def make() -> Coverage:
            area = self.areas.get((q.outline, q.places, q.postcodes), lambda: _area(q, places))
            reach = self.reach.get(
                (q.venues, q.outline, q.places, q.postcodes, q.walk_minutes),
                lambda: Reach.of(area, venues, q.walk_minutes),
            )
            weeks = self.weeks.get(
                (q.venues, q.monday), lambda: week_table(q.monday).weeks(venues.hours)
            )
            return report(area, venues, q.monday, q.walk_minutes, reach, weeks)

        return self.reports.get((q.venues, q.outline, q.places, q.monday, q.walk_minutes), make)

    def answer(self, found: Coverage, hour: int | None) -> bytes:
        """The report's JSON with its map at `hour`, laid out once."""
        key = (id(found), hour)
        held = self.answers.get(key)
        if held is not None and held[0] is found:
            return held[1]
        laid_out = coverage_out(found, hour).model_dump_json().encode()
        _keep(self.answers, key, (found, laid_out), ANSWERS_KEPT)
        return laid_out

    def counts(self) -> dict[str, int]:
        """How many of each part were made, and the bytes the reports hold."""
        return {
            "areas": self.areas.made,
            "reach": self.reach.made,
            "weeks": self.weeks.made,
            "reports": self.reports.made,
            "report_bytes": self.reports.nbytes,
        }


def _keep(kept: OrderedDict[Any, Any], key: Any, value: Any, most: int) -> None:
    kept[key] = value
    while len(kept) > most:
        kept.popitem(last=False)


def _area(question: Question, places: Places) -> Area:
    """The area's postcodes and their places."""
    latitudes, longitudes = postcodes_inside(question.postcodes, question.outline)
    place_of, names = nearest_places(latitudes, longitudes, places)
    return Area(latitudes, longitudes, place_of, names)


STORE = Store()


def _start(niceness: int, server: int) -> None:
    """In the worker, first: the lowest priority, and an end when the server ends."""
    os.nice(niceness)
    threading.Thread(target=_end_with, args=(server,), daemon=True).start()


def _end_with(server: int) -> None:
    """Ends the worker once the server has gone, however it went (a kill -9 included:
    the pool's own shutdown never runs then, and the worker would be left holding its
    reports' memory)."""
    while os.getppid() == server:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _run(question: Question, given: Given | None, task: str, arguments: tuple) -> Any:
    """In the worker: a task on the question's report, or what it lacks to make it."""
    if given is not None:
        STORE.take(given)
    missing = STORE.lacks(question)
    if missing is not None:
        return missing
    found = STORE.report(question)
    if task == "coverage":
        return STORE.answer(found, *arguments)
    if task == "what_if":
        latitude, longitude, text = arguments
        hours = check_hours(text, latitude, longitude)
        return what_if_out(found, latitude, longitude, hours).model_dump_json().encode()
    raise ValueError(f"no such task: {task}")


def _counts() -> dict[str, int]:
    return STORE.counts()


def _who() -> tuple[int, int]:
    return os.getpid(), os.nice(0)


# The server's side ---------------------------------------------------------------


def venues_of(snapshot: "Snapshot") -> Venues:
    return Venues(*snapshot.columns())


def places_of(gazetteer: "Gazetteer") -> Places:
    return [(place.name, place.latitude, place.longitude) for place in gazetteer.places]


class ReportWorker:
    """The server's link to its report worker: one process, started on first use,
    started again if it dies. Questions are answered one at a time, in turn."""

    def __init__(self, niceness: int = NICENESS, wait_seconds: float = WAIT_SECONDS) -> None:
        self._niceness = niceness
        self._wait_seconds = wait_seconds
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def coverage(
        self, snapshot: "Snapshot", gazetteer: "Gazetteer", question: Question, hour: int | None
    ) -> bytes:
        """The report's JSON (`CoverageOut`), its map at `hour`."""
        return self._ask(snapshot, gazetteer, question, "coverage", (hour,))

    def what_if(
        self,
        snapshot: "Snapshot",
        gazetteer: "Gazetteer",
        question: Question,
        latitude: float,
        longitude: float,
        opening_hours: str,
    ) -> bytes:
        """The what-if's JSON (`WhatIfOut`) for a venue with these (checked) hours here."""
        arguments = (latitude, longitude, opening_hours)
        return self._ask(snapshot, gazetteer, question, "what_if", arguments)

    def counts(self) -> dict[str, int]:
        """What the worker has made so far (for tests and benchmarks)."""
        return self._submit(_counts).result(self._wait_seconds)  # type: ignore[no-any-return]

    def process(self) -> tuple[int, int]:
        """The worker's process id and CPU priority (nice)."""
        return self._submit(_who).result(self._wait_seconds)  # type: ignore[no-any-return]

    def close(self, wait: bool = True) -> None:
        """Stop the worker (the next question starts another)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)

    def _ask(
        self,
        snapshot: "Snapshot",
        gazetteer: "Gazetteer",
        question: Question,
        task: str,
        arguments: tuple,
    ) -> bytes:
        given: Given | None = None
        restarted = False
        while True:
            try:
                future = self._submit(_run, question, given, task, arguments)
                answer = future.result(self._wait_seconds)
            except WaitedTooLong:
                raise Busy(
                    "The report is still being made. Try again in a minute.", retry_after=60
                ) from None
            except BrokenProcessPool:
                # The worker died (killed, or out of memory): start another, once.
                logger.warning("The report worker stopped; starting another.")
                self.close(wait=False)
                if restarted:
                    raise Busy(
                        "The report could not be made just now. Try again in a minute.",
                        retry_after=60,
                    ) from None
                restarted, given = True, None
                continue
            if isinstance(answer, Missing):
                given = Given(
                    (question.venues, venues_of(snapshot)) if answer.venues else None,
                    (question.places, places_of(gazetteer)) if answer.places else None,
                )
                continue
            return answer  # type: ignore[no-any-return]

    def _submit(self, call: Any, *arguments: Any) -> Any:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1,
                    # Not forked: the server has threads, whose locks a fork copies held.
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start,
                    initargs=(self._niceness, os.getpid()),
                )
            pool = self._pool
        return pool.submit(call, *arguments)


# One per server process (each of uvicorn's workers has its own).
REPORT_WORKER = ReportWorker()
