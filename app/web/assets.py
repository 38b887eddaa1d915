"""The web app's files (app/web/), read once when the server starts.

The pages are listed here and rendered from their templates (app/web/rendering.py),
so the header, the 999/101 call bar and the footer are written once. Every file is
hashed (its ETag) and gzipped ahead of time, and the service worker is given a
version made from all the hashes: any change to the app makes a new worker, which
replaces the files phones keep. No build step: this runs at start-up, in milliseconds.

Scripts, style sheets and pictures are also served under names made from their
content (app/web/content_names.py), kept a year; the pages refer to them by those
names, and the service worker keeps them under those names too. Their plain
addresses keep working with a short cache, so a page saved before an update loads.
"""

import gzip
import hashlib
import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from app.web.constants import constants_module
from app.web.content_names import DIGITS, content_names, is_text, plain_address, renamed
from app.web.rendering import Page, render_pages

WEB_DIR = Path(__file__).parent
STATIC_FOLDERS = ("css", "js", "icons")
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".webmanifest": "application/manifest+json",
}
# Revalidated every time (a 304 costs little): the app's code must never be stale.
# Pictures change rarely, and an old picture for a day does no harm.
REVALIDATE = "no-cache"
PICTURES = "public, max-age=86400"
# A content-named file never changes: the browser need never ask again.
KEEP_A_YEAR = "public, max-age=31536000, immutable"
# Installing fetches these itself; the service worker need not keep them.
NOT_KEPT_OFFLINE = frozenset({"/icons/app-512.png", "/icons/app-maskable-512.png"})
# The staff and officer screens need a sign-in and the network anyway: the phones of
# the public never download them for offline use, and the service worker leaves them
# (and every /api/ call) to the network. hours-grid.js is the staff hours form's pure part.
# A staff screen's own style sheet is named css/staff-….css, so this list finds it.
STAFF_ONLY = (
    "/staff",
    "/js/staff-",
    "/js/officer-",
    "/js/hours-grid.js",
    "/css/staff",
)
STAFF_PICTURES = frozenset(
    f"/icons/{name}.svg"
    for name in (
        "add",
        "camera",
        "edit",
        "export",
        "history",
        "import",
        "key",
        "people",
        "put-back",
        "bus",
        "chart",
    )
)
VENUE_PAGE = "/venues/page"
NOT_FOUND_PAGE = "/not-found"
# Forms (groups, choices, the problem box, each box's error): staff screens, /join and
# a venue page's "Something is wrong" form, so public phones keep it too.
FORMS_CSS = ("forms.css",)
STAFF_CSS = (*FORMS_CSS, "staff.css")
# "Leave this page" (report, help card), and the help card's printed wallet card.
QUICK_EXIT_CSS = ("quick-exit.css",)
HELP_CARD_CSS = ("quick-exit.css", "help-card.css")
PAGES = (
    Page("/", "home.html", "Find a Safe Place", "home.js"),
    # Every /venues/{id} is this page; its script reads the id from the address.
    Page(VENUE_PAGE, "venue.html", "A Safe Place", "venue.js", FORMS_CSS),
    Page("/help-card", "help-card.html", "My help card", "help-card.js", HELP_CARD_CSS),
    Page("/whats-wrong", "whats-wrong.html", "What is wrong?", "whats-wrong.js"),
    Page("/report", "report.html", "Report a crime", "report.js", QUICK_EXIT_CSS),
    Page("/about", "about.html", "About this app", "about.js"),
    # Sending needs the network, but /about links here: kept offline, the page opens
    # and says there is no signal, where a page left to the network would not open.
    Page("/join", "join.html", "Join the Safe Places scheme", "join.js", (*FORMS_CSS, "join.css")),
    # Sent with status 404 for any address that is not a page (app/http/errors.py).
    Page(NOT_FOUND_PAGE, "not-found.html", "Page not found", "about.js"),
    # Staff and council officers keep the listings true (see STAFF_ONLY).
    Page("/staff", "staff-sign-in.html", "Sign in for staff", "staff-sign-in.js", STAFF_CSS),
    Page("/staff/venues", "staff-venues.html", "Venues", "staff-venues.js", STAFF_CSS),
    Page("/staff/edit", "staff-edit.html", "Change a Safe Place", "staff-edit.js", STAFF_CSS),
    Page("/staff/history", "staff-history.html", "History", "staff-history.js", STAFF_CSS),
    Page(
        "/staff/new-venue",
        "staff-new-venue.html",
        "Add a Safe Place",
        "officer-new-venue.js",
        STAFF_CSS,
    ),
    Page("/staff/accounts", "staff-accounts.html", "Accounts", "officer-accounts.js", STAFF_CSS),
    Page("/staff/files", "staff-files.html", "Import and export", "officer-files.js", STAFF_CSS),
    Page("/staff/visit", "staff-visit.html", "Someone came to us", "staff-visit.js", STAFF_CSS),
    Page(
        "/staff/usage",
        "staff-usage.html",
        "Use of the scheme",
        "officer-usage.js",
        (*STAFF_CSS, "staff-usage.css"),
    ),
    Page(
        "/staff/problems",
        "staff-problems.html",
        "Problems people reported",
        "officer-problems.js",
        STAFF_CSS,
    ),
    Page(
        "/staff/applications",
        "staff-applications.html",
        "Applications to join",
        "officer-applications.js",
        STAFF_CSS,
    ),
    Page(
        "/staff/coverage",
        "staff-coverage.html",
        "Gaps in cover",
        "officer-coverage.js",
        (*STAFF_CSS, "staff-coverage.css"),
    ),
    Page(
        "/staff/poster",
        "staff-poster.html",
        "Window poster",
        "staff-poster.js",
        (*STAFF_CSS, "staff-poster.css"),
    ),
)
# The pages every footer links to, in this order.
FOOTER = ("/", "/whats-wrong", "/help-card", "/report", "/about")


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    media_type: str
    etag: str
    cache_control: str


