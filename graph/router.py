"""The supervisor's intent router: which of the ten intents a customer message carries, plus its details.

Two routers share one protocol. `RulesRouter` reads Mexican Spanish (and plain English) with
deterministic rules and is the embedded default; `LLMRouter` asks an OpenAI-compatible model for
a structured `RouteDecision` and falls back to the rules whenever the model fails.
`build_router(settings)` picks one from the settings alone.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, Protocol, get_args

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from core.settings import Settings
from graph import router_lexicon as lx
from graph.dates import find_amount, find_date

logger = logging.getLogger(__name__)

Intent = Literal[
    "search_product", "create_order", "check_price", "payment_status", "promise_to_pay",
    "account_statement", "general_question", "select_option", "confirm", "cancel",
]
FlowContext = Literal["none", "options_shown", "awaiting_confirmation"]
INTENTS: tuple[str, ...] = get_args(Intent)

# Confidence bands. The supervisor asks a clarifying question below settings.router_min_confidence
# (0.55 by default), so anything the rules only guess at stays under it.
SURE = 0.95  # the whole message is a known answer ("sí", "el primero") or carries every cue
HIGH = 0.9  # a specific cue phrase matched
MEDIUM = 0.75  # a cue matched but a part is missing (an order verb without a quantity)
WEAK = 0.62  # inferred from a product word alone
GUESS = 0.4  # a flow answer with no open flow: ask what the customer means
UNKNOWN = 0.3  # nothing matched

LLM_TIMEOUT_S = 15.0  # per HTTP attempt; the router also bounds the whole call
_FLOW_INTENTS = {"select_option": ("options_shown",), "confirm": ("awaiting_confirmation",),
                 "cancel": ("options_shown", "awaiting_confirmation")}


class RouteDecision(BaseModel):
    """The router's reading of one customer message; the LLM fills it through structured output."""

    model_config = ConfigDict(extra="ignore")

    intent: Intent = Field(description=(
        "What the customer wants. select_option, confirm and cancel only answer an open flow "
        "(options_shown / awaiting_confirmation); outside one use general_question."))
    confidence: float = Field(ge=0, le=1, description=(
        "0..1. At least 0.85 for a clear match; below 0.55 when guessing (the supervisor then asks)."))
    quantity: int | None = Field(default=None, gt=0, description=(
        "How many units the customer wants, e.g. 10 in 'necesito 10 tubos'; 'una docena'=12, 'un par'=2. "
        "Never a size: 90 in 'codo de 90' or 1100 in 'tinaco de 1100 L' is not a quantity."))
    product_query: str | None = Field(default=None, description=(
        "The product words to search the catalog with, sizes kept: 'tubos pvc de 1/2', 'codo de 90'. "
        "No verbs, quantities or greetings. Null when no product is named."))
    option_index: int | None = Field(default=None, description=(
        "0-based index of the option chosen: 'el primero'=0, 'la 2'=1, 'opción 3'=2, 'el último'=-1."))
    option_hint: str | None = Field(default=None, description=(
        "An option chosen by attribute instead of position: '3/4' for 'el de 3/4', 'rotoplas', 'mas barato'."))
    promise_date: date | None = Field(default=None, description=(
        "For promise_to_pay: the promised date (ISO yyyy-mm-dd) resolved against today's date."))
    promise_amount: Decimal | None = Field(default=None, ge=0, description=(
        "For promise_to_pay: the amount promised in MXN, e.g. 5000 for '5 mil', 3500 for '$3,500'."))
    # The default serves Python callers; it is kept out of the schema, which OpenAI's strict mode makes
    # all-required anyway and where a non-null default is not a documented keyword.
    reason: str = Field(default="", description="A short English reason for the audit log.",
                        json_schema_extra=lambda schema: schema.pop("default", None))


class IntentRouter(Protocol):
    """Anything that turns a customer message into a `RouteDecision`."""

    async def decide(self, text: str, *, context: FlowContext, today: date) -> RouteDecision:
        """Classify `text` read against the open flow `context`; relative dates resolve from `today`."""
        ...


# --- rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Verdict:
    intent: Intent
    confidence: float
    reason: str


