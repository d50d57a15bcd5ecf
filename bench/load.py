"""Benchmark: simulated users against the production set-up, with its background work.

    .venv/bin/python -m bench.load [--database-url URL] [--users 30] [--seconds 60]
                                   [--think 1] [--fault]

Migrates a fresh database (a new SQLite file, or the PostgreSQL one given, emptied), loads
the demo (two schools) and a third school with a year of signed inspections, then starts what
the README's recipe runs: gunicorn with deploy/gunicorn.conf.py on a socket this process holds
(as systemd's portal-web.socket does) and `flask queue worker` at nice 10 (Redis with
PostgreSQL, the SQLite queue with SQLite). At the start the routine hands the worker every
signed inspection to freeze (about 420) and a principal asks for the term's evidence bundle,
so users work beside background work.

Each user logs in once, then, until the time is up: opens the home page, the canteen's day,
the compliance page, an admin list, and adds a dish to today's menu (a write, acknowledged by
its redirect; the write alone is timed), waiting --think seconds between actions (0: a stress
test, every user clicking again the moment a page arrives). With
--fault a web worker is killed at a third of the time and the master at two thirds (then its
process group, as systemd does, and a new gunicorn is started).
Afterwards every acknowledged dish must be in the database and the audit trail must verify.
Reported: requests per second, p50/p95/p99 of all requests and of the writes, errors, and
acknowledged writes missing.
"""

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import redis
import sqlalchemy as sa

from bench.common import AUDIT_KEY, SECRET, ensure_database
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.timeutil import school_today

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/12"
# Who the simulated users are: (username, whether they add dishes).
PEOPLE = [
    ("xx-principal", False),
    ("xx-director", False),
    ("xx-clerk", False),
    ("xx-cook1", True),
    ("xx-cook2", True),
    ("xx-keeper", True),
    ("jh-principal", False),
    ("jh-director", False),
    ("jh-clerk", False),
    ("jh-cook1", True),
    ("jh-cook2", True),
]
PAGES = ["/", "/canteen", "/compliance", "/admin/food_samples/", "/admin/menu_dishes/", "/notifications"]


class KeepRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 itself is the answer


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.times, self.write_times, self.errors, self.acknowledged = [], [], [], []

    def add(self, milliseconds, write=False, error=None, dish=None):
        with self.lock:
            (self.write_times if write else self.times).append(milliseconds)
            if error:
                self.errors.append(error)
            if dish:
                self.acknowledged.append(dish)


