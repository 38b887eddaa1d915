"""The public pages' scripts parse and run on the phones people have, not only new ones.

A script module that fails to parse takes down every module that imports it: a regular
expression lookbehind, `(?<=…)`, is a SyntaxError on iPhones before Safari 16.4, and
js/layout.js (on every page) imports js/speak.js. `Element.checkVisibility()` arrived
in Safari 17.4: called bare it throws on older iPhones. Read from the files, so the
rule holds for every script a public page loads, directly or through its imports.
"""

import re

import pytest

from app.web.assets import PAGES, STAFF_ONLY, WEB_DIR
from app.web.content_names import RELATIVE_IMPORT

JS = WEB_DIR / "js"
# Every page loads the layout's script, then its own (templates/layout.html).
LAYOUT_SCRIPT = "layout.js"
# A call of checkVisibility without `?.`: `el.checkVisibility()`.
BARE_CHECK_VISIBILITY = re.compile(r"\.checkVisibility\s*\(")


def loaded_by(names: set[str]) -> set[str]:
    """The scripts `names` load: themselves, and what they import, static or dynamic."""
    seen: set[str] = set()
    waiting = list(names)
    while waiting:
        name = waiting.pop()
        if name in seen or not (JS / name).exists():
            continue
        seen.add(name)
        waiting += [match[3] for match in RELATIVE_IMPORT.finditer((JS / name).read_text())]
    return seen


PUBLIC_SCRIPTS = sorted(
    loaded_by(
        {LAYOUT_SCRIPT} | {page.script for page in PAGES if not page.path.startswith(STAFF_ONLY)}
    )
)


def test_the_public_scripts_are_found() -> None:
    """The list is what it should be: the layout, the pages', and what they import."""
    for name in ("layout.js", "speak.js", "home.js", "results.js", "venue-problem.js", "join.js"):
        assert name in PUBLIC_SCRIPTS
    assert not [name for name in PUBLIC_SCRIPTS if f"/js/{name}".startswith(STAFF_ONLY)]


@pytest.mark.parametrize("name", PUBLIC_SCRIPTS)
def test_no_public_script_has_a_lookbehind(name: str) -> None:
    """Split sentences with dom.js `sentences(text)`, not `split(/(?<=[.!?])\\s+/)`."""
    source = (JS / name).read_text()
    found = [line for line in source.splitlines() if "(?<" in line]
    assert not found, f"{name} will not parse on iPhones before Safari 16.4: {found}"


@pytest.mark.parametrize("name", PUBLIC_SCRIPTS)
def test_no_public_script_calls_check_visibility_bare(name: str) -> None:
    source = (JS / name).read_text()
    found = [line for line in source.splitlines() if BARE_CHECK_VISIBILITY.search(line)]
    assert not found, f"{name}: use checkVisibility?.() with a fallback (Safari 17.4+): {found}"


def test_the_rule_catches_what_it_is_for() -> None:
    """The two patterns find the faults as they were written."""
    assert "(?<" in r"words.split(/(?<=[.!?])\s+/)"
    assert BARE_CHECK_VISIBILITY.search("!parent.checkVisibility()")
    assert not BARE_CHECK_VISIBILITY.search("element.checkVisibility?.() ?? true")