@dataclass(frozen=True)
class _Selection:
    index: int | None
    hint: str | None
    strong: bool  # an ordinal, a number or an attribute; weak: an article and a word ("la rotoplas")
    span: tuple[int, int]


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


def _has_product(norm: str) -> bool:
    return bool(lx.PRODUCT.search(norm) or lx.MEASURE.search(norm))


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


# --- extraction -------------------------------------------------------------------------------

# A number right after these words counts even after the product ("a como el codo? ocupo como 50").
_QUANTITY_LEAD = frozenset({"como", "unos", "unas", "aprox", "aproximadamente", "sean", "son", "otros", "otras",
                            "necesito", "ocupo", "quiero", "dame", "mandame", "ponme", "need", "want"})


def _has_count_unit(norm: str) -> bool:
    return any(tok in lx.COUNT_UNIT for tok in norm.split())


def _count_at(tokens: list[str], i: int) -> tuple[int, int] | None:
    """The number starting at token i (digits, words, "una docena", "media docena") and tokens used."""
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if tok == "media" and nxt in ("docena", "dozen"):
        return 6, 2
    if tok in ("a", "un", "una") and nxt in lx.GROUP_WORDS:
        return lx.GROUP_WORDS[nxt], 2 + (tokens[i + 2: i + 3] == ["of"])
    if tok.isdigit():
        value, used = int(tok), 1
    elif tok in lx.NUMBER_WORDS:
        read = lx.read_number_words(tokens, i)
        if read is None:
            return None
        value, used = read
    else:
        return None
    group = tokens[i + used] if i + used < len(tokens) else ""
    if group in lx.GROUP_WORDS:
        return value * lx.GROUP_WORDS[group], used + 1
    return value, used


def _quantity(norm: str) -> int | None:
    """How many units are wanted: the first number that counts rather than sizes or labels."""
    tokens = norm.split()
    seen_product = False
    for i, tok in enumerate(tokens):
        read = _count_at(tokens, i)
        if read is None:
            seen_product = seen_product or bool(lx.PRODUCT.fullmatch(tok))
            continue
        value, used = read
        prev = tokens[i - 1] if i else ""
        nxt = tokens[i + used] if i + used < len(tokens) else ""
        if tok in ("un", "una", "uno", "a", "one") and used == 1 and not (
            lx.PRODUCT.fullmatch(nxt) or nxt in lx.COUNT_UNIT
        ):
            continue  # "un pedido", "una semana": an article, not a count
        if nxt in lx.MEASURE_UNIT or re.fullmatch(r"\d{1,2}/\d{1,2}\"?", nxt) or not 0 < value <= 100_000:
            continue  # "2 pulgadas", "4 1/2", "1100 l"
        if prev in lx.NUMBER_LABEL or prev in ("$", "y") or tok.startswith("$"):
            continue  # "calibre 12", "factura 512", "el 4"
        if prev == "de" and (seen_product or not (lx.PRODUCT.fullmatch(nxt) or nxt in lx.COUNT_UNIT)):
            continue  # "codo de 90", but "un pedido de 8 tramos" counts
        if seen_product and prev not in _QUANTITY_LEAD and not lx.ORDER_VERB.fullmatch(prev):
            continue  # "tinaco rotoplas 1100": after the product a number describes it
        return value
    return None


