"""The bus contracts: who talks on the bus, what they say, and one payload model per message.

Producer and consumer use the same model: a producer builds a message with `message(payload, ...)`
(the intent comes from the payload's class) and a consumer reads it back with
`Model.read(message)`. A payload that names a side effect (an order announced, a reply sent)
has an `effect_key`: the bus's dedupe key, so a replayed or retried step publishes it once.

Renaming a field here renames it for everyone; the JSON on the wire is each model's
`model_dump(mode="json")`.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from agents.bus import EventBus
from agents.messages import BROADCAST, AgentMessage, MessageType
from tools.dunning import History, ReminderLine, Tone
from tools.payments import Announce, PaidLink
from tools.purchase_orders import PurchaseOrder
from tools.whatsapp import DEFAULT_LANGUAGE, InboundText, Option

# --- agent names: inboxes and consumer groups (senders that only publish are named too) -------
CONVERSATION = "conversation"
WHATSAPP_OUTBOUND = "whatsapp_outbound"
WHATSAPP_WEBHOOK = "whatsapp_webhook"
COLLECTIONS = "collections"
INVENTORY = "inventory"
PURCHASING = "purchasing"
NOTIFICATIONS = "notifications"
PING = "ping"
#: The conversation subgraphs that announce domain events, and the pay page / Stripe webhook.
ORDER = "order"
PAYMENT = "payment"
DUNNING = "dunning"

#: An amount in MXN; a JSON string with its decimals as written ("1571.35").
Money = Annotated[Decimal, PlainSerializer(str, return_type=str, when_used="json")]


class Payload(BaseModel):
    """A message's payload; subclasses name their intent and, for side effects, their dedupe key."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    intent: ClassVar[str]

    @property
    def effect_key(self) -> str | None:
        """The bus dedupe key of the side effect this message announces (None: not deduplicated)."""
        return None

    @classmethod
    def read(cls, message: AgentMessage) -> Self:
        """The payload of `message`; ValueError for another intent, ValidationError for a bad field."""
        if message.intent != cls.intent:
            raise ValueError(f"expected a {cls.intent!r} message, got {message.intent!r}")
        return cls.model_validate(message.payload)


# --- the WhatsApp channel ------------------------------------------------------------------


class CustomerMessage(InboundText, Payload):  # type: ignore[misc]
    """What a customer wrote on WhatsApp (the webhook door → `conversation`); one per inbound wamid."""

    intent: ClassVar[str] = "customer_message"

    @property
    def effect_key(self) -> str:
        # Set in the same script that queues the message, kept as long as Meta retries
        # (bus_dedupe_ttl_s): a redelivered webhook is dropped, a failure leaves nothing half-done.
        return f"wa-inbound:{self.wamid}"


class TemplateSpec(BaseModel):
    """The approved template to send outside the window; `body_parameters` None means the text as `{{1}}`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_]{1,512}$")
    language: str = Field(default=DEFAULT_LANGUAGE, min_length=2, max_length=16)
    body_parameters: list[str] | None = None


class SendReply(Payload):
    """A message for `whatsapp_outbound` to send once per `step_key`."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    intent: ClassVar[str] = "send_reply"

    to: str = Field(min_length=1, max_length=160)
    text: str = Field(min_length=1)
    options: list[Option] | None = None
    step_key: str = Field(min_length=1, max_length=512)
    template: TemplateSpec | None = None

    @property
    def effect_key(self) -> str:
        return f"send_reply:{self.step_key}"


class ReplySent(Payload):
    """What `whatsapp_outbound` did with a `send_reply`: its answer to a request and its audit entry."""

    intent: ClassVar[str] = "reply_sent"

    step_key: str
    wamids: list[str]
    format: str
    duplicate: bool


class WhatsAppSent(ReplySent):
    """The audit entry of a step sent (the same fields as `reply_sent`)."""

    intent: ClassVar[str] = "whatsapp_sent"


# --- orders, stock and purchasing -----------------------------------------------------------


