"""Settings come from the environment; production mode passes `check --deploy`."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env_overrides):
    unset = (
        "DATABASE_URL",
        "PORTAL_PRODUCTION",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "CELERY_BROKER_URL",
        "CACHE_URL",
    )
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "PORTAL_PRODUCTION": "1",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghijkl",
    "ALLOWED_HOSTS": "precert.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def _collected(static_root: Path, *, leave_out: str = "") -> str:
    """A STATIC_ROOT holding the manifest collectstatic writes (every file the finders find),
    without running it: it compresses 13 MB, about ten seconds."""
    code = (
        "import json, sys; from django.apps import apps; from django.contrib.staticfiles import"
        " finders; ignore = apps.get_app_config('staticfiles').ignore_patterns;"
        " paths = sorted(p for f in finders.get_finders() for p, _ in f.list(ignore));"
        " json.dump({'version': '1.1', 'hash': 'x', 'paths': {p: p for p in paths}}, sys.stdout)"
    )
    listed = _manage("shell", "--no-imports", "-c", code)
    assert listed.returncode == 0, listed.stderr
    manifest = json.loads(listed.stdout)
    assert "css/portal.css" in manifest["paths"]
    manifest["paths"].pop(leave_out, None)
    static_root.mkdir(parents=True, exist_ok=True)
    (static_root / "staticfiles.json").write_text(json.dumps(manifest))
    return str(static_root)


def test_production_settings_pass_check_deploy(tmp_path):
    static_root = _collected(tmp_path / "static")
    result = _manage(
        "check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION, STATIC_ROOT=static_root
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "requires SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", **{**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "requires ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    without = {k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"}
    for env in (without, {**without, "CACHE_URL": "locmemcache://portal"}):
        result = _manage("check", **env)
        assert result.returncode != 0
        assert "requires CACHE_URL" in result.stderr


def test_defaults_need_nothing():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)"
    )
    result = _manage("shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True"]


def test_environment_switches_database_and_broker():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DATABASE_URL="postgresql://postgres@127.0.0.1:5432/portal",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]


def _setting(name, **env_overrides):
    code = f"from django.conf import settings; print(settings.{name})"
    return _manage("shell", "--no-imports", "-c", code, **env_overrides).stdout.strip()


def test_sessions_use_a_shared_cache_only():
    # One process's memory can't be trusted with sessions another process may have ended.
    assert _setting("SESSION_ENGINE", CACHE_URL="locmemcache://") == (
        "django.contrib.sessions.backends.db"
    )
    assert _setting("SESSION_ENGINE", CACHE_URL="redis://127.0.0.1:6379/3") == (
        "django.contrib.sessions.backends.cached_db"
    )


def test_postgresql_connections_are_kept_and_checked():
    databases = _setting(
        "DATABASES['default']", DATABASE_URL="postgresql://postgres@127.0.0.1:5432/portal"
    )
    assert "'CONN_MAX_AGE': 60" in databases and "'CONN_HEALTH_CHECKS': True" in databases
    assert "'DISABLE_SERVER_SIDE_CURSORS': True" in databases


def test_a_redis_cache_url_uses_one_client_per_pool():
    code = (
        "from django.core.cache import cache;"
        "cache.set('portal:test:client', 41); cache.incr('portal:test:client');"
        "print(cache.get('portal:test:client'), type(cache._cache).__name__,"
        " cache._cache.get_client() is cache._cache.get_client());"
        "cache.delete('portal:test:client')"
    )
    result = _manage("shell", "--no-imports", "-c", code, CACHE_URL="redis://127.0.0.1:6379/3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["42", "ReusingRedisCacheClient", "True"]


def test_two_databases_never_share_cache_keys():
    code = "from django.conf import settings as s; print(s.CACHES['default']['KEY_PREFIX'])"
    one = _manage("shell", "--no-imports", "-c", code, DATABASE_URL="postgresql://h:5432/one")
    two = _manage("shell", "--no-imports", "-c", code, DATABASE_URL="postgresql://h:5432/two")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert one.stdout.strip() and one.stdout.strip() != two.stdout.strip()
    chosen = _manage("shell", "--no-imports", "-c", code, CACHE_KEY_PREFIX="staging")
    assert chosen.stdout.strip() == "staging", chosen.stderr


def test_production_refuses_debug():
    result = _manage("check", **PRODUCTION, DEBUG="1")
    assert result.returncode != 0
    assert "refuses DEBUG=1" in result.stderr


def test_production_refuses_to_start_before_collectstatic(tmp_path):
    # Without the manifest every page fails, the error pages included: say so at the start.
    database = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    for command in (("check",), ("migrate", "--plan")):
        result = _manage(
            *command, **PRODUCTION, STATIC_ROOT=str(tmp_path / "empty"), DATABASE_URL=database
        )
        assert result.returncode != 0
        assert "portal.E001" in result.stderr
        assert "manage.py collectstatic --noinput" in result.stderr


def test_production_refuses_static_files_collected_before_an_update(tmp_path):
    static_root = _collected(tmp_path / "static", leave_out="css/portal.css")
    result = _manage("check", **PRODUCTION, STATIC_ROOT=static_root)
    assert result.returncode != 0
    assert "portal.E002" in result.stderr and "css/portal.css" in result.stderr


def test_collectstatic_itself_starts_without_the_manifest():
    result = _manage("collectstatic", "--help", **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_a_redis_cache_has_short_socket_timeouts():
    # A frozen Redis must cost a request a fraction of a second, never hang it.
    options = _setting("CACHES['default']['OPTIONS']", CACHE_URL="redis://127.0.0.1:6379/3")
    assert "'socket_connect_timeout': 0.5" in options and "'socket_timeout': 0.5" in options
    chosen = _setting(
        "CACHES['default']['OPTIONS']",
        CACHE_URL="redis://127.0.0.1:6379/3",
        CACHE_SOCKET_TIMEOUT="0.2",
        CACHE_CONNECT_TIMEOUT="0.1",
    )
    assert "'socket_connect_timeout': 0.1" in chosen and "'socket_timeout': 0.2" in chosen


def _wsgi(**env_overrides):
    """Import the WSGI application in production as a server (gunicorn) would."""
    code = "import portal.wsgi"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_wsgi_application_refuses_to_start_before_collectstatic(tmp_path):
    result = _wsgi(**PRODUCTION, STATIC_ROOT=str(tmp_path / "empty"))
    assert result.returncode != 0
    assert "manage.py collectstatic --noinput" in result.stderr and "portal.E001" in result.stderr
    # Collected, it starts.
    ready = _wsgi(**PRODUCTION, STATIC_ROOT=_collected(tmp_path / "static"))
    assert ready.returncode == 0, ready.stderr