_PHRASE_FILLERS = lx.any_of(
    r"me regalas?", r"me (?:pasas|pasan|das|dan|puedes? pasar)", r"pasame", r"lo que tengas de", r"que marcas de",
    r"que tipos? de", r"que tienen en", r"existencias? de", r"de mayoreo(?: en)?", r"lista de", r"por pieza",
    r"quiero hacer un pedido de", r"hacer un pedido de", r"un pedido de", r"pedido", r"hazme", r"dan",
    r"what is the", r"what is", r"can you", r"tambien", r"porfavor",
    r"pues", r"please", r"aun", r"todavia", r"buen(?:os|as)? (?:dia|dias|tardes|noches)", r"buenas",
    r"que tal", r"hola", r"oye", r"oigan", r"oiga", r"hi", r"hello", r"gracias", r"sin falta", r"necesito saber si",
    r"(?:me )?(?:puedes|pueden|podrias|podrian|podria)(?: dar)?", r"quisiera saber", r"saber", r"una pregunta",
    r"ando",
)
_CUES = re.compile("|".join(p.pattern for p in (lx.PRICE, lx.ORDER_VERB, lx.SEARCH)))
_LATE_FILLERS = lx.any_of(r"cuanto", r"a cuanto", r"en cuanto")  # after the cues: "cuanto cuesta" goes whole
_TAIL = re.compile(
    r"\s(?:para|a|al) (?:manana|hoy|el (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)|la obra|"
    r"la tarde|ya|ahorita|entregar|el pedido|pedido)\b.*$"
    r"|\s(?:a la obra|para la obra|en la obra|al pedido|como (?:las?|los?) del pedido|cuando|can you|"
    r"sin falta|en la tarde)\b.*$"
)
_NEXT_ITEM = re.compile(r"\sy (?:\d+|otr[oa]s?|un[oa]?s?|dos|tres|cuatro|cinco|seis|diez|doce)(?= [a-z]).*$")
_LEADING_COUNT = re.compile(
    r"^(?:(?:\d+|un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce|media|a)\s)+"
    r"(?:(?:docenas?|par|pares|dozen|couple|pair)\s(?:de\s|of\s)?)?"
    r"(?:(?:cajas?|rollos?|metros?|cubetas?|tramos?|piezas?|kilos?|bultos?|paquetes?|juegos?|bolsas?|botes?)"
    r"\s(?:de\s)?)?"
)


def _product_query(norm: str, *, strip_count: bool) -> str | None:
    """The product words of the message, sizes kept ("tubos pvc de 1/2"), or None."""
    segments = [s.strip() for s in norm.split(",") if s.strip()]
    if not segments:
        return None
    # The clause that names a product next to a cue ("mejor no los codos, mandame 20 coples"), else the
    # first that names a product ("pedido: 12 tubos cpvc, 30 codos").
    with_product = [s for s in segments if _has_product(s)]
    segment = next((s for s in with_product if _CUES.search(s)), with_product[0] if with_product else segments[0])
    segment = _NEXT_ITEM.sub("", _TAIL.sub("", segment))
    segment = _LATE_FILLERS.sub(" ", _CUES.sub(" ", _PHRASE_FILLERS.sub(" ", segment)))
    tokens = segment.split()
    while tokens and tokens[0] in lx.EDGE_STOPWORDS and tokens[0] not in ("un", "una", "a"):
        tokens.pop(0)  # articles that may count ("una caja de pijas") wait for the count stripping
    text = " ".join(tokens)
    if strip_count:
        text = _LEADING_COUNT.sub("", text + " ").strip()
    tokens = text.split()
    while tokens and tokens[0] in lx.EDGE_STOPWORDS:
        tokens.pop(0)
    while tokens and tokens[-1] in lx.EDGE_STOPWORDS:
        tokens.pop()
    return " ".join(tokens) or None


