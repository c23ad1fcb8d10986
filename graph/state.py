"""The shared conversation state every node of the supervisor graph reads and writes.

Values are plain JSON-able dicts and lists (money as strings), so checkpoints stay
readable in Redis and replays compare equal.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

Channel = Literal["whatsapp", "rest", "studio"]
#: The open flow the next message answers: options shown, the draft shown for confirmation, a stock
#: offer, or an order waiting for a human's credit approval.
Pending = Literal["options_shown", "awaiting_confirmation", "stock_offer", "awaiting_approval"]
#: What a pick among the options shown does: resolves a draft line, adds the product, prices it, or gives its stock.
OptionsFor = Literal["line", "order", "price", "stock"]
Language = Literal["es", "en"]


class InputState(TypedDict, total=False):
    """What a caller passes in for one turn: the new customer message and who sent it."""

    messages: Annotated[list[AnyMessage], add_messages]  # appended, never replaced
    tenant_id: str
    customer_id: str
    conversation_id: str
    channel: Channel


class OrkestaState(InputState, total=False):
    """The whole state of one conversation; each field is overwritten by the node that sets it."""

    turn: int  # customer messages so far; side effects are keyed by (conversation, turn)
    text: str  # the latest customer message, as the supervisor read it
    intent: str | None  # the intent the latest message's first act names
    confidence: float
    decision: dict[str, Any] | None  # the Reading of the latest message (its acts), as JSON
    language: Language  # the conversation's language: replies are written in it
    pending: Pending | None  # the open flow the next message is read against
    options_for: OptionsFor | None  # what picking one of `search_results` does
    search_results: list[dict[str, Any]]  # products last shown as numbered options
    requested_quantity: int | None
    cart: list[dict[str, Any]]  # the draft order: {sku, name, quantity, unit, list_price, stock, backorder}
    unresolved: list[dict[str, Any]]  # draft lines still to be matched to a product (Line JSON), asked in order
    removed: list[dict[str, Any]]  # draft lines taken out, with the turn: "siempre sí ponlos" puts them back
    offer: dict[str, Any] | None  # the stock offer open for one draft line: {sku, requested, available}
    last_product: dict[str, Any] | None  # the product last asked about, for "¿y el de 3/4?": {product, option, topic}
    quoted: list[dict[str, Any]]  # the products quoted one by one since the last order, for "2 del primero"
    last_topic: str | None  # the question last answered, for "¿y los sábados?"
    approval: dict[str, Any] | None  # the credit approval the order waits for
    preface: str | None  # answers to this turn's side questions, said before the flow's reply
    next_flow: str | None  # the subgraph the service subgraph hands the turn to after its answers
    quote: dict[str, Any] | None  # tools.pricing.Quote as JSON
    order: dict[str, Any] | None
    payment_link: dict[str, Any] | None
    collections: dict[str, Any] | None  # statement and promise to pay
    route: list[str]  # the nodes this turn passed through
    hops: int  # supervisor hops this turn (loop guard)
    reply: str | None  # the text answered to the customer this turn


class SubgraphInput(TypedDict, total=False):
    """The part of the shared state every subgraph is handed; each extends it with what its
    nodes read.

    A subgraph run starts by writing its input into its own channels, and every checkpoint
    of its steps stores them; the history of messages (subgraphs append to it but read the
    latest message as `text`) and fields a subgraph never reads stay out.
    """

    tenant_id: str
    customer_id: str
    conversation_id: str
    intent: str | None
    decision: dict[str, Any] | None
    language: Language
    preface: str | None
    route: list[str]


class SubgraphOutput(TypedDict, total=False):
    """What a subgraph hands back to the parent: only the fields subgraphs change.

    The parent writes (and the checkpointer stores) one value per output key, so leaving
    out what a subgraph never changes (tenant, customer, channel, the decision) saves a
    write per key per subgraph run.
    """

    messages: Annotated[list[AnyMessage], add_messages]
    pending: Pending | None
    options_for: OptionsFor | None
    search_results: list[dict[str, Any]]
    requested_quantity: int | None
    cart: list[dict[str, Any]]
    unresolved: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    offer: dict[str, Any] | None
    last_product: dict[str, Any] | None
    quoted: list[dict[str, Any]]
    last_topic: str | None
    approval: dict[str, Any] | None
    preface: str | None
    next_flow: str | None
    quote: dict[str, Any] | None
    order: dict[str, Any] | None
    payment_link: dict[str, Any] | None
    collections: dict[str, Any] | None
    route: list[str]
    hops: int
    reply: str | None


def route_step(state: OrkestaState, node: str) -> list[str]:
    """The turn's route with `node` appended (a fresh list: state values are never mutated)."""
    return [*state.get("route", []), node]
