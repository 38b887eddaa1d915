"""The easy-read checker: does text for people stay easy read? Pure: no web, no database.

The rules are the easy-read guidance as numbers: sentences of 15 words or
fewer, no capitals that shout, digits not number words, and no hard words, or
a hard word explained in the next sentence ("This means …"). Each problem is
one line in plain words, with what to do instead; the advice never gives a
score, because a number tells the writer nothing they can change.

A hard word is one people seldom meet. How often a word is met comes from
wordfreq's Zipf scale (offline, bundled): 6 is "the", 3 is once in a million
words. A long word must be met more often to count as everyday ("information"
yes, "comprehensive" no), and a word made of 2 everyday words is everyday
("supermarket", "postcode"). The thresholds were measured on the venue texts in
data/ and the web app's pages against council and legal wording (the figures
are in tests/test_easy_read.py, which holds both lists). The scheme's own words
(GLOSSARY) and place names are allowed; so is any name written with a capital
inside a sentence. The place names are the gazetteer's: the server hands over the
one it loaded (`warm_up`); anything else reads settings.gazetteer_csv once. The
Flesch reading-ease figure is still worked out for the API's `reading_ease`, but it
no longer decides anything: it scored short easy texts as hard and said so with a
number.

Syllables are counted by vowel groups, the rule textstat and most Flesch tools
fall back on: textstat's own dictionary (NLTK's cmudict) downloads at first
use, and this service works offline.
"""

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import takewhile
from pathlib import Path

from wordfreq import iter_wordlist, zipf_frequency

from app.config import get_settings

MAX_WORDS = 15
MIN_WORDS_FOR_SCORE = 20
# How common (Zipf) a word must be to count as everyday, by its syllables: the
# longer the word, the more common it must be. Measured: every word of the venue
# texts and the pages clears these (or is in GLOSSARY); 50 of 97 officialese words
# from the Plain English Campaign's list do not (70 with HARD_WORDS). The other 27
# ("indicate", "sufficient") are common in print: frequency cannot see they are hard.
EVERYDAY_ZIPF = {1: 3.0, 2: 3.0, 3: 3.5, 4: 4.4}
EVERYDAY_ZIPF_LONGER = 4.8  # 5 syllables or more
# Each half of a word made of 2 words ("time" + "table") must be this common, and
# the first half 4 letters or more, the second 3, and not an ending that is also a
# word: "pre" + "dominant", "per" + "use", "design" + "ate" are not 2 words.
EVERYDAY_PART_ZIPF = 4.0
MIN_FIRST_PART = 4
MIN_SECOND_PART = 3
NOT_A_SECOND_PART = frozenset({"ate", "ive", "ant", "ent", "ion", "ise", "ize", "ous"})
# Hard words people meet in listings, each with an easier one.
HARD_WORDS = {
    "venue": "place",
    "venues": "places",
    "premises": "building",
    "facility": "place",
    "facilities": "things you can use",
    "assistance": "help",
    "assist": "help",
    "utilise": "use",
    "commence": "start",
    "individual": "person",
    "individuals": "people",
    "vulnerable": "at risk",
    "approximately": "about",
    "designated": "special",
    "prior": "before",
    "scheme": "group of Safe Places",
    "establishment": "place",
    "gps": "your phone's map",
    "signage": "signs",
    "additional": "more",
    "whilst": "while",
    "hereby": "now",
    "thereby": "so",
    "thereafter": "after that",
    "forthwith": "now",
    "henceforth": "from now on",
    "whereas": "but",
    "equivalent": "the same as",
}
# The scheme's own words, which its readers meet and learn: kinds of place, help
# and access words, and names. Every one is below the bar for its length.
GLOSSARY = frozenset(
    {
        # help
        "101", "999", "bsl", "relay", "crimestoppers", "carer", "carers", "emergency",
        "interpreter", "lanyard", "sunflower",
        # access and health
        "accessible", "disability", "disabilities", "autism", "autistic", "dementia",
        "epilepsy", "mobility", "wheelchair",
        # kinds of place
        "pharmacy", "pharmacist", "chemist", "newsagent", "newsagents", "optician",
        "bookshop", "café", "cafe", "florist", "antiques", "launderette",
        # the map
        "postcode", "postcodes", "emoji", "emojis",
    }
)  # fmt: skip
# Words of the staff screens, never of a venue's public easy read: allowed only
# where the text checked is a staff screen's (`rare_words(…, staff_screen=True)`).
# ("latitude" needs no leave: it is common enough for its length.)
STAFF_SCREEN_WORDS = frozenset({"longitude", "csv"})
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30,
}  # fmt: skip
EXPLAINED = re.compile(r"^(this|that|it) means\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Letters of any alphabet ("café"), with ' and - inside a word; or digits.
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019-])*|\d+")
POSSESSIVE = re.compile(r"['\u2019]s$")
# Anyone may send words to check: remember only so many answers, and only for words
# of up to LONGEST_WORD letters. A longer one is hard at once unless it is the scheme's
# or a place's ("Llanfairpwllgwyngyll…"): trying every split of 2,000 letters takes 0.7 s.
REMEMBERED_WORDS = 50_000
LONGEST_WORD = 25
# Checked at start-up, so that no one's first check waits for the word lists.
WARM_UP_TEXT = "Staff at the library will help you find your way home."


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    reading_ease: float | None = None
    # Each hard word once, as written: the form can mark them.
    hard_words: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def sentences(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text.strip()) if part.strip()]


