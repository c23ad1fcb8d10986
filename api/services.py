"""The one place a process's objects are assembled: Redis, bus, metrics, HTTP client, the graph and
its runner, and the agents by name, for the API, `orkesta worker`, Studio, the benchmarks and the tests."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from langgraph.checkpoint.base import BaseCheckpointSaver
from opentelemetry import trace
from redis.asyncio import Redis

from agents import collections, conversation, inventory, notifications, ping, purchasing, whatsapp_outbound
from agents.agent import Agent
from agents.bus import EventBus
from checkpoints.saver import create_saver
from core.http import http_client
from core.locale import Clock, local_now
from core.redis import open_redis
from core.settings import Settings
from core.telemetry import Metrics, get_tracer
from core.tenant_store import TenantStore
from graph.builder import compile_graph
from graph.deps import GraphDeps
from graph.runner import ConversationRunner
from graph.understanding import build_reader
from tools.payments import build_payment_provider
from tools.pricing import PricingPolicy

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
    clock: Clock = local_now
    runner: ConversationRunner | None = None  # present where conversations run (API, worker)
    _graph_deps: GraphDeps | None = None

    @property
    def graph_deps(self) -> GraphDeps:
        """What the graph's nodes call; built on first use (a command that runs no graph never needs
        a payment provider or a model client)."""
        if self._graph_deps is None:
            self._graph_deps = graph_deps(self.settings, self.redis, self.bus, self.http, clock=self.clock)
        return self._graph_deps

    def conversations(self) -> ConversationRunner:
        """The conversation runner; only processes opened `with_graph` have one."""
        if self.runner is None:
            raise RuntimeError("this process was opened without the graph")
        return self.runner


def graph_deps(settings: Settings, redis: Redis, bus: EventBus, http: httpx.AsyncClient, *,
               clock: Clock = local_now) -> GraphDeps:
    """What the graph's nodes call: the message reader, the payment provider and the pricing policy."""
    return GraphDeps(
        settings=settings, redis=redis, bus=bus, reader=build_reader(settings, http_client=http),
        payments=build_payment_provider(settings, redis, http), pricing=PricingPolicy.load_default(), clock=clock,
    )


@asynccontextmanager
async def open_services(
    settings: Settings,
    *,
    metrics: Metrics | None = None,
    tracer: trace.Tracer | None = None,
    check: bool = True,
    with_graph: bool = False,
    checkpointer: BaseCheckpointSaver | None = None,
    clock: Clock = local_now,
) -> AsyncIterator[Services]:
    """Connect to Redis (starting the embedded one when no REDIS_URL is set) and build the bus;
    `with_graph` also compiles the graph on `checkpointer` (the Redis one by default) with its
    runner, its nodes on `clock`. Everything opened here is closed on exit."""
    async with open_redis(settings, check=check) as redis, http_client() as http:
        metrics = metrics or Metrics()
        bus = EventBus(redis, settings, metrics=metrics, tracer=tracer or get_tracer())
        services = Services(settings=settings, redis=redis, bus=bus, metrics=metrics, tenants=TenantStore(redis),
                            http=http, clock=clock)
        if with_graph:
            graph = compile_graph(services.graph_deps, checkpointer or await create_saver(redis, settings))
            services.runner = ConversationRunner(graph, bus, metrics)
        yield services


# --- the agents a process can run, by name -----------------------------------------------------

#: name -> how to build it from the process's services.
AGENTS: dict[str, Callable[[Services], Agent]] = {
    ping.NAME: lambda s: ping.build(),
    whatsapp_outbound.NAME: lambda s: whatsapp_outbound.build(
        redis=s.redis, tenants=s.tenants, bus=s.bus, settings=s.settings, http=s.http),
    conversation.NAME: lambda s: conversation.build(runner=s.conversations(), bus=s.bus, tenants=s.tenants),
    collections.NAME: lambda s: collections.agent(collections.build(
        redis=s.redis, bus=s.bus, settings=s.settings, http=s.http)),
    inventory.NAME: lambda s: inventory.build(redis=s.redis, bus=s.bus),
    purchasing.NAME: lambda s: purchasing.build(
        redis=s.redis, bus=s.bus, supplier_base_url=s.settings.supplier_api_base_url, http=s.http),
    notifications.NAME: lambda s: notifications.build(bus=s.bus, tenants=s.tenants, http=s.http),
}

#: Agents that run the graph (`open_services(with_graph=True)`).
NEEDS_GRAPH: frozenset[str] = frozenset({conversation.NAME})


def agent_names(spec: str | None) -> list[str]:
    """Parse `a,b` (all known agents when empty); unknown names are refused."""
    wanted = [n.strip() for n in (spec or "").split(",") if n.strip()] or sorted(AGENTS)
    unknown = [n for n in wanted if n not in AGENTS]
    if unknown:
        raise ValueError(f"unknown agent {', '.join(unknown)}; known: {', '.join(sorted(AGENTS))}")
    return wanted


def build_agents(names: Sequence[str], services: Services) -> list[Agent]:
    """Build the named agents with the process's services."""
    return [AGENTS[n](services) for n in names]
