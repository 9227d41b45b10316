"""Reference rows kept in each process between requests: programs, health plans and their
policies, program windows and code rules, procedure and diagnosis codes, pathway versions.

They are read on every wizard step and change only when an administrator edits them or a code set
is loaded, so reading them from PostgreSQL each time was a third of a case build's queries. Any
change drops them in every process: a save or delete of a watched model (or a bulk load that calls
`changed()`) bumps a generation number in the shared cache, and each process compares its own at
most once per request (or once a second outside requests, as in Celery workers) before using what
it holds. With a per-process cache (the zero-setup default) other processes notice only through
MAX_AGE_SECONDS; production refuses to start without a shared CACHE_URL (portal/settings.py).
While that shared cache is down, nothing is kept from one request to the next.

Values are shared between requests: treat them as read-only. A data migration that writes these
tables uses historical models, which send no signals to this module: it must call `changed()`.
"""

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

GENERATION_KEY = "portal:refcache:generation"
MAX_AGE_SECONDS = 300  # the longest another process can hold a row changed elsewhere, without Redis
RECHECK_SECONDS = 1.0  # outside requests, how often the shared generation is read again
MAX_ENTRIES = 20_000  # codes are looked up one by one: bound what accumulates

_entries: dict[tuple, tuple[int, float, object]] = {}
_thread = threading.local()


def _fresh_number() -> int:
    # Never a number used before: after the shared cache lost the generation (a Redis restart),
    # starting again from 1 could match what an idle process still holds.
    return time.time_ns()


def _shared_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _fresh_number(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    if generation is None:
        # The shared cache is down (portal/lib/cache.py answers a miss): a change made in another
        # process cannot reach this one, so keep nothing past this request (or RECHECK_SECONDS).
        return _fresh_number()
    return generation


def _generation() -> int:
    now = time.monotonic()
    stale = getattr(_thread, "generation", None) is None or (
        not getattr(_thread, "in_request", False) and now - _thread.checked_at > RECHECK_SECONDS
    )
    if stale:  # within a request, one generation from start to end
        _thread.generation = _shared_generation()
        _thread.checked_at = now
    return _thread.generation


def cached(key: tuple, load: Callable[[], T], *, keep_none: bool = True) -> T:
    """The value under `key`, loaded with `load()` when absent, stale or too old. With
    keep_none=False a None (say, a code someone typed that does not exist) is not kept."""
    generation = _generation()
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry[0] == generation and now - entry[1] < MAX_AGE_SECONDS:
        return entry[2]  # type: ignore[return-value]
    value = load()
    if value is None and not keep_none:
        return value
    if len(_entries) >= MAX_ENTRIES:
        # Forget the oldest tenth (dicts keep insertion order), not the plans and programs too.
        for old in list(_entries)[: MAX_ENTRIES // 10]:
            _entries.pop(old, None)
    _entries[key] = (generation, now, value)
    return value


def clear() -> None:
    """Forget everything this process holds (tests: the database is rolled back between them)."""
    _entries.clear()
    _thread.generation = None


def _bump() -> None:
    clear()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or lost): any new value differs from what was read
        cache.add(GENERATION_KEY, _fresh_number(), timeout=None)


def changed(**kwargs) -> None:
    """Reference data changed: drop it here and, through the shared cache, everywhere.

    Bumped at once and again after the transaction commits: a process that reloaded in between
    read the rows as they were before the commit."""
    _bump()
    transaction.on_commit(_bump)


def _request_started(**kwargs) -> None:
    _thread.generation = None
    _thread.in_request = True


def _request_finished(**kwargs) -> None:
    _thread.in_request = False


def watch(*models) -> None:
    """Drop the cache whenever a row of these models is saved or deleted (and on their
    many-to-many changes)."""
    for model in models:
        uid = f"refcache:{model._meta.label}"
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}:save", weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}:delete", weak=False)
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}:{field.name}",
                weak=False,
            )


request_started.connect(_request_started, dispatch_uid="refcache:request", weak=False)
request_finished.connect(_request_finished, dispatch_uid="refcache:request-end", weak=False)
