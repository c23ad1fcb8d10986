"""The graph as `langgraph dev` serves it to LangGraph Studio (named `orkesta` in langgraph.json).

Compiled without a checkpointer: the platform persists it with its own and refuses a graph
that brings one. The service compiles the same graph with the Redis checkpointer instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph

from api.services import open_services
from core.settings import Settings
from graph.builder import compile_graph


@asynccontextmanager
async def make_graph(config: RunnableConfig) -> AsyncIterator[CompiledStateGraph]:
    """Graph factory for langgraph-api: same settings (and embedded Redis) as `orkesta serve`."""
    async with open_services(Settings()) as services:
        yield compile_graph(services.graph_deps, checkpointer=None)
