"""gunicorn settings for `make run`. The access log never records client addresses: reporters' safety."""

import os

bind = os.environ.get("BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads per worker: more than the photo intake slots (PHOTO_INTAKE_SLOTS, 2), so that uploads waiting for a
# slot never leave the public map without a thread to answer it.
threads = int(os.environ.get("THREADS", "8"))
timeout = 60
accesslog = "-"
# No %(h)s (remote address), no user agent, no referrer, no exact time: method, path, status, size, duration.
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# Requests that belong to a citizen's report are not logged at all (app/access_log.py).
logger_class = "app.access_log.AccessLogger"
# Behind a proxy, do not trust X-Forwarded-For for anything that would be logged.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# No management socket: its default path is shared by every gunicorn of this user (a second instance, e.g. the
# access-log test during `make run`, would fight over it), and nothing here uses it.
control_socket_disable = True
