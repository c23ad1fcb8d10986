"""Pricing subgraph: the draft order's quote for confirmation, and price questions about products.

draft        the order subgraph hands the draft over: every line with its unit, tier and volume
             discounts shown apart, availability, IVA and the total, then "¿confirmo?"
ask          "¿a cómo el codo de 1/2?": one product is quoted; several variants are listed to pick
             from; "¿y el de 3/4?" asks again about the last product with one detail changed
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from core.locale import money
from graph import draft
from graph.deps import GraphDeps
from graph.replies import MAX_OPTIONS, Language, option_rows, say_in, units
from graph.state import OrkestaState, SubgraphInput, SubgraphOutput
from graph.subgraphs.common import keep_draft, lang, reading_of, say
from graph.understanding import Act
from graph.understanding import lexicon as lx
from graph.understanding.lines import follow_up_words, in_the_size_of, names_another_kind
from tools.pricing import LineInput, Quote, quote

DEFAULT_TIER = "bronze"  # a customer we do not know yet pays list price


class PricingInput(SubgraphInput, total=False):
    """The pricing subgraph reads the draft, the options shown and the product last asked about."""

    cart: list[dict[str, Any]]
    quote: dict[str, Any] | None
    pending: str | None
    options_for: str | None
    search_results: list[dict[str, Any]]
    last_product: dict[str, Any] | None
    quoted: list[dict[str, Any]]
    turn: int  # when a product was quoted: a bare count on the next turn is of it


def build_pricing_subgraph(deps: GraphDeps) -> CompiledStateGraph:
    """draft, or ask."""

    def entry(state: OrkestaState) -> Literal["draft", "ask"]:
        route = state.get("route") or []
        return "draft" if route and route[-1].startswith("order.") else "ask"

    async def tier_of(state: OrkestaState) -> str:
        customer = await deps.accounts(state["tenant_id"]).get_customer(state.get("customer_id", ""))
        return customer.tier if customer else DEFAULT_TIER

    async def price_draft(state: OrkestaState) -> dict[str, Any]:
        cart = state.get("cart") or []
        language = lang(state)
        q = quote([_line_input(line) for line in cart], tier=await tier_of(state), policy=deps.pricing)
        text = "\n".join([say_in(language, "draft_head"), *quote_rows(q, cart, language),
                          say_in(language, "totals", net=money(q.net), tax=money(q.tax), gross=money(q.gross)),
                          say_in(language, "confirm_ask")])
        return say(state, "pricing.draft", text, quote=q.model_dump(mode="json"), pending="awaiting_confirmation",
                   options_for=None, search_results=[])

    async def price_ask(state: OrkestaState) -> dict[str, Any]:
        language = lang(state)
        keep = keep_draft(state)
        reading = reading_of(state)
        last = state.get("last_product") or {}
        words = None
        if state.get("options_for") == "price" and (act := reading.first("choose")) is not None:
            picked = draft.pick(state.get("search_results") or [], act.option_index, act.option_hint)
            if picked is not None:
                return await _quote_one(state, picked, act.quantity or 1, keep)
            if act.option_hint:  # "el de pvc de 90" fits no option shown alone: ask again with those words
                words = f"{last.get('product') or ''} {act.option_hint}".strip()
        act = reading.first("question") or Act(kind="question", topic="price")
        catalog = deps.catalog(state["tenant_id"])
        if words is None and len(act.lines) > 1:  # "¿qué diferencia hay entre la truper y la 3m?": each one
            found_each = [await catalog.resolve(follow_up_words(ln, act.lines[0].product), limit=MAX_OPTIONS)
                          for ln in act.lines]
            named = [draft.option_of(f.product) for f in found_each if f.product is not None]
            if len(named) == len(act.lines):
                return await _quote(state, [(option, 1) for option in named], keep)
        line = act.lines[0] if act.lines else None
        if line is not None and (said := (last.get("option") or {}).get("name") or last.get("product")):
            line = in_the_size_of(line, said)  # "and the pvc coupling, same size?"
        found = None
        if words is None and line is not None and names_another_kind(line.product, last.get("product")):
            own = await catalog.resolve(line.product, limit=MAX_OPTIONS)
            if own.product is not None and line.product.split()[0] in lx.normalize(own.product.name).split():
                words, found = line.product, own  # "¿y la check de 1/2?" after a gate valve: the check valve
        if words is None:  # "¿y si me llevo 20?" names no product: the one just quoted
            words = follow_up_words(line, last.get("product")) if line is not None and line.product \
                else last.get("product")
        if not words:
            return say(state, "pricing.ask", say_in(language, "no_quote"), **keep)
        found = found or await catalog.resolve(words, limit=MAX_OPTIONS)
        quantity = (line.quantity if line is not None else None) or 1
        if found.product is not None:
            return await _quote_one(state, draft.option_of(found.product), quantity, keep, words=words)
        options = [draft.option_of(p) for p in (found.fits or found.near)]
        if not options:
            return say(state, "pricing.ask", say_in(language, "no_quote"), **keep)
        text = "\n".join([say_in(language, "options"), *option_rows(options, language),
                          say_in(language, "prices_before_tax"),
                          say_in(language, "pick_number")])
        return say(state, "pricing.ask", text, pending="options_shown", options_for="price", search_results=options,
                   last_product={"product": words, "topic": "price"}, last_topic="price")

    async def _quote_one(state: OrkestaState, option: dict[str, Any], quantity: int, keep: dict[str, Any],
                         *, words: str | None = None) -> dict[str, Any]:
        return await _quote(state, [(option, quantity)], keep, words=words)

    async def _quote(state: OrkestaState, items: list[tuple[dict[str, Any], int]], keep: dict[str, Any],
                     *, words: str | None = None) -> dict[str, Any]:
        language = lang(state)
        lines = [draft.line_of(option, quantity) for option, quantity in items]
        line = lines[-1]
        option, quantity = items[-1]
        q = quote([_line_input(ln) for ln in lines], tier=await tier_of(state), policy=deps.pricing)
        text = "\n".join([say_in(language, "quote_head"), *quote_rows(q, lines, language),
                          say_in(language, "totals", net=money(q.net), tax=money(q.tax), gross=money(q.gross)),
                          say_in(language, "quote_ask", units=units(line["unit"], 2, language))])
        if keep.get("pending") == "awaiting_confirmation":
            text += "\n\n" + say_in(language, "draft_open")
        remembered = {"product": words or option["name"], "option": option, "quantity": quantity, "topic": "price",
                      "turn": state.get("turn", 0)}
        return say(state, "pricing.ask", text, last_product=remembered, last_topic="price",
                   quoted=draft.remember(state.get("quoted"), [option for option, _ in items]), **keep)

    graph = StateGraph(OrkestaState, input_schema=PricingInput, output_schema=SubgraphOutput)
    graph.add_node("draft", price_draft)
    graph.add_node("ask", price_ask)
    graph.add_conditional_edges(START, entry)
    graph.add_edge("draft", END)
    graph.add_edge("ask", END)
    return graph.compile(name="pricing")


def _line_input(line: dict[str, Any]) -> LineInput:
    return LineInput(sku=line["sku"], name=line["name"], quantity=line["quantity"],
                     list_price=Decimal(str(line["list_price"])))


def _rate(value: Decimal) -> str:
    return f"{(value * 100).normalize():f} %"


def quote_rows(q: Quote, lines: list[dict[str, Any]], language: Language) -> list[str]:
    """One row per quoted line: units, list amount, each discount apart, net, and what waits for stock."""
    by_sku = {line["sku"]: line for line in lines}
    rows = []
    for ql in q.lines:
        line = by_sku.get(ql.sku, {})
        discounts = ""
        if ql.tier_discount_amount:
            discounts += say_in(language, "tier_discount", rate=_rate(ql.tier_discount_rate),
                                amount=money(ql.tier_discount_amount))
        if ql.volume_discount_amount:
            discounts += say_in(language, "volume_discount", rate=_rate(ql.volume_discount_rate),
                                amount=money(ql.volume_discount_amount))
        rest, stock = int(line.get("backorder") or 0), int(line.get("stock") or 0)
        if rest:
            availability = say_in(language, "backorder_note", rest=rest)
        elif stock >= ql.quantity:
            availability = say_in(language, "available_note")
        elif stock > 0:  # a price asked about (the draft never holds more than there is)
            availability = say_in(language, "short_note", stock=stock)
        else:
            availability = say_in(language, "sold_out_note")
        # "¿la de bronce cuánto sale?": what one costs, beside what the line comes to
        each = say_in(language, "each", price=money(ql.unit_list_price)) if ql.quantity > 1 else ""
        rows.append(say_in(language, "line", quantity=ql.quantity, each=each,
                           units=units(line.get("unit") or "pieza", ql.quantity, language), name=ql.name,
                           list_amount=money(ql.list_amount), discounts=discounts, net=money(ql.net),
                           availability=availability))
    return rows
