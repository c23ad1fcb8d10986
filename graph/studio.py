"""The graph as `langgraph dev` serves it to LangGraph Studio (named `orkesta` in langgraph.json).

Compiled without a checkpointer: the platform persists it with its own and refuses a graph
that brings one. The service compiles the same graph with AsyncRedisSaver instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph

from agents.bus import EventBus
from core.redis import open_redis
from core.settings import Settings
from graph.builder import compile_graph
from graph.wiring import open_graph_deps


@asynccontextmanager
async def make_graph(config: RunnableConfig) -> AsyncIterator[CompiledStateGraph]:
    """Graph factory for langgraph-api: same settings (and embedded Redis) as `orkesta serve`."""
    settings = Settings()
    async with open_redis(settings) as redis, open_graph_deps(settings, redis, EventBus(redis, settings)) as deps:
        yield compile_graph(deps, checkpointer=None)
