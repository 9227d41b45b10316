"""Django's Redis cache, keeping one client per connection pool, and surviving a Redis outage.

Django's client builds a new `redis.Redis` object for every cache call (about 170 response
callbacks set up each time); sessions, the user and the reference-row generation make several
calls per request. redis-py clients are thread-safe and share their pool, so one is enough.

Everything the portal keeps in the cache is also in the database (sessions are written through,
users and reference rows are read again), so a Redis that is down or frozen must cost speed, never
a page: a failed call is logged (`portal.cache`) and answered as a miss, and for RETRY_SECONDS
after a failure no call is tried at all, so a request pays one socket timeout (the short ones set
in portal/settings.py) rather than one per call. What could not be written or deleted meanwhile
is deleted once Redis answers again: a logout or a saved user during the outage must not be undone
by the copy Redis still holds.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("portal.cache")


class ReusingRedisCacheClient(RedisCacheClient):
    RETRY_SECONDS = 5.0
    # Keys to delete when Redis is back, bounded: past this the rest expire on their own timeout.
    MAX_PENDING = 100_000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._lock = threading.Lock()
        self._down_until = 0.0  # time.monotonic(); no call is tried before it
        self._pending: set = set()  # keys written or deleted while Redis was not answering

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _call(self, name, keys, miss, *args):
        """The parent's `name(*args)`, or `miss` (raised if an exception) when Redis fails.
        `keys` are the keys the call writes (none for a read)."""
        if time.monotonic() < self._down_until or (self._pending and not self._recover()):
            self._remember(keys)
        else:
            try:
                return getattr(super(), name)(*args)
            except RedisError as error:
                self._remember(keys)
                self._failed(error)
        if isinstance(miss, Exception):
            raise miss
        return miss

    def _remember(self, keys):
        with self._lock:
            room = self.MAX_PENDING - len(self._pending)
            if len(keys) >= room > 0:  # said once, when the limit is reached
                logger.error(
                    "Cache: more than %d keys changed during the outage; the others may be "
                    "read stale from Redis until they expire",
                    self.MAX_PENDING,
                )
            self._pending.update(list(keys)[: max(room, 0)])

    def _failed(self, error):
        with self._lock:
            self._down_until = time.monotonic() + self.RETRY_SECONDS
        logger.warning(
            "Cache unreachable (%s: %s): the database alone is used for %.0f s",
            type(error).__name__,
            error,
            self.RETRY_SECONDS,
        )

    def _recover(self) -> bool:
        """Delete what went stale during an outage before anything is read again."""
        with self._lock:
            pending = list(self._pending)
        try:
            client = self.get_client(write=True)
            for start in range(0, len(pending), 1000):
                client.delete(*pending[start : start + 1000])
        except RedisError as error:
            self._failed(error)
            return False
        with self._lock:
            self._pending.difference_update(pending)
        logger.warning(
            "Cache answers again: %d keys changed during the outage dropped", len(pending)
        )
        return True

    def is_down(self) -> bool:
        """True while Redis is taken as unreachable (after a failure, for RETRY_SECONDS)."""
        return time.monotonic() < self._down_until

    def add(self, key, value, timeout):
        return self._call("add", [key], False, key, value, timeout)

    def get(self, key, default):
        return self._call("get", [], default, key, default)

    def set(self, key, value, timeout):
        self._call("set", [key], None, key, value, timeout)

    def touch(self, key, timeout):
        return self._call("touch", [key], False, key, timeout)

    def delete(self, key):
        return self._call("delete", [key], False, key)

    def get_many(self, keys):
        return self._call("get_many", [], {}, keys)

    def has_key(self, key):
        return self._call("has_key", [], False, key)

    def incr(self, key, delta):
        # As for a key that is not there: callers already handle that.
        return self._call("incr", [key], ValueError(f"Key '{key}' not found."), key, delta)

    def set_many(self, data, timeout):
        self._call("set_many", list(data), None, data, timeout)

    def delete_many(self, keys):
        self._call("delete_many", list(keys), None, keys)

    def clear(self):
        return self._call("clear", [], False)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def is_down(self) -> bool:
        """Whether the last calls found Redis unreachable (what they answered was a miss)."""
        return self._cache.is_down()
