"""The long-lived objects of a process (Redis pool, bus, metrics, graph), opened and closed together."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from opentelemetry import trace
from redis.asyncio import Redis

from agents.bus import EventBus
from checkpoints.saver import create_saver
from core.redis import open_redis
from core.settings import Settings
from core.telemetry import Metrics, get_tracer
from core.tenant_store import TenantStore
from graph.builder import compile_graph
from graph.deps import GraphDeps
from graph.runner import ConversationRunner
from graph.wiring import HTTP_TIMEOUT, open_graph_deps

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Services:
    """What routes, commands and workers need, built once per process."""

    settings: Settings
    redis: Redis
    bus: EventBus
    metrics: Metrics
    tenants: TenantStore
    http: httpx.AsyncClient  # one pooled client for outside calls (Cloud API, supplier, webhooks)
    runner: ConversationRunner | None = None  # present where conversations run (API, worker)
    graph_deps: GraphDeps | None = None

    def conversations(self) -> ConversationRunner:
        """The conversation runner; only processes opened `with_graph` have one."""
        if self.runner is None:
            raise RuntimeError("this process was opened without the graph")
        return self.runner


@asynccontextmanager
async def open_services(
    settings: Settings,
    *,
    metrics: Metrics | None = None,
    tracer: trace.Tracer | None = None,
    check: bool = True,
    with_graph: bool = False,
) -> AsyncIterator[Services]:
    """Connect to Redis (starting the embedded one when no REDIS_URL is set) and build the bus;
    `with_graph` also compiles the supervisor graph on the Redis checkpointer."""
    async with open_redis(settings, check=check) as redis, httpx.AsyncClient(timeout=HTTP_TIMEOUT) as http:
        metrics = metrics or Metrics()
        bus = EventBus(redis, settings, metrics=metrics, tracer=tracer or get_tracer())
        services = Services(settings=settings, redis=redis, bus=bus, metrics=metrics, tenants=TenantStore(redis),
                            http=http)
        if not with_graph:
            yield services
            return
        async with open_graph_deps(settings, redis, bus, http=http) as deps:
            graph = compile_graph(deps, await create_saver(redis, settings))
            services.graph_deps = deps
            services.runner = ConversationRunner(graph, bus, metrics)
            yield services
