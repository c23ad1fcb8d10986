"""The LLM reader: asks an OpenAI-compatible chat model for a structured `Reading` (the rules' schema).

`LLMReader` sends `build_system_prompt` (the acts, the open flow, today's date) and the message;
on any failure, or an act outside the open flow, it logs and uses its fallback (the rules).
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
from graph.understanding.dates import find_amount, find_promised_date
from graph.understanding.reading import FlowContext, MessageReader, Reading

logger = logging.getLogger(__name__)

LLM_TIMEOUT_S = 15.0  # per HTTP attempt; the reader also bounds the whole call
# Acts that only answer an open flow; read outside it they are off-flow and the rules decide.
_FLOW_ACTS: dict[str, tuple[str, ...]] = {
    "choose": ("options_shown",), "confirm": ("awaiting_confirmation", "stock_offer"),
    "stock_answer": ("stock_offer",),
}

_WEEKDAY_NAMES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_CONTEXT_NOTES: dict[str, str] = {
    "none": "No hay flujo abierto: choose, confirm y stock_answer no aplican.",
    "options_shown": (
        "Se le mostraron opciones numeradas de productos. 'el primero', 'la 2', 'el de cobre', 'el más barato' "
        "son choose; 'ninguno' es cancel; una petición nueva clara gana."),
    "awaiting_confirmation": (
        "Se le mostró su pedido (borrador) y se le pidió confirmar. 'sí', 'va', 'sale', 'ok', 'dale', 'confirmo' "
        "son confirm; 'no', 'cancela' son cancel; 'quítale las tees', 'mejor que sean 30', 'agrégale 10 codos', "
        "'cambia el de cobre por pvc' son ediciones (remove, change_quantity, add, replace), nunca cancel: "
        "'no!! eran 10 tees' es change_quantity."),
    "stock_offer": (
        "Se le ofreció lo que hay en existencia y el resto como pendiente. 'sí' o 'y el resto cuando llegue' es "
        "stock_answer con backorder=true; 'mándame los que tengas' es stock_answer con backorder=false; "
        "'no' es cancel."),
    "awaiting_approval": "Su pedido espera autorización de crédito; sus mensajes se leen como cualquier otro.",
}
SYSTEM_PROMPT = """\
Eres el lector de mensajes de un distribuidor mexicano de plomería y ferretería que vende y cobra \
por WhatsApp. Lee el ÚLTIMO mensaje del cliente (español mexicano con faltas de ortografía, \
abreviaturas y modismos, o inglés) y devuelve la lista de actos que contiene, en el orden escrito.

Actos (kind):
- order: quiere comprar; un elemento en lines por cada producto ("mándame 15 coples de 3/4, 8 tees y 4 \
tubos" = 3 lines).
- search: pregunta si tienen / manejan un producto ("tienen tinacos?").
- add / remove / change_quantity / replace: cambia el pedido abierto ("agrégale 10 codos", "quítale las tees", \
"mejor que sean 30", "cambia el de cobre por uno de pvc"); target son las palabras de la línea afectada.
- choose: elige una opción mostrada (option_index base 0, o option_hint: "cobre", "mas barato").
- confirm / cancel: responde a la confirmación pendiente.
- stock_answer: responde a una oferta de existencias (backorder true/false).
- question con topic: price ("a cómo el codo de 1/2"), stock ("cuántos tienen"), delivery, order_status \
("cuándo me llega"), payment_methods (cuenta, CLABE, tarjeta), payment_link ("mándame la liga de pago"), \
hours, address, invoice; \
lines lleva el producto preguntado si lo hay.
- promise_to_pay: promete pagar ("el viernes les deposito 5 mil"); paid: dice que ya pagó; statement: \
pregunta cuánto debe.
- complaint: una queja ("me llegaron rotos"); human: pide hablar con una persona.
- greeting, thanks, goodbye, ack ("ok", "👍"): solo cuando el mensaje no dice nada más.

