"""Payment subgraph: a payment link for a new order (once per order), and payment status."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agents.contracts import PAYMENT, PaymentLinkCreated
from core.locale import money
from graph.deps import GraphDeps
from graph.state import OrkestaState, SubgraphInput, SubgraphOutput, route_step
from graph.subgraphs.common import NO_ACCOUNT, announce, say
from tools.accounts import CustomerNotFoundError


class PaymentInput(SubgraphInput, total=False):
    """The payment subgraph reads the order and its payment link."""

    order: dict[str, Any] | None
    payment_link: dict[str, Any] | None


def build_payment_subgraph(deps: GraphDeps) -> CompiledStateGraph:
    """link -> confirm for a new order; status when the customer asks about a payment."""

    def entry(state: OrkestaState) -> Literal["link", "status"]:
        return "status" if state.get("intent") == "payment_status" else "link"

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
        text = (f"¡Listo! Tu pedido está confirmado: {order['order_id']} por {money(order['gross'])} MXN "
                f"(IVA incluido).\nPágalo aquí: {payment['url']}\nEn cuanto se refleje el pago te avisamos.")
        return say(state, "payment.confirm", text, cart=[], quote=None, pending=None)

    async def status(state: OrkestaState) -> dict[str, Any]:
        known = state.get("payment_link")
        if known:
            current = await deps.payment_store().get(known["link_id"])
            if current is not None and current.status == "paid":
                return say(state, "payment.status",
                           f"Sí, recibimos tu pago de {money(current.amount)} del pedido {current.order_id}. "
                           "¡Gracias!", payment_link=current.model_dump(mode="json"))
            return say(state, "payment.status",
                       f"Aún no vemos el pago del pedido {known['order_id']}. "
                       f"Si ya pagaste puede tardar unos minutos; tu link: {known['url']}")
        try:
            statement = await deps.accounts(state["tenant_id"]).statement(
                state.get("customer_id", ""), today=deps.clock().date())
        except CustomerNotFoundError:
            return say(state, "payment.status", NO_ACCOUNT)
        if statement.total_due > 0:
            return say(state, "payment.status",
                       f"No tengo un pago tuyo por confirmar en esta conversación. Tu saldo pendiente es "
                       f"{money(statement.total_due)}. Si ya pagaste, mándame tu comprobante y lo revisamos.")
        return say(state, "payment.status", "No tienes saldo pendiente con nosotros. ¡Gracias!")

    graph = StateGraph(OrkestaState, input_schema=PaymentInput, output_schema=SubgraphOutput)
    graph.add_node("link", link)
    graph.add_node("confirm", confirm)
    graph.add_node("status", status)
    graph.add_conditional_edges(START, entry)
    graph.add_edge("link", "confirm")
    graph.add_edge("confirm", END)
    graph.add_edge("status", END)
    return graph.compile(name="payment")
