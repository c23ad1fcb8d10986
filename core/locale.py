"""The distributor's locale: Mexico City time ("el viernes", "a las 9") and money as Mexicans read it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

MEXICO_CITY = ZoneInfo("America/Mexico_City")

#: Returns the current time, timezone-aware; tests pass a controllable one.
Clock = Callable[[], datetime]


def local_now() -> datetime:
    """The current time in the distributor's zone (the default clock of the graph and the agents)."""
    return datetime.now(MEXICO_CITY)


def fold_accents(text: str) -> str:
    """Lowercase with accents stripped (ñ becomes n): buyers type both ways, so text is compared without them.

    NFKD also unfolds compatibility forms ("º" becomes "o"): callers that care replace those first.
    """
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def money(value: Decimal | str, *, currency: bool = False) -> str:
    """`$1,571.35` (with `currency`, `$1,571.35 MXN`), as customers in Mexico read an amount."""
    text = f"${Decimal(value):,.2f}"
    return f"{text} MXN" if currency else text
