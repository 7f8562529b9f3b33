#!/usr/bin/env bash
# nginx in front of several app servers (Debian's nginx, run with its own prefix and config under NGINX_DIR, default
# instance/nginx; the system service the package starts is stopped and disabled).
#
#   scripts/nginx.sh start LISTEN UPSTREAM...   e.g. start 127.0.0.1:8080 127.0.0.1:5001 127.0.0.1:5002
#   scripts/nginx.sh stop
#
# It caches what our Cache-Control allows (public tiles, JSON, HTML for anonymous readers), per Vary, and never a
# response that sets a cookie or a request that carries the session cookie. Report bodies are passed through
# unbuffered, so no upload (photos with their metadata) is ever written to nginx's temporary files. No access log
# and no error log (both would hold clients' addresses; NGINX_ERROR_LOG=FILE while debugging).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${NGINX_DIR:-$ROOT/instance/nginx}
# nginx writes error lines with the client's address: none are kept unless NGINX_ERROR_LOG names a file (debugging).
ERROR_LOG=${NGINX_ERROR_LOG:-/dev/null}
log() { printf '[nginx] %s\n' "$*" >&2; }

install() {
  "$ROOT/scripts/system-packages.sh" nginx-light
  if command -v systemctl >/dev/null && systemctl list-unit-files nginx.service >/dev/null 2>&1; then
    systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
  if [ -x /etc/init.d/nginx ] && [ "$(id -u)" -eq 0 ]; then /etc/init.d/nginx stop >/dev/null 2>&1 || true; fi
}

# The workers (www-data, as root) write the cache and temporary files: somewhere they can reach.
work_dir() {
  if [ "$(id -u)" -eq 0 ] && ! runuser -u www-data -- test -x "$DIR"; then
    echo "/var/cache/hiljade-nginx-$(echo -n "$DIR" | sha1sum | cut -c1-12)"
  else
    echo "$DIR"
  fi
}

config() {
  local listen=$1; shift
  local servers="" upstream
  for upstream in "$@"; do servers+="    server $upstream max_fails=1 fail_timeout=5s;"$'\n'; done
  local user=""
  [ "$(id -u)" -eq 0 ] && user="user www-data;"  # as root, the workers drop to Debian's web user
  cat <<CONF
# Written by scripts/nginx.sh start; edit the script, not this file.
$user
worker_processes 1;
pid $DIR/nginx.pid;
error_log $ERROR_LOG crit;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/tmp/body;
  proxy_temp_path $WORK/tmp/proxy;
  fastcgi_temp_path $WORK/tmp/fastcgi;
  uwsgi_temp_path $WORK/tmp/uwsgi;
  scgi_temp_path $WORK/tmp/scgi;
  client_max_body_size 130m;
  server_tokens off;
  proxy_cache_path $WORK/cache levels=1:2 keys_zone=public:10m max_size=256m inactive=1h use_temp_path=off;
  upstream app {
$servers  }
  server {
    listen $listen;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$http_host;
    proxy_set_header X-Forwarded-For \$remote_addr;
    proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_next_upstream error timeout http_502 http_503;
    proxy_cache public;
    proxy_cache_bypass \$cookie_session;
    proxy_no_cache \$cookie_session;
    add_header X-Cache-Status \$upstream_cache_status always;
    location / { proxy_pass http://app; }
    # A report (and its photos) goes to the app as it arrives: never into a temporary file here.
    location ~ ^/(report|api/v1/sightings)\$ {
      proxy_request_buffering off;
      proxy_next_upstream error timeout;  # only before any of the body was sent: never a report twice
      proxy_pass http://app;
    }
  }
}
CONF
}

start() {
  [ $# -ge 2 ] || { echo "usage: $0 start LISTEN UPSTREAM..." >&2; exit 2; }
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || install
  stop  # a running one (of an earlier start) first
  mkdir -p "$DIR"
  WORK=$(work_dir)
  mkdir -p "$WORK/tmp" "$WORK/cache"
  if [ "$(id -u)" -eq 0 ]; then chown -R www-data "$WORK/tmp" "$WORK/cache"; fi
  config "$@" >"$DIR/nginx.conf"
  /usr/sbin/nginx -p "$DIR" -c "$DIR/nginx.conf" -e "$ERROR_LOG"
  log "started on $1 in front of ${*:2}"
}

stop() {
  if [ -f "$DIR/nginx.pid" ] && kill -0 "$(cat "$DIR/nginx.pid")" 2>/dev/null; then
    /usr/sbin/nginx -p "$DIR" -c "$DIR/nginx.conf" -e "$ERROR_LOG" -s quit || true
    for _ in $(seq 1 50); do [ -f "$DIR/nginx.pid" ] || break; sleep 0.1; done
  fi
  local work
  work=$(work_dir)
  case "$work" in /var/cache/hiljade-nginx-*) rm -rf "$work" ;; esac  # the cache goes with the server
}

case "${1:-}" in
  install) install ;;
  start) shift; start "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 install|start LISTEN UPSTREAM...|stop" >&2; exit 2 ;;
esac
