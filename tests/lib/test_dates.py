from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

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


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="^days must not be negative$"):
        add_business_days(date(2026, 11, 23), -1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 23), 0),
        (date(2026, 11, 25), date(2026, 11, 23), 0),  # end before start
        (date(2026, 11, 25), date(2026, 11, 30), 2),  # Friday 27 and Monday 30; not Thanksgiving
        (date(2026, 11, 27), date(2026, 11, 28), 0),  # Friday to Saturday: start does not count
    ],
)
def test_business_days_between(start, end, expected):
    assert business_days_between(start, end) == expected


@pytest.mark.parametrize("day", [date(2026, 11, 25), date(2026, 3, 8), date(2026, 11, 1)])
def test_end_of_day_is_the_last_instant_of_the_local_day(settings, day):
    # A deadline "by the end of 11/25" holds until the next day begins, not a minute or a
    # second before (3/8 and 11/1 are the days the clocks change).
    settings.TIME_ZONE = "America/New_York"
    moment = end_of_day(day)
    assert moment.tzinfo is not None
    local = moment.astimezone(ZoneInfo("America/New_York"))
    assert local.date() == day
    assert local.time() == time(23, 59, 59, 999999)
    next_instant = (moment + timedelta(microseconds=1)).astimezone(ZoneInfo("America/New_York"))
    assert (next_instant.date(), next_instant.time()) == (day + timedelta(days=1), time(0, 0))


def test_end_of_day_follows_the_portal_time_zone(settings):
    settings.TIME_ZONE = "America/Phoenix"
    moment = end_of_day(date(2026, 7, 1))
    assert moment.utcoffset() == timedelta(hours=-7)
