"""Every screen meets the standards: axe-core (zero violations, WCAG 2.2 AA and best
practice), easy read (big text, short sentences, digits), big tap targets, 320 px
wide and 200 % zoom with no sideways scrolling, keyboard focus you can see."""

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import LEAMINGTON, NARROW, PAGES, find_near_me

NUMBER_WORDS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|hundred|thousand)\b",
    re.IGNORECASE,
)
# "one" as a pronoun, not a number: "a help card, if you have one".
PRONOUN_ONE = re.compile(r"\b(have|this|that|each|no|any) one\b", re.IGNORECASE)


def open_screen(tab, screen: str) -> None:
    """Each main screen, in the state a person sees it."""
    if screen == "results":
        tab.goto("/")
        find_near_me(tab)
    elif screen == "venue":
        tab.goto("/venues/1")
        tab.locator("#venue:not([hidden])").wait_for()
    elif screen == "help-card-shown":
        tab.goto("/help-card")
        tab.fill("#card-name", "Sam")
        tab.fill("#card-contact", "Mum")
        tab.fill("#card-number", "01632 960111")
        tab.get_by_role("button", name="Save my card").click()
        tab.get_by_role("button", name="Show my card to staff").click()
    elif screen == "whats-wrong-answer":
        tab.goto("/whats-wrong#lost-things")
    else:
        tab.goto(screen)
    tab.wait_for_load_state("networkidle")


SCREENS = [*PAGES, "results", "venue", "help-card-shown", "whats-wrong-answer"]


@pytest.fixture
def screen_tab(browser, web_server) -> Iterator:
    """A 320 px tab without the service worker: these checks are about what is drawn."""
    made = browser.new_context(
        base_url=str(web_server.base_url),
        viewport=NARROW,
        geolocation=LEAMINGTON,
        permissions=["geolocation"],
        service_workers="block",
    )
    yield made.new_page()
    made.close()


def axe_violations(tab) -> tuple[int, str]:
    results = Axe().run(
        tab,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
            }
        },
    )
    return results.violations_count, results.generate_report()


def text_sizes(tab) -> tuple[float, float, float]:
    """Body font size and line height, and the smallest text drawn anywhere, in px."""
    return tab.evaluate(
        """() => {
            const body = getComputedStyle(document.body);
            const smallest = Math.min(...[...document.querySelectorAll('body *')]
                .filter((e) => e.checkVisibility() && [...e.childNodes].some(
                    (n) => n.nodeType === 3 && n.textContent.trim()))
                .map((e) => parseFloat(getComputedStyle(e).fontSize)));
            return [parseFloat(body.fontSize), parseFloat(body.lineHeight), smallest];
        }"""
    )


def small_targets(tab) -> list[str]:
    return tab.evaluate(
        """() => [...document.querySelectorAll('a, button, input, textarea, select, summary')]
            .filter((e) => e.checkVisibility())
            .map((e) => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
            .filter(([, r]) => r.right > 0 && (r.width < 48 || r.height < 48))
            .map(([html, r]) => `${html} ${r.width}x${r.height}`)"""
    )


def long_sentences_and_number_words(tab) -> list[str]:
    lines = [line.strip() for line in tab.evaluate("document.body.innerText").splitlines()]
    problems = []
    for line in filter(None, lines):
        problems += [s for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) > 15]
        if NUMBER_WORDS.search(PRONOUN_ONE.sub("", line)):
            problems.append(line)
    return problems


def meets_the_standards(tab, where: str = "", *, from_top: bool = True, zoom: bool = True) -> None:
    """The checks every screen and state must pass, at 320 px: axe finds nothing; text
    19 px or more with 1.5 spacing; 48 px targets; sentences of 15 words or fewer, with
    digits; nothing wider than the screen, and (with `zoom`) nothing wider than a 640 px
    window at 200 % zoom, which lays out like 320 px. Afterwards the tab is as it was.

    `from_top`: axe reads the sticky 999/101 bar where it is drawn now, so a target the
    page has scrolled under it counts as too small (axe-core #3720); a person scrolls it
    out from under the bar, so check from the top, as the page opens. What scrolling may
    put under the bar is checked by test_keyboard_focus_is_never_under_the_top_bar."""
    if from_top:
        tab.evaluate("window.scrollTo(0, 0)")
    count, report = axe_violations(tab)
    assert count == 0, f"{where}: {report}"
    body_size, line_height, smallest = text_sizes(tab)
    assert body_size >= 19 and line_height / body_size >= 1.5 and smallest >= 19, where
    assert small_targets(tab) == [], where
    assert long_sentences_and_number_words(tab) == [], where
    assert tab.evaluate("document.documentElement.scrollWidth") <= tab.viewport_size["width"]
    if zoom:
        viewport = tab.viewport_size
        tab.set_viewport_size({"width": 640, "height": 800})
        tab.evaluate("document.documentElement.style.zoom = '2'")
        assert tab.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), where
        tab.evaluate("document.documentElement.style.zoom = ''")
        tab.set_viewport_size(viewport)


