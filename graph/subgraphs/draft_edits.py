"""One turn's edits to the draft order: the reader's acts applied in order, the lines matched to products,
and what the turn says next (a line to choose, a stock offer, or the quote)."""

from __future__ import annotations

import re
from typing import Any

from langgraph.types import Command

from graph import draft
from graph.deps import GraphDeps
from graph.replies import MAX_OPTIONS, option_rows, say_in, stock_figure, units
from graph.state import OrkestaState
from graph.subgraphs.common import handoff, lang, say
from graph.understanding import Act, Line
from graph.understanding import lexicon as lx
from graph.understanding.lines import (
    detail_only,
    follow_up_words,
    in_the_size_of,
    is_fitting,
    like_the_others,
    line_of_words,
    names_material,
    names_variant,
    noun_of,
    size_of,
    split_comparative,
)
from tools.catalog import Catalog, Product, Resolution
from tools.catalog import normalize as fold

_UNIT_ALONE = re.compile(r"(?:\d{1,5} )?(?P<u>tramos|tramo|rollos|rollo|cajas|caja|metros|lengths|rolls|boxes)"
                         r"(?: \d{1,5})?")
_OPTION_KEYS = ("sku", "name", "list_price", "unit", "stock", "brand")
# What options are shown for when a pick with a count adds that product to the draft.
_PICKS_THAT_ADD = ("order", "price", "stock")


