"""The README's production recipe, end to end, as separate processes on the suite's database:
migrate, load data, gunicorn with deploy/gunicorn.conf.py, `flask queue worker` (Redis on
PostgreSQL, a county server; the embedded SQLite queue on SQLite, a school PC). The worker
freezes what the routine hands it; a gunicorn killed with SIGKILL is replaced on the same
port at once; the README's backup of the database and instance/ restores to a portal whose
audit trail verifies and whose frozen records are all there."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from portal.demo import DEMO_PASSWORD
from tests.conftest import AUDIT_KEY, SECRET_KEY, TEST_DATABASE_URL
from tests.databases import redis_url

pytestmark = pytest.mark.processes

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REDIS_URL = redis_url(14)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def site(tmp_path):
    """The recipe's settings for a fresh database of the suite's kind."""
    if TEST_DATABASE_URL:
        server = TEST_DATABASE_URL.rsplit("/", 1)[0]
        name = f"recipe_{os.getpid()}"
        admin = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        database, queue = f"{server}/{name}", REDIS_URL
        redis.Redis.from_url(REDIS_URL).flushdb()
    else:
        admin, name = None, None
        database, queue = f"sqlite:///{tmp_path / 'instance' / 'portal.sqlite3'}", ""
    (tmp_path / "instance").mkdir()
    environment = os.environ | {
        "FLASK_APP": "wsgi.py",
        "PORTAL_SECRET_KEY": SECRET_KEY,
        "PORTAL_AUDIT_KEY": AUDIT_KEY,
        "PORTAL_DATABASE_URL": database,
        "PORTAL_QUEUE_URL": queue or f"sqlite:///{tmp_path / 'instance' / 'queue.sqlite3'}",
        "PORTAL_UPLOAD_FOLDER": str(tmp_path / "instance" / "uploads"),
        "PORTAL_EVIDENCE_FOLDER": str(tmp_path / "instance" / "evidence"),
        "PORTAL_BIND": f"127.0.0.1:{_free_port()}",
        "PORTAL_WEB_WORKERS": "2",
    }
    processes = Processes(tmp_path)
    yield environment, database, processes, tmp_path
    processes.kill_all()
    if admin is not None:
        with admin.connect() as connection:
            for database_name in (name, f"{name}_restored"):
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)')
        admin.dispose()


def _flask(environment, *arguments):
    done = subprocess.run(
        [BIN / "flask", *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, (arguments, done.stdout[-2000:], done.stderr[-2000:])
    return done.stdout


class Processes:
    """The processes a test started, each in a process group of its own (as a systemd unit's
    control group), its output kept in a log file to show when the test fails."""

    def __init__(self, folder):
        self.folder = folder
        self.started = []

    def start(self, environment, *command):
        log = self.folder / f"{len(self.started)}-{Path(command[0]).name}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - the venv's own programs
                command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        process.log = log
        self.started.append(process)
        return process

    def logs(self):
        return "\n".join(f"--- {process.log.name}\n{process.log.read_text()[-3000:]}" for process in self.started)

    def kill_all(self):
        for process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait()


def _gunicorn(environment, processes):
    return processes.start(environment, BIN / "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app")


def _queue_worker(environment, processes):
    return processes.start(environment, BIN / "flask", "queue", "worker", "--workers", "2")


def _serving(base, seconds=90):
    """Whether the portal answers within ``seconds``: gunicorn's workers each load the app, a
    few seconds alone and far longer on two cores busy with the rest of the suite."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=2) as response:  # noqa: S310 - our own server
                return response.status == 200 and "登录" in response.read().decode()
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    return False


def _gone(group, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def _log_in(base, username):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    form = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "username": username, "password": DEMO_PASSWORD}).encode()
    home = opener.open(f"{base}/login", data=data, timeout=30)
    return home.url.rstrip("/") == base and "退出" in home.read().decode()


