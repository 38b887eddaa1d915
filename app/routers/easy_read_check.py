"""The easy-read checker, for the web app to use while someone types."""

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.easy_read.rules import check_easy_read
from app.http.errors import error_responses

router = APIRouter(prefix="/api/easy-read", tags=["easy read"])


class TextToCheck(BaseModel):
    text: Annotated[str, Field(max_length=2000)]


class EasyReadAdvice(BaseModel):
    ok: bool
    problems: list[str] = Field(
        description="What to change, one line per problem, in plain words. Empty when ok."
    )
    reading_ease: float | None = Field(
        description="Flesch reading ease, for information only: no rule uses it, and the "
        "advice never gives a score. Null under 20 words."
    )
    hard_words: list[str] = Field(
        default_factory=list,
        description="Each hard word once, as written: rare in English for its length, "
        "and not a name or one of the scheme's own words (Safe Place, 101, BSL …).",
    )


@router.post("/check", response_model=EasyReadAdvice, responses=error_responses(400, 422))
def check(body: TextToCheck) -> EasyReadAdvice:
    """Is this text easy read? The same rules a save of a venue's easy_read uses."""
    verdict = check_easy_read(body.text)
    return EasyReadAdvice(
        ok=verdict.ok,
        problems=verdict.problems,
        reading_ease=verdict.reading_ease,
        hard_words=verdict.hard_words,
    )
