"""Payment subgraph: how a new order is paid (credit terms, or a link once per order), and payment status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agents.contracts import PAYMENT, PaymentLinkCreated
from core.locale import money
from graph.deps import GraphDeps
from graph.replies import Language, day, say_in, units
from graph.state import OrkestaState, SubgraphInput, SubgraphOutput, route_step
from graph.subgraphs.common import NO_ACCOUNT, announce, lang, reading_of, say
from tools.accounts import CustomerNotFoundError


class PaymentInput(SubgraphInput, total=False):
    """The payment subgraph reads the order and its payment link."""

    order: dict[str, Any] | None
    payment_link: dict[str, Any] | None


def build_payment_subgraph(deps: GraphDeps) -> CompiledStateGraph:
    """terms, or link -> confirm, for a new order; status when the customer asks about a payment."""

    def entry(state: OrkestaState) -> Literal["terms", "link", "status"]:
        route = state.get("route") or []
        if not (route and route[-1].startswith("order.")):
            return "status"  # not handed an order just created: the customer asks about a payment
        order = state.get("order") or {}
        # A customer on credit terms is not asked to pay first, unless they ask for the link; a new
        # (cash) customer gets the link.
        asked = any(a.topic == "payment_link" for a in reading_of(state).acts)
        return "terms" if order.get("payment_terms_days") and not asked else "link"

    async def terms(state: OrkestaState) -> dict[str, Any]:
        order = state["order"]
        assert order is not None
        language = lang(state)
        due = date.fromisoformat(order["due_date"])
        text = say_in(language, "confirmed_terms", order_id=order["order_id"], gross=money(order["gross"]),
                      days=order["payment_terms_days"], due=f"{day(due, language)} ({due:%d/%m/%Y})")
        return say(state, "payment.terms", _with_notes(text, order, language), cart=[], removed=[], quote=None,
                   pending=None, quoted=[])

    async def link(state: OrkestaState) -> dict[str, Any]:
        order = state.get("order")
        assert order is not None, "the payment link follows an order"
        tenant = state["tenant_id"]
        # Keyed by the order, which is keyed by (conversation, turn): a replay gets the same link.
        payment = await deps.payments.create_link(
            tenant=tenant, order_id=order["order_id"], amount=Decimal(order["gross"]),
            description=f"Pedido {order['order_id']}",
            idempotency_key=f"{state.get('conversation_id', '')}:{order['order_id']}",
        )
        await announce(deps.bus, state, PaymentLinkCreated(
            order_id=order["order_id"], link_id=payment.link_id, url=payment.url, amount=payment.amount,
            currency=payment.currency), from_agent=PAYMENT)
        return {"payment_link": payment.model_dump(mode="json"), "route": route_step(state, "payment.link")}

    async def confirm(state: OrkestaState) -> dict[str, Any]:
        order, payment = state["order"], state["payment_link"]
        assert order is not None and payment is not None
        language = lang(state)
        text = say_in(language, "confirmed_link", order_id=order["order_id"], gross=money(order["gross"]),
                      url=payment["url"])
        return say(state, "payment.confirm", _with_notes(text, order, language), cart=[], removed=[], quote=None,
                   pending=None, quoted=[])

    async def status(state: OrkestaState) -> dict[str, Any]:
        language = lang(state)
        known = state.get("payment_link")
        if known:
            current = await deps.payment_store().get(known["link_id"])
            if current is not None and current.status == "paid":
                return say(state, "payment.status", say_in(language, "paid_received", amount=money(current.amount),
                                                           order_id=current.order_id),
                           payment_link=current.model_dump(mode="json"))
            return say(state, "payment.status", say_in(language, "not_yet_paid", order_id=known["order_id"],
                                                       url=known["url"]))
        try:
            statement = await deps.accounts(state["tenant_id"]).statement(
                state.get("customer_id", ""), today=deps.clock().date())
        except CustomerNotFoundError:
            return say(state, "payment.status", NO_ACCOUNT[language])
        if statement.total_due > 0:
            return say(state, "payment.status", say_in(language, "no_payment_here", amount=money(statement.total_due)))
        return say(state, "payment.status", say_in(language, "no_balance"))

    graph = StateGraph(OrkestaState, input_schema=PaymentInput, output_schema=SubgraphOutput)
    graph.add_node("terms", terms)
    graph.add_node("link", link)
    graph.add_node("confirm", confirm)
    graph.add_node("status", status)
    graph.add_conditional_edges(START, entry)
    graph.add_edge("link", "confirm")
    graph.add_edge("confirm", END)
    graph.add_edge("terms", END)
    graph.add_edge("status", END)
    return graph.compile(name="payment")


def _with_notes(text: str, order: dict[str, Any], language: Language) -> str:
    """The confirmation, with what waits for stock and when it is delivered."""
    pending = [f"{line['backorder']} {units(line.get('unit') or 'pieza', line['backorder'], language)} {line['name']}"
               for line in order.get("lines") or [] if line.get("backorder")]
    notes = [say_in(language, "backorder_confirmed", items="; ".join(pending))] if pending else []
    approved = [say_in(language, "approved_note")] if order.get("approved_by") else []
    return "\n".join([*approved, text, *notes, say_in(language, "delivery_note")])
