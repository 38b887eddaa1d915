"""Issue 12: being built (see the closing note)."""

from fastapi import APIRouter

router = APIRouter()
