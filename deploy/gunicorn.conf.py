"""gunicorn for the portal: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

PORTAL_BIND and PORTAL_WEB_WORKERS override the address and the number of processes.
The master holds the one listening socket its workers share: a worker that is recycled or
dies loses no waiting connection. (reuse_port would give each worker a socket of its own,
and connections queued on a worker's socket are reset when it goes: measured with
bench/load.py.) After a crash of the master, systemd's KillMode=control-group ends its
workers with it, so the restarted gunicorn finds the port free.
"""

import gc
import os

# Under systemd the socket comes from portal-web.socket (LISTEN_FDS) and this is not used.
bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PORTAL_WEB_WORKERS", "4"))
worker_class = "gthread"
threads = 4
timeout = 60  # a request (an upload on a slow school line) may take this long
graceful_timeout = 20
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
accesslog = "-"


def post_worker_init(worker):
    """The app's long-lived objects (models, admin views, catalogues) are moved out of the
    cyclic collector's reach: its full passes no longer scan them during a request. The p95
    of the county's pages fell from ~160 ms to ~30 ms with it (bench/county.py)."""
    gc.collect()
    gc.freeze()
