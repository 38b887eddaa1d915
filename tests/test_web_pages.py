"""How the web app's files are served: pages, caching, compression, content names, the
service worker, the manifest and its icons, and the pictures (only those used, all
credited)."""

import json
import re
import shutil
import struct
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.web.assets import PAGES, STAFF_ONLY, VENUE_PAGE, WEB_DIR, WebApp

PAGE_PATHS = [page.path for page in PAGES if page.path != VENUE_PAGE]
KEEP_A_YEAR = "public, max-age=31536000, immutable"
CONTENT_NAMED = re.compile(r"^/(css|js|icons)/[a-z0-9-]+\.[0-9a-f]{10}\.(css|js|svg|png)$")
# What a page loads: src and href of files (not links to pages, not tel: or #).
FILE_REFERENCES = re.compile(r'(?:src|href)="(/(?:css|js|icons)/[^"]*)"')
# A script's imports of scripts beside it.
IMPORTS = re.compile(r'(?:from|import)\s*"\./([^"]+)"')


@pytest.fixture
def web(make_client, engine) -> TestClient:
    return make_client()


@pytest.mark.parametrize("path", [*PAGE_PATHS, "/venues/12", "/venues/not-a-number"])
def test_every_page_is_html_with_the_call_bar(web: TestClient, path: str) -> None:
    response = web.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert "form-action 'none'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "no-referrer"
    assert '<a class="call call-emergency" href="tel:999"' in response.text
    assert '<a class="call call-police" href="tel:101"' in response.text
    assert '<html lang="en-GB">' in response.text
    assert "{{" not in response.text


def test_the_current_page_is_marked_in_the_footer(web: TestClient) -> None:
    assert '<a href="/report" aria-current="page">' in web.get("/report").text
    assert 'aria-current="page"' not in web.get("/venues/3").text