class User:
    def __init__(self, base, username, writes, number):
        self.base, self.username, self.writes, self.number = base, username, writes, number
        cookies = urllib.request.HTTPCookieProcessor(CookieJar())
        self.opener = urllib.request.build_opener(cookies)
        self.writer = urllib.request.build_opener(cookies, KeepRedirect)  # the write alone is timed
        self.token, self.dishes, self.pages = None, 0, PAGES

    def open(self, path, data=None, opener=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with (opener or self.opener).open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as exc:
            if exc.code != 302:
                raise
            return exc.code, exc.headers["Location"], ""  # the writer's redirect, not followed

    def log_in(self):
        token = _token(self.open("/login")[2])
        home = self.open("/login", {"csrf_token": token, "username": self.username, "password": DEMO_PASSWORD})[2]
        self.token = _token(home)  # a new session after the login: a new token
        self.pages = [path for path in PAGES if self._may_open(path)]

    def _may_open(self, path):
        try:
            return self.open(path)[0] == 200
        except urllib.error.HTTPError:
            return False

    def step(self, results, rng_index):
        write = self.writes and rng_index % 3 == 0
        today = school_today().isoformat()
        path = f"/canteen/{today}/lunch/dishes" if write else self.pages[rng_index % len(self.pages)]
        started = time.perf_counter()
        dish = None
        try:
            if write:
                self.dishes += 1
                dish = f"负载{self.number}-{self.dishes}"
                status, url, _body = self.open(path, {"csrf_token": self.token, "name": dish}, self.writer)
                acknowledged = status == 302 and url.endswith("/lunch")  # saved: the redirect to the meal
                results.add(_ms(started), write=True, dish=dish if acknowledged else None)
                if not acknowledged:
                    results.add(0, write=True, error=f"dish not acknowledged ({status})")
            else:
                status, _url, _body = self.open(path)
                results.add(_ms(started))
        except (urllib.error.URLError, ConnectionError, OSError, TimeoutError) as exc:
            said = re.findall(r'class="alert[^>]*>\s*([^<]{1,80})', exc.read().decode()) if hasattr(exc, "read") else []
            results.add(_ms(started), write=write, error=f"{path}: {exc} {' '.join(said)}".strip())
            time.sleep(0.2)


def _token(page):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _ms(started):
    return (time.perf_counter() - started) * 1000


def _environment(database, queue, folder):
    return os.environ | {
        "FLASK_APP": "wsgi.py",
        "PORTAL_SECRET_KEY": SECRET,
        "PORTAL_AUDIT_KEY": AUDIT_KEY,
        "PORTAL_DATABASE_URL": database,
        "PORTAL_QUEUE_URL": queue,
        "PORTAL_UPLOAD_FOLDER": f"{folder}/uploads",
        "PORTAL_EVIDENCE_FOLDER": f"{folder}/evidence",
        "PORTAL_WEB_WORKERS": "2",
    }


def _listening_socket():
    """The socket the web server serves on, held here as systemd holds portal-web.socket:
    while gunicorn restarts, connections wait in its queue instead of being refused."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(2048)
    listener.set_inheritable(True)
    return listener


def _flask(environment, *arguments):
    subprocess.run([BIN / "flask", *arguments], cwd=ROOT, env=environment, check=True, capture_output=True)  # noqa: S603


def _start(environment, *command, keep=()):
    return subprocess.Popen(  # noqa: S603 - the venv's own programs
        command,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        pass_fds=keep,
    )


def _gunicorn(environment, listener):
    number = listener.fileno()
    server = _start(
        environment | {"PORTAL_BIND": f"fd://{number}"},
        BIN / "gunicorn",
        "-c",
        "deploy/gunicorn.conf.py",
        "wsgi:app",
        keep=(number,),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{_base(listener)}/login", timeout=2).close()  # noqa: S310
            return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _children(pid):
    done = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)  # noqa: S603, S607
    return [int(line) for line in done.stdout.split()]


def _base(listener):
    return f"http://127.0.0.1:{listener.getsockname()[1]}"


def _faults(environment, listener, servers, seconds, log):
    """A worker killed at a third of the time, the master at two thirds; then what systemd
    does (its control group ended, a new one started)."""
    time.sleep(seconds / 3)
    os.kill(_children(servers[0].pid)[0], signal.SIGKILL)
    log.append(f"{time.strftime('%X')} killed a web worker")
    time.sleep(seconds / 3)
    os.killpg(servers[0].pid, signal.SIGKILL)
    servers[0].wait()
    log.append(f"{time.strftime('%X')} killed the master and its workers")
    servers.append(_gunicorn(environment, listener))
    log.append(f"{time.strftime('%X')} a new gunicorn serves")


def _database(url, folder):
    if not url:
        return f"sqlite:///{folder}/portal.sqlite3", f"sqlite:///{folder}/queue.sqlite3"
    ensure_database(url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    redis.Redis.from_url(REDIS_URL).flushdb()
    return url, REDIS_URL


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--fault", action="store_true")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a user waits between actions")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="portal-bench-load-")
    database, queue = _database(args.database_url, folder)
    environment = _environment(database, queue, folder)
    _flask(environment, "db", "upgrade")
    _flask(environment, "seed-demo", "--if-empty")
    _prepare(environment)
    worker = _start(environment, "nice", "-n", "10", BIN / "flask", "queue", "worker")  # as its systemd unit
    listener = _listening_socket()
    servers = [_gunicorn(environment, listener)]
    try:
        _load(args, environment, database, listener, servers)
    finally:  # nothing left running, whatever happened
        for process in (worker, *servers):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait()


def _load(args, environment, database, listener, servers):
    base = _base(listener)
    users = [User(base, *PEOPLE[n % len(PEOPLE)], n) for n in range(args.users)]
    for user in users:
        user.log_in()
    principal = users[0]
    principal.open("/evidence", _export_form(principal))  # this term's bundle, on the queue
    _flask(environment, "inspections", "tick")  # every signed inspection to freeze, on the queue
    to_freeze = _frozen(database)

    results, log, stop = Results(), [], time.monotonic() + args.seconds
    threads = [threading.Thread(target=_run, args=(user, results, stop, args.think)) for user in users]
    if args.fault:
        threads.append(threading.Thread(target=_faults, args=(environment, listener, servers, args.seconds, log)))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    frozen = _frozen(database)
    log.append(f"frozen while users worked: {frozen[0] - to_freeze[0]} of the {to_freeze[1] - to_freeze[0]} waiting")
    missing = _missing(database, results.acknowledged)
    verified = subprocess.run(  # noqa: S603
        [BIN / "flask", "audit", "verify"], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    _report(args, database, results, elapsed, missing, verified, log)


def _prepare(environment):
    """A third school with a year of signed inspections (about 280 more to freeze beside the
    demo's); and the canteen serves today, whatever the weekday (the users add dishes)."""
    from bench.seed import seed_year
    from portal import create_app
    from portal.models import CalendarDay, DayKind, School
    from portal.services import calendar, planning

    settings = {key.removeprefix("PORTAL_"): value for key, value in environment.items() if key.startswith("PORTAL_")}
    app = create_app(settings | {"QUEUE_URL": "immediate", "PASSWORD_HASH_PROFILE": "cheap"})
    with app.app_context():
        seed_year("基准中学", "load", sign_off_share=1.0)
        for school in db.session.scalars(sa.select(School)):
            today = school_today(school)
            if not calendar.load(school.id, today, today).is_canteen_day(today):
                day = CalendarDay(school_id=school.id, day=today, kind=DayKind.CANTEEN_OPEN, note="负载测试")
                planning.save_day(None, day, None)
        db.session.commit()


def _export_form(user):
    page = user.open("/evidence")[2]
    school = re.search(r'<option[^>]*value="(\d+)"', page)
    form = {"csrf_token": user.token, "period": "term"}
    form |= {"format": "pdf", "school": school.group(1) if school else ""}
    sections = re.findall(r'name="sections"[^>]*value="([^"]+)"', page)
    return list(form.items()) + [("sections", key) for key in sections]


def _run(user, results, stop, think):
    index = user.number
    time.sleep(think * user.number / 30)  # people do not all click at the same moment
    while time.monotonic() < stop:
        user.step(results, index)
        index += 1
        time.sleep(think)


def _frozen(database):
    """(signed inspections frozen, signed inspections)."""
    engine = sa.create_engine(database)
    with engine.connect() as connection:
        frozen = connection.scalar(sa.text("SELECT count(DISTINCT inspection_id) FROM inspection_evidence"))
        signed = connection.scalar(sa.text("SELECT count(*) FROM inspection WHERE status = 'signed_off'"))
    engine.dispose()
    return frozen, signed


def _missing(database, acknowledged):
    engine = sa.create_engine(database)
    with engine.connect() as connection:
        stored = set(connection.scalars(sa.text("SELECT name FROM menu_dish WHERE name LIKE '负载%'")))
    engine.dispose()
    return [dish for dish in acknowledged if dish not in stored]


def _percentiles(times):
    if len(times) < 2:
        return "—"
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return f"{statistics.median(times):.0f} / {cuts[94]:.0f} / {cuts[98]:.0f}"


def _report(args, database, results, elapsed, missing, verified, log):
    everything = results.times + results.write_times
    faults = ", with faults" if args.fault else ""
    print(f"{database.split(':')[0]}, {args.users} users, {args.think} s between actions, {elapsed:.0f} s{faults}")
    for line in log:
        print(f"  {line}")
    print(f"requests: {len(everything)} ({len(everything) / elapsed:.1f}/s); writes: {len(results.write_times)}")
    print(f"all requests p50 / p95 / p99 ms: {_percentiles(everything)}")
    print(f"writes p50 / p95 / p99 ms: {_percentiles(results.write_times)}")
    print(f"errors: {len(results.errors)}")
    for error in sorted(set(results.errors))[:10]:
        print(f"  {error}")
    print(f"acknowledged writes: {len(results.acknowledged)}; missing afterwards: {len(missing)}")
    print("audit trail: " + ("intact" if verified.returncode == 0 else verified.stdout + verified.stderr))


if __name__ == "__main__":
    main()
