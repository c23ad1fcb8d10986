"""The deterministic rules reader: which intent a message carries, read from Mexican Spanish or plain English.

`route_by_rules` normalises the text (`lexicon.normalize`), runs the ordered rules below against the
open flow, then fills the details (`details`: quantity, product words, option picked; `dates`: a
promise's date and amount). `RulesRouter` wraps it as an `IntentRouter`: the embedded default,
and the LLM reader's fallback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from graph.understanding import lexicon as lx
from graph.understanding.dates import find_amount, find_date
from graph.understanding.decision import GUESS, HIGH, MEDIUM, SURE, UNKNOWN, WEAK, FlowContext, Intent, RouteDecision
from graph.understanding.details import _has_count_unit, _has_product, _product_query, _quantity, _selection


@dataclass(frozen=True)
class _Verdict:
    intent: Intent
    confidence: float
    reason: str


class RulesRouter:
    """Deterministic Spanish/English rules: the embedded default, enough to carry the whole demo."""

    async def decide(self, text: str, *, context: FlowContext, today: date) -> RouteDecision:
        """Classify `text` with the rules (pure, no I/O)."""
        return route_by_rules(text, context=context, today=today)

    async def aclose(self) -> None:
        """Nothing to release; here so every router built by `build_router` can be closed alike."""


def route_by_rules(text: str, *, context: FlowContext, today: date) -> RouteDecision:
    """The rules router as a plain function: normalise, classify, then extract the details."""
    norm = lx.normalize(text)
    verdict = _classify(norm, context, today)
    decision = RouteDecision(intent=verdict.intent, confidence=verdict.confidence, reason=verdict.reason)
    if verdict.intent in ("search_product", "create_order", "check_price"):
        quantity = _quantity(norm)
        decision.quantity = quantity
        decision.product_query = _product_query(norm, strip_count=quantity is not None)
    elif verdict.intent == "select_option":
        selection = _selection(norm)
        if selection is not None:
            decision.option_index, decision.option_hint = selection.index, selection.hint
            start, end = selection.span
            decision.quantity = _quantity(f"{norm[:start]} {norm[end:]}")
    elif verdict.intent == "promise_to_pay":
        decision.promise_date, decision.promise_amount = find_date(norm, today=today), find_amount(norm)
    return decision


def _classify(norm: str, context: FlowContext, today: date) -> _Verdict:
    if not norm:
        return _Verdict("general_question", UNKNOWN, "empty message")
    if context == "awaiting_confirmation":
        verdict = _answer_to_confirmation(norm, today)
        if verdict is not None:
            return verdict
    elif context == "options_shown":
        verdict = _answer_to_options(norm, today)
        if verdict is not None:
            return verdict
    return _open_request(norm, context, today)


def _answer_to_confirmation(norm: str, today: date) -> _Verdict | None:
    """A yes or no to "¿confirmas?", unless the message clearly asks for something new."""
    new = _new_request(norm, today)
    if new is not None:
        return new
    short = len(norm.split()) <= 3
    if lx.CANCEL_START.search(norm) or lx.CANCEL.search(norm):
        return _Verdict("cancel", SURE if short else HIGH, "refusal while awaiting confirmation")
    if lx.CONFIRM.search(norm):
        return _Verdict("confirm", SURE if short else HIGH, "agreement while awaiting confirmation")
    selection = _selection(norm)
    if selection is not None and selection.strong:
        return _Verdict("select_option", MEDIUM, "picked another option while awaiting confirmation")
    return None


def _answer_to_options(norm: str, today: date) -> _Verdict | None:
    """A pick among the options shown, "ninguno", or a clearly new request."""
    if lx.NONE_OF_THESE.search(norm):
        return _Verdict("cancel", HIGH, "none of the options shown")
    for rule in _MONEY_RULES:  # "ya pague la de septiembre" names no option
        if (verdict := rule(norm, today)) is not None:
            return verdict
    selection = _selection(norm)
    if selection is not None and selection.strong:
        return _Verdict("select_option", SURE if len(norm.split()) <= 4 else HIGH, "picked an option shown")
    new = _new_request(norm, today)
    if new is not None:
        return new
    if lx.CANCEL_START.search(norm) or lx.CANCEL.search(norm):
        return _Verdict("cancel", HIGH, "refusal while options are shown")
    if selection is not None:
        return _Verdict("select_option", MEDIUM, "named an option by a short attribute")
    return None


def _paid(norm: str, today: date) -> _Verdict | None:
    if match := lx.PAID.search(norm):
        return _Verdict("payment_status", HIGH, f"payment already made ('{match.group()}')")
    return None


def _bank_info(norm: str, today: date) -> _Verdict | None:
    if match := lx.BANK_INFO.search(norm):
        return _Verdict("general_question", HIGH, f"asks where to pay ('{match.group()}')")
    return None


def _promise(norm: str, today: date) -> _Verdict | None:
    verb = lx.PROMISE_VERB.search(norm)
    when = find_date(norm, today=today)
    if verb and when:
        return _Verdict("promise_to_pay", SURE, f"will pay ('{verb.group()}') on a date")
    if verb:
        return _Verdict("promise_to_pay", MEDIUM, f"will pay ('{verb.group()}'), no date given")
    if when and (bare := lx.PROMISE_BARE.search(norm)):
        return _Verdict("promise_to_pay", HIGH, f"'{bare.group()}' with a date")
    return None


def _account(norm: str, today: date) -> _Verdict | None:
    if match := lx.ACCOUNT.search(norm):
        return _Verdict("account_statement", HIGH, f"asks what is owed ('{match.group()}')")
    return None


def _price(norm: str, today: date) -> _Verdict | None:
    if match := lx.PRICE.search(norm):
        if _has_product(norm):
            return _Verdict("check_price", SURE, f"price question ('{match.group()}') about a product")
        return _Verdict("check_price", MEDIUM, f"price question ('{match.group()}'), no product named")
    return None


def _strong_order(norm: str, today: date) -> _Verdict | None:
    verb = lx.ORDER_VERB.search(norm)
    if verb and _quantity(norm) is not None and (_has_product(norm) or _has_count_unit(norm)):
        return _Verdict("create_order", SURE, f"order verb ('{verb.group()}') with quantity and product")
    return None


def _general(norm: str, today: date) -> _Verdict | None:
    if match := lx.GENERAL.search(norm):
        return _Verdict("general_question", HIGH, f"service question ('{match.group()}')")
    return None


def _search(norm: str, today: date) -> _Verdict | None:
    if match := lx.SEARCH.search(norm):
        if _has_product(norm) or _product_query(norm, strip_count=False):
            return _Verdict("search_product", HIGH, f"asks for stock ('{match.group()}')")
        return _Verdict("search_product", MEDIUM, f"asks for stock ('{match.group()}'), no product named")
    return None


def _weak_order(norm: str, today: date) -> _Verdict | None:
    verb = lx.ORDER_VERB.search(norm)
    if verb and _has_product(norm):
        return _Verdict("create_order", MEDIUM, f"order verb ('{verb.group()}') and a product, no quantity")
    if _quantity(norm) is not None and _has_product(norm):
        return _Verdict("create_order", MEDIUM - 0.05, "a quantity of a product, no verb")
    return None


def _product_alone(norm: str, today: date) -> _Verdict | None:
    if not lx.PRODUCT.search(norm):
        return None
    if re.search(r"\bcuanto\b", norm):
        return _Verdict("check_price", WEAK + 0.08, "'cuanto' about a product")
    return _Verdict("search_product", WEAK, "names a product, nothing else")


def _pleasantry(norm: str, today: date) -> _Verdict | None:
    if match := lx.GREETING.search(norm) or lx.THANKS.search(norm):
        return _Verdict("general_question", HIGH, f"greeting or thanks ('{match.group()}')")
    return None


def _stray_flow_answer(norm: str, today: date) -> _Verdict | None:
    """"sí", "no", "el primero" with no open flow: nothing to answer, so ask."""
    if lx.CONFIRM.search(norm) or lx.CANCEL_START.search(norm) or _selection(norm) is not None:
        return _Verdict("general_question", GUESS, "a flow answer with no open flow")
    return None


_Rule = Callable[[str, date], _Verdict | None]
# The order is the policy: a payment already made beats a promise, a promise beats the statement
# ("el viernes les deposito lo que debo"), a price beats an order ("cuanto me sale si me llevo 100"),
# an order with a quantity beats delivery words ("can you deliver tmrw?").
_OPEN_RULES: tuple[_Rule, ...] = (
    _paid, _bank_info, _promise, _account, _price, _strong_order, _general, _search, _weak_order,
    _product_alone, _pleasantry, _stray_flow_answer,
)
# Payments and statements never read as a pick, even when they say "la de septiembre".
_MONEY_RULES: tuple[_Rule, ...] = (_paid, _bank_info, _promise, _account)
# Inside a flow only these count as a clear new request; a general question does not end a flow.
_NEW_REQUEST_RULES: tuple[_Rule, ...] = (_paid, _bank_info, _promise, _account, _price, _strong_order, _search)


def _open_request(norm: str, context: FlowContext, today: date) -> _Verdict:
    for rule in _OPEN_RULES:
        if rule is _stray_flow_answer and context != "none":
            continue
        verdict = rule(norm, today)
        if verdict is not None:
            return verdict
    return _Verdict("general_question", UNKNOWN, "no rule matched")


def _new_request(norm: str, today: date) -> _Verdict | None:
    for rule in _NEW_REQUEST_RULES:
        verdict = rule(norm, today)
        if verdict is None:
            continue
        if rule is _price and verdict.confidence < SURE:
            continue  # "¿y el precio?" inside a flow is about the flow, not a new request
        if rule is _search and verdict.confidence < HIGH:
            continue
        return verdict
    return None
