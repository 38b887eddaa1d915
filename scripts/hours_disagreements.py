"""Where our opening hours and the reference (opening_hours.js) disagree, grouped by value.

Runs the comparison of tests/test_hours_reference.py and prints, for each value, every
answer that differs (place, instant, ours, the reference, with each side's comment),
largest groups first, then the values each side refuses and the answers the reference
could not give. Disagreements already listed in tests/data/opening_hours_disagreements.csv
are marked "listed".

Usage::

    npm ci --prefix tests/reference        # once: the pinned opening_hours.js
    python scripts/hours_disagreements.py  # [--csv: unlisted ones as rows to paste]
"""

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reference.compare import (
    Disagreement,
    compare,
    csv_rows,
    read_corpus,
    read_listed,
    reference_missing,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", action="store_true", help="print unlisted ones as CSV rows")
    args = parser.parse_args()
    if missing := reference_missing():
        sys.exit(f"The reference evaluator cannot run: {missing}")
    report = compare(read_corpus())
    listed = read_listed()
    if args.csv:
        print(csv_rows([d for d in report.disagreements if d.key not in listed]))
        return
    by_value: dict[str, list[Disagreement]] = defaultdict(list)
    for d in report.disagreements:
        by_value[d.value].append(d)
    for value, found in sorted(by_value.items(), key=lambda item: -len(item[1])):
        print(f"\n{len(found):4}  {value}")
        for d in found:
            mark = "listed" if d.key in listed else ""
            print(
                f"      {d.place:9} {d.instant}  ours {_said(d.ours, d.our_comment):30} "
                f"reference {_said(d.reference, d.reference_comment):30} {mark}"
            )
    for side, refused in (
        ("us", report.refused_by_us),
        ("the reference", report.refused_by_reference),
    ):
        print(f"\nRefused by {side} ({len(refused)}):")
        for value, reason in refused:
            print(f"  {value}\n      {reason.splitlines()[0] if reason else ''}")
    failures = defaultdict(list)
    for value, place, instant, thrown in report.reference_failures:
        failures[thrown].append(f"{place} {instant}: {value}")
    for thrown, where in failures.items():
        print(f"\nThe reference threw {thrown!r} ({len(where)} answers, not compared):")
        print("\n".join(f"  {line}" for line in where[:10]))
    print(f"\n{report.summary()}")


def _said(answer: str, comment: str | None) -> str:
    return f'{answer} "{comment}"' if comment else answer


if __name__ == "__main__":
    main()
