"""Orders on a real Redis: all lines reserved or none, never oversold, one order per turn, per-customer index."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError
from redis.asyncio import Redis

from tools.catalog import Catalog, Product
from tools.orders import InsufficientStockError, Order, OrderLine, Orders, order_id_for

TENANT = "acme"
T0 = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)


def product(sku: str, stock: int) -> Product:
    return Product(sku=sku, name=f"Producto {sku}", category="tuberia", brand="Amanco", unit="pieza",
                   list_price=Decimal("10.00"), stock=stock, reorder_point=2, lead_time_days=3, supplier_id="SUP-1")


def line(sku: str, quantity: int, backorder: int = 0) -> OrderLine:
    units = Decimal(quantity + backorder)
    return OrderLine(sku=sku, name=f"Producto {sku}", quantity=quantity, backorder=backorder,
                     list_price=Decimal("10.00"), net=units * 10, tax=units * Decimal("1.6"),
                     gross=units * Decimal("11.6"))


def order(*lines: OrderLine, turn: int = 1, customer: str = "CUST-1", conversation: str = "c-1",
          at: datetime = T0, **extra: object) -> Order:
    return Order(order_id=order_id_for(TENANT, conversation, turn), tenant_id=TENANT, customer_id=customer,
                 conversation_id=conversation, turn=turn, lines=list(lines), net=sum(x.net for x in lines),
                 tax=sum(x.tax for x in lines), gross=sum(x.gross for x in lines), created_at=at, **extra)


async def stock(redis: Redis, sku: str) -> int:
    found = await Catalog(redis, TENANT).get(sku)
    assert found is not None
    return found.stock


@pytest.fixture
async def orders(redis: Redis) -> Orders:
    await Catalog(redis, TENANT).upsert([product("A", 10), product("B", 3), product("C", 0)])
    return Orders(redis, TENANT)


async def test_create_reserves_every_line_once_and_keeps_the_new_fields(orders: Orders, redis: Redis) -> None:
    new = order(line("A", 4), line("B", 3), payment_terms_days=30, due_date=date(2026, 12, 25))
    created, levels = await orders.create(new)
    assert created == new and levels == {"A": 6, "B": 0}
    stored = await orders.get(new.order_id)
    assert stored == new
    assert (stored.payment_terms_days, stored.due_date, stored.lines[0].list_price) == (
        30, date(2026, 12, 25), Decimal("10.00"))

    again, levels = await orders.create(new.model_copy(update={"approved_by": "someone else"}))
    assert again == new and levels is None  # the stored order; nothing reserved a second time
    assert (await stock(redis, "A"), await stock(redis, "B")) == (6, 0)


async def test_a_short_line_creates_nothing_and_reserves_nothing(orders: Orders, redis: Redis) -> None:
    wanted = order(line("A", 5), line("B", 4), line("C", 1))
    with pytest.raises(InsufficientStockError) as raised:
        await orders.create(wanted)
    assert raised.value.short == {"B": 3, "C": 0}  # sku -> units available; A had enough
    assert "B has 3" in str(raised.value)
    assert await orders.get(wanted.order_id) is None and await orders.for_customer("CUST-1") == []
    assert [await stock(redis, s) for s in "ABC"] == [10, 3, 0]

    fits, levels = await orders.create(order(line("A", 5), line("B", 3)))  # the same turn, what there is
    assert levels == {"A": 5, "B": 0} and await orders.get(wanted.order_id) == fits


async def test_two_lines_of_one_product_are_checked_together(orders: Orders, redis: Redis) -> None:
    with pytest.raises(InsufficientStockError) as raised:
        await orders.create(order(line("A", 6), line("A", 6)))
    assert raised.value.short == {"A": 10}
    _, levels = await orders.create(order(line("A", 6), line("A", 4)))
    assert levels == {"A": 0} and await stock(redis, "A") == 0


async def test_backordered_units_are_promised_not_reserved(orders: Orders, redis: Redis) -> None:
    created, levels = await orders.create(order(line("B", 3, backorder=7), line("C", 0, backorder=5)))
    assert levels == {"B": 0} and (await stock(redis, "B"), await stock(redis, "C")) == (0, 0)
    assert [(x.quantity, x.backorder) for x in created.lines] == [(3, 7), (0, 5)]
    with pytest.raises(ValidationError, match="orders no units"):
        line("A", 0)
    with pytest.raises(ValidationError, match="backorder"):
        line("A", 1, backorder=-1)


async def test_a_product_missing_from_the_catalog_is_ordered_without_a_stock_change(
        orders: Orders, redis: Redis) -> None:
    created, levels = await orders.create(order(line("A", 1), line("GONE", 3)))
    assert levels == {"A": 9} and await orders.get(created.order_id) == created
    assert await redis.exists(Catalog(redis, TENANT).key("GONE")) == 0


async def test_a_product_already_below_zero_reports_nothing_available(orders: Orders, redis: Redis) -> None:
    await Catalog(redis, TENANT).adjust_stock("C", -2)  # an older backorder took it under zero
    with pytest.raises(InsufficientStockError) as raised:
        await orders.create(order(line("C", 1)))
    assert raised.value.short == {"C": 0} and await stock(redis, "C") == -2


async def test_concurrent_orders_never_oversell(orders: Orders, redis: Redis) -> None:
    # Ten conversations want 3 of the 10 units at once: three get them, the rest are refused whole.
    attempts = [order(line("A", 3), line("B", 0, backorder=1), conversation=f"c-{i}") for i in range(10)]
    results = await asyncio.gather(*(orders.create(o) for o in attempts), return_exceptions=True)
    created = [r for r in results if isinstance(r, tuple)]
    refused = [r for r in results if isinstance(r, InsufficientStockError)]
    assert (len(created), len(refused)) == (3, 7)
    assert sorted(levels["A"] for _, levels in created) == [1, 4, 7]  # type: ignore[index]
    assert all(r.short["A"] == 1 for r in refused) and await stock(redis, "A") == 1
    assert len(await orders.for_customer("CUST-1", limit=10)) == 3


async def test_a_customers_orders_newest_first(orders: Orders, redis: Redis) -> None:
    for turn in range(1, 8):
        await orders.create(order(line("A", 1), turn=turn, at=T0 + timedelta(minutes=turn)))
    await orders.create(order(line("A", 1), turn=1, customer="CUST-2", conversation="c-2"))
    latest = await orders.for_customer("CUST-1")
    assert [o.turn for o in latest] == [7, 6, 5, 4, 3]  # five by default
    assert [o.turn for o in await orders.for_customer("CUST-1", limit=2)] == [7, 6]
    assert [o.customer_id for o in await orders.for_customer("CUST-2")] == ["CUST-2"]
    assert await orders.for_customer("CUST-404") == []
    assert await Orders(redis, "other-tenant").for_customer("CUST-1") == []
    with pytest.raises(ValueError, match="limit"):
        await orders.for_customer("CUST-1", limit=0)

    # One slot: the order, the index and the products share the tenant's hash tag.
    assert orders.customer_key("CUST-1") == "ork:{acme}:customer:CUST-1:orders"
    newest = await redis.zscore(orders.customer_key("CUST-1"), latest[0].order_id)
    assert newest == (T0 + timedelta(minutes=7)).timestamp()
