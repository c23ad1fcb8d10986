"""The reading of one customer message: the acts it carries, the language, and the turn's intent.

`Reading` is the one pydantic schema both readers produce (the rules directly, the LLM through
structured output). A message carries a list of `Act`s in the order the customer wrote them
("mándame 15 coples y 8 tees, ¿a qué hora cierran?" is one order act with two lines and a
question); the turn's `intent`, which the API and the audit show, is named by the first act.
`MessageReader` is the protocol both readers share.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal, Protocol, get_args

from pydantic import BaseModel, ConfigDict, Field

#: The turn's intent, as the API and the audit name it (DESIGN's list).
Intent = Literal[
    "search_product", "create_order", "check_price", "check_stock", "order_status", "payment_status",
    "promise_to_pay", "account_statement", "human_handoff", "general_question",
    "select_option", "modify_order", "confirm", "cancel",
]
INTENTS: tuple[str, ...] = get_args(Intent)

ActKind = Literal[
    "order",  # lines to buy: "mándame 15 coples de 3/4 y 8 tees"
    "search",  # asks whether a product is carried: "¿tienen tinacos?"
    "add", "remove", "change_quantity", "replace",  # edits of the open draft order
    "restore",  # puts back a line taken out of the draft: "no, siempre sí ponlos"
    "choose",  # picks one of the options shown, by position or attribute
    "confirm", "cancel",  # answers the open confirmation (cancel also: none of the options)
    "stock_answer",  # answers a stock offer: take what is available, with or without a backorder
    "question",  # a question on a `topic`, maybe about a product (`lines`)
    "promise_to_pay", "paid", "statement",
    "complaint", "human",  # something went wrong / asks for a person: a hand-off
    "greeting", "thanks", "goodbye", "ack",  # small talk; "ack" is a bare "ok" or 👍
]
ACT_KINDS: tuple[str, ...] = get_args(ActKind)
Topic = Literal["price", "stock", "delivery", "order_status", "payment_methods", "payment_link", "hours", "address",
                "invoice"]
Language = Literal["es", "en"]
#: The open flow a message is read against: what a bare "sí", "el 2" or "30" would answer.
FlowContext = Literal["none", "options_shown", "awaiting_confirmation", "stock_offer", "awaiting_approval"]

# Confidence bands. The supervisor asks a clarifying question below settings.router_min_confidence
# (0.55 by default), so anything the rules only guess at stays under it.
SURE = 0.95  # the whole message is a known answer ("sí", "el primero") or carries every cue
HIGH = 0.9  # a specific cue phrase matched
MEDIUM = 0.75  # a cue matched but a part is missing (an order verb without a quantity)
WEAK = 0.62  # inferred from a product word alone
GUESS = 0.4  # a flow answer with no open flow: ask what the customer means
UNKNOWN = 0.3  # nothing matched


def _no_default(schema: dict[str, object]) -> None:
    # Defaults serve Python callers; OpenAI's strict mode makes every field required anyway, and a
    # non-null default is not a documented keyword there.
    schema.pop("default", None)


class Line(BaseModel):
    """One product the customer names: how many, in what unit, which words, which size and material."""

    model_config = ConfigDict(extra="ignore")

    quantity: int | None = Field(default=None, gt=0, le=100_000, description=(
        "How many units, e.g. 15 in '15 coples'; 'una docena'=12, 'un par'=2. Never a size: 90 in "
        "'codo de 90' or 1100 in 'tinaco de 1100 L' is not a quantity. Null when not said."))
    unit: str | None = Field(default=None, description="The unit said with the quantity: pieza, tramo, rollo, caja...")
    product: str = Field(description=(
        "The product words to search the catalog with, sizes and materials kept: 'coples pvc 3/4', "
        "'tinaco rotoplas 1100'. No verbs, quantities or greetings. Empty when only a size or material "
        "is said ('y el de 3/4?')."))
    size: str | None = Field(default=None, description="The size as the catalog writes it: '1/2', '3/4', '1 1/2', '2'.")
    attributes: list[str] = Field(default_factory=list, json_schema_extra=_no_default, description=(
        "Material, type or brand words that tell variants apart: 'pvc', 'cobre', '90', 'rotoplas'."))


class Act(BaseModel):
    """One thing the message does. Only the fields of its kind are set."""

    model_config = ConfigDict(extra="ignore")

    kind: ActKind = Field(description=(
        "order: wants to buy lines. search: asks if a product is carried. add/remove/change_quantity/"
        "replace: edits the open draft order. restore: puts back a line removed before. choose: picks an option "
        "shown. confirm/cancel: answers the pending confirmation. stock_answer: answers a stock offer. "
        "question: asks about a topic. "
        "promise_to_pay: will pay later. paid: already paid. statement: what is owed. complaint / human: "
        "a problem or asks for a person. greeting/thanks/goodbye/ack: small talk."))
    lines: list[Line] = Field(default_factory=list, json_schema_extra=_no_default, description=(
        "order/add/search: the products named. replace: the new product. question: the product asked about."))
    target: str | None = Field(default=None, description=(
        "remove/change_quantity/replace/restore: the words naming the draft line ('las tees', 'los de cobre'); "
        "null when the message names none (the line last talked about); 'todo' for every line ('todo de 1 pulgada'). "
        "add: 'todo' when every drafted line is wanted again in another detail, the detail as the line "
        "('de esos mismos pero de 1')."))
    quantity: int | None = Field(default=None, gt=0, le=100_000, description=(
        "change_quantity: the new quantity ('mejor que sean 30' -> 30). choose: a quantity said with the pick. "
        "remove: how many units to take off the line ('quítale 5 a las tees' -> 5); null takes the whole line."))
    option_index: int | None = Field(default=None, description=(
        "choose: 0-based position ('el primero'=0, 'la 2'=1, 'el último'=-1)."))
    option_hint: str | None = Field(default=None, description=(
        "choose: the attribute picked by ('el de cobre' -> 'cobre', 'la más barata' -> 'mas barato')."))
    backorder: bool | None = Field(default=None, description=(
        "stock_answer: true to take what is in stock and the rest when it arrives, false for only what is in stock."))
    topic: Topic | None = Field(default=None, description=(
        "question: what it is about; null for a follow-up that only changes a detail of the product last "
        "asked about ('¿y el de 3/4?')."))
    promise_date: date | None = Field(default=None, description=(
        "promise_to_pay: the promised date (ISO yyyy-mm-dd), resolved against today's date."))
    promise_amount: Decimal | None = Field(default=None, ge=0, description=(
        "promise_to_pay: the amount in MXN, e.g. 5000 for '5 mil'."))


# The intent each act names when it comes first; a question names its topic's.
_INTENT_OF: dict[str, Intent] = {
    "order": "create_order", "search": "search_product", "add": "modify_order", "remove": "modify_order",
    "change_quantity": "modify_order", "replace": "modify_order", "restore": "modify_order", "choose": "select_option",
    "confirm": "confirm", "cancel": "cancel", "stock_answer": "modify_order", "promise_to_pay": "promise_to_pay",
    "paid": "payment_status", "statement": "account_statement", "complaint": "human_handoff",
    "human": "human_handoff", "greeting": "general_question", "thanks": "general_question",
    "goodbye": "general_question", "ack": "general_question",
}
_TOPIC_INTENT: dict[str, Intent] = {"price": "check_price", "stock": "check_stock", "order_status": "order_status"}


class Reading(BaseModel):
    """The reader's reading of one customer message; the LLM fills it through structured output."""

    model_config = ConfigDict(extra="ignore")

    acts: list[Act] = Field(description="What the message does, in the order written; empty when nothing is "
                                        "understood.")
    language: Language | None = Field(description=(
        "es for Spanish, en for English: the language to answer in; null when the message shows neither "
        "('10', 'ok', '👍'), so the conversation's language stays."))
    confidence: float = Field(ge=0, le=1, description=(
        "0..1. At least 0.85 for a clear reading; below 0.55 when guessing (the supervisor then asks)."))
    reason: str = Field(default="", json_schema_extra=_no_default,
                        description="A short English reason for the audit log.")

    @property
    def intent(self) -> Intent:
        """The turn's intent, named by the first act (general_question when there is none)."""
        if not self.acts:
            return "general_question"
        first = self.acts[0]
        if first.kind == "question":
            return _TOPIC_INTENT.get(first.topic or "", "general_question")
        return _INTENT_OF[first.kind]

    def first(self, *kinds: str) -> Act | None:
        """The first act of one of `kinds`, or None."""
        return next((act for act in self.acts if act.kind in kinds), None)

    def audit(self) -> dict[str, object]:
        """The reading as JSON for the state and the audit, with the intent it names."""
        return {"intent": self.intent, **self.model_dump(mode="json")}


class MessageReader(Protocol):
    """Anything that turns a customer message into a `Reading`."""

    async def read(self, text: str, *, context: FlowContext, today: date) -> Reading:
        """Read `text` against the open flow `context`; relative dates resolve from `today`."""
        ...

    async def aclose(self) -> None:
        """Release what the reader holds."""
        ...
