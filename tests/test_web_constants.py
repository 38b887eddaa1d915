"""js/constants.js (app/web/constants.py): the values the browser shares with the
server are the Python values, served like the app's other files, and no JS file
keeps a copy of one."""

import ast
import json
import operator
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import permissions
from app.config import DEFAULT_HELP_CONTACTS, DEFAULT_NO_VOICE_CONTACTS
from app.easy_read.rules import MAX_WORDS
from app.gazetteer.place_names import IN_PLACE_M
from app.hours.words import DAY_NAMES
from app.models.account import PasswordChange
from app.models.scheme import (
    PROBLEM_KIND_WORDS,
    PROBLEM_STATUS_WORDS,
    VISIT_OUTCOME_WORDS,
    VISIT_REASON_WORDS,
    ProblemKind,
    ProblemReport,
    ProblemStatus,
)
from app.models.venue import CATEGORY_WORDS, Category
from app.venues import geo, problem_reports
from app.venues.edits import CHECK_EVERY_MONTHS, MAX_CLOSURE_DAYS, RESTORABLE
from app.venues.photo_checks import MAX_BYTES
from app.venues.venue_file import MAX_LENGTHS, REQUIRED_COLUMNS
from app.web.assets import WEB_DIR, WebApp

JS_DIR = WEB_DIR / "js"
# What the browser must have, each from its one definition in Python.
PYTHON_VALUES: dict[str, Any] = {
    "CATEGORY_WORDS": {category.value: words for category, words in CATEGORY_WORDS.items()},
    "REQUIRED_COLUMNS": list(REQUIRED_COLUMNS),
    "MAX_LENGTHS": MAX_LENGTHS,
    "RESTORABLE": sorted(RESTORABLE),
    "MAX_CLOSURE_DAYS": MAX_CLOSURE_DAYS,
    "CHECK_EVERY_MONTHS": CHECK_EVERY_MONTHS,
    "MAX_PHOTO_BYTES": MAX_BYTES,
    "WALKING_METRES_PER_MINUTE": geo.WALKING_METRES_PER_MINUTE,
    "ROUTE_FACTOR": geo.ROUTE_FACTOR,
    "MAX_WALK_M": geo.MAX_WALK_M,
    "NEARBY_MINUTES": geo.NEARBY_MINUTES,
    "HERE_M": geo.HERE_M,
    "IN_PLACE_M": IN_PLACE_M,
    "COMPASS_POINTS": list(geo.COMPASS_POINTS),
    "DAY_NAMES": list(DAY_NAMES),
    "EASY_READ_MAX_WORDS": MAX_WORDS,
    "MIN_PASSWORD_LENGTH": next(
        rule.min_length
        for rule in PasswordChange.model_fields["new_password"].metadata
        if hasattr(rule, "min_length")
    ),
    "DEFAULT_HELP_CONTACTS": [contact.model_dump() for contact in DEFAULT_HELP_CONTACTS],
    "DEFAULT_NO_VOICE_CONTACTS": [contact.model_dump() for contact in DEFAULT_NO_VOICE_CONTACTS],
    "VISIT_REASON_WORDS": {each.value: words for each, words in VISIT_REASON_WORDS.items()},
    "VISIT_OUTCOME_WORDS": {each.value: words for each, words in VISIT_OUTCOME_WORDS.items()},
    "PROBLEM_KIND_WORDS": {each.value: words for each, words in PROBLEM_KIND_WORDS.items()},
    "PROBLEM_STATUS_WORDS": {each.value: words for each, words in PROBLEM_STATUS_WORDS.items()},
    **{
        name: ProblemReport.model_fields[field].metadata[0].max_length
        for name, field in (
            ("NOTE_MAX", "note"),
            ("CONTACT_MAX", "contact"),
            ("OFFICER_NOTE_MAX", "officer_note"),
        )
    },
}
# Rules the browser is sent another way (/api/me's editable_fields), never copied.
SENT_BY_THE_API = {
    "STAFF_FIELDS": permissions.STAFF_FIELDS,
    "OFFICER_FIELDS": permissions.OFFICER_FIELDS,
    "VENUE_FIELDS": permissions.VENUE_FIELDS,
}
EXPORT = re.compile(r"^export const (\w+) = (?:frozen\((.*)\)|(.*));$", re.MULTILINE)


def served_constants(web_app: WebApp) -> dict[str, Any]:
    text = web_app.assets["/js/constants.js"].body.decode()
    return {name: json.loads(frozen or plain) for name, frozen, plain in EXPORT.findall(text)}


def test_constants_js_holds_the_python_values() -> None:
    assert served_constants(WebApp.load()) == PYTHON_VALUES


