"""The supervisor: reads the latest customer message and routes the turn with `Command(goto=…)`."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.graph import END
from langgraph.types import Command

from graph.deps import GraphDeps
from graph.state import OrkestaState
from graph.understanding import RouteDecision

SUBGRAPHS = ("catalog", "order", "pricing", "payment", "dunning")
Destination = Literal["catalog", "order", "pricing", "payment", "dunning", "__end__"]

CLARIFY = ("Perdón, no te entendí bien. ¿Buscas un producto, quieres hacer un pedido, "
           "o es sobre un pago o tu estado de cuenta?")
GREETING = ("¡Hola! Soy el asistente de ventas y cobranza. Puedo buscar productos, cotizar, "
            "tomar tu pedido y ayudarte con pagos o tu estado de cuenta. ¿Qué necesitas?")
# The supervisor answers these itself; everything else goes to a subgraph.
FAQ = {
    ("horario", "abren", "cierran", "hora"): "Atendemos de lunes a viernes de 8:00 a 18:00 y sábados de 9:00 a 14:00.",
    ("direccion", "dirección", "ubicados", "donde estan", "dónde están", "sucursal"):
        "Puedes recoger en nuestra sucursal o te enviamos; dime tu código postal y te digo el costo de envío.",
    ("envio", "envío", "entrega", "flete", "mandan"):
        "Enviamos al día hábil siguiente en zona metropolitana; pedidos mayores a $3,000 llevan envío sin costo.",
    ("factura", "cfdi", "rfc"): "Sí facturamos: mándame tu RFC y uso de CFDI y la emitimos con tu pedido.",
}


def _route_for(decision: RouteDecision, pending: str | None) -> Destination | None:
    """Where a decision goes; None when the supervisor answers itself."""
    match decision.intent:
        case "search_product" | "create_order":
            return "catalog"
        case "check_price":
            return "pricing"
        case "select_option":
            return "order" if pending == "options_shown" else None
        case "confirm" | "cancel":
            return "order" if pending in ("awaiting_confirmation", "options_shown") else None
        case "payment_status":
            return "payment"
        case "promise_to_pay" | "account_statement":
            return "dunning"
        case _:
            return None


def _answer(text: str, decision: RouteDecision, pending: str | None) -> str:
    """The supervisor's own answer: an FAQ, a greeting, or nothing pending to act on."""
    lowered = text.lower()
    if decision.intent in ("confirm", "cancel", "select_option") and pending is None:
        return "No tengo nada pendiente por confirmar. ¿Buscas algún producto?"
    for words, answer in FAQ.items():
        if any(w in lowered for w in words):
            return answer
    return GREETING


def build_supervisor(deps: GraphDeps):  # type: ignore[no-untyped-def]
    """The supervisor node, closed over its router and settings."""
    settings = deps.settings

    async def supervisor(state: OrkestaState) -> Command[Destination]:
        messages = state.get("messages") or []
        text = str(messages[-1].content) if messages else ""
        turn = sum(isinstance(m, HumanMessage) for m in messages)
        pending = state.get("pending")
        decision = await deps.router.decide(text, context=pending or "none", today=deps.clock().date())
        update: dict[str, Any] = {
            "turn": turn, "text": text, "intent": decision.intent, "confidence": decision.confidence,
            "decision": decision.model_dump(mode="json"), "route": ["supervisor"], "hops": 0, "reply": None,
        }
        sure = decision.confidence >= settings.router_min_confidence
        goto = _route_for(decision, pending) if sure else None
        if goto is None:
            answer = _answer(text, decision, pending) if sure else CLARIFY
            update |= {"messages": [AIMessage(content=answer, name="supervisor")], "reply": answer}
            return Command(goto=END, update=update)
        return Command(goto=goto, update=update)

    return supervisor
