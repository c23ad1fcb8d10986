"""Order subgraph: take the customer's choice into the cart, confirm, check credit, create the order.

choose  -> (pricing, in the parent)     the customer picked one of the options shown
approve -> create -> (payment, parent)  the customer confirmed; over the credit limit a
                                        human approves first (`interrupt`)
cancel                                  the customer changed their mind
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, interrupt

from agents.contracts import ORDER, LowStock, OrderCreated, OrderLineRef
from core.locale import fold_accents, money
from graph.deps import GraphDeps
from graph.state import OrkestaState, SubgraphInput, SubgraphOutput, route_step
from graph.subgraphs.common import announce, decision_of, handoff, say
from tools.orders import Order, OrderLine, order_id_for


class OrderInput(SubgraphInput, total=False):
    """The order subgraph reads the options shown, the cart and its quote."""

    turn: int
    decision: dict[str, Any] | None
    search_results: list[dict[str, Any]]
    requested_quantity: int | None
    cart: list[dict[str, Any]]
    quote: dict[str, Any] | None
    order: dict[str, Any] | None
    hops: int


def build_order_subgraph(deps: GraphDeps) -> CompiledStateGraph:
    """The order flow; stock is reserved with the order, once per (conversation, turn)."""
    max_hops = deps.settings.graph_max_hops

    def entry(state: OrkestaState) -> Literal["choose", "approve", "cancel"]:
        intent = state.get("intent")
        if intent == "confirm":
            return "approve"
        if intent == "cancel":
            return "cancel"
        return "choose"

    async def choose(state: OrkestaState) -> Command[Any] | dict[str, Any]:
        options = state.get("search_results") or []
        picked = _pick(options, decision_of(state).option_index, decision_of(state).option_hint)
        if picked is None:
            return say(state, "order.choose",
                       f"¿Cuál de las opciones? Responde con un número del 1 al {len(options)}.")
        if picked["stock"] <= 0:
            return say(state, "order.choose",
                       f"Perdón, {picked['name']} está agotado. ¿Te sirve otra de las opciones?")
        quantity = decision_of(state).quantity or state.get("requested_quantity") or 1
        line = {k: picked[k] for k in ("sku", "name", "list_price", "unit")} | {"quantity": quantity}
        return handoff(state, "order.choose", "pricing", max_hops=max_hops, cart=[line])

    async def approve(state: OrkestaState) -> Command[Any]:
        q = state.get("quote")
        if not q or not state.get("cart"):
            return Command(goto=END, update=say(state, "order.approve",
                                                "No tengo un pedido por confirmar. ¿Qué necesitas?", pending=None))
        accounts = deps.accounts(state["tenant_id"])
        customer = await accounts.get_customer(state.get("customer_id", ""))
        approved_by = None
        # A customer we know buys on credit; a new one pays the link first, so no limit applies.
        if customer is not None:
            balance = await accounts.open_balance(customer.customer_id)
            total = Decimal(q["gross"])
            if balance + total > customer.credit_limit:
                answer = interrupt({
                    "kind": "credit_approval", "customer_id": customer.customer_id,
                    "order_total": str(total), "open_balance": str(balance),
                    "credit_limit": str(customer.credit_limit),
                    "question": f"El pedido de {money(total)} excede el crédito de {customer.name}. ¿Se autoriza?",
                })
                decision = answer if isinstance(answer, dict) else {"approved": bool(answer)}
                if not decision.get("approved"):
                    return Command(goto=END, update=say(
                        state, "order.approve", "Tu pedido excede tu línea de crédito y no fue autorizado. "
                        "Un asesor te contactará para ver opciones.", pending=None, cart=[], quote=None))
                approved_by = str(decision.get("by") or "supervisor")
        return Command(goto="create", update={"route": route_step(state, "order.approve"),
                                              "order": {"approved_by": approved_by}})

    async def create(state: OrkestaState) -> Command[Any]:
        tenant, conversation = state["tenant_id"], state.get("conversation_id", "")
        q = state["quote"]
        assert q is not None
        order = Order(
            order_id=order_id_for(tenant, conversation, state.get("turn", 0)),
            tenant_id=tenant, customer_id=state.get("customer_id", ""), conversation_id=conversation,
            turn=state.get("turn", 0),
            lines=[OrderLine(sku=line["sku"], name=line["name"], quantity=line["quantity"],
                             net=Decimal(line["net"]), tax=Decimal(line["tax"]), gross=Decimal(line["gross"]))
                   for line in q["lines"]],
            net=Decimal(q["net"]), tax=Decimal(q["tax"]), gross=Decimal(q["gross"]),
            approved_by=(state.get("order") or {}).get("approved_by"), created_at=deps.clock(),
        )
        order, levels = await deps.orders(tenant).create(order)
        if levels is not None:  # created now, not found from an earlier (replayed) run
            await _announce(deps, state, order, levels)
        return handoff(state, "order.create", "payment", max_hops=max_hops,
                       order=order.model_dump(mode="json"), pending=None)

    async def cancel(state: OrkestaState) -> dict[str, Any]:
        return say(state, "order.cancel", "Listo, cancelé. ¿Te ayudo con algo más?",
                   pending=None, cart=[], quote=None)

    graph = StateGraph(OrkestaState, input_schema=OrderInput, output_schema=SubgraphOutput)
    graph.add_node("choose", choose)
    graph.add_node("approve", approve, destinations=("create", END))
    graph.add_node("create", create)
    graph.add_node("cancel", cancel)
    graph.add_conditional_edges(START, entry)
    graph.add_edge("choose", END)
    graph.add_edge("create", END)
    graph.add_edge("cancel", END)
    return graph.compile(name="order")


async def _announce(deps: GraphDeps, state: OrkestaState, order: Order, levels: dict[str, int]) -> None:
    """order_created, and low_stock for each product the order took under its reorder point."""
    created = OrderCreated(order_id=order.order_id, gross=order.gross, currency=order.currency,
                           lines=[OrderLineRef(sku=line.sku, quantity=line.quantity) for line in order.lines])
    await announce(deps.bus, state, created, from_agent=ORDER)
    catalog = deps.catalog(order.tenant_id)
    for sku, stock in levels.items():
        product = await catalog.get(sku)
        if product is not None and stock < product.reorder_point:
            await announce(deps.bus, state, LowStock(sku=sku, stock=stock, reorder_point=product.reorder_point,
                                                     order_id=order.order_id), from_agent=ORDER)


def _pick(options: list[dict[str, Any]], index: int | None, hint: str | None) -> dict[str, Any] | None:
    """The option the customer named, by position ("el primero", "el último") or by a detail ("el de 3/4")."""
    if not options:
        return None
    if index is not None and -len(options) <= index < len(options):
        return options[index]
    if hint:
        words = [w for w in fold_accents(hint).replace('"', " ").split() if w not in {"el", "la", "de", "del", "que"}]
        scored = []
        for option in options:
            haystack = fold_accents(" ".join(str(option.get(k) or "") for k in ("name", "brand", "measure")))
            scored.append((sum(w in haystack for w in words), option))
        best = max(score for score, _ in scored)
        winners = [o for score, o in scored if score == best]
        if best > 0 and len(winners) == 1:
            return winners[0]
    return None
