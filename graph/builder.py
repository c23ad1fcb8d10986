"""Builds the supervisor graph: one supervisor node, the five conversation subgraphs and the service answers."""

from __future__ import annotations

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graph.deps import GraphDeps
from graph.state import InputState, OrkestaState
from graph.subgraphs.catalog import build_catalog_subgraph
from graph.subgraphs.dunning import build_dunning_subgraph
from graph.subgraphs.order import build_order_subgraph
from graph.subgraphs.payment import build_payment_subgraph
from graph.subgraphs.pricing import build_pricing_subgraph
from graph.subgraphs.service import build_service_subgraph
from graph.supervisor import SUBGRAPHS, after_flow, build_supervisor

GRAPH_NAME = "orkesta"


def build_graph(deps: GraphDeps) -> StateGraph:
    """The uncompiled graph: the caller picks the checkpointer (Studio's or AsyncRedisSaver)."""
    graph = StateGraph(OrkestaState, input_schema=InputState)
    graph.add_node("supervisor", build_supervisor(deps), destinations=(*SUBGRAPHS, "__end__"))
    # Subgraphs are compiled graphs so Studio shows them; they hand off to one another with
    # Command(graph=PARENT), hence the declared destinations.
    graph.add_node("catalog", build_catalog_subgraph(deps))
    graph.add_node("pricing", build_pricing_subgraph(deps))
    graph.add_node("order", build_order_subgraph(deps), destinations=("pricing", "payment", "order"))
    graph.add_node("payment", build_payment_subgraph(deps))
    graph.add_node("dunning", build_dunning_subgraph(deps))
    graph.add_node("service", build_service_subgraph(deps),
                   destinations=("catalog", "order", "pricing", "payment", "dunning"))
    for flow in ("catalog", "pricing", "payment", "dunning"):
        graph.add_conditional_edges(flow, after_flow, ["order", END])
    graph.add_edge(START, "supervisor")
    return graph


def compile_graph(deps: GraphDeps, checkpointer: BaseCheckpointSaver | None) -> CompiledStateGraph:
    """Compile with the service's checkpointer (None for `langgraph dev`, which brings its own)."""
    return build_graph(deps).compile(checkpointer=checkpointer, name=GRAPH_NAME)
