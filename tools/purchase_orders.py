"""Purchase orders and the daily sales history they are sized from, in Redis.

Keys of tenant `t` (all `TenantKeys(t).key(...)`):
- `purchase-order:<po_id>` JSON: the PO, created once (JSON.SET NX), then marked sent with the
  supplier's confirmation; `purchase-orders` zset of PO ids by creation time (epoch seconds);
- `sales:<sku>` hash: local date (ISO) -> units sold that day, fed by `order_created` events;
- `sales-counted:<order_id>` marker: the order was counted (one count per order, even on redelivery).

A running counter rather than a scan of `order:*`: a forecast then reads one small hash per SKU
instead of every order of the tenant, and the counter stays right under retries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from redis.asyncio import Redis

from core.redis import as_text
from core.tenants import TenantKeys
from tools.supplier import SupplierConfirmation

POStatus = Literal["pending", "sent"]
#: Sales history kept per SKU; the forecast reads at most this many days.
SALES_TTL_S = 400 * 24 * 3600
_COUNTED_TTL_S = 30 * 24 * 3600

# Count an order's lines once: KEYS[1] the order's marker, KEYS[2..] the SKUs' sales hashes;
# ARGV[1] the day, ARGV[2] the marker's TTL, ARGV[3] the hashes' TTL (s), ARGV[4..] the quantities.
# Returns 1 if counted now.
_COUNT_LUA = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then return 0 end
for i = 2, #KEYS do
  redis.call('HINCRBY', KEYS[i], ARGV[1], ARGV[i + 2])
  redis.call('EXPIRE', KEYS[i], ARGV[3])
end
return 1
"""


def po_id_for(tenant: str, sku: str, source: str) -> str:
    """The PO id of the purchase order raised for `sku` by one low-stock event (`source`)."""
    digest = hashlib.sha256(f"{tenant}\x00{sku}\x00{source}".encode()).hexdigest()
    return f"PO-{digest[:12].upper()}"


class PurchaseOrder(BaseModel):
    """A purchase order for one SKU, sized by the inventory agent, sent by the purchasing agent."""

    po_id: str
    tenant_id: str
    supplier_id: str
    sku: str
    quantity: int = Field(gt=0)
    status: POStatus = "pending"
    created_at: datetime
    source_event_id: str = Field(description="The low_stock event that raised it.")
    order_id: str | None = Field(default=None, description="The customer order that took stock under its point.")
    forecast_daily: float = Field(ge=0, description="Forecast units per day used to size it.")
    lead_time_days: int = Field(ge=0)
    stock_at_request: int
    reorder_point: int = Field(ge=0)
    sent_at: datetime | None = None
    supplier_order_id: str | None = None
    expected_delivery: date | None = None


class PurchaseOrders:
    """One tenant's purchase orders and sales history."""

    def __init__(self, redis: Redis, tenant: str) -> None:
        self._redis = redis
        self._keys = TenantKeys(tenant)
        self.tenant = tenant
        self._count = redis.register_script(_COUNT_LUA)

    def key(self, po_id: str) -> str:
        return self._keys.key("purchase-order", po_id)

    async def create(self, po: PurchaseOrder) -> tuple[PurchaseOrder, bool]:
        """Store `po` unless its id exists; returns the stored PO and whether it was created now."""
        created = bool(await self._redis.json().set(self.key(po.po_id), "$", po.model_dump(mode="json"), nx=True))
        # Indexed after the document and again on a repeat, so an interrupted first call heals itself.
        await self._redis.zadd(self._keys.key("purchase-orders"), {po.po_id: po.created_at.timestamp()}, nx=True)
        if created:
            return po, True
        stored = await self.get(po.po_id)
        assert stored is not None, "purchase order vanished after SET NX refused"
        return stored, False

    async def get(self, po_id: str) -> PurchaseOrder | None:
        """The PO, or None."""
        doc = await self._redis.json().get(self.key(po_id))
        return None if doc is None else PurchaseOrder.model_validate(doc)

    async def mark_sent(self, po: PurchaseOrder, confirmation: SupplierConfirmation, *, at: datetime) -> PurchaseOrder:
        """Record the supplier's confirmation; the PO is `sent` from now on."""
        sent = po.model_copy(update={
            "status": "sent", "sent_at": at, "supplier_order_id": confirmation.supplier_order_id,
            "expected_delivery": confirmation.expected_delivery,
        })
        await self._redis.json().set(self.key(po.po_id), "$", sent.model_dump(mode="json"))
        return sent

    async def list(self, *, limit: int = 100) -> list[PurchaseOrder]:
        """The newest POs first."""
        ids = await self._redis.zrevrange(self._keys.key("purchase-orders"), 0, limit - 1)
        if not ids:
            return []
        keys = [self.key(as_text(i)) for i in ids]
        docs = await self._redis.json().mget(keys, "$")
        return [PurchaseOrder.model_validate(d[0]) for d in docs if d]

    # --- sales history ---------------------------------------------------------
    async def count_sales(self, order_id: str, day: date, lines: Sequence[tuple[str, int]]) -> bool:
        """Add an order's units to each SKU's sales of `day`, once per order; True if counted now."""
        lines = [(sku, qty) for sku, qty in lines if qty > 0]
        if not lines:
            return False
        keys = [self._keys.key("sales-counted", order_id), *(self._keys.key("sales", sku) for sku, _ in lines)]
        args = [day.isoformat(), _COUNTED_TTL_S, SALES_TTL_S, *(q for _, q in lines)]
        return bool(await self._count(keys=keys, args=args))

    async def daily_sales(self, sku: str, *, until: date, days: int) -> list[int]:
        """Units sold per day over the `days` days ending with `until`, oldest first (0 for no sales)."""
        start = until - timedelta(days=days - 1)
        wanted = [(start + timedelta(days=i)).isoformat() for i in range(days)]
        values = await self._redis.hmget(self._keys.key("sales", sku), wanted)
        return [int(v) if v is not None else 0 for v in values]
