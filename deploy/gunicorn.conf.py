"""Gunicorn for the production layout: ASGI (uvicorn) worker processes on one port.

Each worker is a whole ASGI server (HTTP and the live WebSocket); they share nothing but the
database and the channel layer's Redis (``REDIS_URL``), so a push written through one worker
reaches sockets held by any other. Gunicorn starts a killed or crashed worker again at once.
Settings come from the environment: ``HOST`` and ``PORT`` (honcho sets ``PORT``),
``WEB_CONCURRENCY`` (worker processes, default 2), ``WEB_TIMEOUT`` (seconds a worker may be
silent before it is restarted, default 60), ``LOG_FORMAT`` (``json`` for structured logs).
"""

import os

from saqshy.core import logs

os.environ.setdefault("SAQSHY_PROCESS", "web")

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "uvicorn_worker.UvicornWorker"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# Requests are logged by the application with their request id (SAQSHY_REQUEST_LOG), not by
# gunicorn, which knows none.
accesslog = None
# Gunicorn's own lines in the application's format (its defaults name handlers of their own).
logconfig_dict = {
    **logs.configuration(os.environ.get("LOG_LEVEL", "INFO"), os.environ.get("LOG_FORMAT", "text")),
    "loggers": {
        name: {"handlers": ["console"], "level": "INFO", "propagate": False}
        for name in ("gunicorn.error", "gunicorn.access")
    }
    # uvicorn's access lines carry no request id and repeat saqshy.request's.
    | {"uvicorn.access": {"level": "WARNING"}},
}
