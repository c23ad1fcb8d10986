"""The conversation stack for tests: seeded tenant, rules reader, local payments, Redis checkpoints."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from langgraph.checkpoint.base import BaseCheckpointSaver
from redis.asyncio import Redis

from api.services import open_services
from core.locale import MEXICO_CITY
from core.settings import Settings
from core.telemetry import Metrics
from graph.deps import GraphDeps
from graph.runner import ConversationRunner
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
    async with open_services(settings, with_graph=True, checkpointer=checkpointer, clock=lambda: TODAY) as services:
        yield Stack(deps=services.graph_deps, runner=services.conversations(), metrics=services.metrics)
