"""A hand-off through a real worker: `handoff_requested` on the bus, one notice to the team's local webhook."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from redis.asyncio import Redis

from agents import notifications
from agents.bus import EventBus
from agents.contracts import CONVERSATION, HandoffRequested, message, publish
from agents.runtime import Worker
from core.settings import Settings
from core.tenant_store import TenantStore
from tests.support.http import serve_app
from tests.support.ops import events, eventually, inbox, settled
from tests.support.supplier_server import WebhookState, team_webhook_app

TENANT = "acme"
API_KEY = "acme-test-key-0123456789abcdef"
CUSTOMER = "CUST-0003"
CONVERSATION_ID = "wa:5215511112222"
WORDS = "Llevo tres días esperando el pedido y nadie me contesta, quiero hablar con alguien."


def handoff(turn: int = 4, **changes: object) -> HandoffRequested:
    fields = {"conversation_id": CONVERSATION_ID, "turn": turn, "reason": "complaint", "text": WORDS} | changes
    return HandoffRequested.model_validate(fields)


def how() -> dict[str, str]:
    return {"from_agent": CONVERSATION, "tenant": TENANT, "conversation_id": CONVERSATION_ID,
            "customer_id": CUSTOMER}


@asynccontextmanager
async def notifications_worker(redis: Redis, settings: Settings, bus: EventBus, *,
                               team: str | None = None) -> AsyncIterator[WebhookState]:
    """The team's webhook over real HTTP and a worker running the notifications agent."""
    webhook = WebhookState()
    async with serve_app(team_webhook_app(webhook)) as hook_url, httpx.AsyncClient() as http:
        store = TenantStore(redis)
        await store.add(TENANT, api_key=API_KEY, team_notify=team or f"{hook_url}/hooks/team")
        worker = Worker(redis, settings, [notifications.build(bus=bus, tenants=store, http=http)],
                        bus=bus, tenants=[TENANT])
        task = asyncio.create_task(worker.run())
        try:
            yield webhook
        finally:
            worker.stop()
            await asyncio.wait_for(task, 10)


async def test_a_handoff_delivered_twice_tells_the_team_once(redis: Redis, settings: Settings, bus: EventBus) -> None:
    async with notifications_worker(redis, settings, bus) as webhook:
        assert await publish(bus, handoff(), **how())  # as the graph announces it
        assert not await publish(bus, handoff(), **how())  # a replayed turn: dropped at the bus
        (event,) = await events(redis, TENANT, HandoffRequested.intent)
        await bus.publish(event)  # the same message delivered again, past the bus's dedupe
        await bus.publish(event.model_copy(update={"id": "another-delivery-of-the-same-handoff"}))

        await eventually(lambda: _true(len(webhook.received) >= 1), what="the team told")
        # a wrong duplicate would have been made by the time every delivery is handled
        await eventually(lambda: settled(redis, TENANT, notifications.NAME), what="every delivery handled")
    assert len(webhook.received) == 1
    (notice,) = webhook.received
    assert notice["kind"] == "handoff" and notice["tenant"] == TENANT
    assert webhook.keys == [notice["notification_id"]] == [notifications.notification_id(
        TENANT, f"handoff:{CONVERSATION_ID}:4")]
    for shown in (CUSTOMER, CONVERSATION_ID, "queja", WORDS):
        assert shown in notice["text"]
    assert notice["data"] == {"conversation_id": CONVERSATION_ID, "turn": 4, "reason": "complaint",
                                   "text": WORDS, "language": "es", "customer_id": CUSTOMER}
    assert await bus.dead_letters(TENANT) == []


async def test_each_handoff_is_its_own_notice(redis: Redis, settings: Settings, bus: EventBus) -> None:
    long_words = "I want to speak to a person. " * 100  # more than a notice quotes
    async with notifications_worker(redis, settings, bus) as webhook:
        await publish(bus, handoff(turn=4), **how())
        await publish(bus, handoff(turn=9, reason="human", language="en", text=long_words), **how())
        await eventually(lambda: _true(len(webhook.received) >= 2), what="two notices")
        await eventually(lambda: settled(redis, TENANT, notifications.NAME), what="every delivery handled")
    assert len(webhook.received) == 2 and len(set(webhook.keys)) == 2
    later = next(n for n in webhook.received if n["data"]["turn"] == 9)
    assert "pidió hablar con una persona" in later["text"] and "inglés" in later["text"]
    assert len(later["text"]) < 4000 and later["text"].endswith("…»") and later["data"]["text"] == long_words


async def test_a_team_on_whatsapp_gets_one_send_reply(redis: Redis, settings: Settings, bus: EventBus) -> None:
    async with notifications_worker(redis, settings, bus, team="+52 1 55 9999 0000"):
        event = message(handoff(), **how())
        await bus.publish(event)
        await bus.publish(event.model_copy(update={"id": "again"}))

        async def told() -> bool:
            return bool(await inbox(redis, TENANT, "whatsapp_outbound"))

        await eventually(told, what="a send_reply for the team")
        await eventually(lambda: settled(redis, TENANT, notifications.NAME), what="every delivery handled")
    [reply] = await inbox(redis, TENANT, "whatsapp_outbound")
    assert reply.payload["to"] == "+52 1 55 9999 0000"
    assert reply.payload["step_key"] == f"team:handoff:{CONVERSATION_ID}:4" and WORDS in reply.payload["text"]
    assert reply.customer_id == CUSTOMER and reply.conversation_id == CONVERSATION_ID


async def _true(value: bool) -> bool:
    return value