Contexto del flujo: {context}. {context_note}
Hoy es {weekday} {today} (YYYY-MM-DD). Resuelve fechas relativas contra hoy: "el viernes" es el \
próximo viernes (si hoy es viernes, el de la semana siguiente); "fin de mes" es el último día del mes; \
"la quincena" es el siguiente 15 o último día; "el 15" es ese día de este mes o del siguiente si ya pasó.

Campos de cada línea: quantity es cuántas unidades (nunca una medida: 90 en "codo de 90" o 1100 en \
"tinaco de 1100 L" no son cantidad); unit la unidad dicha (tramo, rollo, caja); product las palabras \
del producto con medidas y material ("coples pvc 3/4"), sin verbos ni saludos; size la medida como \
"1/2", "3/4", "1 1/2"; attributes el material, tipo o marca ("pvc", "cobre", "90"). promise_amount en \
pesos ("5 mil" -> 5000). language: es o en (null si el mensaje no lo muestra, como "ok" o "10"). \
confidence >= 0.85 si es claro, < 0.55 si adivinas. reason: una frase corta en inglés.
"""


def build_system_prompt(*, context: FlowContext, today: date) -> str:
    """The system prompt for one reading: the acts, the open flow and today's date."""
    return SYSTEM_PROMPT.format(context=context, context_note=_CONTEXT_NOTES[context],
                                weekday=_WEEKDAY_NAMES[today.weekday()], today=today.isoformat())


class LLMReader:
    """Asks a chat model for a structured `Reading`; on any failure it logs and uses `fallback`."""

    def __init__(self, model: BaseChatModel, *, fallback: MessageReader, timeout_s: float = 2 * LLM_TIMEOUT_S + 5,
                 method: Literal["json_schema", "function_calling"] = "json_schema",
                 http_client: httpx.AsyncClient | None = None) -> None:
        # json_schema is langchain-openai's default and what vLLM and Ollama also accept; function_calling
        # suits servers without structured outputs. `http_client`, when given, is the model's client and
        # this reader closes it in `aclose()`.
        self._structured = model.with_structured_output(Reading, method=method)
        self._fallback = fallback
        self._timeout_s = timeout_s
        self._http_client = http_client

    async def aclose(self) -> None:
        """Close the HTTP client this reader owns (call it when the service stops)."""
        if self._http_client is not None:
            await self._http_client.aclose()

    async def read(self, text: str, *, context: FlowContext, today: date) -> Reading:
        """The model's reading of `text`, or the fallback's when the model fails or answers off-flow."""
        messages = [SystemMessage(build_system_prompt(context=context, today=today)), HumanMessage(text)]
        try:
            async with asyncio.timeout(self._timeout_s):
                result = await self._structured.ainvoke(messages)
        except Exception as exc:  # a model outage must never stop a sale: the rules take over
            logger.warning("reader model failed (%s: %s); using the fallback reader", type(exc).__name__, exc)
            return await self._fall_back(text, context=context, today=today, why=type(exc).__name__)
        if not isinstance(result, Reading):
            logger.warning("reader model returned %s, not a Reading; using the fallback reader", type(result).__name__)
            return await self._fall_back(text, context=context, today=today, why="no reading")
        off_flow = [a.kind for a in result.acts if context not in _FLOW_ACTS.get(a.kind, (context,))]
        if off_flow:
            logger.warning("reader model answered %s outside its flow (%s); using the fallback reader",
                           off_flow[0], context)
            return await self._fall_back(text, context=context, today=today, why=f"{off_flow[0]} off-flow")
        return _with_promise_details(result, text, today)

    async def _fall_back(self, text: str, *, context: FlowContext, today: date, why: str) -> Reading:
        reading = await self._fallback.read(text, context=context, today=today)
        reading.reason = f"fallback ({why}): {reading.reason}"
        return reading


def _with_promise_details(reading: Reading, text: str, today: date) -> Reading:
    """Fill a promise's missing or past date and missing amount from the deterministic parser."""
    norm = lx.normalize(text)
    for act in reading.acts:
        if act.kind != "promise_to_pay":
            continue
        if act.promise_date is None or act.promise_date < today:
            act.promise_date = find_promised_date(norm, today=today)
        if act.promise_amount is None:
            act.promise_amount = find_amount(norm)
    return reading
