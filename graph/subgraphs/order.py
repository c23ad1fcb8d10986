"""Order subgraph: the draft order and its edits, confirmation, credit approval and the order itself.

edit    -> (pricing, in the parent)     lines added, removed, changed, picked or cut to stock; each
                                        line is matched to a product on its own, and an ambiguous
                                        one is asked about alone while the others wait
approve -> create -> (payment, parent)  the customer confirmed; over the available credit the
        -> hold -> authorize            customer is told at once and a human approves (`interrupt`)
waiting -> authorize                    a message while the approval is pending: answered, kept
rewait -> authorize                     options shown meanwhile for a question: the order still waits
cancel                                  the customer changed their mind
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, interrupt

from agents.contracts import ORDER, LowStock, OrderCreated, OrderLineRef
from core.locale import money
from graph.deps import GraphDeps
from graph.replies import say_in
from graph.state import OrkestaState, SubgraphInput, SubgraphOutput, route_step
from graph.subgraphs.common import announce, handoff, lang, reading_of, say
from graph.subgraphs.draft_edits import DraftEdits
from tools.orders import InsufficientStockError, Order, OrderLine, order_id_for

_EDIT_KINDS = ("order", "add", "search", "remove", "change_quantity", "replace", "restore", "choose", "stock_answer",
               "question", "confirm", "ack", "cancel")


class OrderInput(SubgraphInput, total=False):
    """The order subgraph reads the draft, the options shown, the open offer and approval."""

    turn: int
    pending: str | None
    options_for: str | None
    search_results: list[dict[str, Any]]
    requested_quantity: int | None
    cart: list[dict[str, Any]]
    unresolved: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    offer: dict[str, Any] | None
    last_product: dict[str, Any] | None
    quoted: list[dict[str, Any]]
    approval: dict[str, Any] | None
    quote: dict[str, Any] | None
    order: dict[str, Any] | None
    hops: int


def build_order_subgraph(deps: GraphDeps) -> CompiledStateGraph:
    """The order flow; stock is reserved with the order, once per (conversation, turn)."""
    max_hops = deps.settings.graph_max_hops

    def entry(state: OrkestaState) -> Literal["edit", "approve", "cancel", "waiting", "rewait", "authorize"]:
        kinds = [a.kind for a in reading_of(state).acts]
        pending = state.get("pending")
        if pending == "awaiting_approval" or state.get("approval"):
            # hold and waiting answer the customer in the parent's state first, then pause here
            route = state.get("route") or [""]
            answered = any(step.split(".")[0] in ("catalog", "pricing", "payment", "dunning") for step in route)
            if route[-1] in ("order.hold", "order.waiting", "order.rewait"):
                return "authorize"
            if answered:  # options shown for a question meanwhile: the order still waits, nothing else opens
                return "authorize" if pending == "awaiting_approval" else "rewait"
            return "cancel" if "cancel" in kinds else "waiting"
        if pending == "awaiting_confirmation" and kinds[:1] == ["confirm"]:
            return "approve"
        if kinds[:1] == ["cancel"] and pending != "stock_offer" and state.get("options_for") != "line":
            return "cancel"
        return "edit"

    async def edit(state: OrkestaState) -> Command[Any] | dict[str, Any]:
        work = DraftEdits(state)
        acts = reading_of(state).acts
        bare = [a for a in acts if a.kind == "change_quantity" and a.target is None]
        if len(bare) > 1 and len(bare) == len(work.cart):
            # "mejor 40 y 40": one quantity per line, in the draft's order
            for line, act in zip(list(work.cart), bare, strict=True):
                work.apply(act.model_copy(update={"target": line["sku"]}))
            acts = [a for a in acts if a not in bare]
        for act in acts:
            if act.kind in _EDIT_KINDS:
                work.apply(act)
        await work.resolve(deps)
        if (state.get("pending") == "awaiting_confirmation" and "confirm" in [a.kind for a in acts]
                and work.cart == list(state.get("cart") or []) and not work.unresolved):
            # a yes with an edit that changed nothing ("va, sin los cepillos" when none were found)
            return Command(goto="approve")
        return work.next_step(state, max_hops=max_hops)

    async def approve(state: OrkestaState) -> Command[Any]:
        q = state.get("quote")
        if not q or not state.get("cart"):
            return Command(goto=END, update=say(state, "order.approve", say_in(lang(state), "what_product"),
                                                pending=None))
        accounts = deps.accounts(state["tenant_id"])
        customer = await accounts.get_customer(state.get("customer_id", ""))
        # A customer we know buys on credit; a new one pays the link first, so no limit applies.
        if customer is not None:
            balance = await accounts.open_balance(customer.customer_id)
            total = Decimal(q["gross"])
            if balance + total > customer.credit_limit:
                request = {
                    "kind": "credit_approval", "customer_id": customer.customer_id,
                    "order_total": str(total), "open_balance": str(balance),
                    "credit_limit": str(customer.credit_limit),
                    "question": f"El pedido de {money(total)} excede el crédito de {customer.name}. ¿Se autoriza?",
                }
                available = max(customer.credit_limit - balance, Decimal(0))
                text = say_in(lang(state), "approval_hold", total=money(total), available=money(available))
                # Back through the parent, so the customer's answer and the open approval are in the
                # conversation's state before the turn pauses (a subgraph's writes reach it only at its end).
                return handoff(state, "order.hold", "order", max_hops=max_hops,
                               **_said(state, "order.hold", text), pending="awaiting_approval", approval=request)
        return Command(goto="create", update={"route": route_step(state, "order.approve"),
                                              "order": {"approved_by": None}})

    async def waiting(state: OrkestaState) -> Command[Any]:
        text = say_in(lang(state), "approval_open")
        return handoff(state, "order.waiting", "order", max_hops=max_hops, **_said(state, "order.waiting", text))

    async def rewait(state: OrkestaState) -> Command[Any]:
        return handoff(state, "order.rewait", "order", max_hops=max_hops, pending="awaiting_approval",
                       options_for=None)

    async def authorize(state: OrkestaState) -> Command[Any]:
        answer = interrupt(state.get("approval") or {"kind": "credit_approval"})
        decision = answer if isinstance(answer, dict) else {"approved": bool(answer)}
        if not decision.get("approved"):
            return Command(goto=END, update=say(state, "order.authorize", say_in(lang(state), "approval_rejected"),
                                                pending=None, cart=[], removed=[], quote=None, approval=None,
                                                quoted=[]))
        return Command(goto="create", update={"route": route_step(state, "order.authorize"), "approval": None,
                                              "order": {"approved_by": str(decision.get("by") or "supervisor")}})

    async def create(state: OrkestaState) -> Command[Any]:
        tenant, conversation = state["tenant_id"], state.get("conversation_id", "")
        q = state["quote"]
        assert q is not None
        customer = await deps.accounts(tenant).get_customer(state.get("customer_id", ""))
        terms = customer.payment_terms_days if customer is not None else 0
        created_at = deps.clock()
        backorders = {line["sku"]: int(line.get("backorder") or 0) for line in state.get("cart") or []}
        units_of = {line["sku"]: line.get("unit") or "pieza" for line in state.get("cart") or []}
        order = Order(
            order_id=order_id_for(tenant, conversation, state.get("turn", 0)),
            tenant_id=tenant, customer_id=state.get("customer_id", ""), conversation_id=conversation,
            turn=state.get("turn", 0),
            lines=[OrderLine(sku=line["sku"], name=line["name"], quantity=line["quantity"],
                             unit=units_of.get(line["sku"], "pieza"), list_price=Decimal(line["unit_list_price"]),
                             backorder=backorders.get(line["sku"], 0),
                             net=Decimal(line["net"]), tax=Decimal(line["tax"]), gross=Decimal(line["gross"]))
                   for line in q["lines"]],
            net=Decimal(q["net"]), tax=Decimal(q["tax"]), gross=Decimal(q["gross"]),
            approved_by=(state.get("order") or {}).get("approved_by"), created_at=created_at,
            payment_terms_days=terms, due_date=(created_at + timedelta(days=terms)).date() if terms else None,
        )
        try:
            order, levels = await deps.orders(tenant).create(order)
        except InsufficientStockError as exc:  # stock moved since the quote: show the draft as it stands now
            cart = [line | {"stock": exc.short.get(line["sku"], line["stock"])} for line in state.get("cart") or []]
            work = DraftEdits(state | {"cart": cart})
            work.notes.append(say_in(lang(state), "stock_changed"))
            return work.next_step(state, max_hops=max_hops)
        if levels is not None:  # created now, not found from an earlier (replayed) run
            await _announce(deps, state, order, levels)
        return handoff(state, "order.create", "payment", max_hops=max_hops,
                       order=order.model_dump(mode="json"), pending=None, approval=None)

    async def cancel(state: OrkestaState) -> dict[str, Any]:
        key = "approval_cancelled" if state.get("pending") == "awaiting_approval" else "cancelled"
        return say(state, "order.cancel", say_in(lang(state), key), pending=None, cart=[], removed=[],
                   quote=None, unresolved=[], offer=None, approval=None, options_for=None, quoted=[])

    graph = StateGraph(OrkestaState, input_schema=OrderInput, output_schema=SubgraphOutput)
    graph.add_node("edit", edit, destinations=("approve", END))
    graph.add_node("approve", approve, destinations=("create", END))
    graph.add_node("waiting", waiting)
    graph.add_node("rewait", rewait)
    graph.add_node("authorize", authorize, destinations=("create", END))
    graph.add_node("create", create)
    graph.add_node("cancel", cancel)
    graph.add_conditional_edges(START, entry)
    graph.add_edge("edit", END)
    graph.add_edge("waiting", END)
    graph.add_edge("rewait", END)
    graph.add_edge("create", END)
    graph.add_edge("cancel", END)
    return graph.compile(name="order")


def _said(state: OrkestaState, node: str, text: str) -> dict[str, Any]:
    """The reply fields of `say`, for a hand-off that answers the customer on its way (no route step)."""
    update = say(state, node, text)
    return {k: v for k, v in update.items() if k in ("messages", "reply", "preface")}


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
