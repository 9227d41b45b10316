"""A fixed-window counter in the cache, for slowing down lookups that could enumerate members."""

import time

from django.core.cache import cache


def over_limit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; True once the window holds more than `limit` hits."""
    bucket = f"ratelimit:{key}:{int(time.time() // window_seconds)}"
    if cache.add(bucket, 1, timeout=window_seconds + 1):
        return False
    try:
        return cache.incr(bucket) > limit
    except ValueError:  # expired between add() and incr()
        cache.add(bucket, 1, timeout=window_seconds + 1)
        return False
