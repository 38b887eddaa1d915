"""Our opening-hours evaluator against the reference, opening_hours.js, answer by answer.

Shared by tests/test_hours_reference.py (the check) and scripts/hours_disagreements.py
(the disagreements, for study). Every value of tests/data/opening_hours_corpus.txt is
evaluated by both at every case: a place (one per UK nation, for its bank holidays and
its sunrise) and an instant of 2026, given to ours as an aware datetime in Europe/London
and to the reference as epoch milliseconds. An answer is the three-way state and whether
an explicit comment (a "quoted comment" of the value) applies.

The reference also gives a holiday's name ("Christmas", "Day before Boxing Day") or
"Specified as open end. Closing time was guessed." as its comment. It returns the matched
rule's own comment when it has one, so a comment is explicit exactly when its text is
written in the value (between any kind of quotes: the library accepts „…“ and «…» too);
the library's own words never are.
"""

import csv
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.hours import HoursError, reference_state

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = ROOT / "tests" / "data" / "opening_hours_corpus.txt"
DISAGREEMENTS = ROOT / "tests" / "data" / "opening_hours_disagreements.csv"
EVALUATE = HERE / "evaluate.mjs"
LIBRARY = "3.15.0"
LONDON = ZoneInfo("Europe/London")
# Listed (explained) disagreements may be at most this share of the answers compared.
MAX_LISTED_SHARE = 0.005
COLUMNS = ("value", "place", "instant", "ours", "reference", "reason")


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    state: str  # the nation, as Nominatim's address.state gives it


PLACES = (
    Place("Warwick", 52.2819, -1.5849, "England"),
    Place("Cardiff", 51.4816, -3.1791, "Wales"),
    Place("Edinburgh", 55.9533, -3.1883, "Scotland"),
    Place("Belfast", 54.5973, -5.9301, "Northern Ireland"),
)

# Every bank holiday of 2026 in each nation (gov.uk/bank-holidays).
HOLIDAYS_2026 = (
    date(2026, 1, 1),  # New Year's Day, all
    date(2026, 1, 2),  # 2nd January, Scotland
    date(2026, 3, 17),  # St Patrick's Day, Northern Ireland
    date(2026, 4, 3),  # Good Friday, all
    date(2026, 4, 6),  # Easter Monday, all but Scotland
    date(2026, 5, 4),  # Early May bank holiday, all
    date(2026, 5, 25),  # Spring bank holiday, all
    date(2026, 7, 13),  # Battle of the Boyne (substitute day), Northern Ireland
    date(2026, 8, 3),  # Summer bank holiday, Scotland
    date(2026, 8, 31),  # Summer bank holiday, all but Scotland
    date(2026, 11, 30),  # St Andrew's Day, Scotland
    date(2026, 12, 25),  # Christmas Day, all
    date(2026, 12, 28),  # Boxing Day (substitute day), all
)
# Boxing Day itself falls on Saturday 26 December: no bank holiday, but the reference
# counts it as PH as well as the substitute day. Asked once a place, at 10:00.
BOXING_DAY_2026 = date(2026, 12, 26)


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC).astimezone(LONDON)


