"""The `inventory` agent: counts sales from `order_created`, and on `low_stock` sizes a purchase order.

- `order_created` {order_id, lines: [{sku, quantity}]}: adds the units to each SKU's daily sales
  counter (`tools.purchase_orders`), once per order.
- `low_stock` {sku, stock, reorder_point, order_id}: forecasts daily demand by simple exponential
  smoothing over the 28 complete days before today of that counter (`tools.forecast`), sizes the order as
  `daily × (lead_time_days + 3 safety days) + reorder_point − stock` rounded up to the product's
  `pack_size` (if its document has one), and sends `create_purchase_order` to `purchasing`.
  The PO id derives from (tenant, sku, order_id) so a redelivered event names the same PO.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from redis.asyncio import Redis

from agents.agent import Agent
from agents.bus import EventBus
from agents.contracts import INVENTORY, PURCHASING, CreatePurchaseOrder, LowStock, OrderCreated, publish
from agents.messages import AgentMessage
from core.locale import MEXICO_CITY as LOCAL_TZ
from core.locale import Clock, local_now
from tools.catalog import Catalog
from tools.forecast import HISTORY_DAYS, SAFETY_DAYS, purchase_quantity, smoothed_daily_demand
from tools.purchase_orders import PurchaseOrders, po_id_for

log = logging.getLogger(__name__)

NAME = INVENTORY


class Inventory:
    """The agent's state: Redis, the bus and the clock."""

    def __init__(self, *, redis: Redis, bus: EventBus, clock: Clock = local_now) -> None:
        self.redis = redis
        self.bus = bus
        self.clock = clock

    async def handle(self, message: AgentMessage) -> AgentMessage | None:
        if message.intent == OrderCreated.intent:
            order = OrderCreated.read(message)
            day = message.timestamp.astimezone(LOCAL_TZ).date()
            await PurchaseOrders(self.redis, message.tenant_id).count_sales(
                order.order_id, day, [(line.sku, line.quantity) for line in order.lines])
        elif message.intent == LowStock.intent:
            await self.low_stock(message)
        return None

    async def low_stock(self, message: AgentMessage) -> dict[str, Any] | None:
        """Size a purchase order for the event's SKU and ask purchasing for it; None if none is needed."""
        event = LowStock.read(message)
        tenant = message.tenant_id
        catalog = Catalog(self.redis, tenant)
        product = await catalog.get(event.sku)
        if product is None:
            log.warning("%s: low_stock for unknown sku %s of %s; ignored", NAME, event.sku, tenant)
            return None
        # The live stock, not the event's: later orders (or a delivery) may have moved it since.
        stock = product.stock
        # Complete days only: today's partial sales would drag the level down every morning.
        yesterday = self.clock().astimezone(LOCAL_TZ).date() - timedelta(days=1)
        history = await PurchaseOrders(self.redis, tenant).daily_sales(event.sku, until=yesterday, days=HISTORY_DAYS)
        daily = smoothed_daily_demand(history)
        pack = await self._pack_size(catalog.key(event.sku))
        quantity = purchase_quantity(daily_demand=daily, lead_time_days=product.lead_time_days,
                                     reorder_point=product.reorder_point, stock=stock, pack_size=pack)
        if quantity <= 0:
            log.info("%s: %s has %d in stock, enough for its lead time; no purchase order", NAME, event.sku, stock)
            return None
        source = event.order_id or message.id
        request = CreatePurchaseOrder(
            po_id=po_id_for(tenant, event.sku, source), sku=event.sku, quantity=quantity,
            supplier_id=product.supplier_id, forecast_daily=round(daily, 4),
            lead_time_days=product.lead_time_days, safety_days=SAFETY_DAYS, stock=stock,
            reorder_point=product.reorder_point, source_event_id=message.id, order_id=event.order_id,
        )
        await publish(self.bus, request, from_agent=NAME, to_agent=PURCHASING, cause=message)
        return request.model_dump(mode="json")

    async def _pack_size(self, key: str) -> int:
        # An optional field of the product document: catalogs that sell by the box carry it.
        found = await self.redis.json().get(key, "$.pack_size")
        value = found[0] if isinstance(found, list) and found else None
        return value if isinstance(value, int) and value > 0 else 1


def build(*, redis: Redis, bus: EventBus, clock: Clock = local_now) -> Agent:
    """The inventory agent; it listens to `order_created` and `low_stock`."""
    agent = Inventory(redis=redis, bus=bus, clock=clock)
    return Agent(name=NAME, handle=agent.handle, events=frozenset({OrderCreated.intent, LowStock.intent}))
