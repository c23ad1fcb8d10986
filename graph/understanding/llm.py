"""The LLM reader: asks an OpenAI-compatible chat model for a structured `RouteDecision`.

`LLMRouter` sends `build_system_prompt` (the intents, the open flow, today's date) and the message;
on any failure, or an answer outside the open flow, it logs and uses its fallback (the rules).
A promise's missing or past date and missing amount are filled from `dates`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Literal

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from graph.understanding import lexicon as lx
from graph.understanding.dates import find_amount, find_date
from graph.understanding.decision import FlowContext, IntentRouter, RouteDecision

logger = logging.getLogger(__name__)

LLM_TIMEOUT_S = 15.0  # per HTTP attempt; the router also bounds the whole call
_FLOW_INTENTS = {"select_option": ("options_shown",), "confirm": ("awaiting_confirmation",),
                 "cancel": ("options_shown", "awaiting_confirmation")}

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
