"""Collections rules and purchase sizing: pure functions, no Redis."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tools.accounts import Invoice, PromiseToPay
from tools.dunning import Cadence, History, choose_tone, history_of, reminder_template
from tools.forecast import purchase_quantity, smoothed_daily_demand


def test_default_cadence_days_then_every_fortnight() -> None:
    cadence = Cadence()
    hits = [d for d in range(-10, 61) if cadence.is_reminder_day(d)]
    assert hits == [-3, 0, 1, 7, 14, 30, 44, 58]
    assert cadence.lead_days == 3
    assert Cadence(offsets=(7, 0)).offsets == (0, 7)
    with pytest.raises(ValueError):
        Cadence(offsets=())


@pytest.mark.parametrize(("days", "history", "tone"), [
    (-3, History(), "soft"), (1, History(), "soft"), (7, History(), "firm"), (30, History(), "final"),
    (0, History(promises_broken=1), "firm"), (0, History(promises_broken=2), "final"),
    (7, History(paid_invoices=3, late_payments=2), "final"),
    (7, History(paid_invoices=10, late_payments=2), "firm"),  # 2 of 10 late: not habitual
    (7, History(paid_invoices=3, promises_kept=1), "soft"),
    (7, History(promises_kept=1, promises_broken=1), "final"),
])
def test_tone_rises_with_lateness_and_broken_promises(days: int, history: History, tone: str) -> None:
    assert choose_tone(days, history) == tone


def test_history_counts_late_payments_and_promises() -> None:
    def inv(i: int, late: int | None) -> Invoice:
        paid = late is not None
        return Invoice(invoice_id=f"F-{i}", customer_id="C", issued_at=date(2026, 1, 1), due_date=date(2026, 2, 1),
                       amount=Decimal("10"), paid_amount=Decimal("10") if paid else Decimal("0"),
                       status="paid" if paid else "open", days_late_when_paid=late)

    def promise(i: int, status: str) -> PromiseToPay:
        return PromiseToPay(promise_id=f"p{i}", customer_id="C", promised_date=date(2026, 2, 2),
                            created_at=datetime(2026, 2, 1, tzinfo=UTC), source_text="pago mañana",
                            status=status)  # type: ignore[arg-type]

    h = history_of([inv(1, 0), inv(2, 2), inv(3, 9), inv(4, None)], [promise(1, "kept"), promise(2, "broken")])
    assert h == History(paid_invoices=3, late_payments=1, promises_kept=1, promises_broken=1)


def test_template_parameters_fit_on_one_line() -> None:
    from tools.dunning import ReminderLine

    lines = [ReminderLine(invoice_id="F-1", balance=Decimal("1234.5"), due_date=date(2026, 11, 1), days_overdue=9),
             ReminderLine(invoice_id="F-2", balance=Decimal("10"), due_date=date(2026, 11, 13), days_overdue=-3)]
    template = reminder_template("Ferretería Luz", "firm", lines, Decimal("1244.50"), "https://pay/x")
    assert template["name"] == "orkesta_cobranza_firm" and template["language"] == "es_MX"
    params = template["body_parameters"]
    assert params == ["Ferretería Luz", "F-1 por $1,234.50 (vencida hace 9 días); F-2 por $10.00 (vence el 13/11)",
                      "$1,244.50 MXN", "https://pay/x"]


def test_exponential_smoothing_follows_recent_days() -> None:
    assert smoothed_daily_demand([]) == 0
    assert smoothed_daily_demand([6] * 28) == pytest.approx(6)
    rising = smoothed_daily_demand([2] * 21 + [10] * 7)
    assert 6 < rising < 10  # weighted to the last week, not the 28-day mean (4)


def test_purchase_quantity_covers_lead_time_and_rounds_to_packs() -> None:
    # 6/day × (5 lead + 3 safety) + 10 reorder point − 4 in stock = 54
    assert purchase_quantity(daily_demand=6, lead_time_days=5, reorder_point=10, stock=4) == 54
    assert purchase_quantity(daily_demand=6, lead_time_days=5, reorder_point=10, stock=4, pack_size=12) == 60
    assert purchase_quantity(daily_demand=0, lead_time_days=5, reorder_point=10, stock=-3) == 13
    assert purchase_quantity(daily_demand=0, lead_time_days=5, reorder_point=10, stock=40) == 0
