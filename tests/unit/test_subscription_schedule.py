"""Monthly periods counted from the anchor: month ends and leap years."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from processors.deciders.subscription_schedule import add_months, period_end, period_start


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 13, 45, 7, tzinfo=UTC)


@pytest.mark.parametrize(("anchor", "months", "expected"), [
    (at(2025, 1, 31), 1, at(2025, 2, 28)),
    (at(2024, 1, 31), 1, at(2024, 2, 29)),
    (at(2025, 1, 31), 2, at(2025, 3, 31)),
    (at(2025, 3, 31), 1, at(2025, 4, 30)),
    (at(2025, 8, 31), 1, at(2025, 9, 30)),
    (at(2025, 12, 15), 1, at(2026, 1, 15)),
    (at(2025, 11, 30), 3, at(2026, 2, 28)),
    (at(2024, 2, 29), 12, at(2025, 2, 28)),
    (at(2024, 2, 29), 48, at(2028, 2, 29)),
    (at(2025, 5, 5), 0, at(2025, 5, 5)),
])
def test_months_are_added_to_the_anchor_keeping_its_day_when_the_month_has_it(
        anchor: datetime, months: int, expected: datetime) -> None:
    assert add_months(anchor, months) == expected


def test_periods_follow_the_anchor_not_the_previous_end() -> None:
    anchor = at(2025, 1, 31)
    ends = [period_end(anchor, n).date().isoformat() for n in range(12)]
    assert ends == ["2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30",
                    "2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30",
                    "2025-12-31", "2026-01-31"]
    assert all(period_start(anchor, n + 1) == period_end(anchor, n) for n in range(24))
