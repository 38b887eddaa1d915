"""The easy-read checker: does text for people stay easy read? Pure: no web, no database.

The rules are the easy-read guidance as numbers: sentences of 15 words or
fewer, no capitals that shout, digits not number words, hard words explained in
the next sentence, and a Flesch reading-ease score of at least 70 for longer
texts (the formula is unreliable on a sentence or two, so it waits for 20
words). Each problem is said in plain words, with what to do instead.

Syllables are counted by vowel groups, the rule textstat and most Flesch tools
fall back on: textstat's own dictionary (NLTK's cmudict) downloads at first
use, and this service works offline.
"""

import re
from dataclasses import dataclass, field

MAX_WORDS = 15
MIN_READING_EASE = 70.0
MIN_WORDS_FOR_SCORE = 20
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
}
NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30,
}  # fmt: skip
EXPLAINED = re.compile(r"^(this|that|it) means\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*|\d+")


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    reading_ease: float | None = None

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


def check_easy_read(text: str) -> Verdict:
    """Every way the text is not easy read, each with what to change."""
    verdict = Verdict(reading_ease=reading_ease(text))
    parts = sentences(text)
    for number, sentence in enumerate(parts, start=1):
        words = WORD.findall(sentence)
        if len(words) > MAX_WORDS:
            verdict.problems.append(
                f"Sentence {number} has {len(words)} words. Use {MAX_WORDS} or fewer: split it."
            )
        shouting = [w for w in words if len(w) >= 4 and w.isupper()]
        if shouting:
            verdict.problems.append(
                f"Write {shouting[0]} as {shouting[0].lower()}: capitals read as shouting."
            )
        for word in words:
            lower = word.lower()
            if lower in NUMBER_WORDS:
                verdict.problems.append(f"Write {NUMBER_WORDS[lower]}, not {word}.")
            next_sentence = parts[number] if number < len(parts) else ""
            if lower in HARD_WORDS and not EXPLAINED.match(next_sentence):
                verdict.problems.append(
                    f"'{word}' is a hard word. Use '{HARD_WORDS[lower]}', "
                    "or explain it in the next sentence: 'This means …'."
                )
    if verdict.reading_ease is not None and verdict.reading_ease < MIN_READING_EASE:
        verdict.problems.append(
            f"This is hard to read (score {verdict.reading_ease:g}; easy read needs "
            f"{MIN_READING_EASE:g} or more). Use shorter words and shorter sentences."
        )
    return verdict
