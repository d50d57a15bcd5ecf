"""Background work on a maintained task queue (Huey): freezing signed inspections, making
exports, and the periodic routine (planning, notifications, email, catching up).

Where the queue lives is configuration (QUEUE_URL): by default a SQLite file of its own in
the instance folder, so a school PC needs no other server and the queue never takes the
portal database's write lock; ``redis://...`` on a county server; ``immediate`` runs every
job at once in the caller (the tests). `flask queue worker` starts the consumer, which also
runs the periodic routine: no cron line.

A job runs in an app context of its own. A job that fails after its retries is kept in the
database (JobFailure) with its error, for the admin to see.
"""

import functools
import logging
import os
import socket
import traceback
from datetime import timedelta

from flask import current_app, has_app_context
from huey import Huey, crontab
from huey import signals as huey_signals
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .models.job import JobFailure, RoutineRun
from .timeutil import utcnow

huey = Huey("portal", results=False, storage_class=MemoryStorage)
logger = logging.getLogger(__name__)


def init_app(app):
    url = app.config["QUEUE_URL"] or "sqlite:///" + os.path.join(app.instance_path, "queue.sqlite3")
    huey.flask_app = app
    huey.immediate = url == "immediate"
    if huey.immediate:
        return
    if url.startswith("redis://"):
        huey.storage = RedisStorage(huey.name, url=url)
    elif url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        huey.storage = SqliteStorage(huey.name, filename=path)
    else:
        raise RuntimeError(f"QUEUE_URL must be sqlite:///..., redis://... or immediate, not {url!r}")


def _in_app_context(function):
    @functools.wraps(function)
    def run(*args, **kwargs):
        if has_app_context():  # immediate mode, inside the request that enqueued it
            return function(*args, **kwargs)
        with huey.flask_app.app_context():
            try:
                return function(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def job(retries=0, retry_delay=60):
    """A piece of background work: ``name(...)`` enqueues it and returns at once."""

    def decorator(function):
        return huey.task(retries=retries, retry_delay=retry_delay, name=function.__name__)(_in_app_context(function))

    return decorator


def periodic(setting):
    """Done every ``setting`` minutes (an app setting), once per period however many workers
    run: each worker's scheduler asks every minute, and the first to claim the period (a row
    in the shared database) does it; a period missed while every worker was down is done at
    the next minute one is up."""

    def decorator(function):
        @functools.wraps(function)
        def once_per_period():
            if claim_period(current_app.config[setting]):
                return function()
            logger.info("%s: this period's run is another worker's", function.__name__)
            return None

        return huey.periodic_task(crontab(minute="*"), name=function.__name__)(_in_app_context(once_per_period))

    return decorator


def claim_period(minutes, now=None):
    """True for the first caller of the current ``minutes`` period; False for any other, on any
    server sharing the database. Claims older than a week are let go."""
    now = now or utcnow()
    start = now.replace(second=0, microsecond=0) - timedelta(minutes=now.minute % minutes)
    db.session.add(RoutineRun(period_start=start, runner=f"{socket.gethostname()}:{os.getpid()}"))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    db.session.execute(db.delete(RoutineRun).where(RoutineRun.period_start < start - timedelta(days=7)))
    db.session.commit()
    return True


@huey.signal(huey_signals.SIGNAL_ERROR)
def _record_failure(_signal, task, exc):
    """The last failure of a job (no retry left) is kept for the admin."""
    if task.retries:
        return

    _in_app_context(record_failure)(task.name, exc, repr(task.args), getattr(exc, "school_id", None))


def record_failure(job, exc, arguments="", school_id=None):
    """Keeps a failure for the admin (and the school's own admin, when it was one school's)."""
    logger.error("%s failed for %s", job, arguments, exc_info=exc)
    db.session.rollback()
    db.session.add(
        JobFailure(
            job=job,
            arguments=arguments[:500],
            error="".join(traceback.format_exception_only(exc)).strip()[:2000],
            school_id=school_id,
        )
    )
    db.session.commit()


def run_worker(workers=None):
    """The consumer: jobs on ``workers`` threads, and the periodic routine."""

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    consumer = huey.create_consumer(
        workers=workers or current_app.config["QUEUE_WORKERS"],
        worker_type="thread",
        periodic=True,
        check_worker_health=True,
    )
    consumer.run()
