"""Make the app's install icons (PNG) from OpenMoji's house, with Chromium.

    python scripts/make_app_icons.py

Writes app/web/icons/app-192.png, app-512.png and app-maskable-512.png. Pillow
cannot draw SVG, so headless Chromium (Debian's, at /usr/bin/chromium, driven by
Playwright) draws the house on the app's dark blue in a white circle. The
maskable icon keeps the house inside the middle 80 %, the part every phone's
mask shows. The PNGs are committed; run this again only to change them.
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "app" / "web" / "icons"
BLUE = "#003078"


def page(size: int, circle: float) -> str:
    """An HTML page of `size` px: blue square, white circle `circle` of it, the house inside."""
    # Cropped to the drawing: OpenMoji leaves a wide margin round it.
    house = (
        (ICONS / "house.svg")
        .read_text(encoding="utf-8")
        .replace('viewBox="0 0 72 72"', 'viewBox="13 12 46 46"')
    )
    inner = size * circle
    return f"""<!doctype html><html><body style="margin:0">
<div style="width:{size}px;height:{size}px;background:{BLUE};display:grid;place-items:center">
<div style="width:{inner}px;height:{inner}px;border-radius:50%;background:#fff;
display:grid;place-items:center">
<div style="width:{inner * 0.72}px;height:{inner * 0.72}px">{house}</div></div></div>
</body></html>"""


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for name, size, circle in (
            ("app-192.png", 192, 0.86),
            ("app-512.png", 512, 0.86),
            ("app-maskable-512.png", 512, 0.72),
        ):
            tab = browser.new_page(viewport={"width": size, "height": size})
            tab.set_content(page(size, circle))
            tab.screenshot(path=ICONS / name, clip={"x": 0, "y": 0, "width": size, "height": size})
            tab.close()
        browser.close()
    print(f"wrote the app icons into {ICONS}")


if __name__ == "__main__":
    main()
