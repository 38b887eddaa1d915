"""The pages' templates (app/web/rendering.py): every easy-read block is the macro's,
the numbers and words Python defines reach the pages from there, and a mistake in a
template stops the start-up instead of reaching a phone. No database, no browser."""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest

from app.config import DEFAULT_HELP_CONTACTS, HelpContact
from app.models.account import PasswordChange
from app.venues.exporting import ExportFormat
from app.venues.venue_file import REQUIRED_COLUMNS
from app.web import rendering
from app.web.assets import PAGES, WEB_DIR, WebApp

TEMPLATES = WEB_DIR / "templates"
VOID = {"img", "input", "meta", "link", "br", "hr", "source"}


class Blocks(HTMLParser):
    """Each easy-read block (class "idea") of a page: its attributes and its children."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, dict[str, str | None], list]] = []
        self.blocks: list[tuple[dict[str, str | None], list]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = (tag, dict(attrs), [])
        if self.open:
            self.open[-1][2].append(element)
        if "idea" in (element[1].get("class") or "").split():
            self.blocks.append((element[1], element[2]))
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:
            assert self.open.pop()[0] == tag


def blocks_of(html: str) -> list[tuple[dict[str, str | None], list]]:
    parser = Blocks()
    parser.feed(html)
    return parser.blocks


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    app = WebApp.load()
    return {page.path: app.assets[page.path].body.decode() for page in PAGES}


def test_no_template_writes_an_easy_read_block_by_hand() -> None:
    """Only easy_read.html may write the block's classes: every page calls its macro."""
    written = re.compile(r'class="[^"]*\bidea(-pic|-words)?\b')
    for template in TEMPLATES.glob("*.html"):
        if template.name != "easy_read.html":
            text = template.read_text(encoding="utf-8")
            assert not written.search(text), f"{template.name} writes an easy-read block itself"


def test_every_block_on_every_page_is_the_macros(pages: dict[str, str]) -> None:
    """A picture (decorative: the words say the same) on the left, the words on the right;
    or an empty slot whats-wrong.js fills."""
    count = 0
    for path, html in pages.items():
        for attributes, children in blocks_of(html):
            count += 1
            if not children:  # a slot: class="idea" and one data- mark
                (mark,) = set(attributes) - {"class"}
                assert mark.startswith("data-"), (path, attributes)
                continue
            (picture, picture_attributes, _), (words, words_attributes, _) = children
            assert picture == "img" and words == "div", path
            assert picture_attributes["class"] == "idea-pic" and picture_attributes["alt"] == ""
            assert picture_attributes["width"] == picture_attributes["height"] == "64"
            assert re.fullmatch(
                r"/icons/[a-z-]+\.[0-9a-f]{10}\.svg", picture_attributes["src"] or ""
            )
            assert words_attributes == {"class": "idea-words"}, path
    assert count >= 40  # 22 blocks and 19 slots on six pages


def test_pages_show_the_numbers_and_words_python_defines(pages: dict[str, str]) -> None:
    report, bar = pages["/report"], pages["/about"]
    for contact in DEFAULT_HELP_CONTACTS:
        href = "tel:" + contact.number.replace(" ", "")
        assert f"<h3>{contact.name}</h3>\n    <p>{contact.when}</p>" in report
        assert f'href="{href}"><img src="/icons/phone.' in report
        assert f"<span>Call {contact.number}</span>" in report
    for index, contact in enumerate(DEFAULT_HELP_CONTACTS[:2]):
        assert f'data-help="{index}"' in bar and f"<span data-help-name>{contact.name}<" in bar
    limits = PasswordChange.model_json_schema()["properties"]["new_password"]
    sign_in = pages["/staff"]
    assert f"Use {limits['minLength']} characters or more." in sign_in
    assert sign_in.count(f'maxlength="{limits["maxLength"]}"') == 4
    files = pages["/staff/files"]
    assert re.findall(r'data-format="([a-z]+)"', files) == [format.value for format in ExportFormat]
    needed = re.search(r"Fill in what you know\. (.+) are needed\.", pages["/staff/new-venue"])
    assert needed and re.split(r", | and ", needed.group(1).lower()) == list(REQUIRED_COLUMNS)


def test_the_pages_follow_the_definitions(tmp_path: Path, monkeypatch) -> None:
    """Not copies that happen to agree: change a definition and the pages change with it."""
    council = [
        HelpContact(name="Emergency", number="112", when="Call 112 now."),
        HelpContact(name="Police desk", number="01632 960000", when="Call the desk."),
        HelpContact(name="Helpline", number="0808 000 000", when="Call us."),
        HelpContact(name="Friends", number="0808 111 111", when="Call a friend."),
    ]
    monkeypatch.setattr(rendering, "DEFAULT_HELP_CONTACTS", council)
    shutil.copytree(WEB_DIR, tmp_path / "web")
    app = WebApp.load(tmp_path / "web")
    bar = app.assets["/"].body.decode()
    assert 'href="tel:112" data-help="0"' in bar and "<span data-help-number>112<" in bar
    assert 'href="tel:01632960000" data-help="1"' in bar and "Police desk" in bar
    report = app.assets["/report"].body.decode()
    assert "<h3>Friends</h3>" in report and 'href="tel:0808111111"' in report
    # A fourth number has report.js's picture and button for any number past three.
    assert re.search(r'/icons/phone\.[0-9a-f]{10}\.svg" alt="" width="64"', report)
    assert "Call <span data-help-number>112</span>" in app.assets["/whats-wrong"].body.decode()


def test_a_mistake_in_a_template_stops_the_start_up(tmp_path: Path) -> None:
    templates = rendering.templates(WEB_DIR)
    block = '{% from "easy_read.html" import idea %}{{ idea("house", "Hi.", heding="Oops") }}'
    with pytest.raises(TypeError, match="no option heding"):
        templates.from_string(block).render()
    with pytest.raises(jinja2.UndefinedError):
        templates.from_string("<p>Call {{ help_contact.number }}</p>").render()
    # Words are text, never markup.
    shown = templates.from_string('{% from "easy_read.html" import idea %}{{ idea("house", w) }}')
    assert "<p>&lt;b&gt;Hi&lt;/b&gt;</p>" in shown.render(w="<b>Hi</b>")
    shutil.copytree(WEB_DIR, tmp_path / "web")
    page = tmp_path / "web" / "templates" / "about.html"
    page.write_text(page.read_text(encoding="utf-8").replace("page.title", "page.heading"))
    with pytest.raises(jinja2.UndefinedError):
        WebApp.load(tmp_path / "web")
