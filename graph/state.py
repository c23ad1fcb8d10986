"""The shared conversation state every node of the supervisor graph reads and writes.

Values are plain JSON-able dicts and lists (money as strings), so checkpoints stay
readable in Redis and replays compare equal.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

Channel = Literal["whatsapp", "rest", "studio"]
Pending = Literal["options_shown", "awaiting_confirmation"]


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
    intent: str | None  # the router's decision for the latest message
    confidence: float
    decision: dict[str, Any] | None  # the RouteDecision, as JSON
    pending: Pending | None  # the open flow the next message is read against
    search_results: list[dict[str, Any]]  # products last shown as numbered options
    requested_quantity: int | None
    cart: list[dict[str, Any]]  # {sku, name, quantity, list_price, unit}
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
    route: list[str]


class SubgraphOutput(TypedDict, total=False):
    """What a subgraph hands back to the parent: only the fields subgraphs change.

    The parent writes (and the checkpointer stores) one value per output key, so leaving
    out what a subgraph never changes (tenant, customer, channel, the decision) saves a
    write per key per subgraph run.
    """

    messages: Annotated[list[AnyMessage], add_messages]
    pending: Pending | None
    search_results: list[dict[str, Any]]
    requested_quantity: int | None
    cart: list[dict[str, Any]]
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
