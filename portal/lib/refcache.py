"""Reference rows kept in each process between requests: programs, health plans and their
policies, program windows and code rules, procedure and diagnosis codes, pathway versions.

They are read on every wizard step and change only when an administrator edits them or a code set
is loaded, so reading them from PostgreSQL each time was a third of a case build's queries. Any
change drops them in every process: a save or delete of a watched model (or a bulk load that calls
`changed()`) bumps a generation number in the shared cache, and each process compares its own at
most once per request (or once a second outside requests, as in Celery workers) before using what
it holds. With a per-process cache (the zero-setup default) other processes notice only through
MAX_AGE_SECONDS; a deployment with several processes has a shared CACHE_URL anyway (sessions and
rate limits need it too).

Values are shared between requests: treat them as read-only.
"""

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

GENERATION_KEY = "portal:refcache:generation"
MAX_AGE_SECONDS = 300  # the longest another process can hold a row changed elsewhere, without Redis
RECHECK_SECONDS = 1.0  # outside requests, how often the shared generation is read again
MAX_ENTRIES = 20_000  # diagnosis codes are looked up one by one: bound what accumulates

_entries: dict[tuple, tuple[int, float, object]] = {}
_thread = threading.local()


def _shared_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def _generation() -> int:
    now = time.monotonic()
    if getattr(_thread, "generation", None) is None or now - _thread.checked_at > RECHECK_SECONDS:
        _thread.generation = _shared_generation()
        _thread.checked_at = now
    return _thread.generation


def cached(key: tuple, load: Callable[[], T]) -> T:
    """The value under `key`, loaded with `load()` when absent, stale or too old."""
    generation = _generation()
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry[0] == generation and now - entry[1] < MAX_AGE_SECONDS:
        return entry[2]  # type: ignore[return-value]
    value = load()
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
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
    except ValueError:  # not set yet (or evicted): any new value differs from what was read
        cache.add(GENERATION_KEY, int(time.time()), timeout=None)


def changed(**kwargs) -> None:
    """Reference data changed: drop it here and, through the shared cache, everywhere.

    Bumped at once and again after the transaction commits: a process that reloaded in between
    read the rows as they were before the commit."""
    _bump()
    transaction.on_commit(_bump)


def _new_request(**kwargs) -> None:
    _thread.generation = None


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


request_started.connect(_new_request, dispatch_uid="refcache:request", weak=False)
