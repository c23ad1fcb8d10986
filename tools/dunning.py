"""Collections rules: the cadence, the tone (rules, no LLM) and the reminder's wording.

Tone: the most overdue invoice sets a base (soft up to 1 day late, firm up to 14, final after),
then the customer's history moves it: +1 per broken promise, +1 for a habitual late payer (at
least 2 late payments, half or more of the paid invoices), −1 for a customer who kept a promise
and never paid late. Always within soft..final.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from redis.asyncio import Redis

from core.locale import money
from core.tenants import TenantKeys
from tools.accounts import Invoice, PromiseStatus, PromiseToPay

Tone = Literal["soft", "firm", "final"]
TONES: tuple[Tone, ...] = ("soft", "firm", "final")
#: Days relative to the due date on which a customer is reminded (negative: before it is due).
DEFAULT_OFFSETS = (-3, 0, 1, 7, 14, 30)
#: A payment this many days late or more counts as late in the history (a weekend's slack).
LATE_GRACE_DAYS = 3
LANGUAGE = "es_MX"
THANKS_TEMPLATE = "orkesta_cobranza_gracias"


class Cadence(BaseModel):
    """A tenant's reminder days; after the last offset, every `repeat_every_days` days."""

    offsets: tuple[int, ...] = DEFAULT_OFFSETS
    repeat_every_days: int = Field(default=14, ge=1)

    @field_validator("offsets")
    @classmethod
    def _sorted(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value:
            raise ValueError("needs at least one offset")
        return tuple(sorted(set(value)))

    def is_reminder_day(self, days_overdue: int) -> bool:
        """True when an invoice this many days past due (negative: before) is due a reminder."""
        last = self.offsets[-1]
        if days_overdue > last:
            return (days_overdue - last) % self.repeat_every_days == 0
        return days_overdue in self.offsets

    @property
    def lead_days(self) -> int:
        """How many days before the due date reminders start (0 if only after)."""
        return max(0, -self.offsets[0])


def base_tone(days_overdue: int) -> Tone:
    """The tone the lateness alone calls for."""
    if days_overdue <= 1:
        return "soft"
    return "firm" if days_overdue <= 14 else "final"


class History(BaseModel):
    """What the customer's past says about how they pay."""

    paid_invoices: int = 0
    late_payments: int = 0
    promises_kept: int = 0
    promises_broken: int = 0


def history_of(invoices: Sequence[Invoice], promises: Sequence[PromiseToPay]) -> History:
    """Count paid, late-paid invoices and kept, broken promises."""
    paid = [i for i in invoices if i.status == "paid"]
    return History(
        paid_invoices=len(paid),
        late_payments=sum(1 for i in paid if (i.days_late_when_paid or 0) >= LATE_GRACE_DAYS),
        promises_kept=sum(1 for p in promises if p.status == "kept"),
        promises_broken=sum(1 for p in promises if p.status == "broken"),
    )


def choose_tone(days_overdue: int, history: History) -> Tone:
    """The reminder's tone: lateness first, then the payment history (see the module docstring)."""
    level = TONES.index(base_tone(days_overdue))
    level += history.promises_broken
    if history.late_payments >= 2 and history.late_payments * 2 >= history.paid_invoices:
        level += 1
    if history.promises_kept and not history.promises_broken and not history.late_payments:
        level -= 1
    return TONES[max(0, min(level, len(TONES) - 1))]


class ReminderLine(BaseModel):
    """One invoice in a reminder."""

    invoice_id: str
    balance: Decimal
    due_date: date
    days_overdue: int


def _line(line: ReminderLine) -> str:
    if line.days_overdue > 0:
        when = f"vencida hace {line.days_overdue} día{'s' if line.days_overdue != 1 else ''}"
    elif line.days_overdue == 0:
        when = "vence hoy"
    else:
        when = f"vence el {line.due_date:%d/%m}"
    return f"{line.invoice_id} por {money(line.balance)} ({when})"


_OPENINGS: dict[Tone, str] = {
    "soft": "Hola {name}, te compartimos un recordatorio amigable de tu saldo:",
    "firm": "Hola {name}, tu cuenta tiene saldo vencido que necesitamos regularizar:",
    "final": "{name}, último aviso: tu cuenta tiene saldo vencido y tu línea de crédito podría suspenderse:",
}
_CLOSINGS: dict[Tone, str] = {
    "soft": "Si ya pagaste, ignora este mensaje. ¡Gracias!",
    "firm": "Te pedimos liquidarlo a la brevedad o decirnos cuándo podrás pagar.",
    "final": "Paga hoy o responde con tu fecha de pago para evitar la suspensión.",
}


def reminder_text(name: str, tone: Tone, lines: Sequence[ReminderLine], total: Decimal, url: str) -> str:
    """The reminder as plain text (what the audit shows and what a session message would say)."""
    rows = "\n".join(f"• {_line(line)}" for line in lines)
    return (f"{_OPENINGS[tone].format(name=name)}\n{rows}\nTotal: {money(total, currency=True)}\n"
            f"Paga aquí: {url}\n{_CLOSINGS[tone]}")


def reminder_template(name: str, tone: Tone, lines: Sequence[ReminderLine], total: Decimal,
                      url: str) -> dict[str, object]:
    """The approved utility template `orkesta_cobranza_<tone>`: {{1}} name, {{2}} invoices, {{3}} total, {{4}} link."""
    summary = "; ".join(_line(line) for line in lines)
    return {"name": f"orkesta_cobranza_{tone}", "language": LANGUAGE,
            "body_parameters": [name, summary, f"{money(total, currency=True)}", url]}


def thanks_text(name: str, amount: Decimal) -> str:
    return (f"¡Gracias {name}! Recibimos tu pago de {money(amount, currency=True)}. "
            "Tu cuenta quedó al corriente en esas facturas.")


def thanks_template(name: str, amount: Decimal) -> dict[str, object]:
    """`orkesta_cobranza_gracias`: {{1}} name, {{2}} amount."""
    return {"name": THANKS_TEMPLATE, "language": LANGUAGE, "body_parameters": [name, f"{money(amount, currency=True)}"]}


# --- tenant data this module adds to `tools.accounts` ---------------------------------

async def load_cadence(redis: Redis, tenant: str) -> Cadence:
    """The tenant's cadence (`collections:cadence` JSON), or the default."""
    doc = await redis.json().get(TenantKeys(tenant).key("collections", "cadence"))
    return Cadence() if doc is None else Cadence.model_validate(doc)


async def save_cadence(redis: Redis, tenant: str, cadence: Cadence) -> None:
    """Set the tenant's cadence."""
    await redis.json().set(TenantKeys(tenant).key("collections", "cadence"), "$", cadence.model_dump(mode="json"))


async def load_promise(redis: Redis, tenant: str, promise_id: str) -> PromiseToPay | None:
    """One promise to pay (the document `Accounts.record_promise` wrote), or None."""
    doc = await redis.json().get(TenantKeys(tenant).key("promise", promise_id))
    return None if doc is None else PromiseToPay.model_validate(doc)


async def set_promise_status(redis: Redis, tenant: str, promise_id: str, status: PromiseStatus) -> bool:
    """Mark a promise kept or broken; False if there is no such promise."""
    done = await redis.json().set(TenantKeys(tenant).key("promise", promise_id), "$.status", status, xx=True)
    return bool(done)
