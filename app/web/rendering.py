"""The pages' HTML, rendered once at start-up from the Jinja2 templates in app/web/templates/.

`layout.html` is the frame every page extends (header, call bar, footer);
`easy_read.html` holds the easy-read block's macro, the one way a page writes
one; each other template is a page's main part. What a page shows that Python
already defines reaches it through the context made here, so no page keeps a
copy: the built-in help numbers, password and email lengths, the venue file's
required columns, the export formats, the roles, and the pages' own titles.

Not here: which pages there are (app/web/assets.py, which also hashes and
gzips them), and sending them (app/web/responses.py).
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel

from app.config import DEFAULT_HELP_CONTACTS, DEFAULT_NO_VOICE_CONTACTS
from app.models.account import AccountCreate, PasswordChange, Role
from app.venues.edits import CHECK_EVERY_MONTHS
from app.venues.exporting import ExportFormat
from app.venues.venue_file import REQUIRED_COLUMNS


@dataclass(frozen=True, slots=True)
class Page:
    """A page: its address, its template, its title (the tab's, and mostly its heading),
    and its script."""

    path: str
    template: str
    title: str
    script: str
    # Style sheets this page needs besides app.css (the staff screens' own).
    styles: tuple[str, ...] = ()


def field_limits(model: type[BaseModel], name: str) -> dict[str, Any]:
    """A field's limits as its JSON schema states them (`minLength`, `maxLength`, …)."""
    return dict(model.model_json_schema()["properties"][name])


def tel(number: str) -> str:
    """A number as a link that calls it: `0800 555 111` -> `tel:0800555111`."""
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def plain_list(words: Iterable[str]) -> str:
    """Words as a person lists them: `a, b and c`."""
    *most, last = words
    return f"{', '.join(most)} and {last}" if most else last


def options(given: dict[str, Any], **defaults: Any) -> dict[str, Any]:
    """A macro's options: its defaults, with those given; a name it lacks is an error,
    so a mistyped option fails at start-up instead of quietly dropping words."""
    unknown = given.keys() - defaults.keys()
    if unknown:
        raise TypeError(
            f"no option {', '.join(sorted(unknown))}; the options are {', '.join(defaults)}"
        )
    return defaults | given


def shown_definitions() -> dict[str, Any]:
    """The Python definitions the pages show, by the name the templates use."""
    return {
        "help_contacts": DEFAULT_HELP_CONTACTS,
        "no_voice_contacts": DEFAULT_NO_VOICE_CONTACTS,
        "password": field_limits(PasswordChange, "new_password"),
        "email": field_limits(AccountCreate, "email"),
        "required_columns": REQUIRED_COLUMNS,
        "check_every_months": CHECK_EVERY_MONTHS,
        "export_formats": list(ExportFormat),
        "roles": Role,
    }


def templates(root: Path) -> Environment:
    """The templates under `root`/templates, escaped as HTML; a name they lack is an error."""
    environment = Environment(
        loader=FileSystemLoader(root / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters.update(tel=tel, plain_list=plain_list)
    environment.globals.update(shown_definitions(), options=options)
    return environment


def render_pages(root: Path, pages: Sequence[Page], footer: Sequence[str]) -> dict[str, bytes]:
    """Every page's HTML by its path; `footer` names the pages the footer links to."""
    environment = templates(root)
    by_path = {page.path: page for page in pages}
    environment.globals.update(
        titles={page.path: page.title for page in pages},
        footer=[by_path[path] for path in footer],
    )
    return {
        page.path: environment.get_template(page.template).render(page=page).encode()
        for page in pages
    }