class DraftEdits:
    """One turn's work on the draft: the acts applied in order, then the lines matched to products."""

    def __init__(self, state: OrkestaState) -> None:
        self.lang = lang(state)
        self.cart: list[dict[str, Any]] = list(state.get("cart") or [])
        self.unresolved: list[dict[str, Any]] = list(state.get("unresolved") or [])
        # lines taken out of this draft ("quítale los kits"), for "siempre sí ponlos"; an order closed clears them
        self.removed: list[dict[str, Any]] = list(state.get("removed") or [])
        self.options: list[dict[str, Any]] = list(state.get("search_results") or [])
        self.options_for = state.get("options_for") if state.get("pending") == "options_shown" else None
        self.offer = state.get("offer") if state.get("pending") == "stock_offer" else None
        self.last_product = state.get("last_product")
        # a product quoted or its stock given on the turn before: "ponle 10" is ten of it
        last = self.last_product or {}
        quoted = last.get("option")
        fresh = quoted is not None and last.get("turn") == state.get("turn", 0) - 1
        self.quoted: dict[str, Any] | None = quoted if fresh and all(
            ln["sku"] != quoted["sku"] for ln in self.cart) else None
        self.requested = state.get("requested_quantity")
        self.asked_about: list[dict[str, Any]] = list(state.get("quoted") or [])  # quoted one by one, in order
        self.picked_from: list[dict[str, Any]] = []  # the options a pick this turn was made among
        # "¿a cómo la de 18 y la de 24?" drafts one of each, a quote: the lines the buyer then counts are the order
        self.quoted_lines = [ln["sku"] for ln in self.cart if ln.get("unsaid")]
        self.counted_quoted: list[str] = []
        # "ocupo 10, mándame los 7 y el resto cuando llegue": the answer to a stock offer said before it is made
        self.stock_said: bool | None = None
        # "ocupo 3 cajas" … "de pija 8 x 3/4": a count said with no product waits one turn for it
        # (or, with a draft to confirm, "8" … "coladeras": eight more of a new line)
        self.counted = self.requested if (not state.get("pending") and not self.cart) \
            or state.get("pending") == "awaiting_confirmation" else None
        self.asked_for: int | None = None  # a count said this turn with no product: the next turn names it
        self.asked_unit: str | None = None
        self.stock_asked: list[Line] = []  # products asked about in stock beside the edits
        self.in_detail: list[Line] = []  # a material or brand said for no line: each line that comes in it
        self.notes: list[str] = []
        self.added: dict[str, Any] | None = None  # the line this turn added last, still to be matched
        # the words and product name of the line this turn changed last: "y 20 de 1/2" after "las tees hazlas 20
        # de 3/4" is tees like those, in 1/2
        self.touched: tuple[str, str | None] | None = None
        self._tenant = state["tenant_id"]
        self._turn = state.get("turn", 0)

    # --- applying acts

    def apply(self, act: Act) -> None:
        match act.kind:
            case "order" if act.target in draft.EVERY_LINE and act.lines and not act.lines[0].product:
                self._each(act.lines[0].quantity or 1)  # "de esos, 10 de cada uno"
            case "choose" if act.option_hint in draft.THE_OTHER and act.quantity and self._count_the_other(
                    act.quantity):
                pass  # "… y 1 del otro": the one of those quoted or shown not picked yet
            case "choose" if act.quantity and not self.options_for and (
                    picked := draft.pick(self._quoted(counted=True), act.option_index, act.option_hint)) is not None:
                self._count_quoted(picked["sku"], act.quantity)  # "2 del más grande" of those quoted together
            case "choose" if (act.option_index is not None and act.quantity and not self.options_for
                              and not self.asked_about and -len(self.cart) <= act.option_index < len(self.cart)):
                self._recount(act.option_index, act.quantity, adding=False)  # "del último ponme 3": that line
            case "choose" if not self.options_for and self.picked_from and (
                    picked := draft.pick(self.picked_from, act.option_index, act.option_hint)) is not None:
                self._take(picked, act.quantity or 1)  # "10 de 1/2 y 10 de 3/4": a second pick among those shown
            case "choose" if not self.options_for and self.asked_about and (
                    picked := draft.pick(self.asked_about, act.option_index, act.option_hint)) is not None:
                self._take(picked, act.quantity or 1)  # "2 del primero que te pregunté": one quoted before
            case "order" | "add" if (act.target in draft.EVERY_LINE and self.cart and act.lines
                                     and not detail_only(act.lines[0])
                                     and all(ln.quantity is None for ln in act.lines)):
                # "plus an accessory kit for each one": as many as the line before
                count = int(self.cart[-1]["quantity"]) + int(self.cart[-1].get("backorder") or 0)
                self._add_lines([ln.model_copy(update={"quantity": count}) for ln in act.lines], quantity=None)
            case "add" if act.target in draft.EVERY_LINE and act.lines and detail_only(act.lines[0]):
                self._every_line_again(act.lines[0])
            case "order" | "add" | "search":
                self._add_lines(act.lines, quantity=None, adding=act.kind == "add")
            case "question" if act.topic == "price" and len(act.lines) > 1:
                self._add_lines(act.lines, quantity=None)  # a quote of several lines is the draft
            case "question" if act.topic == "stock" and act.lines and not detail_only(act.lines[0]):
                self.stock_asked += act.lines  # "…, y el contacto gfci ¿cuántos tienen?": answered with the draft
            case "question" if act.topic is None or act.topic in ("price", "stock"):
                if self.options_for and act.lines and detail_only(act.lines[0]):
                    self._choose(None, act.lines[0].product, None)  # "¿y el de cobre?" among the options
            case "choose" if not self.options_for and act.option_hint and self.cart:
                # "las de bronce" with the draft shown: the line it fits, in that variant
                self._replace(Act(kind="replace", lines=[Line(product=act.option_hint)]))
            case "choose" if (len(self.options) == 1 and self.options_for and act.option_hint
                              and act.option_hint.isdigit() and act.quantity is None
                              and act.option_hint not in re.findall(r"\d+", self.options[0]["name"])
                              and act.option_hint not in ("45", "90")):
                self._choose(0, None, int(act.option_hint))  # "15" to the one option shown: fifteen of it
            case "choose":
                waiting = self.unresolved[1:] if self.options_for == "line" else []
                self._choose(act.option_index, act.option_hint, act.quantity)
                if act.target in draft.EVERY_LINE and act.option_hint:  # "cpvc, los dos": the lines waiting too
                    said = line_of_words(act.option_hint)
                    for head in waiting:
                        head.pop("options", None)
                        head["product"] = follow_up_words(said, head["product"])
            case "confirm" | "ack" if self.options_for and len(self.options) == 1:
                self._choose(0, None, None)  # "sí" when one option is shown
            case "remove" if act.quantity and (index := draft.find(self.cart, act.target)) is not None \
                    and self.cart[index]["quantity"] > act.quantity:
                self._recount(index, self.cart[index]["quantity"] - act.quantity, adding=False)  # "quítale 5 a…"
            case "remove":
                self._remove(act.target)
            case "restore":
                self._restore(act.target)
            case "change_quantity" if act.target in draft.EVERY_LINE and act.quantity:
                self._recount_every(act.quantity)  # "mejor 40 de cada uno"
            case "change_quantity":
                self._change(act.target, act.quantity)
            case "replace" if act.target in draft.EVERY_LINE:
                for line in list(self.cart):  # "todo de 1 pulgada": each line in that variant
                    self._replace(act.model_copy(update={"target": line["sku"]}))
            case "replace":
                self._replace(act)
            case "stock_answer" if self.offer is None:
                self.stock_said = bool(act.backorder)
            case "stock_answer":
                self._stock_answer(backorder=bool(act.backorder), target=act.target)
            case "cancel":
                self._cancel_part()

    def _add_lines(self, lines: list[Line], *, quantity: int | None, adding: bool = False) -> None:
        deferred: int | None = None
        for i, line in enumerate(lines):
            if self.cart:
                line = in_the_size_of(line, self.cart[-1]["name"])  # "tmb 30 codos 45 sanitarios del mismo"
            if not line.product and line.quantity and self.options_for and len(self.options) > 1 and lines[i + 1:]:
                deferred = line.quantity  # "mándame 2 de esos y uno de 1/2": the option the rest does not pick
                continue
            if adding and line.quantity and line.product and (
                    at := draft.position(line.product, self.cart)) is not None:
                self._recount(at, line.quantity, adding=True)  # "del primero ponle 20 más": twenty more of that line
                continue
            if line.product in draft.THE_OTHER and line.quantity and self._count_the_other(line.quantity):
                continue  # "5 de las de 30 m" … "y 3 de las otras": the option not picked, too
            if self.options_for and detail_only(line):
                self._choose(None, line.product, line.quantity)  # "pvc", "los de cobre": answers the options shown
                continue
            if line.product and line.quantity and not self.options_for and (
                    picked := draft.pick(self._quoted(counted=True), None, line.product)) is not None:
                self._count_quoted(picked["sku"], line.quantity)  # "ok dame 20 de la truper" of two quoted
                continue
            if (self.options_for == "line" and self.unresolved and line.product
                    and _same_noun(line.product, str(self.unresolved[0].get("product") or ""))
                    and draft.pick(self.options, None, line.product) is not None):
                # "ni modo, entonces ponme 30 codos de 45 de 1" while the codos are asked about: that one of them
                self._choose(None, line.product, line.quantity)
                continue
            if (self.cart and line.quantity is None and line.attributes and detail_only(line)
                    and draft.has_variant(self.cart, " ".join(line.attributes))):
                continue  # "pvc tmb" with the PVC lines drafted: the draft already is so
            if line.product and detail_only(line) and not self.options_for and self.touched is not None:
                words, like = self.touched
                self.unresolved.append({"product": follow_up_words(line, words), "quantity": line.quantity or quantity,
                                        **({"like": like} if like else {})})
                continue
            if (line.product and line.quantity and detail_only(line) and not self.options_for
                    and len(self.asked_about) > 1 and (picked := draft.quoted_with(self.asked_about, line.product))):
                self._take(picked, line.quantity, adding=adding)  # "3 cubetas del de 10 años": the one quoted so
                continue
            if line.product and detail_only(line) and not self.options_for and self.last_product:
                # "20 de la de 3/4": the product just talked about, in another size
                line = line.model_copy(update={"product": follow_up_words(line, self.last_product.get("product"))})
            elif line.product and detail_only(line) and not self.options_for and self.cart:
                # "2 stilson de 18" … "y otro par de 24": the line last drafted, in that size
                last = self.cart[-1]
                line = line.model_copy(update={"product": follow_up_words(line, last.get("asked") or last["name"])})
            elif (line.product and not line.size and not self.options_for and self.last_product
                  and _same_noun(line.product, str(self.last_product.get("product") or ""))):
                # "apártame 5 tramos del tipo M" after the 1" pipe was quoted: that pipe, in type M
                rest = " ".join(line.product.split()[1:])
                said = line_of_words(rest)
                if rest and detail_only(said):
                    line = line.model_copy(update={"product": follow_up_words(said, self.last_product.get("product"))})
            if not line.product and self.last_product is not None:
                # "mándame 100", "apártamelos": the product last quoted or asked about
                product = self.last_product.get("option")
                qty = line.quantity or self.last_product.get("quantity") or 1
                if product is not None:
                    self._take(product, qty, adding=adding)  # "apártame las 20" of the line drafted: 20 in all
                    continue
            if not line.product and self.options_for in _PICKS_THAT_ADD and self.options:
                # "send 6 of those" with options shown: the one shown, the one sold in the unit said ("dame 25
                # metros"), or which of them, for that many
                fit = self.options[0] if len(self.options) == 1 else draft.sold_in(self.options, line.unit)
                self._choose(None if fit is None else self.options.index(fit), None, line.quantity)
                continue
            if not line.product and line.quantity and len(self.cart) == 1:
                # "ponle otras 10" to a one-line draft: more of that line ("mándame 30": 30 of it in all)
                self._recount(0, line.quantity, adding=adding)
                continue
            if not line.product:
                self.asked_for = line.quantity
                self.asked_unit = line.unit
                continue
            noun = noun_of(line.product)
            if (line.quantity is None and noun and names_variant(line) and not self.options_for
                    and draft.find(self.cart, noun) is not None):
                # "tees de 2", "mejor codos de 45" with the tees drafted: that line, in the variant named
                detail = re.sub(r"^(?:de|en|del)\s+", "", " ".join(line.product.split()[1:]))
                self._replace(Act(kind="replace", target=noun, lines=[line_of_words(detail)]))
                continue
            if (line.quantity and noun and line.product.split() == [noun] and not self.options_for
                    and (drafted := draft.find(self.cart, noun)) is not None):
                # "cpl 30", "las tee 15", "pija 5 cajas" with that one line drafted: its count ("+5 tees": 5 more)
                self._recount(drafted, line.quantity, adding=adding)
                continue
            if not self.options_for and (like := like_the_others(line.product, [ln["name"] for ln in self.cart])):
                line = line.model_copy(update={"product": like})  # "y 10 tees" after coples pvc de 3/4: those tees
            count = line.quantity or quantity or self.counted
            words, cheaper = split_comparative(line.product)  # "los más baratos que tengas": picked by price
            self.unresolved.append(line.model_dump(mode="json") | {"quantity": count, "product": words}
                                   | ({"pick": cheaper} if cheaper else {}))
            self.added = self.unresolved[-1]
        if deferred is not None:
            drafted = {ln["sku"] for ln in self.cart}
            left = [o for o in self.picked_from or self.options if o["sku"] not in drafted]
            if len(left) == 1:
                self._take(left[0], deferred)
            else:
                self.unresolved.insert(0, {"product": "", "quantity": deferred, "options": left})

    def _each(self, quantity: int) -> None:
        """That many of each product quoted before ("uno de cada uno"), else of each drafted line."""
        if not self.asked_about:
            self._recount_every(quantity)
        for option in self.asked_about:
            self._take(option, quantity)

    def _add_line(self, product: Product | dict[str, Any], quantity: int, head: dict[str, Any], *,
                  others: list[dict[str, Any]] | None = None) -> None:
        """A new line for the product a waiting line resolved to, counted in the unit the product is sold in."""
        count, pack = draft.in_packs(product, quantity, head.get("unit"))
        count, length = draft.in_lengths(product, count, head.get("unit"))
        count, litres = draft.in_containers(product, count, head.get("unit"))
        line = draft.line_of(product, count, asked=head.get("product"), others=others)
        if not head.get("quantity"):
            line["unsaid"] = True  # "¿cuánto cuestan la bomba y el tanque?": one of each until a count is said
        if head.get("quantity") and any(ln["sku"] == line["sku"] and ln.get("unsaid") for ln in self.cart) \
                and line["sku"] in self.quoted_lines:
            self.counted_quoted.append(line["sku"])  # "mándame 3 del rotoplas" of two flotadores quoted
        if pack is not None:
            self.notes.append(say_in(self.lang, "in_packs", name=line["name"], size=pack, said=quantity, boxes=count,
                                     units=units(line["unit"], count, self.lang)))
        if length is not None:
            self.notes.append(say_in(self.lang, "in_lengths", name=line["name"], size=f"{length:g}", said=quantity,
                                     count=count, units=units(line["unit"], count, self.lang)))
        if litres is not None:
            self.notes.append(say_in(self.lang, "in_containers", name=line["name"], size=litres, said=quantity,
                                     count=count, units=units(line["unit"], count, self.lang)))
        self.cart = draft.add(self.cart, line)

    def _take(self, option: dict[str, Any], quantity: int, *, adding: bool = False) -> None:
        """`quantity` units of a product said before: a new line, or its line recounted (or that many more)."""
        drafted = next((i for i, ln in enumerate(self.cart) if ln["sku"] == option["sku"]), None)
        if drafted is None:
            self.cart = draft.add(self.cart, draft.line_of(option, quantity))
        else:
            self._recount(drafted, quantity, adding=adding)

    def _every_line_again(self, detail: Line) -> None:
        """ "de esos mismos pero de 1": each drafted line once more, in that detail (as many, unless said)."""
        sized = [ln for ln in self.cart if size_of(lx.normalize(ln["name"]))]
        for line in sized if detail.size and sized else list(self.cart):  # "pero de 1": the lines that come in inches
            words = follow_up_words(detail, line.get("asked") or line["name"])
            self.unresolved.append({"product": words, "quantity": detail.quantity or line["quantity"],
                                    "like": line["name"]})

    def _choose(self, index: int | None, hint: str | None, quantity: int | None) -> None:
        picked = draft.pick(self.options, index, hint)
        if picked is None and not self.options and hint is None and quantity is None and index is not None \
                and index >= len(self.cart):
            self.asked_for = index + 1  # "tapón registro 4" … "8" with the draft open: eight of what comes next
            return
        if picked is None:
            if hint and self.options_for == "line" and self.unresolved:
                # "el de pvc de 90" and no option shown fits alone: match the line again with those words
                # ("el tuboplus" after pvc ones sold out: the line's material gives way to the one named)
                head = self.unresolved[0]
                said = line_of_words(hint)
                # ("q sean de 90" after 45° elbows sold out: the angle gives way too)
                swaps = names_material(hint) or bool(set(hint.split()) & {"45", "90"})
                words = (follow_up_words(said, head["product"]) if detail_only(said) and swaps
                         else f"{head['product']} {hint}")
                self.unresolved[0] = {k: v for k, v in head.items() if k != "options"} | {"product": words}
                self.options, self.options_for = [], None
            elif (self.options_for in _PICKS_THAT_ADD and hint and quantity and self.last_product
                  and (unit := _UNIT_ALONE.fullmatch(hint)) is not None):
                # "tramos 15" and no option shown is sold by the length: the product asked about, in that unit
                words = str(self.last_product.get("product") or "")
                if unit["u"] in ("tramos", "tramo", "lengths", "metros") and noun_of(words) is None:
                    words = f"tubo {words}"  # only pipe is sold by the length
                self.unresolved.append({"product": words, "quantity": quantity, "unit": unit["u"]})
                self.options, self.options_for = [], None
            elif (self.options_for in _PICKS_THAT_ADD and hint and quantity and self.last_product
                  and detail_only(said := line_of_words(hint))):
                # "apártame 3 del 10 y 5 del 14" after quotes of the 10 and the 14: each the product last asked
                # about, in the detail said
                words = follow_up_words(said, self.last_product.get("product"))
                self.unresolved.append({"product": words, "quantity": quantity})
                self.options, self.options_for = [], None
            elif self.options_for in _PICKS_THAT_ADD and self.options:  # not one of those shown: ask again
                self.unresolved.insert(0, {"product": hint or "", "quantity": quantity or self.requested,
                                           "options": self.options})
            return
        others = [o for o in self.options if o["sku"] != picked["sku"]]
        if self.options_for == "line" and self.unresolved:
            head = self.unresolved.pop(0)
            # "ponme los de 90" for a line of 20: the line's count (an order verb alone reads as one)
            qty = head.get("quantity") if quantity in (None, 1) and head.get("quantity") else quantity or 1
            self._add_line(picked, qty, head, others=others)
        else:
            self.cart = draft.add(self.cart, draft.line_of(picked, quantity or self.requested or 1, others=others))
        self.picked_from = self.options
        self.options, self.options_for = [], None

    def _remove(self, target: str | None) -> None:
        index = draft.find(self.cart, target)
        if index is None:
            if target and self.unresolved and _mentions(self.unresolved[0], target):
                self.unresolved.pop(0)
                self.options, self.options_for = [], None
                return
            self.notes.append(say_in(self.lang, "not_in_draft", target=target or "eso"))
            return
        removed = self.cart.pop(index)
        self.removed.append(removed | {"removed_turn": self._turn})
        self.notes.append(say_in(self.lang, "removed", name=removed["name"]))

    def _restore(self, target: str | None) -> None:
        """The lines named, else those taken out last (all of one turn's), back in the draft as they were."""
        if target and (index := draft.find(self.removed, target)) is not None:
            back = [self.removed.pop(index)]
        elif not target and self.removed:
            last = self.removed[-1]["removed_turn"]
            back = [ln for ln in self.removed if ln["removed_turn"] == last]
            self.removed = [ln for ln in self.removed if ln["removed_turn"] != last]
        else:
            self.notes.append(say_in(self.lang, "not_in_draft", target=target or "eso"))
            return
        for line in back:
            line = {k: v for k, v in line.items() if k != "removed_turn"}
            self.cart = draft.add(self.cart, line)
            self.notes.append(say_in(self.lang, "restored", name=line["name"]))

    def _change(self, target: str | None, quantity: int | None) -> None:
        if quantity is None:
            return
        if target is None and self.added is not None:  # "…mejor sencillos, ponle 4": the line just named
            self.added["quantity"] = quantity
            return
        if target is None and self.quoted is not None:  # "¿y el cople galvanizado?" … "ponle 10": ten of it
            self.cart = draft.add(self.cart, draft.line_of(self.quoted, quantity))
            self.quoted = None
            return
        index = draft.find(self.cart, target)
        if index is not None and target and not draft.of_its_kind(self.cart[index], target):
            index = None  # "sellador fester 1" beside the Fester waterproofing: a sealer, a new line
        if index is None and target is None and self.offer is not None:
            index = next((i for i, ln in enumerate(self.cart) if ln["sku"] == self.offer["sku"]), None)
        if index is None and target is None and self.cart:
            index = len(self.cart) - 1  # "mejor que sean 30": the line last added
        if index is None:
            if self.unresolved and (target is None or _mentions(self.unresolved[0], target)):
                self.unresolved[0] = self.unresolved[0] | {"quantity": quantity}
                return
            if target and (asked := draft.quoted_with(self.asked_about, target)) is not None:
                self._take(asked, quantity)  # "y de la dica 10" of the products quoted before
                return
            # "eran 10 tees" with no tees yet: a new line
            if target:
                self.unresolved.append(Line(product=target, quantity=quantity).model_dump(mode="json"))
            return
        if target and self.cart[index].get("unsaid") and self.cart[index]["sku"] in self.quoted_lines:
            self.counted_quoted.append(self.cart[index]["sku"])  # "de la urrea mándame 6" of two quoted
        self._recount(index, quantity, adding=False)

    def _recount_every(self, quantity: int) -> None:
        for i in range(len(self.cart)):
            self._recount(i, quantity, adding=False)

    def _recount(self, index: int, quantity: int, *, adding: bool) -> None:
        """Line `index` at `quantity` units, or that many more; a backorder offered before no longer holds."""
        line = {k: v for k, v in self.cart[index].items() if k != "unsaid"}
        quantity, _ = draft.in_packs(line, quantity, None)  # "no, que sean quinientas" of a box of 100: 5 boxes
        more = adding and not self.cart[index].get("unsaid")  # "+5" to a line quoted with no count: five
        self.cart[index] = line | {"quantity": quantity + (line["quantity"] if more else 0), "backorder": 0}

    def _replace(self, act: Act) -> None:
        index = draft.find(self.cart, act.target)
        new = act.lines[0] if act.lines else None
        if new is not None and new.product == "otra marca" and (self.cart or (self.last_product or {}).get("option")):
            self._other_brand(index, new.quantity)  # "no, entonces de la otra marca, los 60"
            return
        if not act.target and new is not None and new.product in draft.THE_OTHER:
            self._the_other()  # "nel, mejor el otro": the option not picked
            return
        if (index is None and not act.target and len(self.cart) > 1 and new is not None and detail_only(new)
                and not (new.size or size_of(new.product))):
            self.in_detail.append(new)  # "las de bronce", "cambia a cobre": the lines that come so, found in resolve
            return
        if index is None and not act.target and self.cart and new is not None and detail_only(new):
            index = len(self.cart) - 1  # "mmm y si mejor de 3/4?": the line last added
        if index is None and not act.target and self.offer is not None and new is not None \
                and _points_back(new.product):
            # "entonces mejor esas, las 12" to an offer short of stock: the product just quoted for the line offered
            index = next((i for i, ln in enumerate(self.cart) if ln["sku"] in self._offered()), None)
        if (index is None and new is not None and detail_only(new) and self.options_for == "line" and self.unresolved
                and act.target and _mentions(self.unresolved[0], act.target)):
            self.touched = (self.unresolved[0]["product"], None)
            self._choose(None, new.product, new.quantity)  # "las tees también de cobre" while the tees are asked about
            return
        if index is None or new is None:
            self.notes.append(say_in(self.lang, "not_in_draft", target=act.target or "eso"))
            return
        old = self.cart.pop(index)
        last = (self.last_product or {}).get("option")
        if last and (_points_back(new.product) or (self.quoted and draft.pick([last], None, new.product))):
            # "cámbialas por esas helvex", "swap them for the cinsa ones": the product just quoted
            quantity = new.quantity or old["quantity"]
            self.cart = draft.add(self.cart, draft.line_of(last, quantity))
            return
        base = old.get("asked") or old["name"]
        self.touched = (base, old["name"])
        if draft.compares(new.product) or detail_only(new):
            # "la más barata", "las de bronce": the customer's words for the line, that variant picked
            words = base if draft.compares(new.product) else follow_up_words(new, base)
            self.unresolved.append({"product": words, "quantity": new.quantity or old["quantity"], "pick": new.product,
                                    "like": old["name"]})
            self.added = self.unresolved[-1]
            return
        words = _with_old_noun(new.product, old["name"])
        line = Line(product=words, quantity=new.quantity or old["quantity"]).model_dump(mode="json")
        # "tees de 2" for PVC hydraulic coples: hydraulic; the old line comes back if the new words find nothing
        self.unresolved.append(line | {"like": old["name"], "was": old})
        self.added = self.unresolved[-1]

    def _other_brand(self, index: int | None, quantity: int | None) -> None:
        """The line offered short (or the one named, or the last) swapped for the same product in another brand."""
        if index is None and self.offer is not None:
            index = next((i for i, ln in enumerate(self.cart) if ln["sku"] in self._offered()), None)
        if self.cart:
            old = self.cart.pop(len(self.cart) - 1 if index is None else index)
        else:  # "¿cuántas llaves de nariz urrea tienes?" … "ocupo 100, mejor de la otra marca"
            old = draft.line_of(self.last_product["option"], quantity or 1)  # type: ignore[index]
        wanted = quantity or int(old["quantity"]) + int(old.get("backorder") or 0)
        kind = old["name"].split()[0]
        quoted = [o for o in self.asked_about if o.get("brand") != old.get("brand") and o["name"].split()[0] == kind]
        if len(quoted) == 1:  # the other brand quoted before: "el calorex" … "el cinsa" … "de la otra marca"
            self._take(quoted[0], wanted)
            self.offer = None
            return
        brand = fold(str(old.get("brand") or "")).lower()
        words = " ".join(w for w in lx.normalize(old.get("asked") or old["name"]).split() if w != brand)
        self.unresolved.append({"product": words, "quantity": wanted, "not_brand": old.get("brand"), "was": old,
                                "like": old["name"]})
        self.offer = None

    def _last_picked(self) -> int | None:
        """The line last picked among options (the one that remembers the others), or None."""
        return next((i for i in range(len(self.cart) - 1, -1, -1) if self.cart[i].get("others")), None)

    def _offered(self) -> set[str]:
        """The SKUs the open stock offer is about (an offer stored before several lines were offered: its one)."""
        assert self.offer is not None
        return set(self.offer.get("skus") or [self.offer["sku"]])

    def _the_other(self) -> None:
        """The line last picked among options, swapped for the other one (or asked again among the others)."""
        index = self._last_picked()
        if index is None:
            self.notes.append(say_in(self.lang, "not_in_draft", target="eso"))
            return
        old = self.cart.pop(index)
        others, quantity = old["others"], old["quantity"]
        if len(others) == 1:
            mine = {k: old[k] for k in ("sku", "name", "list_price", "unit", "stock")}
            self.cart.insert(index, draft.line_of(others[0], quantity, asked=old.get("asked"), others=[mine]))
            return
        self.unresolved.insert(0, {"product": old.get("asked") or old["name"], "quantity": quantity, "options": others})

    def _quoted(self, *, counted: bool = False) -> list[dict[str, Any]]:
        """The lines of a quote (drafted with no count), those counted this turn too or not yet counted."""
        return [ln for ln in self.cart if ln["sku"] in self.quoted_lines and (counted or ln["sku"] not in
                                                                              self.counted_quoted)]

    def _count_quoted(self, sku: str, quantity: int) -> None:
        index = next(i for i, ln in enumerate(self.cart) if ln["sku"] == sku)
        self._recount(index, quantity, adding=False)
        self.counted_quoted.append(sku)

    def _count_the_other(self, quantity: int) -> bool:
        """That many of the quoted line not counted yet, else of the option not picked; False when neither."""
        left = self._quoted()
        if self.counted_quoted and len(left) == 1:
            self._count_quoted(left[0]["sku"], quantity)
            return True
        drafted = {ln["sku"] for ln in self.cart}
        if len(apart := [o for o in self.asked_about if o["sku"] not in drafted]) == 1 and not self._last_picked():
            self._take(apart[0], quantity)  # "y 2 del otro" after "mándame 3 del rotoplas" of two quoted
            return True
        return self._also_the_other(quantity)

    def _drop_quoted_not_taken(self) -> None:
        """The lines of a quote still uncounted once the buyer counted others of it: not wanted."""
        if not self.counted_quoted:
            return
        for line in [ln for ln in self.cart if ln["sku"] in self.quoted_lines and ln.get("unsaid")]:
            self.cart.remove(line)
            self.removed.append(line | {"removed_turn": self._turn})
            # still quoted: "y de la dica 10 también", "y 2 del otro" on the next turn take it
            self.asked_about = draft.remember(self.asked_about, [{k: v for k, v in line.items() if k in _OPTION_KEYS}])

    def _also_the_other(self, quantity: int) -> bool:
        """That many of the option not picked for the line last picked among options (asked if several)."""
        index = self._last_picked()
        if index is None:
            return False
        old = self.cart[index]
        others = old["others"]
        if len(others) == 1:
            self.cart = draft.add(self.cart, draft.line_of(others[0], quantity))
        else:
            self.unresolved.append({"product": old.get("asked") or old["name"], "quantity": quantity,
                                    "options": others})
        return True

    def _stock_answer(self, *, backorder: bool, target: str | None = None) -> None:
        """The offered lines cut to stock, the rest on backorder or not; `target`: the one line answered for."""
        if self.offer is None:
            return
        offered = self._offered()
        if target is not None and (index := draft.find(self.cart, target)) is not None:
            offered &= {self.cart[index]["sku"]}  # the offer stands for the other lines (asked again if unanswered)
        else:
            self.offer = None
        cut = [draft.take_available(line, backorder=backorder) if line["sku"] in offered else line
               for line in self.cart]
        self.cart = [line for line in cut if line["quantity"] > 0]

    def _cancel_part(self) -> None:
        if self.offer is not None:  # "no" to a stock offer drops the lines offered
            offered = self._offered()
            self.cart = [ln for ln in self.cart if ln["sku"] not in offered]
            self.offer = None
        elif self.options_for == "line" and self.unresolved:  # "ninguno": that line is dropped (a replaced one stays)
            if was := self.unresolved.pop(0).get("was"):
                self.cart = draft.add(self.cart, was)
            self.options, self.options_for = [], None

    # --- matching lines to products

    async def resolve(self, deps: GraphDeps) -> None:
        """Match waiting lines to products, in order, until one needs the customer to choose."""
        catalog = None
        for asked in self.stock_asked:
            catalog = catalog or deps.catalog(self._tenant)
            if (product := (await catalog.resolve(asked.product, limit=MAX_OPTIONS)).product) is not None:
                # "ok ponme 4 de esos" next: the product whose stock was just given
                self.last_product = {"product": asked.product, "option": draft.option_of(product), "topic": "stock",
                                     "turn": self._turn}
                self.notes.append(stock_figure(product, self.lang))
        for detail in self.in_detail:
            catalog = catalog or deps.catalog(self._tenant)
            await self._lines_in(catalog, detail)
        while self.unresolved:
            head = self.unresolved[0]
            if "options" in head:
                self.options, self.options_for = head["options"], "line"
                return
            catalog = catalog or deps.catalog(self._tenant)
            found = await catalog.resolve(head["product"], unit=head.get("unit"), limit=MAX_OPTIONS)
            if head.get("not_brand") is not None:  # "la otra marca": the same product, not in the brand it was
                found = Resolution(fits=[p for p in found.fits or found.near if p.brand != head["not_brand"]
                                         and p.name.split()[0] == head["like"].split()[0]], near=[])
            quantity = head.get("quantity") or 1
            product = found.product
            if product is None and head.get("pick"):
                product = await _named_variant(catalog, head, found)
            if product is None and head.get("like") and not head.get("pick") and len(found.fits) > 1:
                product = draft.most_like(found.fits, head["like"])
            if product is None and len(found.fits) > 1 and len(
                    asked := [o for o in self.asked_about if draft.covers(o, head["product"])]) == 1 \
                    and int(asked[0].get("stock") or 0) > 0:
                # "¿a cómo el cople pvc de 3/4?" … "dame 10 coples": the one asked about
                self.unresolved.pop(0)
                self._add_line(asked[0], quantity, head)
                continue
            if product is None and len(found.fits) > 1:  # "20 tees de 3/4" in a list of PVC lines
                others = [ln.get("asked") or ln["name"] for ln in self.cart]
                product = draft.in_context(found.fits, others + [ln["product"] for ln in self.unresolved[1:]]) \
                    or draft.made_for(found.fits, self.cart)
            if product is not None and product.stock > 0:
                self.unresolved.pop(0)
                self._add_line(product, quantity, head)
                continue
            if product is not None:  # sold out: offer what is in stock of the same kind and size
                alternatives = await _alternatives(catalog, product)
                if not alternatives:
                    self.notes.append(say_in(self.lang, "sold_out", name=product.name))
                    self.unresolved.pop(0)
                    continue
                self.notes.append(say_in(self.lang, "stock_none", name=product.name))
                options = [draft.option_of(p) for p in alternatives]
            elif found.fits:
                options = [draft.option_of(p) for p in found.fits]
            elif found.near:
                self.notes.append(say_in(self.lang, "no_size", query=head["product"]))
                options = [draft.option_of(p) for p in found.near]
            elif was := head.get("was"):  # "cámbialos por unos xyz": nothing found, the line stays as it was
                self.notes.append(say_in(self.lang, "kept", query=head["product"], name=was["name"]))
                self.cart = draft.add(self.cart, was)
                self.unresolved.pop(0)
                continue
            else:
                self.notes.append(say_in(self.lang, "no_match", query=head["product"]))
                self.unresolved.pop(0)
                continue
            self.unresolved[0] = head | {"options": options}
            self.options, self.options_for = options, "line"
            return

    async def _lines_in(self, catalog: Catalog, detail: Line) -> None:
        """Each drafted line that the catalog has in `detail` ("de bronce"), swapped for that variant."""
        said = set(fold(detail.product).split())
        changed = False
        for i, line in enumerate(list(self.cart)):
            words = follow_up_words(detail, line.get("asked") or line["name"])
            found = await catalog.resolve(words, limit=MAX_OPTIONS)
            product = found.product or (draft.most_like(found.fits, line["name"]) if len(found.fits) > 1 else None)
            if product is None or product.sku == line["sku"] or not said <= set(
                    fold(" ".join([product.name, product.brand, *product.tags])).split()):
                continue
            self.cart[i] = draft.line_of(product, line["quantity"], asked=words)
            changed = True
        if not changed:
            self.notes.append(say_in(self.lang, "not_in_draft", target=detail.product or "eso"))

    # --- what the turn says next

    def next_step(self, state: OrkestaState, *, max_hops: int) -> Command[Any] | dict[str, Any]:
        self._drop_quoted_not_taken()
        common = {"cart": self.cart, "unresolved": self.unresolved, "removed": self.removed, "quoted": self.asked_about,
                  "quote": None,
                  "approval": None, "requested_quantity": None, "last_product": self.last_product}
        preface = "\n".join(part for part in (state.get("preface"), *self.notes) if part) or None
        talk = state | {"preface": preface}
        if self.unresolved:
            head = self.unresolved[0]
            quantity = head.get("quantity")
            options = head["options"]
            rows = "\n".join(option_rows(options, self.lang, with_stock=True))
            amount = f"{quantity} " if quantity else ""
            text = say_in(self.lang, "which_line", quantity=amount, words=head["product"]) + "\n" + rows
            return say(talk, "order.edit", text, pending="options_shown", options_for="line",
                       search_results=options, offer=None, **common)
        if self.stock_said is not None:  # the short lines cut as the buyer said when ordering
            over = draft.short(self.cart)
            cut = [draft.take_available(ln, backorder=self.stock_said) if i in over else ln
                   for i, ln in enumerate(self.cart)]
            self.cart = common["cart"] = [ln for ln in cut if ln["quantity"] > 0]
        if short := draft.short(self.cart):
            line = self.cart[short[0]]
            available = max(line["stock"], 0)
            # every short line is offered at once; the answer holds for all of them
            offer = {"sku": line["sku"], "requested": line["quantity"], "available": available,
                     "skus": [self.cart[i]["sku"] for i in short]}
            if len(short) == 1:
                text = say_in(self.lang, "stock_offer", name=line["name"], available=available,
                              units=units(line["unit"], available, self.lang), requested=line["quantity"],
                              rest=line["quantity"] - available)
            else:
                rows = [say_in(self.lang, "stock_short_row", name=ln["name"], available=max(ln["stock"], 0),
                               units=units(ln["unit"], max(ln["stock"], 0), self.lang), requested=ln["quantity"])
                        for ln in (self.cart[i] for i in short)]
                text = "\n".join([say_in(self.lang, "stock_short_head"), *rows, say_in(self.lang, "stock_offer_all")])
            return say(talk, "order.edit", text, pending="stock_offer", offer=offer, options_for=None,
                       search_results=[], **common)
        if self.cart and self.asked_for and self.cart == state.get("cart"):
            # a count with no product while the draft waits: the next message names it, the draft stays as it is
            text = say_in(self.lang, "what_product_for", count=self.asked_for)
            return say(talk, "order.edit", text, offer=None, options_for=None, search_results=[],
                       **common | {"requested_quantity": self.asked_for})
        if self.cart:
            return handoff(talk, "order.edit", "pricing", max_hops=max_hops, preface=preface, offer=None,
                           options_for=None, search_results=[], **common)
        if state.get("cart"):
            text = say_in(self.lang, "draft_empty")
        elif self.asked_for:  # "ocupo 3 cajas": "Anoto 3 cajas. ¿De qué producto?"
            count = " ".join(str(part) for part in (self.asked_for, self.asked_unit) if part)
            text = say_in(self.lang, "what_product_for", count=count)
        else:
            text = say_in(self.lang, "what_product")
        return say(talk, "order.edit", text, pending=None, offer=None, options_for=None,
                   **common | {"requested_quantity": self.asked_for})


