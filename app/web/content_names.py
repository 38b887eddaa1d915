"""Naming the web app's files by their content, so a browser may keep each for a year.

`/js/home.js` is also served as `/js/home.3f9a1c2b7d.js`: ten hex digits of a
SHA-256 of the file and of every file it refers to, however indirectly (its
imports, and the scripts, style sheets and pictures it names). At start-up the
pages, the manifest, the style sheets and the scripts are rewritten to refer to
each other by these names: a quoted address of one of the app's files
(`"/icons/pin.svg"`), and a script's import of a script beside it
(`from "./dom.js"`). So a change to a file renames it and whatever refers to it,
and nothing else; an unchanged file keeps its name, and the phone its copy.

Imports are rewritten rather than mapped by an import map in each page: every
browser that runs modules follows a rewritten import (an import map needs
Safari 16.4), the pages' policy stays `script-src 'self'` with no inline script
to allow by hash, and a page carries no map of every script. The cost: a change
to a file that many import (dom.js) renames those that import it too.

An address built while a script runs (`/icons/${name}.svg`) keeps its plain
name; the plain names keep working, with a short cache (app/web/assets.py).

Pure: bytes and text in and out. Not here: reading the files and serving them.
"""

import hashlib
import re
from collections.abc import Mapping

DIGITS = 10
# A quoted address of one of the app's files, in a page, style sheet or script.
FILE_ADDRESS = re.compile(r"""(["'])(/(?:css|js|icons)/[\w.-]+)\1""")
# A script's import of a script in the same folder: from "./dom.js", import("./x.js").
RELATIVE_IMPORT = re.compile(r"""(\b(?:from|import)\s*\(?\s*)(["'])\./([\w.-]+\.js)\2""")
# /js/home.3f9a1c2b7d.js: the plain address's stem, the digits, the suffix.
CONTENT_NAME = re.compile(rf"^(/(?:css|js|icons)/[\w.-]+)\.[0-9a-f]{{{DIGITS}}}(\.\w+)$")
TEXT_SUFFIXES = (".js", ".css")


def is_text(path: str) -> bool:
    """A script or style sheet: it may name other files."""
    return path.endswith(TEXT_SUFFIXES)


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0]


def references(path: str, text: str, known: Mapping[str, object]) -> set[str]:
    """The addresses of known files that the file at `path` refers to."""
    found = {match[2] for match in FILE_ADDRESS.finditer(text)}
    if path.endswith(".js"):
        found |= {f"{_folder(path)}/{match[3]}" for match in RELATIVE_IMPORT.finditer(text)}
    return {address for address in found if address in known and address != path}


def content_names(files: Mapping[str, bytes]) -> dict[str, str]:
    """Each file's content name, by its plain address: '/js/home.js' -> '/js/home.<digits>.js'."""
    refers_to = {
        path: references(path, body.decode("utf-8"), files) if is_text(path) else set()
        for path, body in files.items()
    }
    names = {}
    for path in files:
        # Everything this file reaches: a loop of imports is fine, each is counted once.
        reached, waiting = {path}, [path]
        while waiting:
            for other in refers_to[waiting.pop()] - reached:
                reached.add(other)
                waiting.append(other)
        digest = hashlib.sha256()
        for each in sorted(reached):
            digest.update(each.encode() + b"\0" + files[each] + b"\0")
        stem, dot, suffix = path.rpartition(".")
        names[path] = f"{stem}.{digest.hexdigest()[:DIGITS]}{dot}{suffix}"
    return names


def renamed(body: bytes, names: Mapping[str, str], script: str = "") -> bytes:
    """A text file with the app's files it names under their content names; for a
    script (`script` is its address), its imports of scripts beside it too."""
    text = body.decode("utf-8")

    def address(match: re.Match[str]) -> str:
        quote, plain = match[1], match[2]
        return f"{quote}{names.get(plain, plain)}{quote}"

    def module(match: re.Match[str]) -> str:
        plain = f"{_folder(script)}/{match[3]}"
        name = names.get(plain, plain).rsplit("/", 1)[1]
        return f"{match[1]}{match[2]}./{name}{match[2]}"

    text = FILE_ADDRESS.sub(address, text)
    if script:
        text = RELATIVE_IMPORT.sub(module, text)
    return text.encode("utf-8")


def plain_address(path: str) -> str | None:
    """'/js/home.3f9a1c2b7d.js' -> '/js/home.js'; None if it is not a content name."""
    match = CONTENT_NAME.match(path)
    return f"{match[1]}{match[2]}" if match else None
