"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from redis.exceptions import RedisError

from api.deps import ServicesDep
from core.redis import GET_REDIS_8, missing_capabilities

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    reason: str | None = None


@router.get("/healthz", response_model=Health, summary="The process is up")
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    summary="Redis with JSON and search answers",
    responses={503: {"model": Health, "description": "Redis is unreachable or lacks a capability"}},
)
async def readyz(services: ServicesDep) -> Health | JSONResponse:
    try:
        missing = await missing_capabilities(services.redis)
    except (RedisError, OSError) as exc:
        return JSONResponse(status_code=503, content=Health(status="unavailable", reason=f"redis: {exc}").model_dump())
    if missing:
        reason = f"Redis lacks {', '.join(missing)}: {GET_REDIS_8}"
        return JSONResponse(status_code=503, content=Health(status="unavailable", reason=reason).model_dump())
    return Health(status="ok")


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(services: ServicesDep) -> Response:
    return Response(generate_latest(services.metrics.registry), media_type=CONTENT_TYPE_LATEST)
