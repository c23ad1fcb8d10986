"""Customers, statements and promises to pay on a real Redis, checked against the demo JSON files."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from redis.asyncio import Redis

from tools.accounts import (
    DEMO_DATA,
    Accounts,
    Customer,
    CustomerNotFoundError,
    IdempotencyConflictError,
    Invoice,
    demo_customers,
    demo_invoices,
)
from tools.seed import seed_demo

TENANT = "ferre-mx"
OTHER = "plomeria-sur"
AS_OF = date(2026, 11, 25)  # the demo data's "today"
RAW_INVOICES: list[dict[str, Any]] = json.loads((DEMO_DATA / "invoices.json").read_text("utf-8"))
RAW_CUSTOMERS: dict[str, dict[str, Any]] = {
    c["customer_id"]: c for c in json.loads((DEMO_DATA / "customers.json").read_text("utf-8"))
}
WITH_OVERDUE = sorted({i["customer_id"] for i in RAW_INVOICES if i["status"] == "overdue"})


@pytest.fixture
async def accounts(redis: Redis) -> Accounts:
    acc = Accounts(redis, TENANT)
    assert await acc.load_demo() == {"customers": len(RAW_CUSTOMERS), "invoices": len(RAW_INVOICES)}
    return acc


async def test_load_demo_is_idempotent_and_keeps_later_changes(accounts: Accounts) -> None:
    (unpaid,) = [i for i in await accounts.invoices("CUST-0007") if i.invoice_id == "FAC-2026-000479"]
    await accounts.upsert_invoices([unpaid.model_copy(update={"paid_amount": unpaid.amount, "status": "paid"})])
    assert await accounts.load_demo() == {"customers": 0, "invoices": 0}
    # Re-seeding undid nothing.
    assert [i.status for i in await accounts.invoices("CUST-0007") if i.invoice_id == unpaid.invoice_id] == ["paid"]
    with pytest.raises(ValidationError, match="disagrees"):  # a copy that skipped validation is not stored
        await accounts.upsert_invoices([unpaid.model_copy(update={"status": "paid"})])
    assert len(await accounts.customers()) == len(RAW_CUSTOMERS)


async def test_customer_round_trip_and_lookup_by_whatsapp_id(accounts: Accounts) -> None:
    raw = RAW_CUSTOMERS["CUST-0001"]
    customer = await accounts.get_customer("CUST-0001")
    assert customer is not None
    assert customer.model_dump(mode="json") == raw
    assert customer.credit_limit == Decimal("5000.00") and customer.tier == "bronze"
    assert await accounts.get_customer("CUST-9999") is None
    for spelling in (raw["wa_id"], "+52 1 55 7341 6538", "525573416538"):  # Meta's 521… and the plain 52…
        found = await accounts.find_by_wa_id(spelling)
        assert found is not None and found.customer_id == "CUST-0001", spelling
    assert await accounts.find_by_wa_id("5215500000000") is None
    assert await accounts.find_by_wa_id("") is None


def expected_statement(customer_id: str, as_of: date) -> dict[str, Any]:
    """The statement computed by hand from invoices.json and customers.json."""
    lines, due, overdue = [], Decimal(0), Decimal(0)
    for inv in RAW_INVOICES:
        balance = Decimal(inv["amount"]) - Decimal(inv["paid_amount"])
        if inv["customer_id"] != customer_id or balance == 0:
            continue
        due_date = date.fromisoformat(inv["due_date"])
        late = max(0, (as_of - due_date).days)
        due += balance
        overdue += balance if late else 0
        lines.append((inv["due_date"], inv["invoice_id"], f"{balance:.2f}", late))
    limit = Decimal(RAW_CUSTOMERS[customer_id]["credit_limit"])
    return {"lines": sorted(lines), "total_due": f"{due:.2f}", "total_overdue": f"{overdue:.2f}",
            "available_credit": f"{max(Decimal(0), limit - due):.2f}", "credit_limit": f"{limit:.2f}"}


@pytest.mark.parametrize("customer_id", WITH_OVERDUE)
async def test_statement_matches_the_invoices_file(accounts: Accounts, customer_id: str) -> None:
    statement = (await accounts.statement(customer_id, today=AS_OF)).model_dump(mode="json")
    expected = expected_statement(customer_id, AS_OF)
    got = sorted((i["due_date"], i["invoice_id"], i["balance"], i["days_overdue"]) for i in statement["invoices"])
    assert got == expected["lines"]
    for field in ("total_due", "total_overdue", "available_credit", "credit_limit"):
        assert statement[field] == expected[field], field
    # As of the data's own date, the recomputed status is the file's.
    file_status = {i["invoice_id"]: i["status"] for i in RAW_INVOICES}
    assert all(i["status"] == file_status[i["invoice_id"]] for i in statement["invoices"])


async def test_statement_of_cust_0007_by_hand(accounts: Accounts) -> None:
    s = await accounts.statement("CUST-0007", today=AS_OF)
    # FAC-479 3896.64 unpaid, due 09-09; FAC-506 2846.91 - 569.38 paid, due 10-27; FAC-529 2606.16, due 12-06.
    assert [(i.invoice_id, i.balance, i.status, i.days_overdue) for i in s.invoices] == [
        ("FAC-2026-000479", Decimal("3896.64"), "overdue", 77),
        ("FAC-2026-000506", Decimal("2277.53"), "overdue", 29),
        ("FAC-2026-000529", Decimal("2606.16"), "open", 0),
    ]
    assert s.total_due == Decimal("8780.33") and s.total_overdue == Decimal("6174.17")
    # Over its 8000.00 limit: no credit left, never a negative amount.
    assert s.credit_limit == Decimal("8000.00") and s.available_credit == Decimal("0.00")
    assert await accounts.open_balance("CUST-0007") == Decimal("8780.33")
    later = await accounts.statement("CUST-0007", today=date(2026, 12, 10))
    assert later.invoices[-1].status == "overdue" and later.invoices[-1].days_overdue == 4
    assert later.total_overdue == Decimal("8780.33")
    earlier = await accounts.statement("CUST-0007", today=date(2026, 11, 1))
    assert "FAC-2026-000529" not in {i.invoice_id for i in earlier.invoices}  # not issued yet


async def test_overdue_invoices_of_the_tenant(accounts: Accounts) -> None:
    overdue = await accounts.overdue_invoices(today=AS_OF)
    assert sorted(i.invoice_id for i in overdue) == sorted(i["invoice_id"] for i in RAW_INVOICES
                                                         if i["status"] == "overdue")
    first = overdue[0].model_copy(update={"paid_amount": overdue[0].amount, "status": "paid"})
    await accounts.upsert_invoices([first])
    assert first.invoice_id not in {i.invoice_id for i in await accounts.overdue_invoices(today=AS_OF)}


async def test_money_is_rounded_half_up_to_centavos() -> None:
    raw = RAW_CUSTOMERS["CUST-0001"]
    assert Customer.model_validate(raw | {"credit_limit": "100.005"}).credit_limit == Decimal("100.01")
    assert Customer.model_validate(raw | {"credit_limit": "100.004"}).credit_limit == Decimal("100.00")
    assert Customer.model_validate(raw | {"tier": " Gold "}).tier == "gold"
    inv = demo_invoices()[0].model_dump(mode="json")
    with pytest.raises(ValidationError, match="exceeds amount"):
        Invoice.model_validate(inv | {"paid_amount": "99999999.00"})
    with pytest.raises(ValidationError, match="disagrees"):
        Invoice.model_validate(inv | {"status": "open"})


async def test_unknown_customers_are_refused(accounts: Accounts) -> None:
    with pytest.raises(CustomerNotFoundError, match="CUST-9999"):
        await accounts.statement("CUST-9999", today=AS_OF)
    orphan = demo_invoices()[0].model_copy(update={"invoice_id": "FAC-X", "customer_id": "CUST-9999"})
    with pytest.raises(CustomerNotFoundError, match="CUST-9999"):
        await accounts.upsert_invoices([orphan])
    assert await accounts.invoices("CUST-9999") == []


async def test_whatsapp_ids_name_one_customer(accounts: Accounts) -> None:
    one, two = (await accounts.get_customer("CUST-0001")), (await accounts.get_customer("CUST-0002"))
    assert one is not None and two is not None
    with pytest.raises(ValueError, match="already belongs to customer CUST-0001"):
        await accounts.upsert_customers([two.model_copy(update={"wa_id": one.wa_id})])
    # A swap in one batch is fine, and the old ids follow their customers.
    await accounts.upsert_customers([one.model_copy(update={"wa_id": two.wa_id}),
                                     two.model_copy(update={"wa_id": one.wa_id})])
    found = await accounts.find_by_wa_id(one.wa_id)
    assert found is not None and found.customer_id == "CUST-0002"
    await accounts.upsert_customers([one.model_copy(update={"wa_id": "5215511112222"})])
    assert (await accounts.find_by_wa_id(two.wa_id)) is None


async def test_a_promise_is_recorded_once_per_idempotency_key(accounts: Accounts) -> None:
    args: dict[str, Any] = {"amount": Decimal("2500.005"), "promised_date": date(2026, 11, 26),
                            "source_text": "pago mañana", "conversation_id": "conv-1"}
    first = await accounts.record_promise("CUST-0007", idempotency_key="conv-1:3", **args)
    again = await accounts.record_promise("CUST-0007", idempotency_key="conv-1:3", **args | {"amount": None})
    assert again == first and first.amount == Decimal("2500.01") and first.status == "pending"
    assert await accounts.promises("CUST-0007") == [first]

    burst = await asyncio.gather(*(accounts.record_promise("CUST-0007", idempotency_key="conv-1:4", **args)
                                   for _ in range(10)))
    assert len({p.model_dump_json() for p in burst}) == 1
    other = await accounts.record_promise("CUST-0007", idempotency_key="conv-2:1",
                                          **args | {"promised_date": date(2026, 11, 20), "amount": None})
    assert [p.promise_id for p in await accounts.promises("CUST-0007")] == [
        other.promise_id, *sorted([first.promise_id, burst[0].promise_id])]
    assert len(await accounts.promises()) == 3 and await accounts.promises("CUST-0001") == []

    with pytest.raises(IdempotencyConflictError):
        await accounts.record_promise("CUST-0001", idempotency_key="conv-1:3", **args)
    with pytest.raises(CustomerNotFoundError):
        await accounts.record_promise("CUST-9999", idempotency_key="conv-9:1", **args)
    with pytest.raises(ValidationError):
        await accounts.record_promise("CUST-0007", idempotency_key="conv-9:2", **args | {"amount": Decimal(-1)})


async def test_tenant_wall(accounts: Accounts, redis: Redis) -> None:
    await accounts.record_promise("CUST-0007", amount=None, promised_date=date(2026, 11, 26), source_text="mañana",
                                  conversation_id=None, idempotency_key="k1")
    other = Accounts(redis, OTHER)
    assert await other.get_customer("CUST-0001") is None
    assert await other.find_by_wa_id(RAW_CUSTOMERS["CUST-0001"]["wa_id"]) is None
    assert await other.invoices("CUST-0007") == [] and await other.customers() == []
    assert await other.promises() == [] and await other.overdue_invoices(today=AS_OF) == []
    with pytest.raises(CustomerNotFoundError):
        await other.statement("CUST-0007", today=AS_OF)
    # The same idempotency key in another tenant is another promise, once that tenant has the customer.
    await other.upsert_customers([c for c in demo_customers() if c.customer_id == "CUST-0007"])
    mine = await other.record_promise("CUST-0007", amount=None, promised_date=date(2026, 11, 27),
                                      source_text="el viernes", conversation_id=None, idempotency_key="k1")
    assert mine.promised_date == date(2026, 11, 27)
    assert [p.promised_date for p in await accounts.promises()] == [date(2026, 11, 26)]


async def test_seed_demo_twice_changes_nothing_the_second_time(redis: Redis) -> None:
    first = await seed_demo(redis, TENANT)
    assert first.changed and first.index_created
    assert first.customers.created == len(RAW_CUSTOMERS) and first.invoices.created == len(RAW_INVOICES)
    second = await seed_demo(redis, TENANT)
    assert not second.changed
    assert second.products.created == 0 and second.products.present == first.products.created
    assert (second.customers.present, second.invoices.present) == (len(RAW_CUSTOMERS), len(RAW_INVOICES))