def syllables(word: str) -> int:
    word = word.lower().strip("'\u2019-")
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # a silent final e: "time", "place"
    return max(1, count)


def reading_ease(text: str) -> float | None:
    """Flesch reading ease: 206.835 - 1.015 * words per sentence - 84.6 * syllables per word."""
    words = WORD.findall(text)
    if len(words) < MIN_WORDS_FOR_SCORE:
        return None
    per_sentence = len(words) / max(1, len(sentences(text)))
    per_word = sum(syllables(word) for word in words) / len(words)
    return round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1)


_place_words: frozenset[str] | None = None


def _words_of(names: Iterable[str]) -> frozenset[str]:
    return frozenset(word.lower() for name in names for word in WORD.findall(name))


def warm_up(place_names: Iterable[str]) -> None:
    """At start-up: take the place names from the gazetteer the server loaded, and
    read the word lists now rather than in the middle of someone's check."""
    global _place_words
    _place_words = _words_of(place_names)
    everyday_parts()
    check_easy_read(WARM_UP_TEXT)


def place_words() -> frozenset[str]:
    """The words of the gazetteer's town and village names ("nuneaton", "leamington")."""
    global _place_words
    if _place_words is None:  # not warmed up (the command line, a test): read them here
        _place_words = _words_of(_gazetteer_names(get_settings().gazetteer_csv))
    return _place_words


def _gazetteer_names(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8", newline="") as file:
            return [row["name"] for row in csv.DictReader(file)]
    except (OSError, KeyError):
        return []  # a copy without data/: names inside a sentence still pass


def zipf(word: str) -> float:
    return zipf_frequency(word, "en")  # wordfreq remembers up to 100,000 answers itself


@cache
def everyday_parts() -> frozenset[str]:
    """The words common enough to be half of a word made of 2 (about 7,000): a word's
    splits are looked up here, not each asked of wordfreq (45 µs a time)."""
    return frozenset(takewhile(lambda word: zipf(word) >= EVERYDAY_PART_ZIPF, iter_wordlist("en")))


def is_everyday(word: str) -> bool:
    """Common enough for its length, or 2 everyday words run together."""
    return len(word) <= LONGEST_WORD and _is_everyday(word)


@lru_cache(maxsize=REMEMBERED_WORDS)
def _is_everyday(word: str) -> bool:
    need = EVERYDAY_ZIPF.get(syllables(word), EVERYDAY_ZIPF_LONGER)
    if zipf(word) >= need:
        return True
    parts = everyday_parts()
    return any(
        word[cut:] not in NOT_A_SECOND_PART and word[:cut] in parts and word[cut:] in parts
        for cut in range(MIN_FIRST_PART, len(word) - MIN_SECOND_PART + 1)
    )


def is_name(word: str, position: int, words: list[str]) -> bool:
    """A capital inside a sentence, inside a word ("OpenMoji"), or before another capital."""
    if not word[0].isupper() or word.isupper():
        return False
    following = words[position + 1] if position + 1 < len(words) else ""
    return position > 0 or not word[1:].islower() or following[:1].isupper()


def is_hard(word: str) -> bool:
    """A word (in lower case) with a part that is rare, and not the scheme's or a place's."""
    return any(
        part and part not in GLOSSARY and part not in HARD_WORDS
        and part not in place_words() and not is_everyday(part)
        for part in POSSESSIVE.sub("", word).split("-")
    )  # fmt: skip


def rare_words(sentence: str, *, staff_screen: bool = False) -> list[str]:
    """The hard words in one sentence, as written, not counting names and the glossary
    (nor, on a staff screen, STAFF_SCREEN_WORDS)."""
    words = WORD.findall(sentence)
    allowed = STAFF_SCREEN_WORDS if staff_screen else frozenset()
    return [
        word
        for position, word in enumerate(words)
        if not word.isdigit()
        and not is_name(word, position, words)
        and word.lower() not in allowed
        and is_hard(word.lower())
    ]


def check_easy_read(text: str) -> Verdict:
    """Every way the text is not easy read, each with what to change."""
    verdict = Verdict(reading_ease=reading_ease(text))
    parts = sentences(text)
    said: set[str] = set()
    for number, sentence in enumerate(parts, start=1):
        words = WORD.findall(sentence)
        explained = number < len(parts) and EXPLAINED.match(parts[number])
        if len(words) > MAX_WORDS:
            verdict.problems.append(
                f"Sentence {number} has {len(words)} words. Use {MAX_WORDS} or fewer: split it."
            )
        # "BY-SA" is 2 short letter-names, not a shout.
        shouting = [w for w in words if w.isupper() and max(map(len, w.split("-"))) >= 4]
        if shouting:
            verdict.problems.append(
                f"Write {shouting[0]} as {shouting[0].lower()}: capitals read as shouting."
            )
        for word in words:
            lower = word.lower()
            if lower in NUMBER_WORDS:
                verdict.problems.append(f"Write {NUMBER_WORDS[lower]}, not {word}.")
            if lower in HARD_WORDS and not explained and lower not in said:
                said.add(lower)
                verdict.hard_words.append(word)
                verdict.problems.append(
                    f"'{word}' is a hard word. Use '{HARD_WORDS[lower]}', "
                    "or explain it in the next sentence: 'This means …'."
                )
        for word in [] if explained else rare_words(sentence):
            if word.lower() not in said:
                said.add(word.lower())
                verdict.hard_words.append(word)
                verdict.problems.append(
                    f"'{word}' is a hard word. Use a short, everyday word, "
                    "or explain it in the next sentence: 'This means …'."
                )
    return verdict
