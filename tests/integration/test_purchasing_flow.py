"""Flow 3 with real Redis, an in-process worker and real HTTP servers for the supplier and the team."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import httpx
from redis.asyncio import Redis

from agents import inventory, notifications, purchasing
from agents.bus import EventBus
from agents.messages import AgentMessage
from agents.runtime import Worker
from core.settings import Settings
from core.tenant_store import TenantStore
from tests.support.http import serve_app
from tests.support.ops import FakeClock, events, eventually, inbox, local, settled
from tests.support.supplier_server import SupplierState, WebhookState, supplier_app, team_webhook_app
from tools.catalog import Catalog, Product
from tools.purchase_orders import PurchaseOrders

TENANT = "acme"
SKU = "TUB-PVC-12"
API_KEY = "acme-test-key-0123456789abcdef"


def product(stock: int = 4) -> Product:
    return Product(sku=SKU, name="Tubo PVC 1/2", category="tuberia", brand="Amanco", unit="pieza",
                   list_price=Decimal("45.50"), stock=stock, reorder_point=10, lead_time_days=5,
                   supplier_id="SUP-002")


def low_stock(order_id: str = "ORD-1") -> AgentMessage:
    return AgentMessage(from_agent="order", to_agent="broadcast", message_type="event", intent="low_stock",
                        tenant_id=TENANT, payload={"sku": SKU, "stock": 4, "reorder_point": 10, "order_id": order_id})


async def seed_sales(bus: EventBus, clock: FakeClock, *, per_day: int, days: int) -> None:
    """`order_created` events of the last `days` days, `per_day` units each (the forecast's history)."""
    for back in range(1, days + 1):
        await bus.publish(AgentMessage(
            from_agent="order", to_agent="broadcast", message_type="event", intent="order_created",
            tenant_id=TENANT, timestamp=clock() - timedelta(days=back),
            payload={"order_id": f"HIST-{back}", "lines": [{"sku": SKU, "quantity": per_day}]}))


@dataclass
class Flow:
    supplier: SupplierState
    webhook: WebhookState
    orders: PurchaseOrders
    clock: FakeClock


@asynccontextmanager
async def flow3(redis: Redis, settings: Settings, bus: EventBus, *, team: str | None = None,
                pack_size: int | None = None) -> AsyncIterator[Flow]:
    """Catalog, team webhook, supplier server and a worker running inventory, purchasing, notifications."""
    supplier, webhook = SupplierState(), WebhookState()
    clock = FakeClock(local(2026, 11, 25))
    await Catalog(redis, TENANT).upsert([product()])
    if pack_size:
        await redis.json().set(Catalog(redis, TENANT).key(SKU), "$.pack_size", pack_size)
    async with serve_app(supplier_app(supplier)) as supplier_url, serve_app(team_webhook_app(webhook)) as hook_url:
        store = TenantStore(redis)
        await store.add(TENANT, api_key=API_KEY, team_notify=team or f"{hook_url}/hooks/team")
        async with httpx.AsyncClient() as http:
            agents = [inventory.build(redis=redis, bus=bus, clock=clock),
                      purchasing.build(redis=redis, bus=bus, supplier_base_url=supplier_url, http=http, clock=clock),
                      notifications.build(bus=bus, tenants=store, http=http)]
            worker = Worker(redis, settings, agents, bus=bus, tenants=[TENANT])
            task = asyncio.create_task(worker.run())
            try:
                yield Flow(supplier, webhook, PurchaseOrders(redis, TENANT), clock)
            finally:
                worker.stop()
                await asyncio.wait_for(task, 10)


async def test_low_stock_delivered_twice_makes_one_po_sent_and_announced(
        redis: Redis, settings: Settings, bus: EventBus) -> None:
    async with flow3(redis, settings, bus, pack_size=12) as f:
        await seed_sales(bus, f.clock, per_day=6, days=28)
        event = low_stock()
        await bus.publish(event)
        await bus.publish(event)  # the same message delivered again
        await bus.publish(low_stock().model_copy(update={"id": "another-delivery-of-the-same-event"}))

        async def sent() -> bool:
            return len(f.webhook.received) >= 1 and any(po.status == "sent" for po in await f.orders.list())

        await eventually(sent, what="a purchase order sent and the team told")
        await eventually(lambda: settled(redis, TENANT, inventory.NAME, purchasing.NAME, notifications.NAME),
                         what="every delivery handled")  # a wrong duplicate would be made by now
        pos = await f.orders.list()
    assert len(pos) == 1 and len(f.supplier.orders) == 1
    po = pos[0]
    # SES over 28 days of 6 units → 6/day; 6 × (5 + 3) + 10 − 4 = 54 → 60 in packs of 12
    assert (po.quantity, po.status, po.supplier_id, po.forecast_daily) == (60, "sent", "SUP-002", 6.0)
    body = next(iter(f.supplier.bodies.values()))
    assert body["lines"] == [{"sku": SKU, "quantity": 60}] and body["po_id"] == po.po_id
    assert po.supplier_order_id == "SO-00001"
    assert [n["kind"] for n in f.webhook.received] == ["purchase_order"]
    assert po.po_id in f.webhook.received[0]["text"] and f.webhook.keys[0] == f.webhook.received[0]["notification_id"]
    sent_events = await events(redis, TENANT, "purchase_order_sent")
    assert len(sent_events) == 1 and sent_events[0].trace_id == event.trace_id  # one trace end to end


async def test_supplier_5xx_is_retried_into_one_po(redis: Redis, settings: Settings, bus: EventBus) -> None:
    async with flow3(redis, settings, bus) as f:
        f.supplier.fail_next = 2  # settings allow 3 attempts
        await bus.publish(low_stock("ORD-2"))

        async def sent() -> bool:
            return any(po.status == "sent" for po in await f.orders.list())

        await eventually(sent, what="the PO sent after two 503s")
        await eventually(lambda: _true(len(f.webhook.received) == 1), what="the team told")
    assert f.supplier.requests == 3 and len(f.supplier.orders) == 1
    pos = await f.orders.list()
    assert len(pos) == 1 and pos[0].quantity == 6  # no sales history: back up to the reorder point (10 − 4)
    assert await bus.dead_letters(TENANT) == []


async def test_team_on_whatsapp_gets_a_send_reply(redis: Redis, settings: Settings, bus: EventBus) -> None:
    async with flow3(redis, settings, bus, team="+52 1 55 9999 0000") as f:
        await bus.publish(low_stock("ORD-3"))

        async def told() -> bool:
            return bool(await inbox(redis, TENANT, "whatsapp_outbound"))

        await eventually(told, what="a send_reply for the team")
    [reply] = await inbox(redis, TENANT, "whatsapp_outbound")
    assert reply.intent == "send_reply" and reply.payload["to"] == "+52 1 55 9999 0000"
    assert reply.payload["step_key"].startswith("team:po:PO-") and "Orden de compra" in reply.payload["text"]
    assert f.webhook.received == []


async def _true(value: bool) -> bool:
    return value
