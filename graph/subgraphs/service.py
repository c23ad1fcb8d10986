"""Service subgraph: the answers a buyer asks for every day, then on to the turn's flow if it has one.

answer  hours, address, delivery and invoicing from the tenant's settings; payment methods and
        bank details (CLABE); the status of the customer's latest order; small talk that never
        resets an open order; a complaint or a request for a person: an apology, a
        `handoff_requested` event and the team told (the notifications agent)

When the message also carries an order, a price question or the like ("mándame 10 codos, ¿a qué
hora cierran?"), the answers become the turn's preface and the flow's subgraph speaks next.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from agents.contracts import CONVERSATION, HandoffRequested
from core.locale import money
from graph.deps import GraphDeps
from graph.replies import Language, say_in
from graph.state import OrkestaState, SubgraphInput, SubgraphOutput
from graph.subgraphs.common import announce, handoff, lang, reading_of, say
from graph.subgraphs.dunning import statement_text
from graph.understanding import Act
from tools.accounts import CustomerNotFoundError
from tools.payments import balance_link_ref
from tools.service_info import ServiceInfo

#: The acts this subgraph answers; every other act belongs to a flow.
SERVICE_ACTS = frozenset({"question", "complaint", "human", "greeting", "thanks", "goodbye", "ack"})
#: Question topics answered here (price and stock belong to pricing and catalog).
SERVICE_TOPICS = frozenset({"delivery", "order_status", "payment_methods", "payment_link", "hours", "address",
                            "invoice"})


class ServiceInput(SubgraphInput, total=False):
    """The service subgraph reads the turn, the open flow (to remind it) and where to go next."""

    turn: int
    text: str
    pending: str | None
    options_for: str | None
    cart: list[dict[str, Any]]
    unresolved: list[dict[str, Any]]
    next_flow: str | None
    hops: int


def is_service(act: Act) -> bool:
    """Whether this subgraph answers `act`."""
    return act.kind in SERVICE_ACTS and (act.kind != "question" or act.topic in SERVICE_TOPICS)


def build_service_subgraph(deps: GraphDeps) -> CompiledStateGraph:
    """answer, then the flow named in `next_flow`, if any."""
    max_hops = deps.settings.graph_max_hops

    async def answer(state: OrkestaState) -> Command[Any] | dict[str, Any]:
        language = lang(state)
        tenant = state["tenant_id"]
        info: ServiceInfo | None = None
        parts: list[str] = []
        handed_off = False
        topic = None
        kept: dict[str, Any] = {}
        reading = reading_of(state)
        for act in reading.acts:
            if act.kind == "statement" and state.get("next_flow") == "order":
                # "le encargo seis calentadores… y de paso me dice cuánto traigo de saldo": both answered
                said, collections = await statement_text(deps, state, language)
                parts.append(said)
                kept |= {"collections": collections} if collections else {}
                continue
            if not is_service(act) or (act.topic == "payment_link" and reading.first("confirm") is not None):
                continue  # "sí, y mándame el link": the link of the order being confirmed, from payment
            if act.kind == "question":
                if act.topic in ("hours", "address", "delivery", "invoice", "payment_methods"):
                    info = info or await deps.service_info(tenant).get()
                parts.append(await _answer_topic(deps, state, act.topic or "", info, language))
                topic = act.topic
            elif act.kind in ("complaint", "human"):
                if not handed_off:
                    await announce(deps.bus, state, HandoffRequested(
                        reason=act.kind, text=state.get("text", "")[:4096] or "-", language=language,
                        turn=state.get("turn", 0), conversation_id=state.get("conversation_id", "")),
                        from_agent=CONVERSATION)
                    complained = any(a.kind == "complaint" for a in reading.acts)
                    parts.append(say_in(language, "handoff" if complained else "human"))
                    handed_off = True
            elif act.kind == "greeting" and not parts:
                parts.append(say_in(language, "greeting_open" if _open_flow(state) else "greeting"))
            elif act.kind in ("thanks", "goodbye", "ack") and not parts:
                if act.kind == "ack" and _reminder(state, language):
                    continue  # "ok" with something open: only what is open is said again
                parts.append(say_in(language, act.kind))
        reminder = None if state.get("next_flow") else _reminder(state, language)
        text = "\n".join(dict.fromkeys(parts)) or reminder or say_in(language, "greeting")
        if text == reminder:
            reminder = None
        goto = state.get("next_flow")
        if goto:
            preface = "\n\n".join(p for p in (state.get("preface"), text) if p)
            return handoff(state, "service.answer", goto, max_hops=max_hops, preface=preface, next_flow=None,
                           **({"last_topic": topic} if topic else {}), **kept)
        if reminder:
            text = f"{text}\n\n{reminder}"
        return say(state, "service.answer", text, next_flow=None, **({"last_topic": topic} if topic else {}), **kept)

    graph = StateGraph(OrkestaState, input_schema=ServiceInput, output_schema=SubgraphOutput)
    graph.add_node("answer", answer)
    graph.add_edge(START, "answer")
    graph.add_edge("answer", END)
    return graph.compile(name="service")


def _open_flow(state: OrkestaState) -> bool:
    return bool(state.get("cart") or state.get("unresolved") or state.get("pending"))


def _reminder(state: OrkestaState, language: Language) -> str | None:
    """What is still open, said after a side answer so the order is never silently dropped."""
    pending = state.get("pending")
    if pending == "awaiting_confirmation" or pending == "stock_offer":
        return say_in(language, "draft_open")
    if pending == "options_shown" and state.get("options_for") == "line" and state.get("unresolved"):
        return say_in(language, "line_open", name=state["unresolved"][0].get("product", ""))
    return None


async def _answer_topic(deps: GraphDeps, state: OrkestaState, topic: str, info: ServiceInfo | None,
                        language: Language) -> str:
    if topic == "order_status":
        return await _order_status(deps, state, language)
    if topic == "payment_link":
        return await _payment_link(deps, state, language)
    assert info is not None
    if topic == "payment_methods":
        if info.bank is None:
            return say_in(language, "no_bank")
        text = say_in(language, "bank", bank=info.bank.bank, holder=info.bank.holder, clabe=info.bank.clabe)
        if info.bank.reference_hint is not None:
            text += " " + getattr(info.bank.reference_hint, language)
        return text
    field = {"hours": info.hours, "address": info.address, "delivery": info.delivery, "invoice": info.invoicing}[topic]
    text = str(getattr(field, language))
    # Hours and an address are stored as phrases ("lunes a viernes de 8:00 a 18:00"): said in a sentence.
    return say_in(language, topic, text=text.rstrip(".")) if topic in ("hours", "address") else text


async def _order_status(deps: GraphDeps, state: OrkestaState, language: Language) -> str:
    orders = await deps.orders(state["tenant_id"]).for_customer(state.get("customer_id", ""), limit=1)
    if not orders:
        return say_in(language, "no_orders")
    order = orders[0]
    status = "on_credit" if order.status == "pending_payment" and order.payment_terms_days else order.status
    when = f"{order.created_at:%d/%m/%Y}"
    return say_in(language, "order_status", order_id=order.order_id, when=when, amount=money(order.gross),
                  status=say_in(language, f"status_{status}"))


async def _payment_link(deps: GraphDeps, state: OrkestaState, language: Language) -> str:
    """A link for the customer's latest unpaid order, else for their open balance (the one collections sends)."""
    tenant, customer_id = state["tenant_id"], state.get("customer_id", "")
    orders = await deps.orders(tenant).for_customer(customer_id, limit=1)
    if orders and orders[0].status == "pending_payment":
        order = orders[0]
        # Keyed like the payment subgraph's own link of this order: the same link, never a second one.
        link = await deps.payments.create_link(
            tenant=tenant, order_id=order.order_id, amount=order.gross, description=f"Pedido {order.order_id}",
            idempotency_key=f"{order.conversation_id}:{order.order_id}")
        return say_in(language, "order_link", order_id=order.order_id, amount=money(order.gross), url=link.url)
    try:
        statement = await deps.accounts(tenant).statement(customer_id, today=deps.clock().date())
    except CustomerNotFoundError:
        return say_in(language, "no_orders")
    if statement.total_due <= 0:
        return say_in(language, "no_balance")
    order_id, key = balance_link_ref(customer_id, deps.clock().date())
    link = await deps.payments.create_link(tenant=tenant, order_id=order_id, amount=statement.total_due,
                                           description=f"Saldo de {customer_id}", idempotency_key=key)
    return say_in(language, "balance_link", amount=money(statement.total_due), url=link.url)
