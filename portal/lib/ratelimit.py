"""A fixed-window counter in the cache, for slowing down lookups that could enumerate members."""

import threading
import time

from django.core.cache import cache

# While the shared cache is unreachable, each process counts on its own: a limit per process is
# weaker than one for the whole portal, but an outage must not switch the limits off.
_local: dict[str, int] = {}
_local_lock = threading.Lock()


def _cache_down() -> bool:
    is_down = getattr(cache, "is_down", None)  # portal.lib.cache.RedisCache; a local cache has none
    return bool(is_down and is_down())


def _local_over_limit(bucket: str, limit: int, window: int) -> bool:
    with _local_lock:
        current = int(time.time() // window)
        for old in [b for b in _local if int(b.rsplit(":", 1)[1]) < current - 1]:
            del _local[old]
        _local[bucket] = _local.get(bucket, 0) + 1
        return _local[bucket] > limit


def over_limit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; True once the window holds more than `limit` hits."""
    bucket = f"ratelimit:{key}:{int(time.time() // window_seconds)}"
    added = cache.add(bucket, 1, timeout=window_seconds + 1)
    if _cache_down():
        return _local_over_limit(bucket, limit, window_seconds)
    if added:
        return False
    try:
        return cache.incr(bucket) > limit
    except ValueError:  # expired between add() and incr()
        if _cache_down():
            return _local_over_limit(bucket, limit, window_seconds)
        cache.add(bucket, 1, timeout=window_seconds + 1)
        return False
