"""Customers and receivables as records: customers, invoices, statements, promises to pay, and their errors.

Also `wa_digits` (a WhatsApp id as the digits customers are found by) and the demo customers and
invoices of `tools/demo_data/`. Money is `Decimal` in centavos (ROUND_HALF_UP), a two-decimal
string in JSON.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tools.pricing import ZERO, Money, to_centavos

DEMO_DATA = Path(__file__).resolve().parent.parent / "demo_data"
_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"  # no colon or space: ids become parts of keys

Tier = Literal["bronze", "silver", "gold", "platinum"]
InvoiceStatus = Literal["open", "partial", "overdue", "paid"]
PromiseStatus = Literal["pending", "kept", "broken"]
NonNegativeMoney = Annotated[Money, Field(ge=0)]


class CustomerNotFoundError(LookupError):
    """No customer with this id in the tenant."""


class IdempotencyConflictError(ValueError):
    """An idempotency key already used for a different customer."""


def wa_digits(wa_id: str) -> str:
    """A WhatsApp id as digits only ("+52 1 55 1234 5678" -> "5215512345678")."""
    return re.sub(r"\D", "", wa_id)


def _wa_variants(wa_id: str) -> list[str]:
    # Meta reports Mexican mobiles as 521 + 10 digits, while numbers saved since the 2019 dialling
    # reform often lack the 1: either spelling finds the customer.
    digits = wa_digits(wa_id)
    if len(digits) == 13 and digits.startswith("521"):
        return [digits, "52" + digits[3:]]
    if len(digits) == 12 and digits.startswith("52"):
        return [digits, "521" + digits[2:]]
    return [digits]


class Customer(BaseModel):
    """A B2B customer, as in `tools/demo_data/customers.json`."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)

    customer_id: str = Field(pattern=_ID)
    name: str = Field(min_length=1, max_length=300)
    business_name: str = Field(min_length=1, max_length=300)
    rfc: str = Field(min_length=12, max_length=13)
    phone: str
    wa_id: str = Field(pattern=r"^\d{8,15}$")
    tier: Tier
    credit_limit: NonNegativeMoney
    payment_terms_days: int = Field(ge=0, le=365)
    city: str
    email: str

    @field_validator("wa_id", mode="before")
    @classmethod
    def _digits(cls, value: Any) -> Any:
        return wa_digits(value) if isinstance(value, str) else value

    @field_validator("tier", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        # Tiers come from ERPs and model output as "Gold" or " gold "; one spelling matches pricing.
        return value.strip().lower() if isinstance(value, str) else value


class Invoice(BaseModel):
    """An invoice, as in `tools/demo_data/invoices.json`; `amount` includes IVA."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)

    invoice_id: str = Field(pattern=_ID)
    customer_id: str = Field(pattern=_ID)
    issued_at: date
    due_date: date
    amount: NonNegativeMoney
    paid_amount: NonNegativeMoney = ZERO
    status: InvoiceStatus
    paid_at: date | None = None
    days_late_when_paid: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.paid_amount > self.amount:
            raise ValueError(f"invoice {self.invoice_id}: paid_amount {self.paid_amount} exceeds amount {self.amount}")
        if (self.status == "paid") != (self.paid_amount == self.amount):
            raise ValueError(f"invoice {self.invoice_id}: status {self.status!r} disagrees with its paid amount")
        if self.due_date < self.issued_at:
            raise ValueError(f"invoice {self.invoice_id}: due_date is before issued_at")
        return self

    @property
    def balance(self) -> Decimal:
        """What is still owed on it."""
        return to_centavos(self.amount - self.paid_amount)


class StatementLine(BaseModel):
    """An unpaid invoice on a statement, its status and lateness seen from the statement's date."""

    invoice_id: str
    issued_at: date
    due_date: date
    amount: Money
    paid_amount: Money
    balance: Money
    status: Literal["open", "partial", "overdue"]
    days_overdue: int = Field(ge=0)


class Statement(BaseModel):
    """A customer's account as of a date: unpaid invoices, totals and the credit left."""

    customer_id: str
    as_of: date
    invoices: list[StatementLine]
    total_due: Money
    total_overdue: Money
    credit_limit: Money
    available_credit: Money = Field(description="credit_limit - total_due, never below zero.")


class PromiseToPay(BaseModel):
    """A customer's promise to pay (all or `amount`) by `promised_date`, with the words that made it."""

    model_config = ConfigDict(str_strip_whitespace=True)

    promise_id: str
    customer_id: str
    amount: Money | None = Field(default=None, gt=0)
    promised_date: date
    created_at: datetime
    source_text: str = Field(max_length=4096)
    conversation_id: str | None = None
    status: PromiseStatus = "pending"


def demo_customers() -> list[Customer]:
    """The demo customers of `tools/demo_data/customers.json`."""
    return [Customer.model_validate(c) for c in json.loads((DEMO_DATA / "customers.json").read_text("utf-8"))]


def demo_invoices() -> list[Invoice]:
    """The demo invoices of `tools/demo_data/invoices.json` (statuses as of 2026-11-25)."""
    return [Invoice.model_validate(i) for i in json.loads((DEMO_DATA / "invoices.json").read_text("utf-8"))]