def make_asset(body: bytes, suffix: str, cache_control: str = REVALIDATE) -> Asset:
    media_type = MEDIA_TYPES[suffix]
    squeezed = None
    if not media_type.startswith("image/png"):
        smaller = gzip.compress(body, compresslevel=9, mtime=0)
        squeezed = smaller if len(smaller) < len(body) else None
    return Asset(
        body, squeezed, media_type, f'"{hashlib.sha256(body).hexdigest()[:20]}"', cache_control
    )


def static_files(root: Path) -> dict[str, tuple[bytes, str, str]]:
    """The scripts, style sheets and pictures by address: (content, suffix, Cache-Control)."""
    files: dict[str, tuple[bytes, str, str]] = {}
    for folder in STATIC_FOLDERS:
        for file in sorted((root / folder).iterdir()):
            if file.suffix in MEDIA_TYPES:
                control = PICTURES if folder == "icons" else REVALIDATE
                files[f"/{folder}/{file.name}"] = (file.read_bytes(), file.suffix, control)
    # js/constants.js is written from the Python definitions (app/web/constants.py),
    # then served, hashed, gzipped and kept offline like the files beside it.
    files["/js/constants.js"] = (constants_module().encode(), ".js", REVALIDATE)
    return files


def kept_offline(path: str) -> bool:
    """Whether the service worker keeps this file (by its plain address)."""
    return path not in NOT_KEPT_OFFLINE | STAFF_PICTURES and not path.startswith(STAFF_ONLY)


@dataclass(frozen=True, slots=True)
class WebApp:
    """Every file the web app serves, by URL path, and the version they make together."""

    # By plain address and, for scripts, style sheets and pictures, by content name too.
    assets: dict[str, Asset]
    version: str
    # Each script's, style sheet's and picture's content name, by its plain address.
    named: dict[str, str]

    @classmethod
    def load(cls, root: Path = WEB_DIR) -> "WebApp":
        files = static_files(root)
        named = content_names({path: body for path, (body, _, _) in files.items()})
        assets: dict[str, Asset] = {}
        for path, (body, suffix, control) in files.items():
            if is_text(path):
                body = renamed(body, named, path if suffix == ".js" else "")
            asset = make_asset(body, suffix, control)
            assets[path] = asset
            assets[named[path]] = replace(asset, cache_control=KEEP_A_YEAR)
        manifest = root / "manifest.webmanifest"
        assets["/manifest.webmanifest"] = make_asset(
            renamed(manifest.read_bytes(), named), manifest.suffix
        )
        for path, html in render_pages(root, PAGES, FOOTER).items():
            assets[path] = make_asset(renamed(html, named), ".html")
        template = (root / "sw.js").read_text(encoding="utf-8")
        fingerprint = hashlib.sha256(template.encode())
        for path in sorted(assets):
            fingerprint.update(f"{path}\0{assets[path].etag}\0".encode())
        version = fingerprint.hexdigest()[:16]
        # The worker keeps files under the names the pages use (and knows their plain
        # addresses from them: scripts build some, `/icons/${name}.svg`).
        content_named = set(named.values())
        kept = sorted(path for path in assets if path not in content_named and kept_offline(path))
        shell = sorted(named.get(path, path) for path in kept)
        worker = (
            template.replace("{{version}}", version)
            .replace("{{shell}}", json.dumps(shell))
            .replace("{{digits}}", str(DIGITS))
        )
        assets["/sw.js"] = make_asset(worker.encode(), ".js")
        return cls(assets, version, named)

    def file(self, path: str) -> Asset | None:
        """A file by its address. A content name with other digits (asked for by a page
        from before an update) gets today's file, as its plain address would: briefly kept."""
        found = self.assets.get(path)
        if found is None and (plain := plain_address(path)) is not None:
            found = self.assets.get(plain)
        return found


@cache
def web_app() -> WebApp:
    return WebApp.load()
