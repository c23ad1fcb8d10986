"""The supervisor: reads the latest customer message and routes the turn with `Command(goto=…)`.

The reading's acts decide where the turn goes: answers a buyer asks every day (hours, bank details,
order status, small talk, a hand-off) go to the service subgraph, which then hands the turn to the
flow the first other act names (order, pricing, catalog, payment, dunning), if any.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.graph import END
from langgraph.types import Command

from graph import draft
from graph.deps import GraphDeps
from graph.replies import say_in
from graph.state import OrkestaState
from graph.subgraphs.service import SERVICE_TOPICS, is_service
from graph.understanding import Act, FlowContext, Reading
from graph.understanding.lines import detail_only, names_variant, noun_of

SUBGRAPHS = ("catalog", "order", "pricing", "payment", "dunning", "service")
Destination = Literal["catalog", "order", "pricing", "payment", "dunning", "service", "__end__"]
Flow = Literal["catalog", "order", "pricing", "payment", "dunning"]


def context_of(state: OrkestaState) -> FlowContext:
    """The open flow the next message is read against."""
    return state.get("pending") or "none"


def flow_for(act: Act, state: OrkestaState) -> Flow | None:
    """The subgraph that handles one act, given what is open; None when the act is not a flow's."""
    pending = state.get("pending")
    options_for = state.get("options_for") if pending == "options_shown" else None
    match act.kind:
        case "order" | "add" | "remove" | "change_quantity" | "replace" | "restore" | "stock_answer":
            return "order"
        case "search" if pending in (None, "awaiting_confirmation") and state.get("requested_quantity") and act.lines:
            return "order"  # "ocupo 3 cajas" … "de pija 8 x 3/4": the product of the count said before
        case "search":
            # "pvc", "los de cobre" with options shown answer them; a new product is a new search
            # and with a draft to confirm they are about its lines ("pvc tmb")
            if _detail_only(act) and (options_for in ("line", "order") or pending == "awaiting_confirmation"):
                return "order"
            if pending == "awaiting_confirmation" and _a_drafted_line_in_another_variant(act, state):
                return "order"  # "tees de 2" with the tees drafted: that line, in 2"
            return "catalog"
        case "choose":
            if options_for == "price":
                return "order" if act.quantity else "pricing"  # "mándame 100 de los de pvc" orders it
            if options_for == "stock":
                return "order" if act.quantity else "catalog"  # "de cobre" to "¿cuántos tienen de…?": its stock
            # "las de bronce": the draft's line; "2 del primero que te pregunté": a product quoted before
            return "order" if options_for or state.get("cart") or state.get("quoted") else None
        case "confirm" | "cancel":
            return "order" if pending else None
        case "question" if act.topic == "price" and not act.lines and pending == "awaiting_confirmation":
            return "order"  # "¿cuánto va?" with a draft to confirm: its quote, again
        case "question" if act.topic == "price" and len(act.lines) > 1:
            return "order"  # "cotízame 4 cubetas de…, 2 de… y 1 rollo de…": the draft is the quote
        case "question" if act.topic == "price" or (act.topic is None and _last_topic(state) == "price"):
            return "order" if options_for == "line" and _detail_only(act) else "pricing"
        case "question" if act.topic is None and not _last_topic(state):
            return None  # "¿y los sábados?" with nothing asked before: nothing to follow
        case "question" if act.topic == "stock" or act.topic is None:
            return "order" if options_for == "line" and _detail_only(act) else "catalog"
        case "promise_to_pay" | "statement":
            return "dunning"
        case "paid":
            return "payment"
    return None


def _a_drafted_line_in_another_variant(act: Act, state: OrkestaState) -> bool:
    cart = list(state.get("cart") or [])
    return bool(act.lines) and all(
        ln.quantity is None and names_variant(ln) and (noun := noun_of(ln.product)) is not None
        and draft.find(cart, noun) is not None for ln in act.lines)


def _detail_only(act: Act) -> bool:
    return bool(act.lines) and all(detail_only(ln) and ln.quantity is None for ln in act.lines)


def _last_topic(state: OrkestaState) -> str | None:
    return state.get("last_topic") or (state.get("last_product") or {}).get("topic")


def plan(reading: Reading, state: OrkestaState) -> tuple[bool, Flow | None]:
    """Whether the service subgraph answers something, and the flow the turn goes to (the first named)."""
    service = any(is_service(a) for a in reading.acts)
    flows = [f for a in reading.acts if (f := flow_for(a, state)) is not None]
    if state.get("pending") == "awaiting_approval":
        # A question is answered (its flow then waits again, see `after_flow`); anything about the
        # order itself hears that it still waits.
        asked = [f for f in flows if f != "order"]
        return service, asked[0] if asked and "cancel" not in [a.kind for a in reading.acts] else "order"
    if "order" in flows and "dunning" in flows and reading.first("promise_to_pay") is None:
        return True, "order"  # an order and "¿cuánto debo?": the statement is said before the draft
    return service, flows[0] if flows else None


def after_flow(state: OrkestaState) -> Literal["order", "__end__"]:
    """After a flow answered a question, an order waiting for approval pauses again (in the order subgraph)."""
    return "order" if state.get("pending") == "awaiting_approval" or state.get("approval") else "__end__"


def _follow_ups(reading: Reading, state: OrkestaState) -> Reading:
    """A follow-up question ("¿y los sábados?") asks again about the topic last answered."""
    last = state.get("last_topic")
    if last not in SERVICE_TOPICS:
        return reading
    acts = [a.model_copy(update={"topic": last}) if a.kind == "question" and a.topic is None
            and not any(noun_of(ln.product) or ln.size or ln.attributes for ln in a.lines) else a
            for a in reading.acts]
    return reading.model_copy(update={"acts": acts})


def build_supervisor(deps: GraphDeps):  # type: ignore[no-untyped-def]
    """The supervisor node, closed over its reader and settings."""
    settings = deps.settings

    async def supervisor(state: OrkestaState) -> Command[Destination]:
        messages = state.get("messages") or []
        text = str(messages[-1].content) if messages else ""
        turn = sum(isinstance(m, HumanMessage) for m in messages)
        reading = _follow_ups(await deps.reader.read(text, context=context_of(state), today=deps.clock().date()), state)
        language = reading.language or state.get("language") or "es"
        update: dict[str, Any] = {
            "turn": turn, "text": text, "intent": reading.intent, "confidence": reading.confidence,
            "decision": reading.audit(), "language": language, "route": ["supervisor"], "hops": 0, "reply": None,
            "preface": None, "next_flow": None,
        }
        service, flow = plan(reading, state)
        if state.get("pending") in (None, "awaiting_confirmation") and flow != "order":
            update["requested_quantity"] = None  # a count with no product waits one turn, for an order
        # While an order waits for approval every turn ends by waiting again, understood or not.
        sure = reading.confidence >= settings.router_min_confidence or state.get("pending") == "awaiting_approval"
        if sure and service:
            return Command(goto="service", update=update | {"next_flow": flow})
        if sure and flow is not None:
            return Command(goto=flow, update=update)
        if sure and reading.first("confirm", "cancel", "choose") is not None:
            answer = say_in(language, "nothing_pending")
        else:
            answer = say_in(language, "clarify")
        update |= {"messages": [AIMessage(content=answer, name="supervisor")], "reply": answer}
        return Command(goto=END, update=update)

    return supervisor
