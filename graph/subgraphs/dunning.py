"""Dunning subgraph: the customer's account statement, and promises to pay."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agents.contracts import DUNNING, PromiseToPay
from core.locale import money
from graph.deps import GraphDeps
from graph.state import OrkestaState, SubgraphInput, SubgraphOutput
from graph.subgraphs.common import NO_ACCOUNT, announce, decision_of, say
from graph.understanding.dates import parse_promise
from tools.accounts import CustomerNotFoundError

_WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre")


class DunningInput(SubgraphInput, total=False):
    """The dunning subgraph reads the promise in the latest message."""

    turn: int
    decision: dict[str, Any] | None
    text: str


def build_dunning_subgraph(deps: GraphDeps) -> CompiledStateGraph:
    """statement, or promise: a promise to pay recorded once per (conversation, turn)."""

    def entry(state: OrkestaState) -> Literal["statement", "promise"]:
        return "promise" if state.get("intent") == "promise_to_pay" else "statement"

    async def statement(state: OrkestaState) -> dict[str, Any]:
        try:
            s = await deps.accounts(state["tenant_id"]).statement(
                state.get("customer_id", ""), today=deps.clock().date())
        except CustomerNotFoundError:
            return say(state, "dunning.statement", NO_ACCOUNT)
        if not s.invoices:
            return say(state, "dunning.statement", "Estás al corriente: no tienes facturas pendientes. ¡Gracias!",
                       collections={"statement": s.model_dump(mode="json")})
        rows = [f"• {i.invoice_id}: {money(i.balance)}"
                + (f" (vencida hace {i.days_overdue} días)" if i.days_overdue > 0 else f" (vence {i.due_date:%d/%m})")
                for i in s.invoices]
        text = ("Tu estado de cuenta:\n" + "\n".join(rows) + f"\nTotal pendiente: {money(s.total_due)}"
                + (f", vencido: {money(s.total_overdue)}" if s.total_overdue > 0 else "")
                + "\n¿Cuándo podrías hacer tu pago?")
        return say(state, "dunning.statement", text, collections={"statement": s.model_dump(mode="json")})

    async def promise(state: OrkestaState) -> dict[str, Any]:
        decision = decision_of(state)
        today = deps.clock().date()
        when, amount = decision.promise_date, decision.promise_amount
        if when is None:
            when, parsed_amount = parse_promise(state.get("text", ""), today=today)
            amount = amount or parsed_amount
        if when is None:
            return say(state, "dunning.promise", "¡Gracias! ¿Para qué fecha nos confirmas tu pago?")
        conversation = state.get("conversation_id", "")
        try:
            recorded = await deps.accounts(state["tenant_id"]).record_promise(
                state.get("customer_id", ""), amount=amount, promised_date=when,
                source_text=state.get("text", ""), conversation_id=conversation,
                idempotency_key=f"{conversation}:{state.get('turn', 0)}",
            )
        except CustomerNotFoundError:
            return say(state, "dunning.promise", NO_ACCOUNT)
        await announce(deps.bus, state, PromiseToPay(promise_id=recorded.promise_id, promised_date=when,
                                                     amount=amount), from_agent=DUNNING)
        day = f"el {_WEEKDAYS[when.weekday()]} {when.day} de {_MONTHS[when.month - 1]}"
        how_much = f" de {money(amount)}" if amount is not None else ""
        return say(state, "dunning.promise",
                   f"Perfecto, registré tu promesa de pago{how_much} para {day}. ¡Gracias por avisarnos!",
                   collections={"promise": recorded.model_dump(mode="json")})

    graph = StateGraph(OrkestaState, input_schema=DunningInput, output_schema=SubgraphOutput)
    graph.add_node("statement", statement)
    graph.add_node("promise", promise)
    graph.add_conditional_edges(START, entry)
    graph.add_edge("statement", END)
    graph.add_edge("promise", END)
    return graph.compile(name="dunning")