def test_files_are_gzipped_and_revalidated_with_an_etag(web: TestClient) -> None:
    first = web.get("/js/home.js", headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["content-type"] == "text/javascript; charset=utf-8"
    assert first.headers["vary"] == "Accept-Encoding"
    again = web.get("/js/home.js", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    plain = web.get("/js/home.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    # The file as written, but for the content names of the files it imports or names.
    source = (WEB_DIR / "js" / "home.js").read_text(encoding="utf-8")
    assert plain.text != source
    assert re.sub(r"(/[a-z0-9-]+)\.[0-9a-f]{10}\.([a-z]+)", r"\1.\2", plain.text) == source


def shell_of(worker: str) -> list[str]:
    return json.loads(re.search(r"const SHELL = (\[.*?\]);", worker).group(1))


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_pages_load_files_by_content_name_kept_a_year(web: TestClient, path: str) -> None:
    page = web.get(path).text
    files = FILE_REFERENCES.findall(page)
    assert any(file.startswith("/js/") for file in files)
    assert any(file.startswith("/css/") for file in files)
    for file in files:
        assert CONTENT_NAMED.match(file), file
        named = web.get(file)
        assert named.status_code == 200, file
        assert named.headers["cache-control"] == KEEP_A_YEAR
        plain = web.get(re.sub(r"\.[0-9a-f]{10}\.", ".", file))
        assert plain.content == named.content
        assert plain.headers["cache-control"] in {"no-cache", "public, max-age=86400"}


def test_scripts_import_each_other_by_content_name(web: TestClient) -> None:
    """Every import, followed from the pages, finds the file it names, kept a year."""
    waiting = {file for path in PAGE_PATHS for file in FILE_REFERENCES.findall(web.get(path).text)}
    seen: set[str] = set()
    while waiting:
        file = waiting.pop()
        seen.add(file)
        if file.endswith(".js"):
            for name in IMPORTS.findall(web.get(file).text):
                assert CONTENT_NAMED.match(f"/js/{name}"), (file, name)
                waiting |= {f"/js/{name}"} - seen
    scripts = {file for file in seen if file.endswith(".js")}
    assert len(scripts) > 10
    for file in scripts:
        assert web.get(file).headers["cache-control"] == KEEP_A_YEAR


def test_old_content_names_get_the_file_of_today_kept_briefly(web: TestClient) -> None:
    """A page saved before an update asks for names that are gone: it still loads."""
    today = web.get("/js/home.js")
    old = web.get("/js/home.0123456789.js")
    assert old.status_code == 200
    assert old.content == today.content
    assert old.headers["cache-control"] == "no-cache"
    assert web.get("/icons/pin.0123456789.svg").headers["cache-control"] == "public, max-age=86400"
    assert web.get("/js/nothing.0123456789.js").status_code == 404
    assert web.get("/js/home.0123456789.css").status_code == 404


def test_a_change_renames_that_file_and_those_that_refer_to_it(tmp_path: Path) -> None:
    copy = tmp_path / "web"
    shutil.copytree(WEB_DIR, copy)
    before = WebApp.load(copy)
    dom = copy / "js" / "dom.js"
    dom.write_text(dom.read_text(encoding="utf-8") + "// changed\n", encoding="utf-8")
    after = WebApp.load(copy)
    changed = {path for path in before.named if before.named[path] != after.named[path]}
    assert {"/js/dom.js", "/js/home.js", "/js/layout.js"} <= changed  # home imports dom
    assert "/js/constants.js" not in changed and "/js/api.js" not in changed
    assert not any(path.startswith(("/css/", "/icons/")) for path in changed)
    home = after.assets["/"].body.decode()
    assert after.named["/js/home.js"] in home and before.named["/js/home.js"] not in home


def test_pictures_may_be_kept_for_a_day(web: TestClient) -> None:
    response = web.get("/icons/house.svg")
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["cache-control"] == "public, max-age=86400"


@pytest.mark.parametrize("path", ["/js/nothing.js", "/icons/../main.py", "/css/app.css.bak"])
def test_unknown_files_are_404(web: TestClient, path: str) -> None:
    assert web.get(path).status_code == 404


def test_the_api_still_wins(web: TestClient) -> None:
    assert web.get("/api/venues").status_code == 405  # POST only: not read as a file
    assert web.get("/healthz").json()["status"] == "ok"
    assert web.get("/api/venues/offline").status_code == 200
    paths = web.get("/openapi.json").json()["paths"]
    assert not any(path.startswith(("/css", "/js", "/icons", "/venues/")) for path in paths)
    assert "/" not in paths and "/sw.js" not in paths


def test_the_service_worker_keeps_every_page_and_file(web: TestClient) -> None:
    response = web.get("/sw.js")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', response.text)
    shell = shell_of(response.text)
    assert version
    public = {path for path in PAGE_PATHS if not path.startswith(STAFF_ONLY)}
    assert public | {VENUE_PAGE, "/manifest.webmanifest"} <= set(shell)
    assert not any(path.startswith("/api/") for path in shell)
    # Files under the names the pages load them by.
    files = [path for path in shell if path.startswith(("/css/", "/js/", "/icons/"))]
    assert files and all(CONTENT_NAMED.match(path) for path in files)
    assert {"/css/app.", "/js/home.", "/js/constants."} <= {p[: p.index(".") + 1] for p in files}
    assert set(FILE_REFERENCES.findall(web.get("/").text)) <= set(shell)
    # The worker tells a content name by the same rule as the server.
    assert "[0-9a-f]{10}" in response.text and "{{" not in response.text
    assert any(path.startswith("/icons/pin.") for path in shell)
    for path in shell:
        assert web.get(path).status_code == 200, path


def test_any_change_to_the_app_is_a_new_service_worker(tmp_path: Path) -> None:
    copy = tmp_path / "web"
    shutil.copytree(WEB_DIR, copy)
    before = WebApp.load(copy)
    assert WebApp.load(copy).version == before.version  # the same files, the same version
    (copy / "css" / "app.css").write_text("body { color: black; }\n")
    after = WebApp.load(copy)
    assert after.version != before.version
    assert after.assets["/sw.js"].body != before.assets["/sw.js"].body


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_makes_the_app_installable(web: TestClient) -> None:
    response = web.get("/manifest.webmanifest")
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["theme_color"] == "#003078"
    icons = {(icon["sizes"], icon["purpose"]): icon["src"] for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (sizes, _purpose), src in icons.items():
        width, height = png_size(web.get(src).content)
        assert f"{width}x{height}" == sizes


def all_web_text() -> str:
    return "\n".join(
        file.read_text(encoding="utf-8")
        for file in WEB_DIR.rglob("*")
        if file.suffix in {".html", ".js", ".css"}
    )


def test_only_pictures_the_app_uses_are_shipped_and_all_are_credited() -> None:
    text = all_web_text()
    credits = (WEB_DIR / "icons" / "README.md").read_text(encoding="utf-8")
    shipped = {file.stem for file in (WEB_DIR / "icons").glob("*.svg")}
    for name in shipped:
        assert re.search(rf'["/]{name}(\.svg)?"', text), f"{name}.svg is not used"
        assert f"`{name}.svg`" in credits, f"{name}.svg is not in icons/README.md"
    used = set(re.findall(r"/icons/([a-z-]+)\.svg", text))
    used |= set(re.findall(r'(?:picture|idea)\("([a-z-]+)"', text))
    assert used <= shipped, used - shipped
    assert "CC BY-SA 4.0" in credits


def test_the_footer_credits_openmoji(web: TestClient) -> None:
    for path in PAGE_PATHS:
        assert 'Pictures by <a href="/about#pictures">OpenMoji</a>' in web.get(path).text
    about = web.get("/about").text
    assert "All emojis designed by" in about and "CC BY-SA 4.0" in about


def test_no_page_script_sends_the_help_card() -> None:
    """The help card's script never calls the network; its form sends nowhere."""
    script = (WEB_DIR / "js" / "help-card.js").read_text(encoding="utf-8")
    store = (WEB_DIR / "js" / "card-store.js").read_text(encoding="utf-8")
    for code in (script, store):
        assert "fetch(" not in code and "sendBeacon" not in code and "XMLHttpRequest" not in code
        assert "api.js" not in code
    page = (WEB_DIR / "templates" / "help-card.html").read_text(encoding="utf-8")
    assert '<form id="card-form" class="card-form" method="dialog"' in page


def test_a_page_that_is_not_there_is_an_easy_read_page(web: TestClient) -> None:
    response = web.get("/no-such-page", headers={"Accept": "text/html,*/*"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "We cannot find this page" in response.text
    assert '<a class="call call-emergency" href="tel:999"' in response.text
    # Programs asking the API still get JSON, whatever they accept.
    api = web.get("/api/no-such-thing", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.json()["message"]
    assert web.get("/no-such-page").headers["content-type"] == "application/json"


def test_after_a_first_visit_the_pages_open_offline_by_content_name(page, context) -> None:
    """In Chromium: the worker keeps the files under the names the pages use, so each
    public page opens with no signal, styled and with its scripts run; a plain name (a
    script builds some) is answered from the same copy."""
    page.goto("/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.locator("[data-saved-note]:not([hidden])").wait_for()
    worker = page.evaluate("fetch('/sw.js').then((answer) => answer.text())")
    kept = page.evaluate(
        """async () => {
            const cache = await caches.open((await caches.keys()).find(
                (name) => name.startsWith("safe-places-app-")));
            return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }"""
    )
    assert sorted(kept) == sorted(shell_of(worker))

    context.set_offline(True)
    for path in ("/", "/whats-wrong", "/help-card", "/report", "/about", "/venues/1"):
        page.goto(path)
        assert page.locator("h1").first.is_visible(), path
        # app.css is applied (a 48 px tall header picture), and layout.js has run.
        assert page.locator(".brand img").bounding_box()["height"] == 48, path
        page.locator('.call-bar [data-help-number]:text-is("999")').wait_for()
        files = page.eval_on_selector_all(
            "script[src], link[rel=stylesheet]",
            "found => found.map((each) => each.getAttribute('src') ?? each.getAttribute('href'))",
        )
        assert len(files) >= 3 and all(CONTENT_NAMED.match(file) for file in files), path
    page.goto("/")
    page.locator("[data-saved-note]:not([hidden])").wait_for()
    plain = page.evaluate("fetch('/icons/pin.svg').then((answer) => answer.status)")
    assert plain == 200
    context.set_offline(False)
