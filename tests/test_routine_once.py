"""The routine once per period however many servers run it: two `flask queue worker` processes on
one database and one queue (PostgreSQL and Redis, a county's two servers; SQLite and its queue file
on SQLite), each with its own scheduler asking every minute. Each period is claimed once; the other
worker's attempt stops at the claim (its log says so); no job fails (two runs at once once failed
on the reminders' unique key); every gap is prompted once."""

import time

import pytest
import sqlalchemy as sa

from tests.test_production_recipe import _flask, _queue_worker, site  # noqa: F401 - the fixture

pytestmark = pytest.mark.processes

SKIPPED = "this period's run is another worker's"


def _rows(engine, sql):
    with engine.connect() as connection:
        return connection.execute(sa.text(sql)).all()


def test_two_workers_run_the_routine_once_a_period(site):  # noqa: F811
    environment, database, processes, _folder = site
    environment = environment | {"PORTAL_ROUTINE_MINUTES": "1"}
    _flask(environment, "db", "upgrade")
    _flask(environment, "seed-demo")
    workers = [_queue_worker(environment, processes) for _one in range(2)]
    logs = [worker.log for worker in workers]
    engine = sa.create_engine(database)
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        runs = _rows(engine, "SELECT period_start, runner FROM routine_run")
        skipped = sum(path.read_text().count(SKIPPED) for path in logs)
        # The claim is written before the routine runs; its reminders come seconds later.
        prompted = _rows(engine, "SELECT school_id, rule, gap_key, count(*) FROM reminder GROUP BY 1, 2, 3")
        if runs and skipped >= len(runs) and prompted:
            break
        time.sleep(1)
    assert runs and skipped >= len(runs), (runs, [path.read_text()[-2000:] for path in logs])
    assert len({period for period, _runner in runs}) == len(runs)
    assert _rows(engine, "SELECT job, error FROM job_failure") == []
    assert prompted and all(count == 1 for *_gap, count in prompted)
    engine.dispose()
