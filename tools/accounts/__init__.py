"""A tenant's customers and receivables: invoices, statements and promises to pay, in Redis.

- `models`: the records (Customer, Invoice, StatementLine, Statement, PromiseToPay), their
  errors, `wa_digits` and the demo customers and invoices;
- `store`: `Accounts`, one tenant's customers, invoices and promises in Redis (its keys).
"""

from tools.accounts.models import (
    DEMO_DATA,
    Customer,
    CustomerNotFoundError,
    IdempotencyConflictError,
    Invoice,
    InvoiceStatus,
    NonNegativeMoney,
    PromiseStatus,
    PromiseToPay,
    Statement,
    StatementLine,
    Tier,
    demo_customers,
    demo_invoices,
    wa_digits,
)
from tools.accounts.store import Accounts

__all__ = [
    "DEMO_DATA",
    "Accounts",
    "Customer",
    "CustomerNotFoundError",
    "IdempotencyConflictError",
    "Invoice",
    "InvoiceStatus",
    "NonNegativeMoney",
    "PromiseStatus",
    "PromiseToPay",
    "Statement",
    "StatementLine",
    "Tier",
    "demo_customers",
    "demo_invoices",
    "wa_digits",
]
