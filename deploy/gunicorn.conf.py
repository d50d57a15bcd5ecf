"""gunicorn for the portal: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

PORTAL_BIND and PORTAL_WEB_WORKERS override the address and the number of processes.
reuse_port lets a gunicorn started right after a crash bind while the dead master's last
workers are still on their way out (under systemd, KillMode=control-group ends them at once).
"""

import os

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PORTAL_WEB_WORKERS", "4"))
worker_class = "gthread"
threads = 4
reuse_port = True
timeout = 60  # a request (an upload on a slow school line) may take this long
graceful_timeout = 20
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
accesslog = "-"