@pytest.mark.parametrize("screen", SCREENS)
def test_every_screen_meets_the_standards(screen_tab, screen: str) -> None:
    """Each public screen, in the state a person sees it (the results where the page
    brought them into view)."""
    open_screen(screen_tab, screen)
    meets_the_standards(screen_tab, screen, from_top=False)


def test_every_picture_has_words_and_is_hidden_from_screen_readers(screen_tab) -> None:
    for screen in SCREENS:
        open_screen(screen_tab, screen)
        pictures = screen_tab.evaluate(
            """() => [...document.querySelectorAll('img')].filter((i) => i.checkVisibility())
                .map((i) => [i.getAttribute('src'), i.getAttribute('alt'),
                 (i.closest('a, button, .idea, li, p, .field, .notice') || i.parentElement)
                   .innerText.trim().length])"""
        )
        for src, alt, words in pictures:
            assert words > 0, f"{screen}: {src} has no words beside it"
            if src.startswith("/icons/"):
                assert alt == "", f"{screen}: {src}"


def test_keyboard_alone_finds_a_place_with_visible_focus(page) -> None:
    page.goto("/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "near-me":
            break
    focused = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
    )
    assert focused[0] == "solid" and focused[1] == "3px" and focused[2] != "none"
    page.keyboard.press("Enter")
    page.locator("#results:not([hidden]) .place").first.wait_for()
    assert page.evaluate("document.activeElement.id") == "results-heading"


# The focused element, when any of it is under the top bar (999, 101 and, on some
# pages, "Leave this page") while that bar is stuck to the top of the screen.
UNDER_THE_TOP_BAR = """() => {
    const bar = document.querySelector('.top-bar');
    const focused = document.activeElement;
    if (getComputedStyle(bar).position !== 'sticky' || !focused
        || focused === document.body || bar.contains(focused)) return null;
    const [edge, box] = [bar.getBoundingClientRect(), focused.getBoundingClientRect()];
    return box.top < edge.bottom && box.bottom > edge.top
        ? `${focused.outerHTML.slice(0, 80)} at ${box.top}, the bar ${edge.top}-${edge.bottom}`
        : null;
}"""


@pytest.mark.parametrize("screen", [*PAGES, "results", "help-card-shown"])
def test_keyboard_focus_is_never_under_the_top_bar(browser, web_server, screen: str) -> None:
    """WCAG 2.2's 2.4.11: what has keyboard focus is never hidden by the sticky bar,
    forwards through the page and back, at 320 x 640 (axe does not check this)."""
    context = browser.new_context(
        base_url=str(web_server.base_url),
        viewport=NARROW,
        geolocation=LEAMINGTON,
        permissions=["geolocation"],
        service_workers="block",
        reduced_motion="reduce",
    )
    tab = context.new_page()
    open_screen(tab, screen)
    if screen == "help-card-shown":
        tab.keyboard.press("Escape")
    tab.evaluate("window.scrollTo(0, 0)")
    seen, hidden = set(), []
    for key in ["Tab"] * 60 + ["Shift+Tab"] * 60:
        tab.keyboard.press(key)
        seen.add(tab.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        if problem := tab.evaluate(UNDER_THE_TOP_BAR):
            hidden.append(f"{key}: {problem}")
    context.close()
    assert len(seen) >= 5
    assert hidden == []


def test_reduced_motion_turns_off_smooth_scrolling(browser, web_server) -> None:
    for motion, expected in (("reduce", "auto"), ("no-preference", "smooth")):
        tab = browser.new_page(base_url=str(web_server.base_url), reduced_motion=motion)
        tab.goto("/")
        assert tab.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == expected
        tab.close()
