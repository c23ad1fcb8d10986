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
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from pydantic import BaseModel, Field
from redis.asyncio import Redis

from agents.bus import EventBus
from agents.derive import Clock, derived, local_now
from agents.messages import BROADCAST, AgentMessage
from agents.notifications import notify_team
from agents.runtime import Agent
from tools.purchase_orders import PurchaseOrder, PurchaseOrders
from tools.supplier import SupplierClient, SupplierLine, SupplierOrder

log = logging.getLogger(__name__)

NAME = "purchasing"
CREATE_PO = "create_purchase_order"
PO_SENT = "purchase_order_sent"


class CreatePurchaseOrder(BaseModel):
    """The payload of `create_purchase_order`."""

    po_id: str = Field(min_length=1, max_length=128)
    sku: str = Field(min_length=1)
    quantity: int = Field(gt=0)
    supplier_id: str = Field(min_length=1)
    forecast_daily: float = Field(ge=0)
    lead_time_days: int = Field(ge=0)
    stock: int
    reorder_point: int = Field(ge=0)
    source_event_id: str
    order_id: str | None = None


class Purchasing:
    """The agent's state: Redis, the bus, the supplier API's address and the clock."""

    def __init__(self, *, redis: Redis, bus: EventBus, supplier_base_url: str,
                 http: httpx.AsyncClient | None = None, clock: Clock = local_now) -> None:
        self.redis = redis
        self.bus = bus
        self.supplier_base_url = supplier_base_url
        self.http = http
        self.clock = clock

    @asynccontextmanager
    async def _supplier(self) -> AsyncIterator[SupplierClient]:
        if self.http is not None:
            yield SupplierClient(self.http, self.supplier_base_url)
            return
        # A client per order: POs are rare, and nothing is left open when the worker stops.
        async with httpx.AsyncClient() as http:
            yield SupplierClient(http, self.supplier_base_url)

    async def handle(self, message: AgentMessage) -> AgentMessage | None:
        if message.intent != CREATE_PO:
            return None
        request = CreatePurchaseOrder.model_validate(message.payload)
        po = await self.place(message, request)
        if message.message_type == "request":
            return message.reply(from_agent=NAME, intent="purchase_order", payload=po.model_dump(mode="json"))
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
            async with self._supplier() as supplier:
                confirmation = await supplier.send_order(SupplierOrder(
                    po_id=po.po_id, supplier_id=po.supplier_id, buyer=tenant,
                    lines=[SupplierLine(sku=po.sku, quantity=po.quantity)],
                    notes=f"Reabasto automático de {po.sku} (pedido {po.order_id or '-'})",
                ))
            po = await store.mark_sent(po, confirmation, at=self.clock())
            log.info("%s: %s sent to %s as %s", NAME, po.po_id, po.supplier_id, po.supplier_order_id)
        payload: dict[str, Any] = po.model_dump(mode="json")
        await self.bus.publish(
            derived(message, tenant=tenant, from_agent=NAME, to_agent=BROADCAST, intent=PO_SENT, payload=payload),
            dedupe_key=f"{PO_SENT}:{po.po_id}",
        )
        eta = f", entrega estimada {po.expected_delivery:%d/%m}" if po.expected_delivery else ""
        await notify_team(
            self.bus, message, tenant=tenant, from_agent=NAME, kind="purchase_order", key=f"po:{po.po_id}",
            text=(f"Orden de compra {po.po_id}: {po.quantity} × {po.sku} a {po.supplier_id} "
                  f"(confirmada {po.supplier_order_id}{eta}). Existencia {po.stock_at_request}, "
                  f"punto de reorden {po.reorder_point}."),
            data=payload,
        )
        return po


def build(*, redis: Redis, bus: EventBus, supplier_base_url: str, http: httpx.AsyncClient | None = None,
          clock: Clock = local_now) -> Agent:
    """The purchasing agent; it answers `create_purchase_order` sent to it."""
    agent = Purchasing(redis=redis, bus=bus, supplier_base_url=supplier_base_url, http=http, clock=clock)
    return Agent(name=NAME, handle=agent.handle, concurrency=4)