def test_the_problem_words_and_limits_are_what_the_api_takes() -> None:
    """Every kind and status has its words, and a form's limits are the API's: a note
    the form lets through is never refused for its length."""
    assert set(PROBLEM_KIND_WORDS) == set(ProblemKind)
    assert set(PROBLEM_STATUS_WORDS) == set(ProblemStatus)
    assert (PYTHON_VALUES["NOTE_MAX"], PYTHON_VALUES["CONTACT_MAX"]) == (
        problem_reports.NOTE_MAX,
        problem_reports.CONTACT_MAX,
    )
    assert PYTHON_VALUES["OFFICER_NOTE_MAX"] == problem_reports.OFFICER_NOTE_MAX


def test_constants_js_is_served_hashed_gzipped_and_kept_offline(make_client, engine) -> None:
    web: TestClient = make_client()
    first = web.get("/js/constants.js", headers={"Accept-Encoding": "gzip"})
    assert first.status_code == 200
    assert first.headers["content-type"] == "text/javascript; charset=utf-8"
    assert first.headers["content-encoding"] == "gzip"
    assert (
        web.get("/js/constants.js", headers={"If-None-Match": first.headers["etag"]}).status_code
        == 304
    )
    worker = web.get("/sw.js").text
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", worker).group(1))
    assert any(path.startswith("/js/constants.") for path in shell)  # by content name


def test_a_changed_value_makes_a_new_service_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Phones keep the app's files until the worker's version changes: a new limit in
    Python must reach them like a changed JS file does."""
    before = WebApp.load().version
    monkeypatch.setattr("app.web.constants.MAX_CLOSURE_DAYS", MAX_CLOSURE_DAYS + 1)
    after = WebApp.load()
    assert served_constants(after)["MAX_CLOSURE_DAYS"] == MAX_CLOSURE_DAYS + 1
    assert after.version != before


# --- no JS file keeps a copy ------------------------------------------------------------


def js_files() -> dict[str, str]:
    return {file.name: file.read_text(encoding="utf-8") for file in sorted(JS_DIR.glob("*.js"))}


def top_level_constants(code: str) -> dict[str, str]:
    """Each `const NAME = …;` at the start of a line, with the text of its value."""
    found = {}
    for match in re.finditer(r"^(?:export )?(?:const|let|var) ([\w$]+) = ", code, re.MULTILINE):
        found[match.group(1)] = value_text(code, match.end())
    return found


def value_text(code: str, start: int) -> str:
    """From `start` to the `;` that ends the statement (outside brackets and strings)."""
    depth, quote, at = 0, None, start
    while at < len(code):
        char = code[at]
        if quote:
            if char == "\\":
                at += 1
            elif char == quote:
                quote = None
        elif char in "\"'`":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == ";" and depth == 0:
            break
        at += 1
    return code[start:at]


ARITHMETIC = {
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Add: operator.add,
    ast.Sub: operator.sub,
}


def literal(text: str) -> Any:
    """The value of a JS literal (numbers, arithmetic of them, strings, arrays, objects,
    `new Set([…])`), or None when the text is more than a literal."""
    text = re.sub(r"^new Set\((.*)\)$", r"\1", text.strip(), flags=re.DOTALL)
    text = re.sub(r"([{,]\s*)([A-Za-z_$][\w$]*)\s*:", r'\1"\2":', text)  # keys to strings
    try:
        return evaluate(ast.parse(text, mode="eval").body)
    except (SyntaxError, ValueError, TypeError):
        return None


def evaluate(node: ast.expr | None) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return [evaluate(item) for item in node.elts]
    if isinstance(node, ast.Dict):
        return {
            evaluate(key): evaluate(value)
            for key, value in zip(node.keys, node.values, strict=True)
        }
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -evaluate(node.operand)
    if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        return ARITHMETIC[type(node.op)](evaluate(node.left), evaluate(node.right))
    raise ValueError("not a literal")


def shape(value: Any) -> Any:
    """A value as compared for copies: order and container kind aside, so a JS
    `new Set([...])` matches a Python frozenset and a list of [key, words] pairs
    matches a dict."""
    if isinstance(value, dict):
        return frozenset((key, shape(item)) for key, item in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value)
        if items and all(isinstance(item, list) and len(item) == 2 for item in items):
            return frozenset((item[0], shape(item[1])) for item in items)
        return frozenset(shape(item) for item in items)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


def distinctive(value: Any) -> bool:
    """Small whole numbers (15, 20, 80) are everywhere in code (sizes, counts, steps):
    a JS constant equal to one is not a copy by its value alone. The name check below
    catches a copy that keeps its Python name."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return not float(value).is_integer() or abs(value) > 100
    return True


