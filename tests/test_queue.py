"""The task queue (portal/queue.py) with its real brokers: a SQLite file of its own (a school
PC) and Redis (a county server), each with a consumer running beside the test, as
`flask queue worker` runs it. A job that fails after its retries is kept for the admin."""

import sys
import time
import traceback
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
import redis
import sqlalchemy as sa
from flask import current_app
from huey.storage import RedisStorage, SqliteStorage

from portal.database import reading
from portal.evidence import jobs
from portal.extensions import db
from portal.models import EvidenceExport, ExportStatus, InspectionEvidence, JobFailure, Role
from portal.queue import huey, job
from portal.services import evidence
from tests.conftest import login
from tests.databases import redis_url
from tests.test_evidence import PERIOD, people  # noqa: F401 - the fixture

REDIS_URL = redis_url(15)
# A job still running this long after the consumer was told to stop fails the test.
STOP_SECONDS = 10

attempts = []


@job()
def explode(reason):
    raise RuntimeError(f"boom: {reason}")


@job(retries=1, retry_delay=0)
def fails_once(key):
    attempts.append(key)
    if attempts.count(key) == 1:
        raise RuntimeError("first try")


@contextmanager
def consumer_with(storage):
    """A real consumer on ``storage``, in this process, until the block ends. Its jobs run
    in this test's app (another test may have made an app since, with other folders)."""
    previous = huey.storage, huey.flask_app
    huey.immediate = False
    huey.storage, huey.flask_app = storage, current_app._get_current_object()
    storage.flush_queue()
    consumer = huey.create_consumer(
        workers=2, worker_type="thread", periodic=False, initial_delay=0.05, shutdown_timeout=STOP_SECONDS
    )
    consumer.start()
    try:
        yield
    finally:
        consumer.stop(graceful=True)
        huey.storage, huey.flask_app = previous
        huey.immediate = True
        _fail_if_stuck(consumer)


def _fail_if_stuck(consumer):
    """The consumer's threads are daemons: one stuck in a job is left behind, and its stack
    says where it stuck."""
    stuck = [thread for _worker, thread in consumer.worker_threads if thread.is_alive()]
    if stuck:
        frames = sys._current_frames()
        stacks = ["".join(traceback.format_stack(frames[thread.ident])) for thread in stuck if thread.ident in frames]
        pytest.fail(f"a queue worker was still busy {STOP_SECONDS} s after the stop:\n" + "\n".join(stacks))


def wait_for(condition, seconds=60):
    """Polls without holding SQLite's write lock, which the worker needs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with reading():
            if condition():
                return True
        time.sleep(0.2)
    return False


def _frozen(inspection_id):
    return db.session.scalar(sa.select(InspectionEvidence.id).where(InspectionEvidence.inspection_id == inspection_id))


@pytest.fixture(params=["sqlite", "redis"])
def storage(request, tmp_path):
    if request.param == "sqlite":
        return SqliteStorage(huey.name, filename=str(tmp_path / "queue.sqlite3"))
    redis.Redis.from_url(REDIS_URL).ping()  # the development and CI machines run Redis
    # A queue name of its own: another test process on the same Redis never touches it.
    return RedisStorage(f"{huey.name}-{uuid.uuid4().hex[:8]}", url=REDIS_URL)


def test_the_worker_freezes_and_exports_from_a_real_broker(client, people, storage):  # noqa: F811
    signed = people.failed.id  # signed through the service: not frozen yet
    assert _frozen(signed) is None
    db.session.commit()
    with consumer_with(storage):
        jobs.request_freeze([signed])
        assert storage.queue_size() + 1 >= 1  # enqueued: the caller did not wait for it
        assert wait_for(lambda: _frozen(signed) is not None), "the worker never froze the inspection"

        export = evidence.request_export(people.principal, people.school, *PERIOD, ["training"], "pdf")
        db.session.commit()
        export_id = export.id
        login(client, people.principal)
        jobs.make_export(export_id)
        assert wait_for(lambda: db.session.get(EvidenceExport, export_id).status is ExportStatus.DONE)
        progress = client.get(f"/evidence/{export_id}/progress").json
        assert progress["status"] == "done" and progress["percent"] == 100


def test_a_job_failing_for_good_is_kept_with_its_error_for_the_admin(client, create_user):
    explode("first")
    [failure] = db.session.scalars(sa.select(JobFailure)).all()
    assert failure.job == "explode" and "boom: first" in failure.error and "first" in failure.arguments
    login(client, create_user(Role.COUNTY_ADMIN))
    page = client.get("/admin/job_failures/").get_data(as_text=True)
    assert "boom: first" in page


def test_a_job_is_retried_before_it_counts_as_failed():
    key = uuid.uuid4().hex  # attempts lives as long as the process, which may run this test more than once
    fails_once(key)
    assert attempts.count(key) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobFailure)) == 0


def test_a_schools_failures_are_its_own(client, school, other_school, create_user):
    db.session.add_all(
        [
            JobFailure(job="make_export", error="ours", school_id=school.id),
            JobFailure(job="make_export", error="theirs", school_id=other_school.id),
            JobFailure(job="tick", error="the county's"),
        ]
    )
    db.session.commit()
    login(client, create_user(Role.SCHOOL_ADMIN, school))
    page = client.get("/admin/job_failures/").get_data(as_text=True)
    assert "ours" in page and "theirs" not in page and "the county" not in page


def test_the_routine_is_a_periodic_job_of_the_worker():
    periodic = {task.__name__ for task in huey._registry._periodic_tasks}
    assert "tick" in periodic


def test_a_get_writes_nothing_even_with_overdue_tasks(client, school, create_user):
    """The home page shows overdue tasks; notifying them is the routine's work."""
    from portal import routine
    from portal.models import AuditEvent, Notification, RectificationTask
    from tests import factories

    principal = create_user(Role.PRINCIPAL, school)
    factories.add_term(school)
    factories.accompany(school, principal, problems="汤是凉的", responsible=create_user(Role.STAFF, school))
    login(client, principal)

    def rows():
        return [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Notification, AuditEvent)]

    before = rows()
    page = client.get("/").get_data(as_text=True)
    assert "汤是凉的" in page  # overdue, shown in red
    assert rows() == before
    [task] = db.session.scalars(sa.select(RectificationTask)).all()
    routine.run(now=task.deadline + timedelta(minutes=1))  # the routine that saw it turn overdue
    assert rows()[0] > before[0]
