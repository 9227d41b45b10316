"""Fail fast, in one line, when the test database server is not reachable."""

import os
import sys

import psycopg
import psycopg.sql

url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/portal")
# Connect to the maintenance database: the named one need not exist (pytest makes test_*).
server_url = url.rsplit("/", 1)[0] + "/postgres"
try:
    with psycopg.connect(server_url, connect_timeout=5, autocommit=True) as conn:
        # The named database is only for `makemigrations --check`; tests make their own test_*.
        name = url.rsplit("/", 1)[1].split("?")[0]
        if (
            name
            and not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        ):
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
except psycopg.Error as exc:
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    sys.exit(
        f"PostgreSQL is not reachable at {server_url} ({first_line}). Start it, or set "
        "DATABASE_URL=postgresql://USER@HOST:PORT/NAME for `make test`."
    )
