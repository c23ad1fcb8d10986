"""The conversation stack for tests: seeded tenant, rules router, local payments, Redis checkpoints."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from langgraph.checkpoint.base import BaseCheckpointSaver
from redis.asyncio import Redis

from agents.bus import EventBus
from checkpoints.saver import create_saver
from core.locale import MEXICO_CITY
from core.settings import Settings
from core.telemetry import Metrics
from graph.builder import compile_graph
from graph.deps import GraphDeps
from graph.runner import ConversationRunner
from graph.wiring import open_graph_deps
from tools.seed import seed_demo

#: A Wednesday; "el viernes" is 2026-11-27.
TODAY = datetime(2026, 11, 25, 10, 30, tzinfo=MEXICO_CITY)


@dataclass
class Stack:
    deps: GraphDeps
    runner: ConversationRunner
    metrics: Metrics


@asynccontextmanager
async def open_stack(
    redis: Redis, settings: Settings, *, tenants: tuple[str, ...] = ("ferre-mx",),
    checkpointer: BaseCheckpointSaver | None = None,
) -> AsyncIterator[Stack]:
    """Seed the tenants and build the graph exactly as the service does, on a fixed clock."""
    for tenant in tenants:
        await seed_demo(redis, tenant)
    metrics = Metrics()
    bus = EventBus(redis, settings, metrics=metrics)
    async with open_graph_deps(settings, redis, bus) as deps:
        deps = replace(deps, clock=lambda: TODAY)
        saver = checkpointer or await create_saver(redis, settings)
        graph = compile_graph(deps, saver)
        yield Stack(deps=deps, runner=ConversationRunner(graph, bus, metrics), metrics=metrics)