def local_time(day: date, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _ordinary_instants() -> list[datetime]:
    """Clock changes, midnight edges, and a weekday and a weekend moment in every month."""
    moments = [
        # 29 March: at 01:00 UTC, 01:00 GMT becomes 02:00 BST.
        *(_utc(2026, 3, 29, h, m) for h, m in ((0, 30), (0, 59), (1, 0), (1, 30), (2, 0))),
        # 25 October: at 01:00 UTC, 02:00 BST becomes 01:00 GMT; 01:00-02:00 comes twice.
        *(_utc(2026, 10, *hm) for hm in ((24, 23, 30), (25, 0, 30), (25, 0, 59))),
        *(_utc(2026, 10, 25, h, m) for h, m in ((1, 0), (1, 30), (2, 30))),
    ]
    # Midnight edges: Friday to Saturday, Saturday to Sunday, Sunday to Monday, the year's end.
    for last_day in (date(2026, 1, 16), date(2026, 6, 13), date(2026, 9, 20), date(2026, 12, 31)):
        next_day = last_day + timedelta(days=1)
        moments += [
            local_time(last_day, "23:59"),
            local_time(next_day, "00:00"),
            local_time(next_day, "00:01"),
        ]
    weekday_clocks = ("08:45", "12:00", "17:30", "13:15")
    weekend_clocks = ("03:00", "22:30", "07:15", "19:45")
    for month in range(1, 13):
        wednesday = _on_or_after(date(2026, month, 10), 2)
        weekend = _on_or_after(date(2026, month, 17), 6 if month % 2 else 5)
        moments.append(local_time(wednesday, weekday_clocks[month % 4]))
        moments.append(local_time(weekend, weekend_clocks[month % 4]))
    return moments


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@dataclass(frozen=True)
class Case:
    place: int  # index in PLACES
    moment: datetime  # aware, in Europe/London

    @property
    def instant(self) -> str:
        return self.moment.isoformat(timespec="minutes")


def cases() -> list[Case]:
    """Every bank holiday (10:00 and 20:00) at every place; other instants take turns."""
    places = range(len(PLACES))
    found = [
        Case(place, local_time(day, clock))
        for day in HOLIDAYS_2026
        for clock in ("10:00", "20:00")
        for place in places
    ]
    found += [Case(place, local_time(BOXING_DAY_2026, "10:00")) for place in places]
    found += [Case(i % len(PLACES), moment) for i, moment in enumerate(_ordinary_instants())]
    return found


def read_corpus() -> list[str]:
    return CORPUS.read_text(encoding="utf-8").splitlines()


# --- the reference ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    error: str | None
    states: str  # one letter per case: o, c, u; e where the library threw
    comments: list[str | None]  # or what it threw
    warnings: list[str]  # what the library says is unclear in the value


def reference_missing() -> str | None:
    """Why the reference cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs npm)"
    if not (HERE / "node_modules" / "opening_hours" / "package.json").exists():
        return "opening_hours.js is not installed (npm ci --prefix tests/reference)"
    return None


def run_reference(values: list[str], with_cases: list[Case]) -> list[Reference]:
    request = {
        "places": [{"name": p.name, "lat": p.lat, "lon": p.lon, "state": p.state} for p in PLACES],
        "values": values,
        "cases": [[case.place, round(case.moment.timestamp() * 1000)] for case in with_cases],
    }
    done = subprocess.run(
        ["node", str(EVALUATE)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "TZ": "Europe/London"},
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{EVALUATE.name} failed: {done.stderr.strip()}")
    answer = json.loads(done.stdout)
    if answer["library"] != LIBRARY or answer["timezone"] != "Europe/London":
        raise RuntimeError(f"expected opening_hours {LIBRARY} in Europe/London, got {answer}")
    return [
        Reference(r["error"], r["states"], r["comments"], r["warnings"]) for r in answer["results"]
    ]


# --- ours ------------------------------------------------------------------------------

Evaluator = Callable[[str, float, float, datetime], tuple[str, str | None]]


def our_evaluator() -> Evaluator:
    return reference_state


# --- the comparison --------------------------------------------------------------------

STATES = {"o": "open", "c": "closed", "u": "unknown"}


@dataclass(frozen=True)
class Disagreement:
    value: str
    place: str
    instant: str
    ours: str  # "open", or "open+comment" when an explicit comment applies
    reference: str
    our_comment: str | None
    reference_comment: str | None

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.value, self.place, self.instant, self.ours, self.reference)


@dataclass
class Report:
    values: int = 0
    read_by_both: int = 0
    refused_by_us: list[tuple[str, str]] = field(default_factory=list)
    refused_by_reference: list[tuple[str, str]] = field(default_factory=list)
    compared: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    # (value, place, instant, what was thrown): answers the reference could not give.
    reference_failures: list[tuple[str, str, str, str]] = field(default_factory=list)

    def summary(self) -> str:
        agreed = self.compared - len(self.disagreements)
        share = 100 * agreed / self.compared if self.compared else 0.0
        return (
            f"{self.values} values: {self.read_by_both} read by both, "
            f"{len(self.refused_by_us)} refused by us, "
            f"{len(self.refused_by_reference)} refused by the reference "
            f"({len(self._refused_by_both())} by both); "
            f"{self.compared} answers compared, {len(self.disagreements)} disagree, "
            f"agreement {share:.2f} % ({len(self.reference_failures)} answers the "
            f"reference could not give)"
        )

    def _refused_by_both(self) -> set[str]:
        return {v for v, _ in self.refused_by_us} & {v for v, _ in self.refused_by_reference}


def _answer(state: str, comment: bool) -> str:
    return f"{state}+comment" if comment else state


def compare(values: list[str], evaluate: Evaluator | None = None) -> Report:
    """Evaluate every value at every case on both sides; collect what differs."""
    evaluate = evaluate or our_evaluator()
    all_cases = cases()
    report = Report(values=len(values))
    for value, reference in zip(values, run_reference(values, all_cases), strict=True):
        try:
            ours = [evaluate(value, *_where(case), case.moment) for case in all_cases]
        except HoursError as error:
            report.refused_by_us.append((value, str(error)))
            ours = None
        except Exception as error:
            error.add_note(f"our evaluator failed on the value {value!r}")
            raise
        if reference.error is not None:
            report.refused_by_reference.append((value, reference.error))
        if ours is None or reference.error is not None:
            continue
        report.read_by_both += 1
        for case, (state, comment), letter, ref_comment in zip(
            all_cases, ours, reference.states, reference.comments, strict=True
        ):
            place = PLACES[case.place].name
            if letter == "e":
                report.reference_failures.append((value, place, case.instant, str(ref_comment)))
                continue
            report.compared += 1
            ref_explicit = bool(ref_comment) and ref_comment in value
            ours_answer = _answer(state, bool(comment))
            ref_answer = _answer(STATES[letter], ref_explicit)
            if ours_answer != ref_answer:
                report.disagreements.append(
                    Disagreement(
                        value, place, case.instant, ours_answer, ref_answer, comment, ref_comment
                    )
                )
    return report


def _where(case: Case) -> tuple[float, float]:
    place = PLACES[case.place]
    return place.lat, place.lon


# --- the list of explained disagreements -----------------------------------------------


def read_listed() -> dict[tuple[str, ...], str]:
    """(value, place, instant, ours, reference) -> the reason ours is right."""
    with DISAGREEMENTS.open(encoding="utf-8", newline="") as file:
        rows = csv.reader(file)
        if tuple(next(rows, ())) != COLUMNS:
            raise ValueError(f"{DISAGREEMENTS.name} must have the columns {', '.join(COLUMNS)}")
        return {tuple(row[:5]): row[5].strip() for row in rows}


def csv_rows(disagreements: list[Disagreement]) -> str:
    """The disagreements as rows of the list, the reason left for a person to write."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows((*d.key, "") for d in disagreements)
    return out.getvalue()
