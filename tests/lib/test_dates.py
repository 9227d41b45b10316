from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.lib.dates import add_business_days, business_days_between, end_of_day, is_business_day


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 23), 2, date(2026, 11, 25)),  # Monday + 2 = Wednesday
        (date(2026, 11, 25), 2, date(2026, 11, 30)),  # over Thanksgiving (Thu 26) and the weekend
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 = Monday
        (date(2026, 12, 24), 1, date(2026, 12, 28)),  # Christmas Friday 25, weekend
        (date(2026, 7, 2), 1, date(2026, 7, 6)),  # July 4 is a Saturday: observed Friday July 3
        (date(2027, 12, 30), 1, date(2028, 1, 3)),  # Dec 31 2027 observes New Year 2028 (Sat)
        (date(2026, 6, 18), 1, date(2026, 6, 22)),  # Juneteenth Friday June 19
        (date(2026, 1, 16), 1, date(2026, 1, 20)),  # Martin Luther King Jr. Day Monday 19
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
    ],
)
def test_add_business_days(start, days, expected):
    assert add_business_days(start, days) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 26), False),
        (date(2026, 11, 11), False),
        (date(2026, 11, 28), False),
        (date(2026, 11, 24), True),
        (date(2026, 10, 12), False),
    ],
)
def test_is_business_day(day, expected):
    assert is_business_day(day) is expected


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(0, 30))
def test_add_and_count_agree(start, days):
    end = add_business_days(start, days)
    assert business_days_between(start, end) == days
    if days:
        assert is_business_day(end)


def test_end_of_day_is_aware_and_local():
    moment = end_of_day(date(2026, 11, 25))
    assert moment.tzinfo is not None
    assert (moment.hour, moment.minute) == (23, 59)
