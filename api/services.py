"""The long-lived objects of a process (Redis pool, bus, metrics), opened and closed together."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from opentelemetry import trace
from redis.asyncio import Redis

from agents.bus import EventBus
from core.embedded import EmbeddedRedis
from core.redis import create_redis, ensure_capabilities
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
    embedded: EmbeddedRedis | None = None


@asynccontextmanager
async def open_services(
    settings: Settings,
    *,
    metrics: Metrics | None = None,
    tracer: trace.Tracer | None = None,
    check: bool = True,
) -> AsyncIterator[Services]:
    """Connect to Redis (starting the embedded one when no REDIS_URL is set) and build the bus.

    With `check`, fail at once with one clear line if Redis lacks JSON or search.
    """
    embedded: EmbeddedRedis | None = None
    url = settings.redis_url
    if not url:
        # Started on the loop's own thread, before anything is served: the child's
        # parent-death signal is tied to the thread that forked it.
        embedded = EmbeddedRedis(settings.data_dir)
        url = embedded.start()
    redis = create_redis(url, settings)
    try:
        if check:
            await ensure_capabilities(redis)
        metrics = metrics or Metrics()
        bus = EventBus(redis, settings, metrics=metrics, tracer=tracer or get_tracer())
        yield Services(settings=settings, redis=redis, bus=bus, metrics=metrics, embedded=embedded)
    finally:
        await redis.aclose()
        if embedded is not None:
            embedded.stop()
