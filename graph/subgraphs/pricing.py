"""Pricing subgraph: price the cart (or one product asked about) for this customer's tier."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from core.locale import money
from graph.deps import GraphDeps
from graph.state import OrkestaState, SubgraphInput, SubgraphOutput, route_step
from graph.subgraphs.common import decision_of, say
from tools.pricing import LineInput, quote

DEFAULT_TIER = "bronze"  # a customer we do not know yet pays list price


class PricingInput(SubgraphInput, total=False):
    """The pricing subgraph reads the cart, or the product asked about."""

    decision: dict[str, Any] | None
    cart: list[dict[str, Any]]


def build_pricing_subgraph(deps: GraphDeps) -> CompiledStateGraph:
    """price -> explain: a quote with tier and volume discounts, IVA and a per-line breakdown."""

    async def price(state: OrkestaState) -> dict[str, Any]:
        tenant = state["tenant_id"]
        customer = await deps.accounts(tenant).get_customer(state.get("customer_id", ""))
        tier = customer.tier if customer else DEFAULT_TIER
        lines = [LineInput(sku=c["sku"], name=c["name"], quantity=c["quantity"], list_price=Decimal(c["list_price"]))
                 for c in state.get("cart") or []]
        if state.get("intent") == "check_price":
            decision = decision_of(state)
            found = await deps.catalog(tenant).search(decision.product_query or "", limit=1)
            lines = [LineInput(sku=p.sku, name=p.name, quantity=decision.quantity or 1, list_price=p.list_price)
                     for p in found]
        if not lines:
            return {"quote": None, "route": route_step(state, "pricing.price")}
        q = quote(lines, tier=tier, policy=deps.pricing)
        return {"quote": q.model_dump(mode="json"), "route": route_step(state, "pricing.price")}

    async def explain(state: OrkestaState) -> dict[str, Any]:
        q = state.get("quote")
        if q is None:
            return say(state, "pricing.explain",
                       "No encontré ese producto para cotizarlo. ¿Me dices cuál, con su medida?", pending=None)
        rows = []
        for line in q["lines"]:
            discount = Decimal(line["tier_discount_amount"]) + Decimal(line["volume_discount_amount"])
            rows.append(
                f"• {line['quantity']} × {line['name']}: {money(line['list_amount'])}"
                + (f" − descuento {money(discount)}" if discount else "")
                + f" = {money(line['net'])}"
            )
        totals = f"Subtotal {money(q['net'])} + IVA {money(q['tax'])} = *Total {money(q['gross'])} MXN*"
        if state.get("intent") == "check_price":
            return say(state, "pricing.explain", "Te cotizo:\n" + "\n".join(rows) + "\n" + totals
                       + "\n¿Te lo aparto? Dime cuántas piezas.", pending=None)
        return say(state, "pricing.explain", "Tu pedido:\n" + "\n".join(rows) + "\n" + totals
                   + "\n¿Confirmo tu pedido? Responde *sí* para confirmar o *no* para cancelar.",
                   pending="awaiting_confirmation")

    graph = StateGraph(OrkestaState, input_schema=PricingInput, output_schema=SubgraphOutput)
    graph.add_node("price", price)
    graph.add_node("explain", explain)
    graph.add_edge(START, "price")
    graph.add_edge("price", "explain")
    graph.add_edge("explain", END)
    return graph.compile(name="pricing")
