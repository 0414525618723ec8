"""gunicorn's settings for the portfolio: `gunicorn -c config/gunicorn.conf.py` (docs/serving.md).

Threaded workers (gthread): an upload of up to 500 MB from a slow connection holds one thread for
as long as it takes, while the worker's other threads go on serving and its main loop keeps telling
the arbiter it is alive. A sync worker would be one request at a time for the whole upload, and
would be killed by `timeout` part-way through, since it cannot report in while it reads a body.
Django streams any upload above 2 MB to a temporary file, so a thread's memory does not grow with it.

Every number can be changed from the environment without editing this file.
"""

import os


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"gunicorn.conf.py: {name}={raw!r} is not a whole number.") from None
    if value < 1:
        raise SystemExit(f"gunicorn.conf.py: {name}={value} must be 1 or more.")
    return value


def _cores() -> int:
    # The cores this process may use, which a container or `taskset` may limit below the machine's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


wsgi_app = "config.wsgi:application"

# BIND is gunicorn's own form (host:port, unix:/path, or several, comma-separated); PORT alone
# listens on loopback, where nginx reaches it. Listening on other addresses is a deliberate BIND.
bind = [
    address.strip()
    for address in os.environ.get("BIND", f"127.0.0.1:{_env_int('PORT', 8000)}").split(",")
    if address.strip()
]

workers = _env_int("WEB_CONCURRENCY", 2 * _cores() + 1)
worker_class = "gthread"
threads = _env_int("GUNICORN_THREADS", 4)

# With threads the arbiter's timeout only catches a worker process that has stopped altogether;
# a long request does not trip it. Two minutes, so a stuck process is replaced soon enough.
timeout = _env_int("GUNICORN_TIMEOUT", 120)
# On a restart or a redeploy, requests under way (an upload being stored, a PDF being drawn) get
# this long to finish before their worker is stopped.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 120)
# nginx keeps connections to gunicorn open between requests; a little longer than a request gap.
keepalive = 5

# Each worker is replaced after about this many requests, spread by the jitter so they do not all
# restart at once: whatever memory a worker has gathered (PDF drawing, image checks) is given back.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The app logs one line per request itself, with the person and the time taken; gunicorn's own
# access log would say the same less usefully. Its error log (start, stop, worker trouble) goes to
# stderr, where the service manager collects it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The workers' heartbeat files (gunicorn makes them with mkstemp), on memory rather than a disk
# that may stall under load.
_MEMORY_DIR = "/dev/shm"  # noqa: S108
if os.path.isdir(_MEMORY_DIR):
    worker_tmp_dir = _MEMORY_DIR

proc_name = "portfolio"

# gunicorn 25.1+ opens a control socket at one path per user ($HOME/.gunicorn/gunicorn.ctl), so a
# second server on the machine (another port, a test) would take it over from the first. Signals
# do the same work (docs/serving.md): HUP reloads, TERM stops gracefully, TTIN/TTOU add or remove.
control_socket_disable = True


def post_worker_init(worker: object) -> None:
    """Once the worker has loaded the app: take everything loaded so far (Django, the app, their
    modules) out of the cycle collector's way. They live as long as the worker does, and a full
    collection over them costs a request 50 ms or more now and then (benchmarks/README.md)."""
    import gc

    gc.collect()
    gc.freeze()