async def _alternatives(catalog: Catalog, product: Product) -> list[Product]:
    """In-stock products of the same kind (first word) and size as a sold-out one, its own category first."""
    words = f"{product.name.split()[0]} {product.measure or ''}"
    found = await catalog.search(words, in_stock=True, limit=MAX_OPTIONS * 2)
    kind = product.name.split()[0].lower()
    same = [p for p in found if p.measure == product.measure and p.sku != product.sku
            and p.name.split()[0].lower() == kind]
    return sorted(same, key=lambda p: p.category != product.category)[:MAX_OPTIONS]


async def _named_variant(catalog: Catalog, head: dict[str, Any], found: Resolution) -> Product | None:
    """The variant a changed line names ("las de bronce", "la más barata", "las tees que sean de cpvc")."""
    fits = found.fits or found.near
    picked = draft.pick([draft.option_of(p) for p in fits], None, head["pick"])
    product = next((p for p in fits if picked and p.sku == picked["sku"]), None)
    if product is None and head.get("like") and fits:  # the one most like the line it replaces
        product = draft.most_like(fits, head["like"])
    if product is None and head.get("like") and not draft.compares(head["pick"]):
        # none of them ("de cpvc" after PVC tees): the replaced product's kind and size, in that variant
        product = (await catalog.resolve(_kind_and_size(head["like"], head["pick"]), limit=MAX_OPTIONS)).product
    return product


