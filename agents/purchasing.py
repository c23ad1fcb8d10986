"""The `purchasing` agent: turns `create_purchase_order` into one PO, sent once to the supplier.

Payload (from `inventory`): `{po_id, sku, quantity, supplier_id, forecast_daily, lead_time_days,
stock, reorder_point, source_event_id, order_id}`.

1. the PO document is created with SET NX under its id, so a redelivered request finds it;
2. unless already sent, it goes to the supplier API with `Idempotency-Key: <po_id>` (a retry after a
   lost answer gets the first confirmation back); 5xx and network errors raise and the worker
   runtime retries with backoff, then dead-letters;
3. the confirmation is stored, then `purchase_order_sent` is broadcast and the team notified, both
   with bus dedupe keys so they go out once per PO.
"""

from __future__ import annotations

import logging

import httpx
from redis.asyncio import Redis

from agents.agent import Agent
from agents.bus import EventBus
from agents.contracts import PURCHASING, CreatePurchaseOrder, PurchaseOrderPlaced, PurchaseOrderSent, publish, reply
from agents.messages import AgentMessage
from agents.notifications import notify_team
from core.locale import Clock, local_now
from tools.purchase_orders import PurchaseOrder, PurchaseOrders
from tools.supplier import SupplierClient, SupplierLine, SupplierOrder

log = logging.getLogger(__name__)

NAME = PURCHASING


class Purchasing:
    """The agent's state: Redis, the bus, the supplier API's address and the clock."""

    def __init__(self, *, redis: Redis, bus: EventBus, supplier_base_url: str, http: httpx.AsyncClient,
                 clock: Clock = local_now) -> None:
        self.redis = redis
        self.bus = bus
        self.supplier = SupplierClient(http, supplier_base_url)
        self.clock = clock

    async def handle(self, message: AgentMessage) -> AgentMessage | None:
        if message.intent != CreatePurchaseOrder.intent:
            return None
        po = await self.place(message, CreatePurchaseOrder.read(message))
        if message.message_type == "request":
            return reply(message, PurchaseOrderPlaced.model_validate(po.model_dump()), from_agent=NAME)
        return None

    async def place(self, message: AgentMessage, request: CreatePurchaseOrder) -> PurchaseOrder:
        """Create the PO once, send it once, announce it once; safe to repeat at any point."""
        tenant = message.tenant_id
        store = PurchaseOrders(self.redis, tenant)
        po, _ = await store.create(PurchaseOrder(
            po_id=request.po_id, tenant_id=tenant, supplier_id=request.supplier_id, sku=request.sku,
            quantity=request.quantity, created_at=self.clock(), source_event_id=request.source_event_id,
            order_id=request.order_id, forecast_daily=request.forecast_daily,
            lead_time_days=request.lead_time_days, stock_at_request=request.stock,
            reorder_point=request.reorder_point,
        ))
        if po.status != "sent":
            confirmation = await self.supplier.send_order(SupplierOrder(
                po_id=po.po_id, supplier_id=po.supplier_id, buyer=tenant,
                lines=[SupplierLine(sku=po.sku, quantity=po.quantity)],
                notes=f"Reabasto automático de {po.sku} (pedido {po.order_id or '-'})",
            ))
            po = await store.mark_sent(po, confirmation, at=self.clock())
            log.info("%s: %s sent to %s as %s", NAME, po.po_id, po.supplier_id, po.supplier_order_id)
        sent = PurchaseOrderSent.model_validate(po.model_dump())
        await publish(self.bus, sent, from_agent=NAME, cause=message)
        eta = f", entrega estimada {po.expected_delivery:%d/%m}" if po.expected_delivery else ""
        await notify_team(
            self.bus, message, tenant=tenant, from_agent=NAME, kind="purchase_order", key=f"po:{po.po_id}",
            text=(f"Orden de compra {po.po_id}: {po.quantity} × {po.sku} a {po.supplier_id} "
                  f"(confirmada {po.supplier_order_id}{eta}). Existencia {po.stock_at_request}, "
                  f"punto de reorden {po.reorder_point}."),
            data=sent.model_dump(mode="json"),
        )
        return po


def build(*, redis: Redis, bus: EventBus, supplier_base_url: str, http: httpx.AsyncClient,
          clock: Clock = local_now) -> Agent:
    """The purchasing agent, on the caller's HTTP client; it answers `create_purchase_order` sent to it."""
    agent = Purchasing(redis=redis, bus=bus, supplier_base_url=supplier_base_url, http=http, clock=clock)
    return Agent(name=NAME, handle=agent.handle, concurrency=4)
