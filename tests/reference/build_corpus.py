"""Write tests/data/opening_hours_corpus.txt from public opening_hours values.

Sources (see tests/data/README.md for commits and licences):
  - the sample venues' opening_hours column, data/safe_places.csv;
  - opening-hours-rs: opening-hours/src/tests/data/sample.txt, then the string
    literals of its tests;
  - opening_hours.js: the values its test suite reports in test/test.en.log.

A value is kept when it is one line, has no control characters, and at least one side
(the reference, or our evaluator) reads it: the rest are not opening hours at all.
First occurrence wins; the file keeps the order above.

Usage (git directories as the `fetch` tool or `git clone --bare` leaves them):
  python tests/reference/build_corpus.py JS_GIT_DIR RS_GIT_DIR
"""

import csv
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.reference.compare import (
    CORPUS,
    PLACES,
    ROOT,
    Case,
    Evaluator,
    HoursError,
    cases,
    our_evaluator,
    run_reference,
)

JS_LOG = "test/test.en.log"
RS_SAMPLE = "opening-hours/src/tests/data/sample.txt"
RS_TESTS = ("opening-hours/src/tests", "opening-hours-syntax/src/tests")
# '"Category" for "value": ' then a coloured PASSED/FAILED.
JS_LOG_LINE = re.compile(r'^"[^"]*" for "(.*?)": \x1b\[')
RUST_STRING = re.compile(r'r#"(.*?)"#|"((?:[^"\\\n]|\\.)*)"')
NOT_HOURS = re.compile(r"^[+\d][\d-]*-\d\d-\d\d( \d\d:\d\d)?$")  # a test's date, "2024-06-21 22:30"


def git_show(git_dir: str, path: str) -> str:
    return subprocess.run(
        ["git", "-C", git_dir, "show", f"HEAD:{path}"], capture_output=True, check=True, text=True
    ).stdout


def git_files(git_dir: str, under: str) -> list[str]:
    listing = subprocess.run(
        ["git", "-C", git_dir, "ls-tree", "-r", "--name-only", "HEAD", under],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return [path for path in listing.splitlines() if path.endswith(".rs")]


def sample_venues() -> list[str]:
    with (ROOT / "data" / "safe_places.csv").open(encoding="utf-8", newline="") as file:
        return [row["opening_hours"] for row in csv.DictReader(file)]


def rust_literals(source: str) -> list[str]:
    found = []
    for raw, plain in RUST_STRING.findall(source):
        text = raw or plain.encode("latin-1", "backslashreplace").decode("unicode_escape")
        found.append(text)
    return found


def candidates(js_dir: str, rs_dir: str) -> list[str]:
    values = sample_venues()
    values += git_show(rs_dir, RS_SAMPLE).splitlines()
    values += [
        m.group(1) for m in map(JS_LOG_LINE.match, git_show(js_dir, JS_LOG).splitlines()) if m
    ]
    for under in RS_TESTS:
        for path in git_files(rs_dir, under):
            values += rust_literals(git_show(rs_dir, path))
    return values


def usable(text: str) -> bool:
    """One printable line with a letter or a digit, and not one of a test's dates."""
    return text.isprintable() and any(c.isalnum() for c in text) and not NOT_HOURS.match(text)


def read_by_us(text: str, evaluate: Evaluator, case: Case) -> bool:
    place = PLACES[case.place]
    try:
        evaluate(text, place.lat, place.lon, case.moment)
    except HoursError:
        return False
    return True


def main(js_dir: str, rs_dir: str) -> None:
    unique = list(dict.fromkeys(v.strip() for v in candidates(js_dir, rs_dir)))
    unique = [v for v in unique if usable(v)]
    one_case = cases()[:1]
    reference = run_reference(unique, one_case)
    evaluate = our_evaluator()
    kept = [
        value
        for value, answer in zip(unique, reference, strict=True)
        if answer.error is None or read_by_us(value, evaluate, one_case[0])
    ]
    CORPUS.parent.mkdir(exist_ok=True)
    CORPUS.write_text("".join(f"{value}\n" for value in kept), encoding="utf-8")
    print(f"{len(unique)} distinct candidates, {len(kept)} kept in {CORPUS.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
