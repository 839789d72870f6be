"""gunicorn settings for the web container (docker-compose.yml, Dockerfile and the stack test use this file).

Environment: GUNICORN_BIND (default 0.0.0.0:8000), WEB_CONCURRENCY (workers; default 2 × CPUs + 1, at most 8),
GUNICORN_TIMEOUT (seconds a request may take before its worker is replaced; default 30).
Logs go to the container's output: the access log to stdout, gunicorn's own log to stderr.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = 1000  # recycle workers now and then (bounded memory growth)
max_requests_jitter = 100
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # heartbeat files off the container's disk
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
