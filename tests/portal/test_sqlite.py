"""SQLite (the `make run` default) is set up for a threaded web server: several users at once."""

import ast

from tests.portal.test_settings import _manage

# Threads that each read, then write, in one transaction, as case_submit does: without an
# IMMEDIATE transaction the second writer is refused at once ("database is locked"), whatever
# the busy timeout, since waiting could deadlock.
CONCURRENT_WRITES = """
import threading, time
from django.db import OperationalError, connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE submits (n integer)")
connection.close()
errors = []
start = threading.Barrier(6)

def submit():
    start.wait()
    try:
        for _ in range(5):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM submits")
                time.sleep(0.01)
                cursor.execute("INSERT INTO submits VALUES (1)")
    except OperationalError as error:
        errors.append(str(error))
    finally:
        connection.close()

threads = [threading.Thread(target=submit) for _ in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM submits")
    print(repr({"errors": errors, "rows": cursor.fetchone()[0]}))
"""


def test_sqlite_is_configured_for_a_web_server():
    code = "from django.conf import settings; print(repr(settings.DATABASES['default']['OPTIONS']))"
    result = _manage("shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    options = ast.literal_eval(result.stdout.strip())
    pragmas = [p.strip() for p in options["init_command"].split(";") if p.strip()]
    assert pragmas == ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20


def test_simultaneous_writes_on_sqlite_wait_instead_of_failing(tmp_path):
    database = tmp_path / "portal.sqlite3"
    result = _manage(
        "shell", "--no-imports", "-c", CONCURRENT_WRITES, DATABASE_URL=f"sqlite:///{database}"
    )
    assert result.returncode == 0, result.stderr
    outcome = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    assert outcome == {"errors": [], "rows": 30}
    journal = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0])",
        DATABASE_URL=f"sqlite:///{database}",
    )
    assert journal.stdout.strip() == "wal", journal.stderr