class OrderLineRef(BaseModel):
    """A line of an announced order: what the sales counter needs."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    sku: str
    quantity: int


class OrderCreated(Payload):
    """An order was created (order subgraph → broadcast)."""

    intent: ClassVar[str] = "order_created"

    order_id: str = Field(min_length=1)
    gross: Money | None = None
    currency: str = "MXN"
    lines: list[OrderLineRef] = Field(default_factory=list)

    @property
    def effect_key(self) -> str:
        return f"order_created:{self.order_id}"


class LowStock(Payload):
    """An order took a product under its reorder point (order subgraph → broadcast)."""

    intent: ClassVar[str] = "low_stock"

    sku: str = Field(min_length=1)
    stock: int
    reorder_point: int = Field(ge=0)
    order_id: str | None = None

    @property
    def effect_key(self) -> str:
        return f"low_stock:{self.order_id}:{self.sku}"


class CreatePurchaseOrder(Payload):
    """A purchase order sized by `inventory`, for `purchasing` to place once."""

    intent: ClassVar[str] = "create_purchase_order"

    po_id: str = Field(min_length=1, max_length=128)
    sku: str = Field(min_length=1)
    quantity: int = Field(gt=0)
    supplier_id: str = Field(min_length=1)
    forecast_daily: float = Field(ge=0)
    lead_time_days: int = Field(ge=0)
    safety_days: int | None = None
    stock: int
    reorder_point: int = Field(ge=0)
    source_event_id: str
    order_id: str | None = None

    @property
    def effect_key(self) -> str:
        return f"create_purchase_order:{self.po_id}"


class PurchaseOrderPlaced(PurchaseOrder, Payload):
    """`purchasing`'s answer to a request: the purchase order as stored."""

    intent: ClassVar[str] = "purchase_order"


class PurchaseOrderSent(PurchaseOrderPlaced):
    """A purchase order reached its supplier (purchasing → broadcast): the order itself."""

    intent: ClassVar[str] = "purchase_order_sent"

    @property
    def effect_key(self) -> str:
        return f"purchase_order_sent:{self.po_id}"


# --- payments and collections ---------------------------------------------------------------


class PaymentLinkCreated(Payload):
    """A payment link for a new order (payment subgraph → broadcast)."""

    intent: ClassVar[str] = "payment_link_created"

    order_id: str
    link_id: str
    url: str
    amount: Money
    currency: str = "MXN"

    @property
    def effect_key(self) -> str:
        return f"payment_link_created:{self.link_id}"


class PaymentReceived(Payload):
    """A payment link was paid (pay page or Stripe → broadcast)."""

    intent: ClassVar[str] = "payment_received"

    order_id: str
    link_id: str
    amount: Money
    currency: str = "MXN"
    provider: str

    @property
    def effect_key(self) -> str:
        return f"payment_received:{self.link_id}"

    def message_id(self, tenant: str) -> str:
        """A stable id: however many callers announce the same payment, it is one message."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"orkesta:payment_received:{tenant}:{self.link_id}"))


class PromiseToPay(Payload):
    """A customer promised to pay (dunning subgraph → broadcast)."""

    intent: ClassVar[str] = "promise_to_pay"

    promise_id: str
    promised_date: date | None = None
    amount: Money | None = None

    @property
    def effect_key(self) -> str:
        return f"promise_to_pay:{self.promise_id}"


class PromiseBroken(PromiseToPay):
    """A promise's date passed unpaid (collections → broadcast)."""

    intent: ClassVar[str] = "promise_broken"

    @property
    def effect_key(self) -> str:
        return f"promise_broken:{self.promise_id}"


class DunningReminderSent(Payload):
    """A grouped reminder went to a customer (collections → broadcast)."""

    intent: ClassVar[str] = "dunning_reminder_sent"

    customer_id: str
    day: date
    tone: Tone
    reason: str
    total: Money
    link_id: str
    url: str
    invoices: list[ReminderLine]
    history: History

    @property
    def effect_key(self) -> str:
        return f"dunning_reminder_sent:{self.customer_id}:{self.day.isoformat()}"


# --- the team ------------------------------------------------------------------------------


class HandoffRequested(Payload):
    """A customer complained or asked for a person (conversation graph → broadcast, the customer named by
    the message's `customer_id`); `notifications` tells the team once per (conversation, turn)."""

    intent: ClassVar[str] = "handoff_requested"

    # Bounded so the team notice's key (`handoff:<conversation>:<turn>`) fits; the API's ids are at most 128.
    conversation_id: str = Field(min_length=1, max_length=200)
    turn: int = Field(ge=0)
    reason: Literal["complaint", "human"]
    text: str = Field(min_length=1, max_length=4096, description="The customer's words.")
    language: Literal["es", "en"] = "es"

    @property
    def effect_key(self) -> str:
        return f"handoff_requested:{self.conversation_id}:{self.turn}"


NoticeKind = Literal["purchase_order", "broken_promise", "escalation", "handoff"]


