#!/usr/bin/env bash
# A project-managed Redis for the rate limits, shared by every gunicorn worker and app server of one site: Debian's
# redis-server, listening only on a Unix socket inside REDIS_DIR (default instance/redis), no TCP port, nothing
# written to disk (the limits are counters of at most a day; a restart forgets them, as a new day does).
#
#   scripts/redis.sh install   install Debian's redis-server if missing; stop and disable the system service
#   scripts/redis.sh start     start it if it is not running
#   scripts/redis.sh url       print the limiter's storage URL (RATELIMIT_STORAGE_URI)
#   scripts/redis.sh stop      stop it
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${REDIS_DIR:-$ROOT/instance/redis}
SOCKET="$DIR/redis.sock"
log() { printf '[redis] %s\n' "$*" >&2; }

install() {
  "$ROOT/scripts/system-packages.sh" redis-server
  # The package starts a system-wide server on port 6379; ours is the project's own, on a socket.
  if command -v systemctl >/dev/null && systemctl list-unit-files redis-server.service >/dev/null 2>&1; then
    systemctl disable --now redis-server >/dev/null 2>&1 || true
  fi
  if [ -x /etc/init.d/redis-server ] && [ "$(id -u)" -eq 0 ]; then
    /etc/init.d/redis-server stop >/dev/null 2>&1 || true
  fi
}

running() { [ -S "$SOCKET" ] && redis-cli -s "$SOCKET" ping >/dev/null 2>&1; }

start() {
  command -v redis-server >/dev/null || install
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  if running; then return 0; fi
  # port 0: no TCP at all. save "" and appendonly no: nothing on disk. No log of clients or commands.
  redis-server --port 0 --unixsocket "$SOCKET" --unixsocketperm 700 --dir "$DIR" --save "" --appendonly no \
    --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --loglevel warning \
    --maxmemory 64mb --maxmemory-policy volatile-ttl
  for _ in $(seq 1 50); do
    if running; then log "started (socket $SOCKET)"; return 0; fi
    sleep 0.1
  done
  log "did not start; see $DIR/redis.log"
  exit 1
}

stop() {
  if running; then redis-cli -s "$SOCKET" shutdown nosave >/dev/null 2>&1 || true; fi
  rm -f "$SOCKET"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  url) echo "redis+unix://$SOCKET" ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|url|stop" >&2; exit 2 ;;
esac
