import pytest
from fastapi.testclient import TestClient

from app.easy_read.rules import check_easy_read, reading_ease, syllables
from app.venues.venue_file import VenueFileError, read_venue_file
from tests.conftest import HEADER, venue_row


def test_easy_text_passes() -> None:
    verdict = check_easy_read("This is a library. Go to the front desk. Staff will help you.")
    assert verdict.ok
    assert verdict.problems == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "When you arrive please go straight to the front desk and tell the member of "
            "staff there that you need some help.",
            "Sentence 1 has 22 words. Use 15 or fewer: split it.",
        ),
        ("PLEASE go to the desk.", "Write PLEASE as please: capitals read as shouting."),
        ("We have three rooms.", "Write 3, not three."),
        (
            "Come to the premises.",
            "'premises' is a hard word. Use 'building', or explain it in the next sentence: "
            "'This means …'.",
        ),
    ],
)
def test_each_rule_says_what_to_change(text: str, problem: str) -> None:
    assert problem in check_easy_read(text).problems


def test_a_hard_word_explained_next_is_fine() -> None:
    assert check_easy_read("Come to the premises. This means the building.").ok


def test_hard_to_read_long_text_is_refused() -> None:
    text = (
        "Comprehensive organisational arrangements necessitate considerable deliberation "
        "today. Administrative authorisation procedures accommodate extraordinary "
        "circumstances here. Consequently, professional representatives coordinate "
        "communication with everybody concerned regularly."
    )
    verdict = check_easy_read(text)
    assert verdict.reading_ease is not None and verdict.reading_ease < 70
    assert any(problem.startswith("This is hard to read") for problem in verdict.problems)


def test_short_text_gets_no_score() -> None:
    assert reading_ease("Staff will help you.") is None


@pytest.mark.parametrize(
    ("word", "count"), [("help", 1), ("library", 3), ("place", 1), ("table", 2)]
)
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_the_venue_file_applies_the_same_check() -> None:
    with pytest.raises(VenueFileError) as caught:
        read_venue_file(HEADER + venue_row("A-1", 52.28, -1.58, easy_read="COME IN. Staff help."))
    assert str(caught.value.errors[0]) == (
        "line 2: easy_read: Write COME as come: capitals read as shouting."
    )


def test_the_web_app_can_check_before_saving(client: TestClient) -> None:
    advice = client.post("/api/easy-read/check", json={"text": "We have three rooms."}).json()
    assert advice == {"ok": False, "problems": ["Write 3, not three."], "reading_ease": None}
    assert client.post("/api/easy-read/check", json={"text": "Staff help you."}).json()["ok"]