class TeamNotice(Payload):
    """Something the tenant's team must hear (→ `notifications`); `key` names it so it goes out once."""

    intent: ClassVar[str] = "notify_team"

    kind: NoticeKind
    text: str = Field(min_length=1, max_length=4000)
    data: dict[str, Any] = Field(default_factory=dict)
    key: str = Field(min_length=1, max_length=256)

    @property
    def effect_key(self) -> str:
        return f"notify_team:{self.key}"


# --- the runtime, liveness and the graph's audit trail ----------------------------------------


class Failed(Payload):
    """The error reply to a request that was dead-lettered."""

    intent: ClassVar[str] = "failed"

    reason: str


class Pong(Payload):
    """`ping`'s answer: the request's payload echoed."""

    intent: ClassVar[str] = "pong"

    echo: dict[str, Any]


class NodeEvent(BaseModel):
    """One node transition of a graph run, as the audit stream and `/v1/chat/stream` show it; its
    message's intent is its `kind` (so it is no `Payload`, whose intent is fixed per class)."""

    kind: Literal["node_start", "node_end"]
    node: str  # "supervisor", "catalog", "catalog.search", ...
    step: int | None = None
    task_id: str
    checkpoint_id: str | None
    parent_checkpoint_id: str | None = None
    error: str | None = None


# --- the one message factory --------------------------------------------------------------


def message(
    payload: BaseModel | dict[str, Any], *, from_agent: str, to_agent: str = BROADCAST, tenant: str | None = None,
    cause: AgentMessage | None = None, intent: str | None = None, message_type: MessageType = "event",
    conversation_id: str | None = None, customer_id: str | None = None, trace_id: str | None = None,
    message_id: str | None = None,
) -> AgentMessage:
    """A message carrying `payload` (its intent from the payload's class unless named), caused by
    `cause` when given: same tenant, trace, conversation and customer unless named here."""
    intent = intent or (payload.intent if isinstance(payload, Payload) else None)
    if intent is None:
        raise ValueError("a message whose payload is not a Payload needs an intent")
    fields: dict[str, Any] = {
        "from_agent": from_agent, "to_agent": to_agent, "message_type": message_type, "intent": intent,
        "payload": payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload,
        "tenant_id": tenant, "conversation_id": conversation_id, "customer_id": customer_id,
        "trace_id": trace_id, "id": message_id,
    }
    if cause is not None:
        return cause.caused(**fields)
    if tenant is None:
        raise ValueError("a message needs a tenant, or a cause to take it from")
    return AgentMessage(**{k: v for k, v in fields.items() if v is not None})


def reply(request: AgentMessage, payload: Payload, *, from_agent: str, intent: str | None = None,
          error: bool = False) -> AgentMessage:
    """The response (or error) to `request` carrying `payload`, correlated by `reply_to`."""
    return request.reply(from_agent=from_agent, intent=intent or payload.intent,
                         payload=payload.model_dump(mode="json"), error=error)


async def publish(bus: EventBus, payload: Payload, **how: Any) -> bool:
    """Build the message (see `message`) and publish it once per `payload.effect_key`."""
    return await bus.publish(message(payload, **how), dedupe_key=payload.effect_key)


def payment_announcer(bus: EventBus) -> Announce:
    """What `PaymentStore.mark_paid` calls for a link just paid: one `payment_received` broadcast."""

    async def announce(paid: PaidLink) -> bool:
        link = paid.link
        payload = PaymentReceived(order_id=link.order_id, link_id=link.link_id, amount=link.amount,
                                  currency=link.currency, provider=link.provider)
        return await publish(bus, payload, from_agent=PAYMENT, tenant=link.tenant,
                             conversation_id=paid.conversation_id, customer_id=paid.customer_id,
                             message_id=payload.message_id(link.tenant))

    return announce


__all__ = [
    "COLLECTIONS", "CONVERSATION", "DUNNING", "INVENTORY", "NOTIFICATIONS", "ORDER", "PAYMENT", "PING",
    "PURCHASING", "WHATSAPP_OUTBOUND", "WHATSAPP_WEBHOOK", "CreatePurchaseOrder", "CustomerMessage",
    "DunningReminderSent", "Failed", "HandoffRequested", "LowStock", "NodeEvent", "NoticeKind", "OrderCreated",
    "Payload", "PaymentLinkCreated", "PaymentReceived", "Pong", "PromiseBroken", "PromiseToPay",
    "PurchaseOrderPlaced", "PurchaseOrderSent", "ReplySent", "SendReply", "TeamNotice", "TemplateSpec",
    "WhatsAppSent", "message", "payment_announcer", "publish", "reply",
]
