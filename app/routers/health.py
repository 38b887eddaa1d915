"""Liveness for load balancers and people."""

from fastapi import APIRouter
from pydantic import BaseModel

from app.deps import CatalogueDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    venues: int


@router.get("/healthz", response_model=Health)
async def healthz(catalogue: CatalogueDep) -> Health:
    """200 when the service can answer look-ups."""
    return Health(status="ok", venues=catalogue.snapshot.size)
