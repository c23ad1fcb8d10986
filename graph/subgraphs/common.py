"""Small helpers every subgraph uses: replies, hand-offs between subgraphs, the reading, domain events."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langgraph.types import Command

from agents.bus import EventBus
from agents.contracts import Payload, publish
from graph.replies import Language
from graph.state import OrkestaState, route_step
from graph.understanding import Reading

NO_ACCOUNT: dict[Language, str] = {
    "es": "No encuentro una cuenta de cliente con este número. Un asesor te contactará para revisar tu saldo.",
    "en": "I cannot find a customer account for this number. A person will contact you to review your balance.",
}
HOP_LIMIT_REPLY: dict[Language, str] = {
    "es": "Perdón, me enredé con tu solicitud. ¿Me la repites con otras palabras? Si prefieres, un asesor te contacta.",
    "en": "Sorry, I got tangled up with your request. Could you say it in other words? Or a person can contact you.",
}


def lang(state: OrkestaState) -> Language:
    """The language the conversation is answered in."""
    return state.get("language") or "es"


def say(state: OrkestaState, node: str, text: str, **update: Any) -> dict[str, Any]:
    """The update that answers the customer with `text` (after this turn's side answers) and ends the route "
      "at `node`."""
    full = "\n\n".join(part for part in (state.get("preface"), text) if part)
    return {
        "messages": [AIMessage(content=full, name=node.split(".")[0])],
        "reply": full,
        "preface": None,
        "route": route_step(state, node),
        **update,
    }


def handoff(state: OrkestaState, node: str, goto: str, *, max_hops: int, **update: Any) -> Command[Any]:
    """Go to another subgraph of the parent graph, counting the hop against the loop guard."""
    hops = state.get("hops", 0) + 1
    if hops > max_hops:
        return Command(graph=Command.PARENT, goto="__end__",
                       update=say(state, node, HOP_LIMIT_REPLY[lang(state)], hops=hops))
    return Command(graph=Command.PARENT, goto=goto, update={"route": route_step(state, node), "hops": hops, **update})


def keep_draft(state: OrkestaState) -> dict[str, Any]:
    """The flow fields of an answer that opens no options of its own (a price, a stock figure).

    A draft already quoted stays waiting for its confirmation; options shown for a draft line stay
    shown; anything else closes.
    """
    if state.get("pending") in ("awaiting_approval", "stock_offer"):
        return {}  # the order waits for its approval, the offer for its answer, whatever is asked meanwhile
    if state.get("cart") and state.get("quote"):
        return {"pending": "awaiting_confirmation", "options_for": None}
    if state.get("options_for") == "line":
        return {}
    return {"pending": None, "options_for": None}


def reading_of(state: OrkestaState) -> Reading:
    """The reading of the latest message."""
    return Reading.model_validate(state.get("decision") or {"acts": [], "language": None, "confidence": 0.0})


async def announce(bus: EventBus, state: OrkestaState, payload: Payload, *, from_agent: str) -> bool:
    """Broadcast a domain event about this conversation to the asynchronous agents, once per effect."""
    return await publish(bus, payload, from_agent=from_agent, tenant=state["tenant_id"],
                         conversation_id=state.get("conversation_id"), customer_id=state.get("customer_id"))
