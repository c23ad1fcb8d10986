"""Catalog subgraph: search the tenant's catalog, show numbered options, and answer how many are in stock.

search  "¿tienen tinacos?": numbered options with price and availability; a pick adds to the draft
stock   "¿cuántos tienen de tubo de 3/4?": the figure for the one product meant, else the options
        with their figures
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graph import draft
from graph.deps import GraphDeps
from graph.replies import option_rows, say_in, stock_figure
from graph.state import OrkestaState, SubgraphInput, SubgraphOutput
from graph.subgraphs.common import keep_draft, lang, reading_of, say
from graph.understanding.lines import detail_only, follow_up_words
from tools.catalog.models import Product

MAX_OPTIONS = 5


class CatalogInput(SubgraphInput, total=False):
    """The catalog subgraph reads the draft (kept open) and the product last asked about."""

    text: str
    cart: list[dict[str, Any]]
    quote: dict[str, Any] | None
    pending: str | None  # an order waiting for approval keeps waiting whatever is asked
    offer: dict[str, Any] | None
    options_for: str | None
    search_results: list[dict[str, Any]]  # the options a stock question showed: "de cobre" picks one of them
    last_product: dict[str, Any] | None
    quoted: list[dict[str, Any]]
    turn: int  # when a product was quoted: a bare count on the next turn is of it


def build_catalog_subgraph(deps: GraphDeps) -> CompiledStateGraph:
    """search, or stock."""

    def entry(state: OrkestaState) -> Literal["search", "stock"]:
        act = reading_of(state).first("search", "question", "choose")
        return "stock" if act is not None and act.kind in ("question", "choose") else "search"

    def words_of(state: OrkestaState) -> tuple[str, int | None]:
        act = reading_of(state).first("search", "question", "order")
        line = act.lines[0] if act is not None and act.lines else None
        last = (state.get("last_product") or {}).get("product")
        offer = state.get("offer") if state.get("pending") == "stock_offer" else None
        if offer is not None and line is None:  # "¿cuántos tienen?" to "solo tengo 5…": the product offered
            last = next((ln["name"] for ln in state.get("cart") or [] if ln["sku"] == offer["sku"]), last)
        if line is None:
            return last or "", None
        said = list({o["sku"]: o for o in [*(state.get("quoted") or []), *(state.get("cart") or [])]}.values())
        if detail_only(line) and (quoted := draft.quoted_with(said, line.product)) is not None:
            # "¿cuántos tienen del de 62?" after three heaters were quoted, "¿y de la de 30?" of a drafted line
            return quoted["name"], line.quantity
        return follow_up_words(line, last), line.quantity

    async def search(state: OrkestaState) -> dict[str, Any]:
        language = lang(state)
        words, quantity = words_of(state)
        catalog = deps.catalog(state["tenant_id"])
        found = await catalog.resolve(words, limit=MAX_OPTIONS) if words else None
        exact = found.product if found is not None else None
        if exact is not None and exact.stock > 0 and not quantity:
            # "valv esfera tuboplus 3/4": the one product it names, its stock and price, not its other sizes (one
            # sold out is listed with the rest: what there is instead is half the answer)
            return one_product(state, exact, words, "catalog.search")
        # "¿qué tinacos tienes?": the tinacos the words name first, not what is sold for them
        products = (found.fits if found is not None and len(found.fits) > 1 else None) \
            or await catalog.search(words or state.get("text", ""), limit=MAX_OPTIONS)
        if not products:
            return say(state, "catalog.search", say_in(language, "no_match", query=words or "eso"), **keep_draft(state))
        options = [draft.option_of(p) for p in products]
        ask = (say_in(language, "pick_for_quantity", quantity=quantity) if quantity
               else say_in(language, "pick_number"))
        # "¿tienen discos de 7?": whether they are in stock is half the question, so every row says it
        text = "\n".join([say_in(language, "options"), *option_rows(options, language, with_stock=True),
                          say_in(language, "prices_before_tax"), ask])
        return say(state, "catalog.search", text, pending="options_shown", options_for="order",
                   search_results=options, requested_quantity=quantity,
                   last_product={"product": words, "topic": "stock"}, last_topic="stock")

    async def stock(state: OrkestaState) -> dict[str, Any]:
        language = lang(state)
        catalog = deps.catalog(state["tenant_id"])
        pick = reading_of(state).first("choose") if state.get("options_for") == "stock" else None
        if pick is not None and (picked := draft.pick(state.get("search_results") or [], pick.option_index,
                                                      pick.option_hint)) is not None:
            # "de cobre" to "¿cuántos tienen de codo de 90 de 3/4?": the stock of the one picked
            words, product = picked["name"], await catalog.get(picked["sku"])
        elif (each := await _each_asked(state)) is not None:
            # "¿cuántos tinacos de 750 y de 2500 tienen?": each one's figure; "de los de 750 mándame 5" picks after
            rows = [stock_figure(p, language) if p.stock > 0 else say_in(language, "stock_none", name=p.name)
                    for p in each]
            options = [draft.option_of(p) for p in each]
            return say(state, "catalog.stock", "\n".join([*rows, say_in(language, "stock_ask")]), **keep_draft(state),
                       last_product={"product": each[-1].name, "option": options[-1], "topic": "stock",
                                     "turn": state.get("turn", 0)},
                       last_topic="stock", quoted=draft.remember(state.get("quoted"), options))
        else:
            words, _ = words_of(state)
            if not words:
                return say(state, "catalog.stock", say_in(language, "what_product"), **keep_draft(state))
            found = await catalog.resolve(words, limit=MAX_OPTIONS)
            alone = found.fits or found.near
            product = found.product or (alone[0] if len(alone) == 1 else None)
        if product is not None:
            return one_product(state, product, words, "catalog.stock")
        options = [draft.option_of(p) for p in (found.fits or found.near)]
        if not options:
            return say(state, "catalog.stock", say_in(language, "no_match", query=words), **keep_draft(state))
        text = "\n".join([say_in(language, "options"), *option_rows(options, language, with_stock=True),
                          say_in(language, "pick_number")])
        return say(state, "catalog.stock", text, pending="options_shown", options_for="stock", search_results=options,
                   last_product={"product": words, "topic": "stock"}, last_topic="stock")

    def one_product(state: OrkestaState, product: Product, words: str, node: str) -> dict[str, Any]:
        """One product's stock and price, remembered as quoted: "mándame 4" or "de la primera 5" take it next."""
        language = lang(state)
        option = draft.option_of(product)
        if product.stock > 0:
            text = " ".join([stock_figure(product, language), say_in(language, "stock_ask")])
        else:
            text = say_in(language, "stock_none", name=product.name)
        return say(state, node, text, **keep_draft(state),
                   last_product={"product": words, "option": option, "topic": "stock", "turn": state.get("turn", 0)},
                   last_topic="stock", quoted=draft.remember(state.get("quoted"), [option]))

    async def _each_asked(state: OrkestaState) -> list[Product] | None:
        """The products a stock question names one by one, when it names several and each is one product."""
        act = reading_of(state).first("question")
        if act is None or act.topic != "stock" or len(act.lines) < 2:
            return None
        catalog = deps.catalog(state["tenant_id"])
        found = [(await catalog.resolve(follow_up_words(ln, act.lines[0].product), limit=MAX_OPTIONS)).product
                 for ln in act.lines]
        named = [p for p in found if p is not None]
        return named if len(named) == len(found) and len({p.sku for p in named}) == len(named) else None

    graph = StateGraph(OrkestaState, input_schema=CatalogInput, output_schema=SubgraphOutput)
    graph.add_node("search", search)
    graph.add_node("stock", stock)
    graph.add_conditional_edges(START, entry)
    graph.add_edge("search", END)
    graph.add_edge("stock", END)
    return graph.compile(name="catalog")