# Round text limits (300 letters) are also sizes and counts in code (a 300px map, 200
# characters spoken at a time): a copy of one is found by its name alone.
BY_NAME_ONLY = {"NOTE_MAX", "CONTACT_MAX", "OFFICER_NOTE_MAX"}
PROTECTED = {
    name: value
    for name, value in {**PYTHON_VALUES, **SENT_BY_THE_API}.items()
    if name not in BY_NAME_ONLY
}
INSTEAD = {
    **dict.fromkeys(PYTHON_VALUES, "import it from constants.js"),
    **dict.fromkeys(SENT_BY_THE_API, "use editable_fields from /api/me"),
}


def test_no_js_file_keeps_a_copy_of_a_python_constant() -> None:
    """A copy is what a person would write to get a value without importing it, so
    each kind is looked for where it would be:

    - a JS constant named like one of constants.js's (`const MAX_CLOSURE_DAYS = 366`):
      only `import` may bring that name into a file;
    - a top-level JS constant whose value is a Python value (`const COMPASS = [...]`,
      `new Set(["phone", …])`, `5 * 1024 * 1024`), compared without regard to order,
      Set or list, and [key, words] pairs or object, under any name; small whole
      numbers count only by name (see `distinctive`);
    - a category's words or a help number's text as a string literal anywhere, which
      is how they would be copied into a menu or a fallback.

    Words in comments and sentences ("up to 5 MB") are not values, and are not looked at.
    """
    copies = []
    for file, code in js_files().items():
        for name, text in top_level_constants(code).items():
            if name in PYTHON_VALUES:
                copies.append(f"{file}: {name} is declared here; import it from constants.js")
                continue
            value = literal(text)
            if value is None or not distinctive(value):
                continue
            copies += [
                f"{file}: {name} is a copy of {python_name}; {INSTEAD[python_name]}"
                for python_name, python_value in PROTECTED.items()
                if shape(value) == shape(python_value)
            ]
        for words in people_words():
            if f'"{words}"' in code or f"'{words}'" in code:
                copies.append(f'{file}: "{words}" is copied here; use constants.js')
    assert not copies, "\n".join(copies)


def people_words() -> list[str]:
    help_words = [
        text
        for contact in [*DEFAULT_HELP_CONTACTS, *DEFAULT_NO_VOICE_CONTACTS]
        for text in contact.model_dump().values()
    ]
    return [*CATEGORY_WORDS.values(), *(words for words in help_words if len(words) > 3)]


def test_the_guard_finds_a_copy() -> None:
    """The copy checks above would find each kind of copy they describe."""
    code = Path(JS_DIR / "distance.js").read_text(encoding="utf-8")
    declared = top_level_constants(
        code + '\nconst COMPASS = ["north", "north-east", "east", "south-east",\n  "south",'
        ' "south-west", "west", "north-west"];\nconst PHOTO = 5 * 1024 * 1024;\n'
        'const STAFF = new Set(["phone", "website", "opening_hours", "easy_read", "step_free",'
        ' "accessible_toilet", "quiet_space", "photo", "closed_until"]);\n'
        'const KINDS = [["library", "Library"], ["shop", "Shop"], ["cafe", "Café"],'
        ' ["pharmacy", "Chemist (pharmacy)"], ["community_centre", "Community centre"],'
        ' ["leisure_centre", "Leisure centre"], ["council_office", "Council office"],'
        ' ["bank", "Bank"], ["church", "Church"], ["other", "Other place"]];\n'
    )
    assert shape(literal(declared["COMPASS"])) == shape(geo.COMPASS_POINTS)
    assert literal(declared["PHOTO"]) == MAX_BYTES
    assert shape(literal(declared["STAFF"])) == shape(permissions.STAFF_FIELDS)
    assert shape(literal(declared["KINDS"])) == shape(PYTHON_VALUES["CATEGORY_WORDS"])
    assert "Chemist (pharmacy)" in people_words() and "0800 555 111" in people_words()
    assert not distinctive(15) and distinctive(366) and distinctive(1.25)


def test_every_problem_has_its_picture() -> None:
    """js/venue-problem.js shows each problem (its words from constants.js) with its own
    picture: one for each ProblemKind."""
    pictures = literal(top_level_constants(js_files()["venue-problem.js"])["PROBLEM_PICTURES"])
    assert set(pictures) == {kind.value for kind in ProblemKind}
    for picture in pictures.values():
        assert (WEB_DIR / "icons" / f"{picture}.svg").exists()


def test_every_category_has_its_picture() -> None:
    """js/places.js shows each kind of place with its own picture: one for each Category."""
    pictures = literal(top_level_constants(js_files()["places.js"])["CATEGORY_PICTURES"])
    assert set(pictures) == {category.value for category in Category}
    for picture in pictures.values():
        assert (WEB_DIR / "icons" / f"{picture}.svg").exists()
