"""Catalog subgraph: search the tenant's catalog and show the customer numbered options."""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from core.locale import money
from graph.deps import GraphDeps
from graph.state import OrkestaState, SubgraphInput, SubgraphOutput, route_step
from graph.subgraphs.common import decision_of, say

MAX_OPTIONS = 5


class CatalogInput(SubgraphInput, total=False):
    """The catalog subgraph reads the search words and the quantity asked for."""

    decision: dict[str, Any] | None
    text: str
    requested_quantity: int | None


def build_catalog_subgraph(deps: GraphDeps) -> CompiledStateGraph:
    """search -> present."""

    async def search(state: OrkestaState) -> dict[str, Any]:
        decision = decision_of(state)
        text = decision.product_query or state.get("text", "")
        products = await deps.catalog(state["tenant_id"]).search(text, limit=MAX_OPTIONS)
        results = [
            {"sku": p.sku, "name": p.name, "list_price": str(p.list_price), "unit": p.unit,
             "stock": p.stock, "measure": p.measure, "brand": p.brand}
            for p in products
        ]
        quantity = decision.quantity or state.get("requested_quantity")
        return {"search_results": results, "requested_quantity": quantity, "route": route_step(state, "catalog.search")}

    async def present(state: OrkestaState) -> dict[str, Any]:
        results = state.get("search_results") or []
        query = decision_of(state).product_query or "eso"
        if not results:
            return say(state, "catalog.present",
                       f"No encontré productos para «{query}». ¿Me das otro nombre, la marca o la medida?",
                       pending=None)
        lines = [f"{i}. {r['name']} — {money(r['list_price'])} por {r['unit']}"
                 + ("" if r["stock"] > 0 else " (agotado)") for i, r in enumerate(results, 1)]
        quantity = state.get("requested_quantity")
        ask = (f"¿Cuál te mando ({quantity} {'pieza' if quantity == 1 else 'piezas'})? Responde con el número."
               if quantity else "¿Cuál te interesa? Responde con el número.")
        text = "Encontré estas opciones:\n" + "\n".join(lines) + "\nPrecios antes de IVA.\n" + ask
        return say(state, "catalog.present", text, pending="options_shown")

    graph = StateGraph(OrkestaState, input_schema=CatalogInput, output_schema=SubgraphOutput)
    graph.add_node("search", search)
    graph.add_node("present", present)
    graph.add_edge(START, "search")
    graph.add_edge("search", "present")
    graph.add_edge("present", END)
    return graph.compile(name="catalog")