_HINT_TAIL = re.compile(r"\s(?:pero|porfavor|pues|gracias|please|y|que)\b.*$")
_OPTION_WORD_NUMBERS = {"uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
                        "ocho": 8, "nueve": 9, "diez": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def _clean_hint(raw: str) -> str | None:
    tokens = _HINT_TAIL.sub("", " " + raw.strip()).split()
    while tokens and tokens[-1] in lx.EDGE_STOPWORDS:
        tokens.pop()
    return " ".join(tokens) or None


def _selection(norm: str) -> _Selection | None:
    """Which option the message points at: by position, by attribute, or just "ese"."""
    if match := lx.OPTION_MIDDLE.search(norm):
        return _Selection(None, "en medio", True, match.span())
    if match := lx.ORDINAL.search(norm):
        return _Selection(lx.ORDINALS[match["word"] or match["alone"]], None, True, match.span())
    if match := lx.OPTION_NUMBER.search(norm):
        raw = match.group(1)
        number = int(raw) if raw.isdigit() else _OPTION_WORD_NUMBERS[raw]
        if number >= 1:
            return _Selection(number - 1, None, True, match.span())
    if match := re.fullmatch(r"#?\s?(\d{1,2})", norm):
        number = int(match.group(1))
        if number >= 1:
            return _Selection(number - 1, None, True, match.span())
    if match := lx.OPTION_BY_ATTRIBUTE.search(norm):
        hint = _clean_hint(match["hint"])
        if hint:
            return _Selection(None, hint, True, match.span())
    if match := lx.OPTION_SUPERLATIVE.search(norm):
        return _Selection(None, _clean_hint(match["hint"]), True, match.span())
    if match := lx.OPTION_DEMONSTRATIVE.search(norm):
        return _Selection(None, None, True, match.span())
    if (match := lx.OPTION_ARTICLE.fullmatch(norm)) and len(match["hint"].split()) <= 3:
        return _Selection(None, _clean_hint(match["hint"]), False, match.span())
    return None


# --- the model --------------------------------------------------------------------------------

_WEEKDAY_NAMES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_CONTEXT_NOTES: dict[str, str] = {
    "none": "No hay flujo abierto: select_option, confirm y cancel no aplican (usa general_question).",
    "options_shown": (
        "Se le mostraron opciones numeradas de productos. 'el primero', 'la 2', 'el de 3/4', 'el más barato' "
        "son select_option; 'ninguno' o 'mejor no' es cancel; una petición nueva clara gana."),
    "awaiting_confirmation": (
        "Se le pidió confirmar un pedido. 'sí', 'va', 'sale', 'ok', 'dale', 'confirmo', 'de acuerdo' son "
        "confirm; 'no', 'mejor no', 'cancela', 'ya no' son cancel; una petición nueva clara gana."),
}
SYSTEM_PROMPT = """\
Eres el router de intenciones de un distribuidor mexicano de plomería y ferretería que vende y cobra \
por WhatsApp. Clasifica el ÚLTIMO mensaje del cliente (español mexicano con faltas de ortografía, \
abreviaturas y modismos, o inglés) en exactamente una intención y extrae sus datos.

Intenciones:
- search_product: pregunta si tienen / manejan un producto ("tienen tinacos?", "busco llave de paso").
- create_order: quiere pedir producto, casi siempre con cantidad ("necesito 10 tubos pvc", "ocupo 5 codos").
- check_price: pregunta precio o cotización ("a como el codo de 90", "me regalas precio del tinaco").
- payment_status: dice que YA pagó o pregunta si llegó su pago ("ya pagué", "ya les transferí").
- promise_to_pay: promete pagar en el futuro ("pago mañana", "les deposito el viernes 5 mil").
- account_statement: saldo, adeudo, estado de cuenta, facturas pendientes ("cuánto debo").
- general_question: horarios, ubicación, envíos, facturas (CFDI), devoluciones, saludos, lo demás.
- select_option: elige una de las opciones mostradas (solo con opciones mostradas).
- confirm / cancel: responde sí / no a la confirmación pendiente (cancel también con opciones mostradas).

Contexto del flujo: {context}. {context_note}
Hoy es {weekday} {today} (YYYY-MM-DD). Resuelve fechas relativas contra hoy: "el viernes" es el \
próximo viernes (si hoy es viernes, el de la semana siguiente); "este viernes" puede ser hoy; \
"la próxima semana" es el lunes siguiente; "fin de mes" es el último día del mes (si hoy lo es, el \
del mes siguiente); "la quincena" es el siguiente 15 o último día; "el 15" es ese día de este mes o \
del siguiente si ya pasó.

Reglas de los campos: quantity es cuántas piezas (nunca una medida: 90 en "codo de 90" o 1100 en \
"tinaco de 1100 L" no son cantidad); product_query conserva las medidas (1/2, 3/4, 1", de 90) y \
quita verbos, cantidades y saludos; option_index es base 0 ("el primero"=0, "el último"=-1); \
option_hint es el atributo cuando elige por característica ("el de 3/4" -> "3/4"); promise_amount \
en pesos ("5 mil" -> 5000). Deja en null lo que no aplique. confidence >= 0.85 si es claro, \
< 0.55 si adivinas. reason: una frase corta en inglés.
"""


def build_system_prompt(*, context: FlowContext, today: date) -> str:
    """The system prompt for one decision: intents, the open flow and today's date."""
    return SYSTEM_PROMPT.format(context=context, context_note=_CONTEXT_NOTES[context],
                                weekday=_WEEKDAY_NAMES[today.weekday()], today=today.isoformat())


class LLMRouter:
    """Asks a chat model for a structured `RouteDecision`; on any failure it logs and uses `fallback`."""

    def __init__(self, model: BaseChatModel, *, fallback: IntentRouter, timeout_s: float = 2 * LLM_TIMEOUT_S + 5,
                 method: Literal["json_schema", "function_calling"] = "json_schema",
                 http_client: httpx.AsyncClient | None = None) -> None:
        # json_schema is langchain-openai's default and what vLLM and Ollama also accept; function_calling
        # suits servers without structured outputs. `http_client`, when given, is the model's client and
        # this router closes it in `aclose()`.
        self._structured = model.with_structured_output(RouteDecision, method=method)
        self._fallback = fallback
        self._timeout_s = timeout_s
        self._http_client = http_client

    async def aclose(self) -> None:
        """Close the HTTP client this router owns (call it when the service stops)."""
        if self._http_client is not None:
            await self._http_client.aclose()

    async def decide(self, text: str, *, context: FlowContext, today: date) -> RouteDecision:
        """The model's decision for `text`, or the fallback's when the model fails or answers off-flow."""
        messages = [SystemMessage(build_system_prompt(context=context, today=today)), HumanMessage(text)]
        try:
            async with asyncio.timeout(self._timeout_s):
                result = await self._structured.ainvoke(messages)
        except Exception as exc:  # a model outage must never stop a sale: the rules take over
            logger.warning("intent model failed (%s: %s); using the fallback router", type(exc).__name__, exc)
            return await self._fall_back(text, context=context, today=today, why=type(exc).__name__)
        if not isinstance(result, RouteDecision):
            logger.warning("intent model returned %s, not a RouteDecision; using the fallback router",
                           type(result).__name__)
            return await self._fall_back(text, context=context, today=today, why="no decision")
        if context not in _FLOW_INTENTS.get(result.intent, (context,)):
            logger.warning("intent model answered %s outside its flow (%s); using the fallback router",
                           result.intent, context)
            return await self._fall_back(text, context=context, today=today, why=f"{result.intent} off-flow")
        return _with_promise_details(result, text, today)

    async def _fall_back(self, text: str, *, context: FlowContext, today: date, why: str) -> RouteDecision:
        decision = await self._fallback.decide(text, context=context, today=today)
        decision.reason = f"fallback ({why}): {decision.reason}"
        return decision


def _with_promise_details(decision: RouteDecision, text: str, today: date) -> RouteDecision:
    """Fill a promise's missing or past date and missing amount from the deterministic parser."""
    if decision.intent != "promise_to_pay":
        return decision
    norm = lx.normalize(text)
    if decision.promise_date is None or decision.promise_date < today:
        decision.promise_date = find_date(norm, today=today)
    if decision.promise_amount is None:
        decision.promise_amount = find_amount(norm)
    return decision


def build_router(settings: Settings, *, http_client: httpx.AsyncClient | None = None) -> RulesRouter | LLMRouter:
    """An `LLMRouter` when a model is configured (API key or base URL), else the `RulesRouter`.

    Pass the service's `http_client` to share it (its owner closes it); otherwise the router opens
    its own and the caller closes it with `await router.aclose()` when the service stops.
    """
    if settings.openai_api_key is None and not settings.openai_base_url:
        return RulesRouter()
    from langchain_openai import ChatOpenAI  # imported here: the rules-only default never loads it

    # Never langchain-openai's process-wide cached client: one we (or the caller) can close.
    owned = httpx.AsyncClient(timeout=LLM_TIMEOUT_S) if http_client is None else None
    model = ChatOpenAI(
        model=settings.openai_model,
        # A local vLLM or Ollama needs no key, but the client insists on one.
        api_key=settings.openai_api_key or SecretStr("not-needed"),
        # Always explicit, so the client never falls back to an OPENAI_BASE_URL from the environment.
        base_url=settings.openai_base_url or "https://api.openai.com/v1",
        timeout=LLM_TIMEOUT_S,
        max_retries=1,
        temperature=0,
        http_async_client=http_client or owned,
    )
    return LLMRouter(model, fallback=RulesRouter(), http_client=owned)
