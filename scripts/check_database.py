"""Fail fast, in one line, when the test database server is not reachable."""

import os
import sys

import psycopg

url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/portal")
# Connect to the maintenance database: the named one need not exist (pytest makes test_*).
server_url = url.rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(server_url, connect_timeout=5).close()
except psycopg.Error as exc:
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    sys.exit(
        f"PostgreSQL is not reachable at {server_url} ({first_line}). Start it, or set "
        "DATABASE_URL=postgresql://USER@HOST:PORT/NAME for `make test`."
    )
