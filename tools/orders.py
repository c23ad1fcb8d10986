"""Orders: created once per (conversation, turn), reserving stock in the same atomic step.

An order is a JSON document at `ork:{tenant}:order:<id>`. Its id is derived from the
conversation and the turn that confirmed it, so a replayed or retried step computes the
same id and finds the order already there: no second order, no second reservation.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from redis.asyncio import Redis

from core.redis import as_text
from core.tenants import TenantKeys

OrderStatus = Literal["pending_payment", "paid", "cancelled"]

# Creates the order only if absent and, in the same atomic step, takes each line's
# quantity off its product's stock. KEYS[1] is the order, KEYS[2..] the products.
# ARGV[1] is the order JSON, ARGV[2..] the quantities. Returns the new stock levels, or
# nil when the order already existed (nothing reserved twice).
_CREATE_LUA = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return false
end
redis.call('JSON.SET', KEYS[1], '$', ARGV[1])
local stock = {}
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local after = redis.call('JSON.NUMINCRBY', KEYS[i], '$.stock', -tonumber(ARGV[i]))
    stock[#stock + 1] = tostring(cjson.decode(after)[1])
  else
    stock[#stock + 1] = ''
  end
end
return stock
"""


class OrderLine(BaseModel):
    """One line as the customer confirmed it, priced."""

    sku: str
    name: str
    quantity: int = Field(gt=0)
    unit: str = "pieza"
    net: Decimal
    tax: Decimal
    gross: Decimal


class Order(BaseModel):
    """A confirmed order waiting for (or done with) its payment."""

    order_id: str
    tenant_id: str
    customer_id: str
    conversation_id: str
    turn: int
    lines: list[OrderLine]
    net: Decimal
    tax: Decimal
    gross: Decimal
    currency: str = "MXN"
    status: OrderStatus = "pending_payment"
    approved_by: str | None = None
    created_at: datetime
    paid_at: datetime | None = None


def order_id_for(tenant: str, conversation_id: str, turn: int) -> str:
    """The order id of the order confirmed at this turn of this conversation."""
    digest = hashlib.sha256(f"{tenant}\x00{conversation_id}\x00{turn}".encode()).hexdigest()
    return f"ORD-{digest[:10].upper()}"


class Orders:
    """A tenant's orders."""

    def __init__(self, redis: Redis, tenant: str) -> None:
        self.redis = redis
        self.keys = TenantKeys(tenant)
        self._create = redis.register_script(_CREATE_LUA)

    def key(self, order_id: str) -> str:
        return self.keys.key("order", order_id)

    async def create(self, order: Order) -> tuple[Order, dict[str, int] | None]:
        """Create the order and reserve its stock; on a repeat, return the stored order and None."""
        products = [self.keys.key("product", line.sku) for line in order.lines]
        result: Any = await self._create(
            keys=[self.key(order.order_id), *products],
            args=[order.model_dump_json(), *(line.quantity for line in order.lines)],
        )
        if result is None:
            stored = await self.get(order.order_id)
            assert stored is not None, "order vanished between EXISTS and GET"
            return stored, None
        levels = {
            line.sku: int(float(as_text(value)))
            for line, value in zip(order.lines, result, strict=True)
            if value not in (b"", "")
        }
        return order, levels

    async def get(self, order_id: str) -> Order | None:
        """The order, or None."""
        doc = await self.redis.json().get(self.key(order_id))
        return None if doc is None else Order.model_validate(doc)
