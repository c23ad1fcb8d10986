"""Promise-to-pay dates and amounts in Mexican Spanish, against fixed days (month ends, weekdays, leap years)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from graph.understanding.dates import parse_promise

WEDNESDAY = date(2026, 11, 25)


@pytest.mark.parametrize(("text", "expected"), [
    ("hoy en la tarde", date(2026, 11, 25)),
    ("pago mañana", date(2026, 11, 26)),
    ("pago manana", date(2026, 11, 26)),
    ("pasado mañana", date(2026, 11, 27)),
    ("el lunes", date(2026, 11, 30)),
    ("el viernes", date(2026, 11, 27)),
    ("les pago el biernes", date(2026, 11, 27)),  # b/v typo
    ("este viernes", date(2026, 11, 27)),
    ("el miércoles", date(2026, 12, 2)),  # today is Wednesday: next week's
    ("este miercoles", date(2026, 11, 25)),  # ... unless "este"
    ("el domingo", date(2026, 11, 29)),
    ("el viernes de la próxima semana", date(2026, 12, 4)),
    ("la próxima semana", date(2026, 11, 30)),
    ("la otra semana", date(2026, 11, 30)),
    ("a fin de mes", date(2026, 11, 30)),
    ("fin de mes", date(2026, 11, 30)),
    ("a fin de quincena", date(2026, 11, 30)),
    ("la quincena", date(2026, 11, 30)),
    ("el 15", date(2026, 12, 15)),  # past this month: next month's
    ("el día 20", date(2026, 12, 20)),
    ("el 28", date(2026, 11, 28)),
    ("hasta el 30 y les pago", date(2026, 11, 30)),
    ("en 3 días", date(2026, 11, 28)),
    ("en una semana", date(2026, 12, 2)),
    ("en 8 dias", date(2026, 12, 3)),
    ("15/12", date(2026, 12, 15)),
    ("15 de diciembre", date(2026, 12, 15)),
    ("el 3 de enero", date(2027, 1, 3)),  # a month already past this year: next year's
    ("10 de noviembre", date(2027, 11, 10)),
    ("i'll pay on friday", date(2026, 11, 27)),
    ("tomorrow", date(2026, 11, 26)),
    ("ahorita no tengo pero el sabado les pago", date(2026, 11, 28)),  # a date ruled out is skipped
    ("el jueves les abono y el resto la otra semana", date(2026, 11, 26)),  # the first date said
])
def test_dates_from_a_wednesday(text: str, expected: date) -> None:
    assert parse_promise(text, today=WEDNESDAY)[0] == expected


@pytest.mark.parametrize(("today", "text", "expected"), [
    # on a Friday, "el viernes" is next week's; "este viernes" is today
    (date(2026, 11, 27), "el viernes", date(2026, 12, 4)),
    (date(2026, 11, 27), "este viernes", date(2026, 11, 27)),
    (date(2026, 11, 27), "el lunes", date(2026, 11, 30)),
    # on the month's last day (a Monday): next month's end, next quincena, next week's Monday
    (date(2026, 11, 30), "fin de mes", date(2026, 12, 31)),
    (date(2026, 11, 30), "la quincena", date(2026, 12, 15)),
    (date(2026, 11, 30), "el lunes", date(2026, 12, 7)),
    (date(2026, 11, 30), "la próxima semana", date(2026, 12, 7)),
    # across the year end
    (date(2026, 12, 31), "mañana", date(2027, 1, 1)),
    (date(2026, 12, 31), "a fin de mes", date(2027, 1, 31)),
    (date(2026, 12, 31), "el 5", date(2027, 1, 5)),
    (date(2026, 12, 31), "en la quincena", date(2027, 1, 15)),
    # on the 15th the quincena is the month's end; a short month clamps "el 30"
    (date(2027, 2, 15), "la quincena", date(2027, 2, 28)),
    (date(2027, 2, 15), "el 30", date(2027, 2, 28)),
    (date(2027, 2, 15), "fin de mes", date(2027, 2, 28)),
    (date(2028, 2, 10), "fin de mes", date(2028, 2, 29)),  # leap year
    (date(2026, 1, 31), "en un mes", date(2026, 2, 28)),
    (date(2026, 11, 25), "el 25", date(2026, 11, 25)),  # today is not past
])
def test_date_edges(today: date, text: str, expected: date) -> None:
    assert parse_promise(text, today=today)[0] == expected


@pytest.mark.parametrize(("text", "amount"), [
    ("$3,500", Decimal("3500")),
    ("$ 1,250.50", Decimal("1250.50")),
    ("3500 pesos", Decimal("3500")),
    ("5 mil", Decimal("5000")),
    ("5mil", Decimal("5000")),
    ("cinco mil", Decimal("5000")),
    ("dos mil quinientos pesos", Decimal("2500")),
    ("3.5k", Decimal("3500")),
    ("10k", Decimal("10000")),
    ("ya hice la transferencia por 12,450", Decimal("12450")),
])
def test_amounts(text: str, amount: Decimal) -> None:
    found = parse_promise(text, today=WEDNESDAY)[1]
    assert found == amount
    assert found is not None and found.as_tuple().exponent == -2  # centavos, like the pricing module


@pytest.mark.parametrize("text", [
    "codo de 90", "tinaco de 1100 litros", "tubo de 1/2", "llave de 3/4", "calibre 12", "hola", "",
    "hice el deposito en la mañana",  # the morning, not tomorrow
])
def test_nothing_to_find(text: str) -> None:
    assert parse_promise(text, today=WEDNESDAY) == (None, None)


def test_date_and_amount_together() -> None:
    assert parse_promise("el lunes les deposito 5 mil", today=WEDNESDAY) == (date(2026, 11, 30), Decimal("5000"))
