"""A Redis outage costs speed, never a page: logins, the wizard and its submit go on the database.

Two real failures: a port nobody listens on (connection refused) and a server that accepts the
connection and never answers (every read waits for the socket timeout, short here).
"""

import logging
import socket
import threading
import time
import uuid

import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import reverse

from cases.models import Case, CaseStatus
from portal.lib import cache as portal_cache
from portal.lib import refcache
from tests.cases.test_wizard import build
from tests.clinical.pathways.test_mri_knee import CHRONIC
from tests.factories import PASSWORD

TIMEOUT = 0.2  # seconds; production's are in portal/settings.py


@pytest.fixture
def dead_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return port  # closed: connecting is refused


@pytest.fixture
def frozen_port():
    """A server that accepts connections and never replies."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held = []

    def accept():
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:  # closed at the end of the test
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for connection in held:
        connection.close()


def _redis_settings(port):
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "portal.lib.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/3",
                "KEY_PREFIX": f"outage-test-{uuid.uuid4().hex[:8]}",
                "OPTIONS": {"socket_connect_timeout": TIMEOUT, "socket_timeout": TIMEOUT},
            }
        },
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    )


@pytest.fixture(params=["dead", "frozen"])
def broken_cache(request):
    port = request.getfixturevalue(f"{request.param}_port")
    with _redis_settings(port):
        refcache.clear()
        yield request.param
        refcache.clear()


def _login(client, username):
    data = {"username": username, "password": PASSWORD, "hipaa_agree": "on"}
    return client.post(reverse("login"), data, REMOTE_ADDR="10.0.0.9")


@pytest.mark.django_db
def test_login_and_pages_work_while_the_cache_is_down(client, alice, broken_cache, caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        response = _login(client, "alice")
        assert response.status_code == 302 and response.url == reverse("home")
        home = client.get(reverse("home"))
    assert home.status_code == 200 and "Alice" in home.content.decode()
    # One socket timeout at most, then the cache is not tried again for a while.
    assert time.monotonic() - started < 1.5
    assert any("Cache unreachable" in r.getMessage() for r in caplog.records)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302  # logged out: to the login page


@pytest.mark.django_db
def test_the_wizard_submits_while_the_cache_is_down(client, alice, world, broken_cache):
    assert _login(client, "alice").status_code == 302
    started = time.monotonic()
    token, response = build(client, world)
    case = Case.objects.get()
    assert response.url == reverse("case_detail", args=[case.case_number])
    assert case.status == CaseStatus.APPROVED
    assert case.pathway_answers["conservative_weeks"] == CHRONIC["conservative_weeks"]
    assert client.get(response.url).status_code == 200
    assert time.monotonic() - started < 5


def test_a_frozen_cache_costs_one_timeout_not_one_per_call(frozen_port):
    with _redis_settings(frozen_port):
        started = time.monotonic()
        for i in range(20):
            assert cache.get(f"k{i}", "missing") == "missing"
            cache.set(f"k{i}", i)
            assert cache.add(f"k{i}", i) is False
            with pytest.raises(ValueError):
                cache.incr(f"k{i}")
        assert time.monotonic() - started < 3 * TIMEOUT


def test_reference_rows_are_read_again_each_request_while_the_cache_is_down(dead_port):
    # Another process's change to a plan's rules can't be announced without the shared cache:
    # keep nothing from one request to the next rather than decide on a stale rule.
    loads = []
    with _redis_settings(dead_port):
        refcache.clear()
        for _ in range(2):
            refcache._request_started()
            for _ in range(3):  # within a request, read once
                refcache.cached(("outage", 1), lambda: loads.append(1) or 1)
            refcache._request_finished()
        refcache.clear()
    assert loads == [1, 1]


@pytest.fixture
def real_redis():
    """The cache on the Redis the tests use (as tests/portal/test_settings.py does)."""
    with _redis_settings(6379):
        redis = caches["default"]._cache.get_client()
        try:
            redis.ping()
        except Exception:  # noqa: BLE001
            pytest.skip("no Redis on 127.0.0.1:6379")
        yield caches["default"]
        prefix = caches["default"].key_prefix
        for key in redis.scan_iter(f"{prefix}:*"):
            redis.delete(key)


def _cut(cache_, port):
    """Point the cache's connections at another port (new connections only, as after a restart)."""
    pool = cache_._cache._get_connection_pool(True)
    previous = pool.connection_kwargs["port"]
    pool.connection_kwargs["port"] = port
    pool.reset()
    return previous


