"""Our opening hours against the reference evaluator, opening_hours.js (see tests/reference/).

Every value of tests/data/opening_hours_corpus.txt, at every place and instant of
tests/reference/compare.py, must get the same answer from both: open, closed or unknown,
and whether an explicit comment applies. The only disagreements allowed are those listed,
each with the reason ours is right, in tests/data/opening_hours_disagreements.csv; they
may be at most 0.5 % of the answers compared, and a listed one that no longer occurs must
be taken off the list. Without node or tests/reference/node_modules this test skips;
with CI=true it fails instead.
"""

from datetime import date

import pytest

from app.hours import HoursError, check_hours
from tests.conftest import IN_CI
from tests.reference.compare import (
    DISAGREEMENTS,
    MAX_LISTED_SHARE,
    PLACES,
    Case,
    compare,
    csv_rows,
    local_time,
    read_corpus,
    read_listed,
    reference_missing,
    run_reference,
)


@pytest.fixture
def reference() -> None:
    missing = reference_missing()
    if missing:
        if IN_CI:
            pytest.fail(f"CI=true needs the reference evaluator: {missing}")
        pytest.skip(f"the reference evaluator cannot run: {missing}")


@pytest.mark.usefixtures("reference")
def test_the_reference_knows_each_nation_and_where_the_sun_rises() -> None:
    names = [place.name for place in PLACES]
    warwick, edinburgh = names.index("Warwick"), names.index("Edinburgh")
    second_of_january = local_time(date(2026, 1, 2), "10:00")  # a bank holiday in Scotland only
    before_sunrise = local_time(date(2026, 1, 14), "08:00")  # in Warwick the sun rises at 08:09
    cases = [
        Case(warwick, second_of_january),
        Case(edinburgh, second_of_january),
        Case(warwick, before_sunrise),
    ]
    holiday, sun = run_reference(["PH", "sunrise-sunset"], cases)
    assert holiday.states[:2] == "co", "the places' nations do not reach the reference"
    # Without coordinates opening_hours.js takes sunrise to be at 06:00.
    assert sun.states[2] == "c", "the places' coordinates do not reach the reference"


@pytest.mark.usefixtures("reference")
def test_our_answers_match_the_reference() -> None:
    values = read_corpus()
    assert len(set(values)) >= 500, "the corpus needs at least 500 distinct values"

    report = compare(values)
    print(report.summary())
    listed = read_listed()
    found = {d.key for d in report.disagreements}
    unlisted = [d for d in report.disagreements if d.key not in listed]
    stale = sorted(key for key in listed if key not in found)
    unexplained = sorted(key for key, reason in listed.items() if not reason)

    assert report.compared > 0, report.summary()
    if unlisted:
        pytest.fail(
            f"{report.summary()}\n{len(unlisted)} disagreements are not listed in "
            f"{DISAGREEMENTS.name} (scripts/hours_disagreements.py shows them all), "
            f"the first:\n{csv_rows(unlisted[:20])}"
        )
    if stale:
        pytest.fail(f"listed in {DISAGREEMENTS.name} but no longer disagree:\n{stale[:20]}")
    if unexplained:
        pytest.fail(f"listed in {DISAGREEMENTS.name} without a reason:\n{unexplained[:20]}")
    share = len(report.disagreements) / report.compared
    if share > MAX_LISTED_SHARE:
        pytest.fail(
            f"{report.summary()}\nthe listed disagreements are {100 * share:.2f} % of the "
            f"answers compared; at most {100 * MAX_LISTED_SHARE} % may disagree"
        )


# Hours as shopkeepers write them: the 12-hour clock, and what is plainly not it.
TWELVE_HOUR_CLOCK = ["Mo-Fr 9-5", "Sa 10-4", "Su 12-2", "Mo-Fr 9:00-5:30", "Mo 13:00-5:00"]
NIGHTS_SAID_PLAINLY = ["Mo-Fr 09:00-05:00", "Fr-Sa 22-4", "Fr 20:00-2:00", "Mo 18:00-5:00"]


@pytest.mark.usefixtures("reference")
def test_we_refuse_the_twelve_hour_clock_where_the_reference_says_open_at_night() -> None:
    """opening_hours.js reads "9-5" as written, open at 3 in the morning, and warns that a
    single-digit hour could mean the afternoon; we refuse it, saying what to write. Every
    value of the corpus we refuse so is one the reference warns about too."""
    warwick = [place.name for place in PLACES].index("Warwick")
    three_am = Case(warwick, local_time(date(2026, 12, 9), "03:00"))  # a Wednesday night
    corpus = read_corpus()
    ours = {value: _refusal(value) for value in (*TWELVE_HOUR_CLOCK, *corpus)}
    refused = [value for value, said in ours.items() if said and "the next morning" in said]
    assert set(TWELVE_HOUR_CLOCK) <= set(refused)
    for value in NIGHTS_SAID_PLAINLY:
        assert _refusal(value) is None, value
    answers = dict(zip(refused, run_reference(refused, [three_am]), strict=True))
    for value in ("Mo-Fr 9-5", "Mo-Fr 9:00-5:30"):
        assert answers[value].states == "o", f"the reference no longer says {value} is open at 3am"
    for value, answer in answers.items():
        assert any("Single-digit hour" in warning for warning in answer.warnings), (
            f"we refuse {value!r}, the reference does not warn: {answer.warnings}"
        )
    assert "write 09:00-17:00" in str(ours["Mo-Fr 9-5"])


def _refusal(value: str) -> str | None:
    try:
        check_hours(value)
    except HoursError as error:
        return str(error)
    return None
