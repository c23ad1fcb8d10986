"""Dunning subgraph: the customer's account statement, and promises to pay."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from langchain_core.messages import AnyMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agents.contracts import DUNNING, PromiseToPay
from core.locale import money
from graph.deps import GraphDeps
from graph.replies import Language, day, say_in
from graph.state import OrkestaState, SubgraphInput, SubgraphOutput
from graph.subgraphs.common import NO_ACCOUNT, announce, lang, reading_of, say
from graph.understanding.dates import parse_promise
from graph.understanding.lexicon import normalize
from tools.accounts import CustomerNotFoundError


class DunningInput(SubgraphInput, total=False):
    """The dunning subgraph reads the promise in the latest message, against what the conversation showed before."""

    turn: int
    text: str
    messages: list[AnyMessage]  # the message before names the invoice a bare "I'll pay it on Friday" means
    collections: dict[str, Any] | None  # a statement shown before: "te pago el viernes" is its balance


def build_dunning_subgraph(deps: GraphDeps) -> CompiledStateGraph:
    """statement, or promise: a promise to pay recorded once per (conversation, turn)."""

    def entry(state: OrkestaState) -> Literal["statement", "promise"]:
        return "promise" if reading_of(state).first("promise_to_pay") is not None else "statement"

    async def statement(state: OrkestaState) -> dict[str, Any]:
        text, collections = await statement_text(deps, state, lang(state))
        return say(state, "dunning.statement", text, **({"collections": collections} if collections else {}))

    async def promise(state: OrkestaState) -> dict[str, Any]:
        language = lang(state)
        act = reading_of(state).first("promise_to_pay")
        today = deps.clock().date()
        when, amount = (act.promise_date, act.promise_amount) if act is not None else (None, None)
        if when is None:
            when, parsed_amount = parse_promise(state.get("text", ""), today=today)
            amount = amount or parsed_amount
        if when is None:
            return say(state, "dunning.promise", say_in(language, "promise_when"))
        if amount is None:
            amount = await _amount_named(deps, state, today)
        conversation = state.get("conversation_id", "")
        try:
            recorded = await deps.accounts(state["tenant_id"]).record_promise(
                state.get("customer_id", ""), amount=amount, promised_date=when,
                source_text=state.get("text", ""), conversation_id=conversation,
                idempotency_key=f"{conversation}:{state.get('turn', 0)}",
            )
        except CustomerNotFoundError:
            return say(state, "dunning.promise", NO_ACCOUNT[language])
        await announce(deps.bus, state, PromiseToPay(promise_id=recorded.promise_id, promised_date=when,
                                                     amount=amount), from_agent=DUNNING)
        how_much = say_in(language, "promise_amount", amount=money(amount)) if amount is not None else ""
        return say(state, "dunning.promise",
                   say_in(language, "promise_recorded", amount=how_much, day=day(when, language)),
                   collections={"promise": recorded.model_dump(mode="json")})

    graph = StateGraph(OrkestaState, input_schema=DunningInput, output_schema=SubgraphOutput)
    graph.add_node("statement", statement)
    graph.add_node("promise", promise)
    graph.add_conditional_edges(START, entry)
    graph.add_edge("statement", END)
    graph.add_edge("promise", END)
    return graph.compile(name="dunning")


async def statement_text(deps: GraphDeps, state: OrkestaState, language: Language) -> tuple[str, dict[str, Any] | None]:
    """The customer's statement as said to them, and what collections keeps of it (None with no account)."""
    try:
        s = await deps.accounts(state["tenant_id"]).statement(state.get("customer_id", ""), today=deps.clock().date())
    except CustomerNotFoundError:
        return NO_ACCOUNT[language], None
    kept = {"statement": s.model_dump(mode="json")}
    if not s.invoices:
        return say_in(language, "statement_clear"), kept
    rows = [f"• {i.invoice_id}: {money(i.balance)}"
            + (say_in(language, "statement_overdue", days=i.days_overdue) if i.days_overdue > 0
               else say_in(language, "statement_due", due=f"{i.due_date:%d/%m}"))
            for i in s.invoices]
    total = say_in(language, "statement_total", total=money(s.total_due)) + (
        say_in(language, "statement_total_overdue", overdue=money(s.total_overdue)) if s.total_overdue > 0 else "")
    return "\n".join([say_in(language, "statement_head"), *rows, total, say_in(language, "statement_ask")]), kept


_ALL_OWED = re.compile(r"\b(?:todo|todas?|lo que (?:les |le )?debo|las \d+ facturas|las [23](?: facturas)?|"
                       r"los 2|ambas|el saldo|liquid\w*|complet[oa]|el total|everything|all of it|the balance|"
                       r"both(?: invoices)?|in full|it all|the whole (?:thing|amount|balance)|all i owe)\b")
# "les transfiero 1500 de lo que debo": a bare figure of a hundred or more is the amount, not a day
_BARE_AMOUNT = re.compile(r"(?<![\w/$.,])(\d{3,7})(?![\w/%])(?!\s+(?:de\s+)?(?:enero|febrero|marzo|abril|mayo|junio|"
                          r"julio|agosto|septiembre|octubre|noviembre|diciembre))")
_OVERDUE_OWED = re.compile(r"\b(?:lo vencido|las vencidas|lo atrasado|las atrasadas|what'?s overdue|the overdue)\b")
_OVERDUE_ASKED = re.compile(r"\b(?:vencid[oa]s?|atrasad[oa]s?|overdue|past due|late)\b")
_INVOICE_NAMED = re.compile(r"\b(?:factura|fac|la|el|invoice)\s*#?\s*(\d{3,6})\b")


async def _amount_named(deps: GraphDeps, state: OrkestaState, today: date) -> Decimal | None:
    """The amount a promise names through the invoices ("pago las 2 facturas", "la 483"): their balance."""
    norm = normalize(state.get("text", ""))
    if (bare := _BARE_AMOUNT.search(_INVOICE_NAMED.sub(" ", norm))) and int(bare[1]) >= 100:
        return Decimal(bare[1])
    named = _INVOICE_NAMED.findall(norm)
    if not named and not _ALL_OWED.search(norm):
        # "I want to pay invoice 528" … "I'll transfer it on Friday": the invoice said the message before; after a
        # statement, "te pago el viernes" is what it showed owed
        earlier = [m for m in state.get("messages") or [] if isinstance(m, HumanMessage)][-2:-1]
        named = _INVOICE_NAMED.findall(normalize(str(earlier[0].content))) if earlier else []
        if not named and not (state.get("collections") or {}).get("statement"):
            return None
    try:
        statement = await deps.accounts(state["tenant_id"]).statement(state.get("customer_id", ""), today=today)
    except CustomerNotFoundError:
        return None
    if named:
        balances = [i.balance for i in statement.invoices if any(i.invoice_id.endswith(n) for n in named)]
        return sum(balances, Decimal(0)) if balances else None
    before = [m for m in state.get("messages") or [] if isinstance(m, HumanMessage)][-2:-1]
    asked_overdue = bool(before) and _OVERDUE_ASKED.search(normalize(str(before[0].content))) is not None
    if (_OVERDUE_OWED.search(norm) or asked_overdue) and statement.total_overdue > 0:
        # "todo lo vencido se lo pago el lunes"; "¿cuánto traigo vencido?" … "eso te lo deposito el viernes"
        return statement.total_overdue
    return statement.total_due if statement.total_due > 0 else None
