"""Demand forecast and purchase sizing: simple exponential smoothing over daily unit sales.

Why SES: daily B2B sales of one SKU are sparse and trendless over a few weeks; SES weights recent
days more than a moving average does, needs one parameter and no seasonality fit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: Weight of the newest day; 0.3 reacts within a week without chasing one-off big orders.
ALPHA = 0.3
#: Days of history the forecast reads.
HISTORY_DAYS = 28
#: Extra days of cover beyond the supplier's lead time (demand and delivery variability).
SAFETY_DAYS = 3


def smoothed_daily_demand(daily: Sequence[int | float], *, alpha: float = ALPHA) -> float:
    """The SES level after the last day (the forecast for each coming day); 0 without history.

    The level starts at the mean of the first week so one early spike does not dominate.
    """
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must be in (0, 1], got {alpha}")
    if not daily:
        return 0.0
    warmup = list(daily[:7])
    level = sum(warmup) / len(warmup)
    for value in daily[len(warmup):]:
        level = alpha * value + (1 - alpha) * level
    return level


def purchase_quantity(
    *, daily_demand: float, lead_time_days: int, reorder_point: int, stock: int,
    safety_days: int = SAFETY_DAYS, pack_size: int = 1,
) -> int:
    """Units to order: demand over lead time plus safety, back up to the reorder point, in whole packs.

    `daily × (lead + safety) + reorder_point − stock`, rounded up to a multiple of `pack_size`;
    0 when stock already covers it.
    """
    if pack_size < 1:
        raise ValueError(f"pack_size must be at least 1, got {pack_size}")
    need = daily_demand * (lead_time_days + safety_days) + reorder_point - stock
    if need <= 0:
        return 0
    units = math.ceil(round(need, 6))  # round first: 12.0000000001 from float sums is 12, not 13
    return math.ceil(units / pack_size) * pack_size
