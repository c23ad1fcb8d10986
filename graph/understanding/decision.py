"""The reader's decision: the ten intents, the flow contexts, the confidence bands and `RouteDecision`.

`RouteDecision` is the pydantic schema both readers produce (the rules directly, the LLM through
structured output); `IntentRouter` is the protocol they share.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal, Protocol, get_args

from pydantic import BaseModel, ConfigDict, Field

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
