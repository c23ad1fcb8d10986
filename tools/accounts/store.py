"""`Accounts`: one tenant's customers, invoices and promises to pay in Redis.

Keys (all in the tenant's slot, so multi-key transactions stay legal on a cluster):
- `customer:<id>` JSON, `customers` set, `wa-customer` hash (WhatsApp id -> customer id);
- `invoice:<id>` JSON, `customer:<id>:invoices` zset by due date, `invoices:open` zset of unpaid
  invoices by due date (what the collections scheduler scans);
- `promise:<id>` JSON, `customer:<id>:promises` and `promises` zsets by promised date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal, TypeVar

from pydantic import BaseModel
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from core.redis import as_text
from core.tenants import TenantKeys
from tools.accounts.models import (
    Customer,
    CustomerNotFoundError,
    IdempotencyConflictError,
    Invoice,
    PromiseToPay,
    Statement,
    StatementLine,
    _wa_variants,
    demo_customers,
    demo_invoices,
)
from tools.pricing import ZERO, to_centavos

_WRITE_CHUNK = 500
T = TypeVar("T")


def _chunks(items: Sequence[T]) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), _WRITE_CHUNK):
        yield items[start:start + _WRITE_CHUNK]


M = TypeVar("M", bound=BaseModel)


def _revalidated(models: Sequence[M]) -> list[M]:
    # `model_copy(update=...)` skips validation; what is stored must pass it, or every read would fail.
    return [type(m).model_validate(m.model_dump()) for m in models]


def _unique(ids: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what} {i} appears twice in one batch")
        seen.add(i)


class Accounts:
    """One tenant's customers, invoices and promises to pay; pass the shared client and the tenant."""

    def __init__(self, redis: Redis, tenant: str) -> None:
        self._redis = redis
        self._keys = TenantKeys(tenant)  # validates the tenant id
        self.tenant = tenant

    # --- keys ----------------------------------------------------------------
    def _customer(self, customer_id: str) -> str:
        return self._keys.key("customer", customer_id)

    def _invoice(self, invoice_id: str) -> str:
        return self._keys.key("invoice", invoice_id)

    def _promise(self, promise_id: str) -> str:
        return self._keys.key("promise", promise_id)

    @property
    def _wa_map(self) -> str:
        return self._keys.key("wa-customer")

    # --- customers -------------------------------------------------------------
    async def upsert_customers(self, customers: Iterable[Customer]) -> int:
        """Create or replace customers; returns how many were written.

        ValueError if a WhatsApp id already belongs to another customer of the tenant.
        """
        return await self._write_customers(list(customers), only_new=False)

    async def _write_customers(self, customers: Sequence[Customer], *, only_new: bool) -> int:
        customers = _revalidated(customers)
        _unique((c.customer_id for c in customers), "customer")
        _unique((c.wa_id for c in customers), "WhatsApp id")
        written = 0
        for chunk in _chunks(customers):
            written += await self._write_customer_chunk(chunk, only_new=only_new)
        return written

    async def _write_customer_chunk(self, chunk: Sequence[Customer], *, only_new: bool) -> int:
        keys = [self._customer(c.customer_id) for c in chunk]
        written = 0

        async def work(pipe: Pipeline) -> None:
            nonlocal written
            old = await pipe.json().mget(keys, "$")
            # Seeding leaves existing customers alone.
            todo = [(c, k, p) for c, k, p in zip(chunk, keys, old, strict=True) if not (p and only_new)]
            ids = {c.customer_id for c, _, _ in todo}
            owners = await pipe.hmget(self._wa_map, [c.wa_id for c, _, _ in todo]) if todo else []
            for (customer, _, _), owner in zip(todo, owners, strict=True):
                holder = as_text(owner)
                if holder is not None and holder != customer.customer_id and holder not in ids:
                    raise ValueError(f"WhatsApp id {customer.wa_id} already belongs to customer {holder}")
            # Old WhatsApp ids are unmapped before any is mapped again, so two customers may swap theirs.
            stale = [p[0]["wa_id"] for c, _, p in todo if p and p[0].get("wa_id") not in (None, c.wa_id)]
            pipe.multi()
            written = len(todo)
            if stale:
                pipe.hdel(self._wa_map, *stale)
            for customer, key, _ in todo:
                pipe.json().set(key, "$", customer.model_dump(mode="json"))
                pipe.hset(self._wa_map, customer.wa_id, customer.customer_id)
                pipe.sadd(self._keys.key("customers"), customer.customer_id)

        # WATCH makes the read-check-write one step: a concurrent writer makes it start over.
        await self._redis.transaction(work, self._wa_map, *keys)
        return written

    async def get_customer(self, customer_id: str) -> Customer | None:
        """The customer with this id, or None."""
        doc = await self._redis.json().get(self._customer(customer_id))
        return None if doc is None else Customer.model_validate(doc)

    async def _require(self, customer_id: str) -> Customer:
        customer = await self.get_customer(customer_id)
        if customer is None:
            raise CustomerNotFoundError(f"no customer {customer_id!r} in tenant {self.tenant!r}")
        return customer

    async def find_by_wa_id(self, wa_id: str) -> Customer | None:
        """The customer writing from this WhatsApp id (with or without Mexico's mobile 1), or None."""
        variants = _wa_variants(wa_id)
        if not variants[0]:
            return None
        for owner in await self._redis.hmget(self._wa_map, variants):
            if owner is not None:
                return await self.get_customer(as_text(owner) or "")
        return None

    async def customers(self) -> list[Customer]:
        """Every customer of the tenant, by id."""
        ids = sorted(as_text(i) or "" for i in await self._redis.smembers(self._keys.key("customers")))
        if not ids:
            return []
        docs = await self._redis.json().mget([self._customer(i) for i in ids], "$")
        return [Customer.model_validate(d[0]) for d in docs if d]

    # --- invoices ----------------------------------------------------------------
    async def upsert_invoices(self, invoices: Iterable[Invoice]) -> int:
        """Create or replace invoices; returns how many were written. Their customers must exist."""
        return await self._write_invoices(list(invoices), only_new=False)

    async def _write_invoices(self, invoices: Sequence[Invoice], *, only_new: bool) -> int:
        invoices = _revalidated(invoices)
        _unique((i.invoice_id for i in invoices), "invoice")
        customer_ids = sorted({i.customer_id for i in invoices})
        if customer_ids:
            pipe = self._redis.pipeline(transaction=False)
            for cid in customer_ids:
                pipe.exists(self._customer(cid))
            missing = [cid for cid, ok in zip(customer_ids, await pipe.execute(), strict=True) if not ok]
            if missing:
                raise CustomerNotFoundError(f"no customer {', '.join(missing)} in tenant {self.tenant!r}")
        written = 0
        for chunk in _chunks(invoices):
            written += await self._write_invoice_chunk(chunk, only_new=only_new)
        return written

    async def _write_invoice_chunk(self, chunk: Sequence[Invoice], *, only_new: bool) -> int:
        keys = [self._invoice(i.invoice_id) for i in chunk]
        open_key = self._keys.key("invoices", "open")
        written = 0

        async def work(pipe: Pipeline) -> None:
            nonlocal written
            old = await pipe.json().mget(keys, "$")
            pipe.multi()
            written = 0
            for invoice, key, previous in zip(chunk, keys, old, strict=True):
                if previous and only_new:
                    continue
                written += 1
                moved_from = previous[0].get("customer_id") if previous else None
                if moved_from and moved_from != invoice.customer_id:
                    pipe.zrem(self._keys.key("customer", moved_from, "invoices"), invoice.invoice_id)
                pipe.json().set(key, "$", invoice.model_dump(mode="json"))
                due = invoice.due_date.toordinal()
                pipe.zadd(self._keys.key("customer", invoice.customer_id, "invoices"), {invoice.invoice_id: due})
                if invoice.balance > 0:
                    pipe.zadd(open_key, {invoice.invoice_id: due})
                else:
                    pipe.zrem(open_key, invoice.invoice_id)

        await self._redis.transaction(work, *keys)
        return written

    async def _invoices_by_id(self, ids: Sequence[bytes | str]) -> list[Invoice]:
        if not ids:
            return []
        docs = await self._redis.json().mget([self._invoice(as_text(i) or "") for i in ids], "$")
        return [Invoice.model_validate(d[0]) for d in docs if d]

    async def invoices(self, customer_id: str) -> list[Invoice]:
        """All of a customer's invoices, paid or not, by due date; [] for an unknown customer."""
        ids = await self._redis.zrange(self._keys.key("customer", customer_id, "invoices"), 0, -1)
        return await self._invoices_by_id(ids)

    async def overdue_invoices(self, *, today: date) -> list[Invoice]:
        """Every unpaid invoice of the tenant due before `today`, oldest due first."""
        ids = await self._redis.zrangebyscore(self._keys.key("invoices", "open"), "-inf", f"({today.toordinal()}")
        return await self._invoices_by_id(ids)

    async def open_balance(self, customer_id: str) -> Decimal:
        """What the customer owes on all its invoices, due or not."""
        return to_centavos(sum((i.balance for i in await self.invoices(customer_id)), ZERO))

    async def statement(self, customer_id: str, *, today: date) -> Statement:
        """The customer's unpaid invoices issued by `today`, lateness counted from `today`.

        Balances are the current ones; `today` decides which are overdue and by how many days.
        """
        customer = await self._require(customer_id)
        lines: list[StatementLine] = []
        for inv in await self.invoices(customer_id):
            if inv.balance <= 0 or inv.issued_at > today:
                continue
            # Recomputed rather than read: a stored "open" turns overdue once its due date passes.
            overdue = inv.due_date < today
            status: Literal["open", "partial", "overdue"] = (
                "overdue" if overdue else "partial" if inv.paid_amount > 0 else "open"
            )
            lines.append(StatementLine(
                invoice_id=inv.invoice_id, issued_at=inv.issued_at, due_date=inv.due_date, amount=inv.amount,
                paid_amount=inv.paid_amount, balance=inv.balance, status=status,
                days_overdue=(today - inv.due_date).days if overdue else 0,
            ))
        lines.sort(key=lambda line: (line.due_date, line.invoice_id))
        total_due = sum((line.balance for line in lines), ZERO)
        total_overdue = sum((line.balance for line in lines if line.status == "overdue"), ZERO)
        return Statement(
            customer_id=customer_id, as_of=today, invoices=lines, total_due=total_due, total_overdue=total_overdue,
            credit_limit=customer.credit_limit, available_credit=max(ZERO, customer.credit_limit - total_due),
        )

    # --- promises to pay -----------------------------------------------------------
    async def record_promise(
        self,
        customer_id: str,
        *,
        amount: Decimal | None,
        promised_date: date,
        source_text: str,
        conversation_id: str | None,
        idempotency_key: str,
    ) -> PromiseToPay:
        """Record a promise once per `idempotency_key`: a repeat returns the first promise unchanged.

        CustomerNotFoundError for an unknown customer; IdempotencyConflictError if the key was
        used for another customer.
        """
        if not idempotency_key:
            raise ValueError("idempotency_key must not be empty")
        await self._require(customer_id)
        # The id derives from the key, so concurrent repeats race for one document and SET NX
        # lets exactly one of them create it.
        digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:24]
        promise = PromiseToPay(
            promise_id=f"ptp-{digest}", customer_id=customer_id, amount=amount, promised_date=promised_date,
            created_at=datetime.now(UTC), source_text=source_text, conversation_id=conversation_id,
        )
        key = self._promise(promise.promise_id)
        if not await self._redis.json().set(key, "$", promise.model_dump(mode="json"), nx=True):
            doc = await self._redis.json().get(key)
            promise = PromiseToPay.model_validate(doc)
            if promise.customer_id != customer_id:
                raise IdempotencyConflictError(
                    f"idempotency key already recorded promise {promise.promise_id} for customer {promise.customer_id}"
                )
        # Indexed after the document (and again on a repeat), so an interrupted first call heals itself.
        score = promise.promised_date.toordinal()
        pipe = self._redis.pipeline(transaction=True)
        pipe.zadd(self._keys.key("customer", customer_id, "promises"), {promise.promise_id: score}, nx=True)
        pipe.zadd(self._keys.key("promises"), {promise.promise_id: score}, nx=True)
        await pipe.execute()
        return promise

    async def promises(self, customer_id: str | None = None) -> list[PromiseToPay]:
        """The promises of one customer, or of the whole tenant, by promised date."""
        index = ("promises",) if customer_id is None else ("customer", customer_id, "promises")
        ids = await self._redis.zrange(self._keys.key(*index), 0, -1)
        if not ids:
            return []
        docs = await self._redis.json().mget([self._promise(as_text(i) or "") for i in ids], "$")
        return [PromiseToPay.model_validate(d[0]) for d in docs if d]

    # --- demo data -------------------------------------------------------------------
    async def load_demo(self) -> dict[str, int]:
        """Add the demo customers and invoices that are missing; returns how many of each were added.

        Existing records are left alone, so re-seeding never undoes a payment recorded since.
        """
        customers = await self._write_customers(demo_customers(), only_new=True)
        invoices = await self._write_invoices(demo_invoices(), only_new=True)
        return {"customers": customers, "invoices": invoices}
