"""Every benchmark in bench/ runs on the current code, at its smallest size: a change that breaks
one fails here, not months later when someone wants its figures (bench/county.py crashed for weeks
when a county-wide table appeared). Run in the PostgreSQL phase only (the county benchmark copies
schools inside PostgreSQL; the others make their own SQLite file): once is enough."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import TEST_DATABASE_URL

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(not TEST_DATABASE_URL, reason="run once, in the PostgreSQL phase"),
]

ROOT = Path(__file__).resolve().parent.parent
# Each benchmark with its smallest arguments.
BENCHES = {
    "county": ["--sizes", "2", "--runs", "1"],
    "nutrition": ["--sizes", "2", "--students", "20", "--runs", "1"],
    "inspections": ["--runs", "1"],
    "canteen": ["--runs", "1"],
    "storeroom": ["--runs", "1"],
    "dormitory": ["--runs", "1"],
    "surveys": ["--runs", "1", "--answers", "20"],
    "reminders": ["--schools", "2", "--runs", "1"],
    "evidence": ["--runs", "1", "--naive-runs", "1"],
    "workbooks": ["--inflated-mb", "5", "--students", "50"],
    "load": ["--users", "2", "--seconds", "5"],
}


@pytest.fixture
def bench_database():
    """A PostgreSQL database of its own, for the county benchmark."""
    server = TEST_DATABASE_URL.rsplit("/", 1)[0]
    name = f"bench_{os.getpid()}"
    yield f"{server}/{name}"
    admin = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.mark.parametrize("name", sorted(BENCHES))
def test_the_benchmark_runs(name, bench_database):
    arguments = BENCHES[name] + (["--database-url", bench_database] if name == "county" else [])
    done = subprocess.run(  # noqa: S603 - our own benchmark
        [sys.executable, "-m", f"bench.{name}", *arguments],
        cwd=ROOT,
        env=os.environ | {"BENCH_SEED_UNTIL": "2025-09-14"},  # two weeks of the school year
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:])
    assert done.stdout.strip(), "a benchmark prints its figures"
    if name == "county":  # measured again on what it left, a page of its choosing
        again = subprocess.run(  # noqa: S603 - our own benchmark
            [sys.executable, "-m", "bench.county", "--again", "--pages", "audit log", "--runs", "1", *arguments[-2:]],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert again.returncode == 0, (again.stdout[-3000:], again.stderr[-3000:])
        measured = [line for line in again.stdout.splitlines() if line.startswith("| admin: ")]
        assert measured and all("audit log" in line for line in measured), again.stdout