def _kind_and_size(name: str, detail: str) -> str:
    """A product's first word and size with another detail: ("Tee PVC hidráulica 1/2\"", "cpvc") -> "Tee 1/2\" cpvc"."""
    size = size_of(name.replace('"', " ").lower())
    return " ".join(part for part in (name.split()[0], f'{size}"' if size else "", detail) if part)


def _points_back(words: str) -> bool:
    return bool(set(words.split()) & lx.DEMONSTRATIVES)


def _same_noun(words: str, other: str) -> bool:
    """Whether both name the same kind of product ("tubo tipo m" and "tubos de cobre de 1")."""
    mine, theirs = noun_of(words), noun_of(lx.normalize(other))
    if mine is None or theirs is None:
        return False
    return mine.startswith(theirs) or theirs.startswith(mine)


def _mentions(line: dict[str, Any], target: str) -> bool:
    """Whether the waiting line is the one named ("sin el pegamento" of "pegamentos para cpvc")."""
    def stems(text: str) -> set[str]:
        return {re.sub(r"(?:es|s|e)$", "", w) for w in text.split() if len(w) > 2}  # "taquetes" is "taquete"
    return bool(stems(str(line.get("product") or "")) & stems(target))


def _with_old_noun(words: str, old_name: str) -> str:
    """The new product words, with the replaced line's noun and size when the customer named only the change."""
    name = old_name.lower()
    said = noun_of(words)
    counted = noun_of(re.sub(r"^[a-z]+ de ", "", words)) if said is None else None  # "juegos de brocas para metal"
    said = said or counted
    noun = said or old_name.split()[0].lower()
    # "cambia los codos por coples": a fitting for another joins the same pipe, in its material and size
    peers = said is not None and is_fitting(said) and is_fitting(fold(name).split()[0])
    # "cambia las esmeriladoras por 4 juegos de brocas": another kind of product keeps none of the old one's size
    another = said is not None and not peers and not (
        {k[:4] for k in said.split()} & {w[:4] for w in fold(name).split()})
    size = size_of(words) or (None if another else size_of(name) or size_of(name.replace('"', "")))
    parts = words.split() if counted else [noun, *(w for w in words.split() if w != noun)]
    if peers and not set(words.split()) & lx.MATERIALS:  # ("…por codos tuboplus": the material said instead)
        parts += [w for w in fold(name).split() if w in lx.MATERIALS and w not in parts]
    if size and size not in words and not re.search(r"\d", words):  # "por la periférica de 1 hp": its own measure
        parts.append(f'{size}"' if size.isdigit() else size)
    return " ".join(parts)
