"""The `conversation` agent: a WhatsApp `customer_message` becomes a graph turn, its reply a `send_reply`.

Once per message and per step: a redelivered message whose turn already ran (`wa-turn:<wamid>`)
is not run again, and the reply is published with the dedupe key `send_reply:<conversation>:<turn>`,
so neither a redelivery nor a replay asks the outbound agent for a second send.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from redis.asyncio import Redis

from agents.bus import EventBus
from agents.messages import AgentMessage
from agents.runtime import Agent
from core.tenant_store import TenantStore
from core.tenants import TenantKeys
from graph.runner import ConversationRunner, TurnResult
from graph.subgraphs.common import money
from tools.whatsapp import BUTTON_TITLE_MAX, CANCEL_ID, CONFIRM_ID, ROW_DESCRIPTION_MAX, fit, option_id

log = logging.getLogger(__name__)

NAME = "conversation"
CUSTOMER_MESSAGE = "customer_message"
OUTBOUND = "whatsapp_outbound"
#: Turns run the graph (model calls, Redis): a few at once per worker, one at a time per conversation.
CONCURRENCY = 8
HOLDING_TEXT = "Tu pedido está en revisión de crédito; te avisamos en breve."
CONFIRM_OPTIONS = [{"id": CONFIRM_ID, "title": "Sí, confirmo"}, {"id": CANCEL_ID, "title": "No"}]
#: A message's turn is remembered as long as Meta may redeliver it.
_TURN_TTL_S = 7 * 24 * 3600


class WhatsAppNotConfiguredError(RuntimeError):
    """A customer message for a tenant that cannot answer on WhatsApp: dead-lettered, never dropped."""


class CustomerMessage(BaseModel):
    """The payload the WhatsApp webhook publishes."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    wamid: str = Field(min_length=1)
    wa_id: str | None = None
    user_id: str | None = None
    name: str | None = None
    text: str = Field(min_length=1)
    kind: Literal["text", "button", "interactive"] = "text"
    timestamp: int | None = None
    phone_number_id: str | None = None

    @property
    def sender(self) -> str:
        who = self.wa_id or self.user_id
        if not who:
            raise ValueError("a customer_message needs wa_id or user_id")
        return who


class _KeyedLocks:
    """One asyncio lock per key, forgotten when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


def reply_options(result: TurnResult) -> list[dict[str, str]] | None:
    """The choices a turn leaves open, as reply buttons or list rows (None: a plain text reply)."""
    pending = result.state.get("pending")
    if pending == "awaiting_confirmation":
        return [dict(o) for o in CONFIRM_OPTIONS]
    if pending == "options_shown":
        rows = []
        for i, product in enumerate(result.state.get("search_results") or [], 1):
            name = str(product.get("name") or product.get("sku") or f"Opción {i}")
            price = f" — {money(product['list_price'])}/{product.get('unit') or 'pieza'}" \
                if product.get("list_price") is not None else ""
            rows.append({"id": option_id(i), "title": fit(f"{i}. {name}", BUTTON_TITLE_MAX),
                         "description": fit(f"{name}{price}", ROW_DESCRIPTION_MAX)})
        return rows or None
    return None


class ConversationAgent:
    """Runs turns for WhatsApp messages and asks the outbound agent to send the replies."""

    def __init__(self, *, runner: ConversationRunner, bus: EventBus, tenants: TenantStore) -> None:
        self.runner = runner
        self.bus = bus
        self.tenants = tenants
        self._conversations = _KeyedLocks()

    @property
    def redis(self) -> Redis:
        return self.bus.redis

    async def handle(self, message: AgentMessage) -> AgentMessage | None:
        """Handle one `customer_message` event."""
        if message.intent != CUSTOMER_MESSAGE:
            raise ValueError(f"{NAME} handles {CUSTOMER_MESSAGE!r}, not {message.intent!r}")
        incoming = CustomerMessage.model_validate(message.payload)
        tenant = message.tenant_id
        conversation_id = message.conversation_id or f"wa:{incoming.sender}"
        customer_id = message.customer_id or conversation_id
        # In arrival order within this worker: "el 1" must not overtake the search it answers.
        # The lock is the handler's first await, so a batch's tasks queue on it in the order they start.
        async with self._conversations.hold(f"{tenant}/{conversation_id}"):
            config = await self.tenants.get(tenant)
            if config is None or not config.whatsapp_configured:
                # Checked before the turn: a turn whose reply cannot go out must not run its side effects.
                raise WhatsAppNotConfiguredError(f"tenant {tenant} has no complete WhatsApp configuration")
            result = await self._turn(tenant, conversation_id, customer_id, incoming)
            if result is not None:
                await self._reply(message, incoming, result, conversation_id)
        return None

    async def _turn(self, tenant: str, conversation_id: str, customer_id: str,
                    incoming: CustomerMessage) -> TurnResult | None:
        turn_key = TenantKeys(tenant).key("wa-turn", incoming.wamid)
        ran = await self.redis.get(turn_key)
        if ran is not None:
            # Redelivered after its turn ran (the worker died before acking): reuse that turn's
            # reply if it is still the latest; a later turn has answered in its place otherwise.
            result = await self.runner.result(tenant, conversation_id)
            if result.state.get("turn") != int(ran):
                log.info("%s: message %s was answered by turn %s already", NAME, incoming.wamid, int(ran))
                return None
            return result
        result = await self.runner.run_turn(tenant=tenant, conversation_id=conversation_id, customer_id=customer_id,
                                            text=incoming.text, channel="whatsapp")
        await self.redis.set(turn_key, str(result.state.get("turn", 0)), ex=_TURN_TTL_S)
        return result

    async def _reply(self, message: AgentMessage, incoming: CustomerMessage, result: TurnResult,
                     conversation_id: str) -> None:
        turn = result.state.get("turn", 0)
        if result.interrupt is not None:
            text, options = HOLDING_TEXT, None  # a human decides; the customer hears back after
        else:
            text, options = result.reply, reply_options(result)
        if not text:
            log.info("%s: turn %s of %s has no reply to send", NAME, turn, conversation_id)
            return
        step_key = f"{conversation_id}:{turn}"
        out = AgentMessage(
            from_agent=NAME, to_agent=OUTBOUND, message_type="event", intent="send_reply",
            tenant_id=message.tenant_id, conversation_id=conversation_id, customer_id=message.customer_id,
            trace_id=message.trace_id, payload={"to": incoming.sender, "text": text, "options": options,
                                                "step_key": step_key},
        )
        await self.bus.publish(out, dedupe_key=f"send_reply:{step_key}")


def build(*, runner: ConversationRunner, bus: EventBus, tenants: TenantStore) -> Agent:
    """The conversation agent, on the process's graph runner."""
    agent = ConversationAgent(runner=runner, bus=bus, tenants=tenants)
    return Agent(name=NAME, handle=agent.handle, concurrency=CONCURRENCY)


__all__ = ["NAME", "ConversationAgent", "CustomerMessage", "WhatsAppNotConfiguredError", "build", "reply_options"]