@pytest.mark.django_db
def test_a_user_deactivated_during_an_outage_stays_out_when_redis_is_back(
    client, alice, real_redis, dead_port
):
    assert _login(client, "alice").status_code == 302
    assert client.get(reverse("home")).status_code == 200  # alice is now kept in Redis
    port = _cut(real_redis, dead_port)
    alice.is_active = False
    alice.save(update_fields=["is_active"])  # dropping her from the cache fails
    _cut(real_redis, port)
    real_redis._cache._down_until = 0.0  # the retry interval has passed
    assert client.get(reverse("home")).status_code == 302  # to the login page


def test_changes_past_the_pending_limit_are_said(monkeypatch, dead_port, caplog):
    monkeypatch.setattr(portal_cache.ReusingRedisCacheClient, "MAX_PENDING", 2)
    with _redis_settings(dead_port), caplog.at_level(logging.WARNING, logger="portal.cache"):
        for i in range(4):
            cache.set(f"k{i}", i)
        assert cache._cache._pending == {cache.make_key("k0"), cache.make_key("k1")}
    assert [r.levelname for r in caplog.records].count("ERROR") == 1


def test_what_changed_during_an_outage_is_dropped_when_redis_is_back(real_redis, dead_port, caplog):
    real_redis.set("session", "alice is logged in")
    real_redis.set("user", "alice, office admin")
    port = _cut(real_redis, dead_port)  # Redis goes away
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        real_redis.delete("session")  # a logout during the outage
        real_redis.set("user", "alice, deactivated")  # a saved user
        assert real_redis.get("session") is None
        _cut(real_redis, port)  # Redis is back, with its old copies
        real_redis._cache._down_until = 0.0  # the retry interval has passed
        assert real_redis.get("session") is None
        assert real_redis.get("user") is None  # read from the database, not the old copy
    assert any("answers again" in r.getMessage() for r in caplog.records)
    real_redis.set("user", "alice, deactivated")
    assert real_redis.get("user") == "alice, deactivated"  # the cache works as before
    real_redis.delete("user")


def test_the_cache_is_tried_again_after_the_retry_interval(monkeypatch, dead_port, caplog):
    monkeypatch.setattr(portal_cache.ReusingRedisCacheClient, "RETRY_SECONDS", 0.05)
    with _redis_settings(dead_port), caplog.at_level(logging.WARNING, logger="portal.cache"):
        cache.get("k")
        cache.get("k")  # not tried: no second failure
        tried = [r for r in caplog.records if "Cache unreachable" in r.getMessage()]
        assert len(tried) == 1
        time.sleep(0.06)
        cache.get("k")
        tried = [r for r in caplog.records if "Cache unreachable" in r.getMessage()]
        assert len(tried) == 2


def test_rate_limits_keep_counting_in_the_process_during_an_outage(broken_cache):
    from portal.lib.ratelimit import over_limit

    key = f"outage-{uuid.uuid4().hex}"
    answers = [over_limit(key, limit=3, window_seconds=60) for _ in range(5)]
    assert answers == [False, False, False, True, True]
    # Another key has its own count.
    assert over_limit(f"{key}-other", limit=3, window_seconds=60) is False


@pytest.mark.django_db
def test_the_member_lookup_limit_holds_during_an_outage(broken_cache, alice, world):
    from payers.models import HealthPlan
    from payers.selectors import LOOKUPS_PER_MINUTE, LookupThrottledError, member_lookup

    plan = HealthPlan.objects.get(name="Saguaro Blue Cross Blue Shield")
    for _ in range(LOOKUPS_PER_MINUTE):
        member_lookup(user=alice, health_plan=plan, member_id="X1", date_of_birth=None)
    with pytest.raises(LookupThrottledError):
        member_lookup(user=alice, health_plan=plan, member_id="X1", date_of_birth=None)
