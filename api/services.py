"""The long-lived objects of a process (Redis pool, bus, metrics, graph), opened and closed together."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from opentelemetry import trace
from redis.asyncio import Redis

from agents.bus import EventBus
from core.redis import open_redis
from core.settings import Settings
from core.telemetry import Metrics, get_tracer

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Services:
    """What routes, commands and workers need, built once per process."""

    settings: Settings
    redis: Redis
    bus: EventBus
    metrics: Metrics


@asynccontextmanager
async def open_services(
    settings: Settings,
    *,
    metrics: Metrics | None = None,
    tracer: trace.Tracer | None = None,
    check: bool = True,
) -> AsyncIterator[Services]:
    """Connect to Redis (starting the embedded one when no REDIS_URL is set) and build the bus."""
    async with open_redis(settings, check=check) as redis:
        metrics = metrics or Metrics()
        bus = EventBus(redis, settings, metrics=metrics, tracer=tracer or get_tracer())
        yield Services(settings=settings, redis=redis, bus=bus, metrics=metrics)
