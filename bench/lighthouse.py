"""Lighthouse (mobile) on every public page of the web app: scores and what failed.

Starts `safe-places serve` on a fresh SQLite database with the sample venues (as
bench/web_weight.py does), then runs Lighthouse, pinned in bench/lighthouse/ and
installed from its lock file (`npm ci --prefix bench/lighthouse`) when missing or
older than the lock, on Debian's Chromium (`/usr/bin/chromium`, or `CHROME_PATH`),
headless, with Lighthouse's mobile defaults (a mid-range phone, simulated 4G and
a 4x slower processor). Each page is run `--runs` times and the run with the
median performance score is shown: page, performance, accessibility, best
practices, layout shift (CLS, and the worst of the runs), largest paint (LCP),
blocking time (TBT), and the ids of the audits that failed (scored under 0.9, as
Lighthouse's report shows).

The public pages are those in app/web/assets.py PAGES, less the staff screens and
the page sent with a 404; a venue's page is the first sample venue's. Chromium
resolves no host but this machine's, so nothing here reaches the internet: a
page that wanted something from outside would show it as a failed audit.

Performance is measured, not simulated from nothing: Lighthouse multiplies the
time the processor really took, so a busy machine scores lower. The load average
is printed with the figures; measure when it is under about 2 (2 cores here).

The standard (issue 11): accessibility 100 and performance at least 95 on every
public page, CLS at most 0.1. This prints the pages that miss it; it is a bench,
not a test, so it exits 0 unless Lighthouse itself cannot run.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--page /help-card]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.web.assets import NOT_FOUND_PAGE, PAGES, STAFF_ONLY, VENUE_PAGE
from bench.web_weight import serving

HERE = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
# Lighthouse's own line between a passed audit and one to look at.
PASSED = 0.9
STANDARD = {"performance": 95, "accessibility": 100}
MOST_CLS = 0.1
# Every host name resolves to nothing, except this machine's.
OFFLINE = '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"'


@dataclass
class Result:
    """One page's scores (0-100), metrics and failed audits, from one Lighthouse run."""

    page: str
    scores: dict[str, int]
    cls: float
    lcp_ms: float
    tbt_ms: float
    failed: list[str]
    # Audits Lighthouse could not run (a newer Chromium than it knows): not in the scores.
    errors: list[str]
    versions: str
    # A shift can depend on timing (content arriving before or after the first paint):
    # the worst of the runs is held to the standard, not the median run's.
    worst_cls: float = 0.0

    def misses(self) -> list[str]:
        """How this page falls short of the standard, in words; empty when it meets it."""
        short = [
            f"{name} {self.scores[name]} < {least}"
            for name, least in STANDARD.items()
            if self.scores[name] < least
        ]
        shifts = self.worst_cls > MOST_CLS
        return short + ([f"CLS {self.worst_cls:.3f} > {MOST_CLS} in a run"] if shifts else [])


def public_pages() -> list[str]:
    """The addresses Lighthouse visits: every page a member of the public can open."""
    return [
        page.path
        for page in PAGES
        if not page.path.startswith(STAFF_ONLY) and page.path != NOT_FOUND_PAGE
    ]


def install_lighthouse() -> None:
    """`npm ci` the pinned Lighthouse when it is missing or older than its lock file."""
    installed = HERE / "node_modules" / ".package-lock.json"
    lock = HERE / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    print(f"npm ci --prefix {HERE}", file=sys.stderr)
    subprocess.run(["npm", "ci", "--prefix", str(HERE), "--no-audit", "--no-fund"], check=True)


def chrome_flags() -> str:
    flags = ["--headless=new", OFFLINE]
    if os.geteuid() == 0:  # Chromium refuses to run as root with its sandbox on
        flags.append("--no-sandbox")
    return " ".join(flags)


def lighthouse(url: str, page: str) -> Result:
    """Run Lighthouse once on `url` and read its report."""
    with tempfile.TemporaryDirectory() as folder:
        report_path = Path(folder) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={report_path}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={chrome_flags()}",
            "--quiet",
        ]
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
        subprocess.run(command, env=env, check=True, timeout=300)
        report = json.loads(report_path.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise SystemExit(f"Lighthouse could not load {url}: {report['runtimeError']['message']}")
    audits = report["audits"]
    in_categories = {
        ref["id"] for name in CATEGORIES for ref in report["categories"][name]["auditRefs"]
    }
    failed = [
        name
        for name in sorted(in_categories)
        if audits[name]["score"] is not None
        and audits[name]["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
        and audits[name]["score"] < PASSED
    ]
    errors = [name for name in sorted(in_categories) if audits[name]["scoreDisplayMode"] == "error"]
    browser = report["environment"]["hostUserAgent"].split("Chrome/")[-1].split(".")[0]
    return Result(
        page=page,
        scores={name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        cls=audits["cumulative-layout-shift"]["numericValue"],
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        tbt_ms=audits["total-blocking-time"]["numericValue"],
        failed=failed,
        errors=errors,
        versions=f"Lighthouse {report['lighthouseVersion']}, Chromium {browser}",
    )


def median_run(url: str, page: str, runs: int) -> Result:
    """The run with the median performance score, as Lighthouse's docs advise, and the
    worst layout shift of all the runs."""
    results = sorted(
        (lighthouse(url, page) for _ in range(runs)), key=lambda r: r.scores["performance"]
    )
    return replace(results[len(results) // 2], worst_cls=max(r.cls for r in results))


def table(results: list[Result]) -> None:
    print(
        f"{'page':14} {'perf':>4} {'a11y':>4} {'best':>4} {'CLS':>6} {'worst':>6} "
        f"{'LCP ms':>7} {'TBT ms':>6}  failed audits"
    )
    for r in results:
        s = r.scores
        print(
            f"{r.page:14} {s['performance']:4d} {s['accessibility']:4d} "
            f"{s['best-practices']:4d} {r.cls:6.3f} {r.worst_cls:6.3f} "
            f"{r.lcp_ms:7.0f} {r.tbt_ms:6.0f}  "
            f"{' '.join(r.failed) or '-'}"
        )


def load_average() -> str:
    return " ".join(f"{each:.2f}" for each in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median shown)")
    parser.add_argument("--page", action="append", help="only this page (repeatable)")
    args = parser.parse_args()
    install_lighthouse()
    pages = args.page or public_pages()
    print(f"load average before: {load_average()}")
    results = []
    with serving() as client:
        venue_id = client.get("/api/venues/offline").json()["venues"][0]["id"]
        for page in pages:
            path = f"/venues/{venue_id}" if page == VENUE_PAGE else page
            results.append(median_run(f"{client.base_url}{path}", path, args.runs))
    print(f"load average after: {load_average()}  (runs per page: {args.runs})\n")
    table(results)
    misses = [f"{r.page}: {', '.join(r.misses())}" for r in results if r.misses()]
    print("\nbelow the standard:" if misses else "\nevery page meets the standard")
    for line in misses:
        print(f"  {line}")
    errors = sorted({name for r in results for name in r.errors})
    print(f"\n{results[0].versions}, mobile, simulated throttling")
    if errors:
        print(f"audits it could not run here (not in the scores): {' '.join(errors)}")


if __name__ == "__main__":
    main()
