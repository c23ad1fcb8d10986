"""Orders: created once per (conversation, turn), reserving stock in the same atomic step, never overselling.

Keys of tenant `t` (all in its hash tag, so the one script below touches one Cluster slot):
- `order:<id>` JSON: the order. Its id is derived from the conversation and the turn that confirmed
  it, so a replayed or retried step computes the same id and finds the order already there: no
  second order, no second reservation;
- `customer:<id>:orders` zset: the customer's order ids scored by creation time (epoch seconds);
- `product:<sku>` (the catalog's): each line's quantity comes off `$.stock` with the order.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, Self

from pydantic import BaseModel, Field, model_validator
from redis.asyncio import Redis

from core.redis import as_text
from core.tenants import TenantKeys

OrderStatus = Literal["pending_payment", "paid", "cancelled"]
MAX_LIMIT = 100

# All or nothing: every product is checked before anything is written. KEYS[1] the order,
# KEYS[2] the customer's order index, KEYS[3..] the products (one per SKU); ARGV[1] the order
# JSON, ARGV[2] its score, ARGV[3] its id, ARGV[4..] the units to reserve per product.
# Returns nil when the order already existed (nothing reserved twice); {0, available...} when a
# product is short (nothing written); {1, stock after...} when created. '' marks a product missing
# from the catalog, whose stock is neither checked nor changed.
_CREATE_LUA = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return false
end
local have, short = {}, false
for i = 3, #KEYS do
  local raw = redis.call('JSON.GET', KEYS[i], '$.stock')
  if raw then
    local stock = tonumber(cjson.decode(raw)[1]) or 0
    have[#have + 1] = tostring(stock)
    if stock < tonumber(ARGV[i + 1]) then short = true end
  else
    have[#have + 1] = ''
  end
end
if short then
  return {0, have}
end
redis.call('JSON.SET', KEYS[1], '$', ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
local after = {}
for i = 3, #KEYS do
  if have[i - 2] ~= '' then
    local level = redis.call('JSON.NUMINCRBY', KEYS[i], '$.stock', -tonumber(ARGV[i + 1]))
    after[#after + 1] = tostring(cjson.decode(level)[1])
  else
    after[#after + 1] = ''
  end
end
return {1, after}
"""


class InsufficientStockError(Exception):
    """An order asked for more units than a product has; nothing was created or reserved."""

    def __init__(self, short: dict[str, int]) -> None:
        self.short = short  # sku -> units available
        super().__init__("not enough stock: " + ", ".join(f"{sku} has {n}" for sku, n in short.items()))


class OrderLine(BaseModel):
    """One line as the customer confirmed it, priced: `quantity` is reserved now, `backorder` is
    promised for when stock arrives (priced, not reserved)."""

    sku: str
    name: str
    quantity: int = Field(ge=0)
    unit: str = "pieza"
    list_price: Decimal | None = None
    backorder: int = Field(default=0, ge=0)
    net: Decimal
    tax: Decimal
    gross: Decimal

    @model_validator(mode="after")
    def _some_units(self) -> Self:
        if self.quantity + self.backorder < 1:
            raise ValueError(f"line {self.sku} orders no units: quantity + backorder must be at least 1")
        return self


class Order(BaseModel):
    """A confirmed order waiting for (or done with) its payment; `payment_terms_days` 0 pays first
    with a link, more buys on credit until `due_date`."""

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
    payment_terms_days: int = Field(default=0, ge=0)
    due_date: date | None = None
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

    def customer_key(self, customer_id: str) -> str:
        """The customer's order ids by creation time."""
        return self.keys.key("customer", customer_id, "orders")

    async def create(self, order: Order) -> tuple[Order, dict[str, int] | None]:
        """Create the order and reserve its stock; on a repeat, return the stored order and None.

        Returns each reserved product's stock after the order. InsufficientStockError (nothing
        created, nothing reserved) when any product has fewer units than the order reserves.
        """
        # Summed per SKU: two lines of one product must not each pass the check on the same units.
        units = Counter[str]()
        for line in order.lines:
            if line.quantity:
                units[line.sku] += line.quantity
        skus = list(units)
        result: Any = await self._create(
            keys=[self.key(order.order_id), self.customer_key(order.customer_id),
                  *(self.keys.key("product", sku) for sku in skus)],
            args=[order.model_dump_json(), order.created_at.timestamp(), order.order_id,
                  *(units[sku] for sku in skus)],
        )
        if result is None:
            stored = await self.get(order.order_id)
            assert stored is not None, "order vanished between EXISTS and GET"
            return stored, None
        created, values = int(result[0]), [as_text(v) for v in result[1]]
        levels = {sku: int(float(v)) for sku, v in zip(skus, values, strict=True) if v}
        if not created:
            raise InsufficientStockError({sku: max(0, have) for sku, have in levels.items() if have < units[sku]})
        return order, levels

    async def get(self, order_id: str) -> Order | None:
        """The order, or None."""
        doc = await self.redis.json().get(self.key(order_id))
        return None if doc is None else Order.model_validate(doc)

    async def for_customer(self, customer_id: str, *, limit: int = 5) -> list[Order]:
        """The customer's latest orders, newest first."""
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
        ids = [as_text(i) for i in await self.redis.zrevrange(self.customer_key(customer_id), 0, limit - 1)]
        docs = await self.redis.json().mget([self.key(i) for i in ids], "$") if ids else []
        return [Order.model_validate(doc[0]) for doc in docs if doc]
