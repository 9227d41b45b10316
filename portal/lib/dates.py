"""Business days with US federal holidays (the `holidays` package), and local deadlines."""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[date]:
    # holidays.US() is the federal calendar, observed dates included (a Saturday holiday is
    # observed on Friday, a Sunday one on Monday).
    return frozenset(holidays.US(years=year, observed=True).keys())


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _federal_holidays(day.year)


def add_business_days(start: date, days: int) -> date:
    """The date `days` business days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_between(start: date, end: date) -> int:
    """Business days after `start` up to and including `end` (0 when end <= start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += is_business_day(current)
    return count


def end_of_day(day: date) -> datetime:
    """The last instant of `day` in the portal's time zone, as an aware datetime."""
    # time.max (23:59:59.999999): anything done during the day's last second is still on time.
    return timezone.make_aware(datetime.combine(day, time.max))
