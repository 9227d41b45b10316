"""Shared set-up for benchmarks: Django on a PostgreSQL benchmark database, timing helpers."""

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/portal_bench")
# Measure what production runs: no debug bookkeeping (DEBUG records every SQL query), and the
# shared cache production has (sessions are read from it: portal/settings.py).
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/2")


def setup_django() -> None:
    """Create the benchmark database if needed, migrate it, and set Django up."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def measure(fn: Callable[[], object], *, runs: int, warmup: int = 20) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "runs": runs,
        "median_ms": statistics.median(samples),
        "p95_ms": samples[int(len(samples) * 0.95) - 1],
        "max_ms": samples[-1],
    }


def machine() -> str:
    cores = os.cpu_count()
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = 0
    return (
        f"{platform.platform()}, {cores} cores, {mem:.0f} GiB, Python {platform.python_version()}"
    )


def calibration_ms() -> float:
    """Median milliseconds of a fixed pure-Python workload (strings, dicts, sorting: the kind of
    work a request does). Machines differ from one session to the next by more than the changes
    being measured; this number says by how much (lower is faster)."""

    def work() -> list:
        counts: dict[str, int] = {}
        for i in range(60_000):
            key = f"key{i % 700}"
            counts[key] = counts.get(key, 0) + len(key.upper())
        return sorted(counts.items())

    samples = []
    for _ in range(15):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def service_cpu_seconds(names=("postgres", "redis-server")) -> dict[str, float]:
    """CPU seconds used so far by every process of these names (Linux /proc), e.g. PostgreSQL."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = dict.fromkeys(names, 0.0)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as stat:
                text = stat.read()
        except OSError:  # gone meanwhile
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        if name in used:
            fields = text.rsplit(")", 1)[1].split()
            used[name] += (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return used


def report(title: str, rows: list[tuple[str, dict[str, float]]], target_ms: float) -> bool:
    print(f"\n{title}  (target p95 < {target_ms} ms)")
    print(f"{'case':<44} {'runs':>6} {'median ms':>10} {'p95 ms':>9} {'max ms':>9}")
    ok = True
    for name, r in rows:
        ok &= r["p95_ms"] < target_ms
        figures = f"{r['median_ms']:>10.2f} {r['p95_ms']:>9.2f} {r['max_ms']:>9.2f}"
        print(f"{name:<44} {r['runs']:>6} {figures}")
    print("within target" if ok else "OVER TARGET")
    return ok
