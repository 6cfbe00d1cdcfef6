"""Monthly periods: a subscription's periods are whole months from its first day (its anchor).

Each period's end is computed from the anchor, never from the previous end, so a subscription
started on January 31 renews on February 28 (29 in a leap year), then March 31, not March 28.
"""

from __future__ import annotations

import calendar
from datetime import datetime


def add_months(anchor: datetime, months: int) -> datetime:
    """The same day and time `months` later; the month's last day when it has no such day."""
    index = anchor.month - 1 + months
    year, month = anchor.year + index // 12, index % 12 + 1
    day = min(anchor.day, calendar.monthrange(year, month)[1])
    return anchor.replace(year=year, month=month, day=day)


def period_start(anchor: datetime, period: int) -> datetime:
    return add_months(anchor, period)


def period_end(anchor: datetime, period: int) -> datetime:
    return add_months(anchor, period + 1)
