"""The distributor's locale: customers read dates and times ("el viernes", "a las 9") in Mexico City time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

MEXICO_CITY = ZoneInfo("America/Mexico_City")


def local_now() -> datetime:
    """The current time in the distributor's zone (the default clock of the graph and the agents)."""
    return datetime.now(MEXICO_CITY)
