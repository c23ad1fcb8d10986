"""Small helpers every subgraph uses: replies, hand-offs between subgraphs, domain events."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langgraph.types import Command

from agents.bus import EventBus
from agents.contracts import Payload, publish
from graph.state import OrkestaState, route_step
from graph.understanding import RouteDecision

NO_ACCOUNT = ("No encuentro una cuenta de cliente con este número. "
              "Un asesor te contactará para revisar tu saldo.")
HOP_LIMIT_REPLY = (
    "Perdón, me enredé con tu solicitud. ¿Me la repites con otras palabras? "
    "Si prefieres, un asesor te contacta."
)


def say(state: OrkestaState, node: str, text: str, **update: Any) -> dict[str, Any]:
    """The update that answers the customer with `text` and ends the turn's route at `node`."""
    return {
        "messages": [AIMessage(content=text, name=node.split(".")[0])],
        "reply": text,
        "route": route_step(state, node),
        **update,
    }


def handoff(state: OrkestaState, node: str, goto: str, *, max_hops: int, **update: Any) -> Command[Any]:
    """Go to another subgraph of the parent graph, counting the hop against the loop guard."""
    hops = state.get("hops", 0) + 1
    if hops > max_hops:
        return Command(graph=Command.PARENT, goto="__end__", update=say(state, node, HOP_LIMIT_REPLY, hops=hops))
    return Command(graph=Command.PARENT, goto=goto, update={"route": route_step(state, node), "hops": hops, **update})


def decision_of(state: OrkestaState) -> RouteDecision:
    """The router's decision for the latest message."""
    return RouteDecision.model_validate(state.get("decision") or {"intent": "general_question", "confidence": 0.0})


async def announce(bus: EventBus, state: OrkestaState, payload: Payload, *, from_agent: str) -> bool:
    """Broadcast a domain event about this conversation to the asynchronous agents, once per effect."""
    return await publish(bus, payload, from_agent=from_agent, tenant=state["tenant_id"],
                         conversation_id=state.get("conversation_id"), customer_id=state.get("customer_id"))
