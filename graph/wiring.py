"""Builds the graph's dependencies from settings: router, payment provider, pricing policy."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from redis.asyncio import Redis

from agents.bus import EventBus
from core.settings import Settings
from graph.deps import GraphDeps
from graph.understanding import build_router
from tools.payments import build_payment_provider
from tools.pricing import PricingPolicy

#: Outside calls (payment provider, model server) never hang a turn for long.
HTTP_TIMEOUT = httpx.Timeout(15.0, connect=5.0)


@asynccontextmanager
async def open_graph_deps(
    settings: Settings, redis: Redis, bus: EventBus, *, http: httpx.AsyncClient | None = None
) -> AsyncIterator[GraphDeps]:
    """The graph's dependencies; on the caller's HTTP client, or on one of its own closed on exit."""
    async with contextlib.AsyncExitStack() as stack:
        if http is None:
            http = await stack.enter_async_context(httpx.AsyncClient(timeout=HTTP_TIMEOUT))
        yield GraphDeps(
            settings=settings, redis=redis, bus=bus, router=build_router(settings, http_client=http),
            payments=build_payment_provider(settings, redis, http), pricing=PricingPolicy.load_default(),
        )
