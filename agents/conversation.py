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
from typing import Any, Protocol

from redis.asyncio import Redis

from agents.agent import Agent
from agents.bus import EventBus
from agents.contracts import CONVERSATION, WHATSAPP_OUTBOUND, WHATSAPP_WEBHOOK, CustomerMessage, SendReply, publish
from agents.messages import AgentMessage
from core.locale import money
from core.tenant_store import TenantStore
from core.tenants import TenantKeys
from tools.whatsapp import (
    BUTTON_TITLE_MAX,
    CANCEL_ID,
    CONFIRM_ID,
    ROW_DESCRIPTION_MAX,
    Inbound,
    Option,
    Queue,
    WhatsAppNotConfiguredError,
    fit,
    option_id,
)

log = logging.getLogger(__name__)

NAME = CONVERSATION
#: Turns run the graph (model calls, Redis): a few at once per worker, one at a time per conversation.
CONCURRENCY = 8
HOLDING_TEXT = "Tu pedido está en revisión de crédito; te avisamos en breve."
CONFIRM_OPTIONS = [Option(id=CONFIRM_ID, title="Sí, confirmo"), Option(id=CANCEL_ID, title="No")]
#: A message's turn is remembered as long as Meta may redeliver it.
_TURN_TTL_S = 7 * 24 * 3600


class Turn(Protocol):
    """What a turn left: its reply, the conversation's public state, and a pending human decision."""

    @property
    def reply(self) -> str | None: ...

    @property
    def state(self) -> dict[str, Any]: ...

    @property
    def interrupt(self) -> dict[str, Any] | None: ...


class TurnRunner(Protocol):
    """Runs a conversation's turns (the graph's runner, `graph.runner.ConversationRunner`)."""

    async def run_turn(self, *, tenant: str, conversation_id: str, customer_id: str, text: str,
                       channel: str) -> Turn:
        """Run one customer message through the conversation."""
        ...

    async def result(self, tenant: str, conversation_id: str) -> Turn:
        """The conversation's latest state, as a turn's result."""
        ...


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


def reply_options(result: Turn) -> list[Option] | None:
    """The choices a turn leaves open, as reply buttons or list rows (None: a plain text reply)."""
    pending = result.state.get("pending")
    if pending == "awaiting_confirmation":
        return list(CONFIRM_OPTIONS)
    if pending == "options_shown":
        rows = []
        for i, product in enumerate(result.state.get("search_results") or [], 1):
            name = str(product.get("name") or product.get("sku") or f"Opción {i}")
            price = f" — {money(product['list_price'])}/{product.get('unit') or 'pieza'}" \
                if product.get("list_price") is not None else ""
            rows.append(Option(id=option_id(i), title=fit(f"{i}. {name}", BUTTON_TITLE_MAX),
                               description=fit(f"{name}{price}", ROW_DESCRIPTION_MAX)))
        return rows or None
    return None


class ConversationAgent:
    """Runs turns for WhatsApp messages and asks the outbound agent to send the replies."""

    def __init__(self, *, runner: TurnRunner, bus: EventBus, tenants: TenantStore) -> None:
        self.runner = runner
        self.bus = bus
        self.tenants = tenants
        self._conversations = _KeyedLocks()

    @property
    def redis(self) -> Redis:
        return self.bus.redis

    async def handle(self, message: AgentMessage) -> AgentMessage | None:
        """Handle one `customer_message` event."""
        incoming = CustomerMessage.read(message)
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
                    incoming: CustomerMessage) -> Turn | None:
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

    async def _reply(self, message: AgentMessage, incoming: CustomerMessage, result: Turn,
                     conversation_id: str) -> None:
        turn = result.state.get("turn", 0)
        if result.interrupt is not None:
            text, options = result.reply or HOLDING_TEXT, None  # a human decides; the customer hears back after
        else:
            text, options = result.reply, reply_options(result)
        if not text:
            log.info("%s: turn %s of %s has no reply to send", NAME, turn, conversation_id)
            return
        send = SendReply(to=incoming.sender, text=text, options=options, step_key=f"{conversation_id}:{turn}")
        await publish(self.bus, send, from_agent=NAME, to_agent=WHATSAPP_OUTBOUND, cause=message,
                      conversation_id=conversation_id)


async def send_decision(bus: EventBus, *, tenant: str, conversation_id: str, result: Turn) -> bool:
    """A human's decision on a paused WhatsApp turn reaches the customer there, once (False: nothing sent).

    The paused turn's own reply (that it waits) already went out under the turn's step, so the
    decision goes under a step of its own.
    """
    if result.state.get("channel") != "whatsapp" or not conversation_id.startswith("wa:") or not result.reply:
        return False
    turn = result.state.get("turn", 0)
    send = SendReply(to=conversation_id.removeprefix("wa:"), text=result.reply, options=reply_options(result),
                     step_key=f"{conversation_id}:{turn}:decision")
    return await publish(bus, send, from_agent=NAME, to_agent=WHATSAPP_OUTBOUND, tenant=tenant,
                         conversation_id=conversation_id, customer_id=result.state.get("customer_id"))


def inbox(bus: EventBus) -> Queue:
    """Where the WhatsApp door queues a customer's words: this agent's inbox, once per wamid."""

    async def queue(inbound: Inbound) -> bool:
        return await publish(bus, CustomerMessage.model_validate(inbound.message.model_dump()),
                             from_agent=WHATSAPP_WEBHOOK, to_agent=NAME, tenant=inbound.tenant,
                             conversation_id=inbound.conversation_id, customer_id=inbound.customer_id)

    return queue


def build(*, runner: TurnRunner, bus: EventBus, tenants: TenantStore) -> Agent:
    """The conversation agent, on the process's graph runner."""
    agent = ConversationAgent(runner=runner, bus=bus, tenants=tenants)
    return Agent(name=NAME, handle=agent.handle, concurrency=CONCURRENCY)


__all__ = ["NAME", "ConversationAgent", "Turn", "TurnRunner", "build", "inbox", "reply_options", "send_decision"]