def _frozen_and_signed(database):
    engine = sa.create_engine(database)
    with engine.connect() as connection:
        frozen = connection.scalar(sa.text("SELECT count(DISTINCT inspection_id) FROM inspection_evidence"))
        signed = connection.scalar(sa.text("SELECT count(*) FROM inspection WHERE status = 'signed_off'"))
        keys = connection.scalars(sa.text("SELECT storage_key FROM inspection_evidence")).all()
    engine.dispose()
    return frozen, signed, keys


# It freezes the demo's 156 signed inspections: 154 s alone on PostgreSQL, 242 s on SQLite beside
# the browser tests, past the 300 s of a process test in CI beside the rest of the suite.
@pytest.mark.timeout(600)
def test_the_production_recipe_serves_works_in_the_background_restarts_and_restores(site):
    environment, database, processes, folder = site
    base = f"http://{environment['PORTAL_BIND']}"
    _flask(environment, "db", "upgrade")
    _flask(environment, "seed-demo", "--if-empty")
    worker = _queue_worker(environment, processes)
    web = _gunicorn(environment, processes)
    assert _serving(base), processes.logs()
    assert _log_in(base, "xx-principal")

    # The routine hands the worker every signed inspection not yet frozen; the web server
    # keeps answering meanwhile.
    _flask(environment, "inspections", "tick")
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        frozen, signed, _keys = _frozen_and_signed(database)
        if frozen == signed:
            break
        assert _log_in(base, "xx-director")
        time.sleep(1)
    assert signed > 100 and frozen == signed

    # A crash of the master: systemd ends the rest of its control group (KillMode=
    # control-group, here the process group) and starts it again; the port is free at once.
    web.send_signal(signal.SIGKILL)
    web.wait()
    os.killpg(web.pid, signal.SIGKILL)
    assert _gone(web.pid, seconds=5)
    _gunicorn(environment, processes)
    assert _serving(base), processes.logs()
    assert _log_in(base, "jh-principal")
    worker.send_signal(signal.SIGINT)
    worker.wait(timeout=60)

    # The README's backup: the database and instance/ together, then a restore elsewhere.
    backup = folder / "backup"
    backup.mkdir()
    if database.startswith("postgresql"):
        plain = database.replace("postgresql+psycopg://", "postgresql://")
        subprocess.run(["pg_dump", "-Fc", "-f", backup / "portal.dump", plain], check=True)  # noqa: S607
    else:
        path = database.removeprefix("sqlite:///")
        subprocess.run(["sqlite3", path, f".backup '{backup / 'portal.sqlite3'}'"], check=True)  # noqa: S607
    with tarfile.open(backup / "instance.tar.gz", "w:gz") as archive:
        archive.add(folder / "instance" / "evidence", arcname="evidence")
    shutil.rmtree(folder / "instance" / "evidence")

    restored = folder / "restored"
    with tarfile.open(backup / "instance.tar.gz") as archive:
        archive.extractall(restored, filter="data")
    if database.startswith("postgresql"):
        target = f"{database}_restored"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", target.rsplit("/", 1)[1]], check=True)  # noqa: S607
        plain = target.replace("postgresql+psycopg://", "postgresql://")
        subprocess.run(["pg_restore", "--no-owner", "-d", plain, backup / "portal.dump"], check=True)  # noqa: S607
    else:
        target = f"sqlite:///{restored / 'portal.sqlite3'}"
        shutil.copyfile(backup / "portal.sqlite3", restored / "portal.sqlite3")
    environment |= {"PORTAL_DATABASE_URL": target, "PORTAL_EVIDENCE_FOLDER": str(restored / "evidence")}
    report = _flask(environment, "audit", "verify")
    assert "school:1: intact" in report and "school:2: intact" in report
    frozen_again, signed_again, keys = _frozen_and_signed(target)
    assert (frozen_again, signed_again) == (frozen, signed)
    assert all((restored / "evidence" / key).is_file() for key in keys)
