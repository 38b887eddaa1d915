"""Copy the OpenMoji pictures the web app uses into app/web/icons/, made smaller.

The pictures come from the `openmoji` package on the npm registry (CC BY-SA 4.0):

    cd /tmp && npm pack openmoji@17.0.0 && tar xzf openmoji-17.0.0.tgz
    python scripts/copy_icons.py /tmp/package/color/svg

Each file is renamed for what it means here and minified (empty groups, spare
whitespace and stroke settings on unstroked shapes removed); the drawing is not
changed. app/web/icons/README.md lists every picture with its OpenMoji code.
"""

import re
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "app" / "web" / "icons"

# Our name -> OpenMoji hexcode. Keep app/web/icons/README.md in step.
OPENMOJI = {
    "add": "2795",
    "bank": "1F3E6",
    "bother": "1F620",
    "bus": "1F68C",
    "cafe": "2615",
    "calendar": "1F4C5",
    "chart": "1F4CA",
    "camera": "1F4F7",
    "chair": "1FA91",
    "checked": "2714",
    "church": "26EA",
    "clock": "1F558",
    "closed": "26D4",
    "community-centre": "1F3D8",
    "deaf": "1F9CF",
    "council-office": "1F3DB",
    "door": "1F6AA",
    "edit": "270F",
    "export": "1F4E4",
    "hand-up": "1F64B",
    "heart": "2764",
    "help-card": "1FAAA",
    "history": "1F4DC",
    "hospital": "1F3E5",
    "house": "1F3E0",
    "import": "1F4E5",
    "info": "2139",
    "key": "1F511",
    "leisure-centre": "1F3CA",
    "library": "1F4DA",
    "lock": "1F512",
    "lost": "1F615",
    "map": "1F5FA",
    "open": "2705",
    "people": "1F465",
    "pharmacy": "1F48A",
    "phone": "1F4DE",
    "pin": "1F4CD",
    "police-light": "1F6A8",
    "police-officer": "1F46E",
    "printer": "1F5A8",
    "purse": "1F45B",
    "put-back": "21A9",
    "question": "2753",
    "report": "1F4DD",
    "saved": "1F4F2",
    "say": "1F5E3",
    "scared": "1F628",
    "search": "1F50D",
    "secret": "1F92B",
    "shop": "1F6CD",
    "signal": "1F4F6",
    "speaker": "1F50A",
    "staff": "1F9D1-200D-1F4BC",
    "sticker": "1F3F7",
    "talk": "1F4AC",
    "toilet": "1F6BB",
    "unwell": "1F912",
    "walk": "1F6B6",
    "warning": "26A0",
    "wheelchair": "267F",
}
_STROKE_SETTINGS = re.compile(
    r'\s(?:stroke-linecap|stroke-linejoin|stroke-miterlimit|stroke-width)="[^"]*"'
)


def minify(svg: str) -> str:
    svg = re.sub(r'<g id="[^"]*"\s*/>', "", svg)  # empty layers
    svg = re.sub(r'\sid="[^"]*"', "", svg)
    # Stroke settings mean nothing on a shape drawn without a stroke.
    svg = re.sub(
        r"<[^<>]*\bstroke=\"none\"[^<>]*>", lambda m: _STROKE_SETTINGS.sub("", m.group(0)), svg
    )
    svg = re.sub(r">\s+<", "><", svg)
    return re.sub(r"\s+", " ", svg).strip() + "\n"


def main(source: Path) -> None:
    for name, code in OPENMOJI.items():
        svg = (source / f"{code}.svg").read_text(encoding="utf-8")
        (ICONS / f"{name}.svg").write_text(minify(svg), encoding="utf-8")
    print(f"copied {len(OPENMOJI)} pictures into {ICONS}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
