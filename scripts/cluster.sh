#!/usr/bin/env bash
# Several app servers on one machine, as they would be on several (README, "Scaling out"): the embedded PostgreSQL
# with its streaming replica, Redis for the rate limits, SeaweedFS for the photos, two gunicorn instances and nginx in
# front, each started by its own script. `make cluster` and `make cluster-stop` call this.
#
#   scripts/cluster.sh start     (DATABASE_URL must be set; `make cluster` sets it)
#   scripts/cluster.sh stop
#
# CLUSTER_LISTEN (127.0.0.1:8080) is nginx; CLUSTER_APPS ("127.0.0.1:5001 127.0.0.1:5002") the gunicorn instances;
# CLUSTER_DIR (instance/cluster) their pid and log files. REPLICA_DATABASE_URL, RATELIMIT_STORAGE_URI and
# PHOTO_STORAGE_URL are taken from the environment when set, else from the project's own servers. Every instance
# shares INSTANCE_DIR's keys (secret, rate-limit, snapshot, second factor): on several machines, copy those files.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${CLUSTER_DIR:-$ROOT/instance/cluster}
LISTEN=${CLUSTER_LISTEN:-127.0.0.1:8080}
APPS=${CLUSTER_APPS:-127.0.0.1:5001 127.0.0.1:5002}
log() { printf '[cluster] %s\n' "$*" >&2; }

healthy() {  # wait up to 30 s for /healthz on host:port
  python3 - "$1" <<'PY'
import sys, time, urllib.request
deadline = time.monotonic() + 30
while True:
    try:
        urllib.request.urlopen(f"http://{sys.argv[1]}/healthz", timeout=2)
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(1)
        time.sleep(0.2)
PY
}

start() {
  : "${DATABASE_URL:?set DATABASE_URL (make cluster does)}"
  mkdir -p "$DIR"
  "$ROOT/scripts/redis.sh" start
  if [ -z "${PHOTO_STORAGE_URL:-}" ]; then "$ROOT/scripts/seaweedfs.sh" start; fi
  export REPLICA_DATABASE_URL=${REPLICA_DATABASE_URL:-}
  export RATELIMIT_STORAGE_URI=${RATELIMIT_STORAGE_URI:-$("$ROOT/scripts/redis.sh" url)}
  if [ -z "${PHOTO_STORAGE_URL:-}" ]; then eval "$("$ROOT/scripts/seaweedfs.sh" env)"; fi
  export PROXY_FIX_X_FOR=1 FORWARDED_ALLOW_IPS=127.0.0.1 APP_CONFIG=${APP_CONFIG:-production}
  export PUBLIC_ORIGIN="${PUBLIC_ORIGIN:-} http://$LISTEN"
  local n=0 bind
  for bind in $APPS; do
    n=$((n + 1))
    if [ -f "$DIR/app-$n.pid" ] && kill -0 "$(cat "$DIR/app-$n.pid")" 2>/dev/null; then continue; fi
    BIND=$bind "$ROOT/.venv/bin/gunicorn" -c "$ROOT/gunicorn.conf.py" --chdir "$ROOT" --daemon \
      --pid "$DIR/app-$n.pid" --access-logfile "$DIR/app-$n.log" --error-logfile "$DIR/app-$n.log" wsgi:app
  done
  for bind in $APPS; do
    healthy "$bind" || { log "the app on $bind did not start; see $DIR"; exit 1; }
  done
  # shellcheck disable=SC2086
  "$ROOT/scripts/nginx.sh" start "$LISTEN" $APPS
  log "nginx on http://$LISTEN in front of: $APPS"
}

stop() {
  "$ROOT/scripts/nginx.sh" stop
  local pidfile
  for pidfile in "$DIR"/app-*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$(cat "$pidfile" 2>/dev/null || echo 0)" 2>/dev/null || break; sleep 0.1; done
    rm -f "$pidfile"
  done
  if [ -z "${PHOTO_STORAGE_URL:-}" ]; then "$ROOT/scripts/seaweedfs.sh" stop; fi
  "$ROOT/scripts/redis.sh" stop
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
