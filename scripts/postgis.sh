#!/usr/bin/env bash
# Project-managed PostGIS: one PostgreSQL cluster under instance/pg, reachable only through a Unix socket
# inside that directory (no TCP port, so several clones on one machine never collide).
#
#   scripts/postgis.sh install          install PostgreSQL + PostGIS from Debian if they are missing
#   scripts/postgis.sh start            create the cluster on first use, start it if it is not running
#   scripts/postgis.sh createdb NAME    create the two roles + database NAME with PostGIS (idempotent)
#   scripts/postgis.sh recreatedb NAME  drop NAME and create it empty (used by the test suite)
#   scripts/postgis.sh url NAME         print the SQLAlchemy URL of database NAME as the site's role
#   scripts/postgis.sh owner-url NAME   print the SQLAlchemy URL of database NAME as its owner (migrations)
#   scripts/postgis.sh psql NAME        open psql on NAME as the superuser
#   scripts/postgis.sh logfile          print the path of the cluster's log file
#   scripts/postgis.sh stop             stop the cluster (and its replica)
#   scripts/postgis.sh replica-start    a streaming replica of the cluster (pg_basebackup on first use), started
#   scripts/postgis.sh replica-url NAME the SQLAlchemy URL of database NAME on the replica, as the site's role
#   scripts/postgis.sh replica-psql NAME  psql on the replica as the superuser
#   scripts/postgis.sh replica-stop     stop the replica
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
INSTANCE="$ROOT/instance"
PGDIR="$INSTANCE/pg"
# The site connects as APP_ROLE, which owns nothing; OWNER_ROLE owns the databases and the schema (migrations,
# `flask geodata load`, `flask db roles`, which grants APP_ROLE its privileges). See app/database_roles.py.
APP_ROLE=${APP_DB_ROLE:-hiljade}
OWNER_ROLE=${APP_DB_OWNER_ROLE:-hiljade_owner}

log() { printf '[postgis] %s\n' "$*" >&2; }

pg_bindir() {
  # The newest installed PostgreSQL that has PostGIS next to it.
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    local ver
    ver=$(basename "$(dirname "$dir")")
    if ls /usr/share/postgresql/"$ver"/extension/postgis.control >/dev/null 2>&1; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

install_packages() {
  if pg_bindir >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL with PostGIS is not installed; run as root or: sudo apt-get install postgresql postgis"
    exit 1
  fi
  log "installing PostgreSQL and PostGIS from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql postgis >/dev/null
  pg_bindir >/dev/null || { log "PostGIS did not install"; exit 1; }
}

# PostgreSQL refuses to run as root: as root, the cluster belongs to the 'postgres' system user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

data_dir() {
  # As root the 'postgres' user must be able to reach the data directory; when the clone lives somewhere it
  # cannot traverse (e.g. under /root), the cluster lives in /var/lib/postgresql and instance/pg links to it.
  if [ -L "$PGDIR" ]; then readlink -f "$PGDIR"; return; fi
  echo "$PGDIR"
}

prepare_dir() {
  mkdir -p "$INSTANCE"
  [ -e "$PGDIR" ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$PGDIR"
    chown postgres:postgres "$PGDIR"
    if ! runuser -u postgres -- test -w "$PGDIR"; then
      rmdir "$PGDIR"
      local alt
      alt="/var/lib/postgresql/hiljade-$(echo -n "$ROOT" | sha1sum | cut -c1-12)"
      mkdir -p "$alt"
      chown postgres:postgres "$alt"
      ln -s "$alt" "$PGDIR"
      log "cluster directory: $alt (linked from instance/pg)"
    fi
  else
    mkdir -p "$PGDIR"
  fi
}

socket_dir() { echo "$(data_dir)/run"; }

psql_super() {
  local db=$1; shift
  as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(socket_dir)" -d "$db" "$@"
}

running() { as_owner "$BIN/pg_ctl" -D "$(data_dir)/data" status >/dev/null 2>&1; }

# Written into the data directory's conf.d on every start, so clusters created before a change get it too.
# A conf.d file rather than ALTER SYSTEM: it is in place before the server starts (ALTER SYSTEM needs a running
# server, so the first lines of an old cluster's start would still be logged the old way), it needs no connection,
# and it is one plain file to read. ALTER SYSTEM would still win over it (postgresql.auto.conf is read last);
# tests/test_postgres_logging.py checks the values the server actually uses.
managed_conf() {
  local dd=$1
  cat <<CONF
# Managed by scripts/postgis.sh and rewritten on every start: edit the script, not this file.
# Socket only, inside the project.
listen_addresses = ''
unix_socket_directories = '$dd/run'
unix_socket_permissions = 0700
fsync = on
shared_buffers = 256MB
# JIT compilation costs more than it saves on the map's statements: the z12 viewport took 275 ms with it (about
# 510 ms of compilation summed over the parallel workers) and 87-99 ms without (issue 15). An external database
# gets the same with: ALTER DATABASE hiljade SET jit = off (README, "Performance").
jit = off
log_destination = 'stderr'
logging_collector = off

# The log must never hold what a reporter submitted, their address or the moment they submitted it.
# Error messages quote values ('invalid input syntax for type integer: "..."') and DETAIL lines quote rows
# ('Key (...)=(...) already exists'): errors are not logged at all (the application sees and handles them), and
# were they logged, they would be terse and without the statement or its parameters.
log_min_messages = log
log_error_verbosity = terse
log_min_error_statement = panic
log_parameter_max_length_on_error = 0
log_parameter_max_length = 0
log_statement = none
log_duration = off
log_min_duration_statement = -1
log_lock_waits = off
log_temp_files = -1
log_connections = off
log_disconnections = off
log_hostname = off
# No timestamp: a log line's time next to anything about a submission gives the submission's exact time.
log_line_prefix = '[%p] %e '
CONF
}

apply_conf() {
  local dd=$1 conf=$1/data/conf.d/hiljade.conf first=
  as_owner mkdir -p "$dd/data/conf.d"
  [ -f "$conf" ] || first=yes
  managed_conf "$dd" | as_owner tee "$conf.tmp" >/dev/null
  as_owner mv "$conf.tmp" "$conf"
  # Appended once: postgresql.conf is read top to bottom, so conf.d overrides the lines initdb (or an older version
  # of this script) wrote above it.
  if ! grep -qx "include_dir = 'conf.d'" "$dd/data/postgresql.conf"; then
    printf "\n# Managed by scripts/postgis.sh: settings in conf.d/hiljade.conf\ninclude_dir = 'conf.d'\n" \
      | as_owner tee -a "$dd/data/postgresql.conf" >/dev/null
  fi
  if running; then
    reload
  fi
  # A cluster that logged under the old settings holds timestamps and possibly statements with submitted values:
  # those lines go, once, when the settings first reach it.
  if [ -n "$first" ] && [ -s "$dd/postgres.log" ]; then
    : >"$dd/postgres.log"
    log "emptied $dd/postgres.log (written before the log settings in conf.d/hiljade.conf)"
  fi
}

# pg_ctl reload only signals the server: wait until it has read the files again, so what follows sees the settings.
reload() {
  local before i
  before=$(psql_super postgres -tAc 'SELECT pg_conf_load_time()')
  as_owner "$BIN/pg_ctl" -D "$(data_dir)/data" reload >/dev/null
  for i in $(seq 100); do
    [ "$(psql_super postgres -tAc 'SELECT pg_conf_load_time()')" != "$before" ] && return 0
    sleep 0.1
  done
  log "the server did not reload its settings; see $(data_dir)/postgres.log"
  exit 1
}

start() {
  prepare_dir
  local dd
  dd=$(data_dir)
  if [ ! -f "$dd/data/PG_VERSION" ]; then
    log "creating the cluster in $dd"
    as_owner mkdir -p "$dd/data" "$dd/run"
    as_owner "$BIN/initdb" -D "$dd/data" --auth=trust --encoding=UTF8 --locale=C.UTF-8 -U postgres >/dev/null
  fi
  apply_conf "$dd"
  if ! running; then
    as_owner "$BIN/pg_ctl" -D "$dd/data" -l "$dd/postgres.log" -w -t 60 start >/dev/null
    log "started (socket in $dd/run)"
  fi
}

createdb() {
  local name=$1
  start
  # Also brings a database of an older script, owned by APP_ROLE, to the owner role: the owner may act as APP_ROLE
  # (never the reverse), so `flask db roles` can take over the tables APP_ROLE still owns.
  psql_super postgres <<SQL
SELECT 'CREATE ROLE $OWNER_ROLE LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$OWNER_ROLE')\gexec
SELECT 'CREATE ROLE $APP_ROLE LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APP_ROLE')\gexec
SELECT 'GRANT $APP_ROLE TO $OWNER_ROLE' WHERE NOT pg_has_role('$OWNER_ROLE', '$APP_ROLE', 'MEMBER')\gexec
SELECT 'CREATE DATABASE "$name" OWNER $OWNER_ROLE' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$name')\gexec
SELECT 'ALTER DATABASE "$name" OWNER TO $OWNER_ROLE' FROM pg_database
WHERE datname = '$name' AND pg_get_userbyid(datdba) <> '$OWNER_ROLE'\gexec
SQL
  # PostGIS is not a trusted extension: the superuser creates it, the owner role owns everything else. Nobody but
  # the schema's owner creates objects in it (PostgreSQL 15's default; older servers granted CREATE to PUBLIC).
  psql_super "$name" <<SQL
CREATE EXTENSION IF NOT EXISTS postgis;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
}

recreatedb() {
  local name=$1
  start
  psql_super postgres -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)"
  createdb "$name"
}

url() {
  echo "postgresql+psycopg://$1@/$2?host=$(socket_dir)"
}

# The replica: a hot standby in <cluster>/replica, fed by streaming replication over the primary's own socket,
# listening on a socket of its own. Read-only; it catches up by itself after being stopped.
replica_dir() { echo "$(data_dir)/replica"; }
replica_running() { as_owner "$BIN/pg_ctl" -D "$(replica_dir)/data" status >/dev/null 2>&1; }

# Whether the replica can no longer catch up: it was stopped while the primary wrote so much (a benchmark's load)
# that the WAL it needs next is gone, and it would wait for it forever.
replica_lost() {
  local lsn needed oldest
  # How far it has WAL (received, or replayed from its own pg_wal); the segment of the next byte is what it needs.
  lsn=$(as_owner "$BIN/psql" -X -qtA -h "$(replica_dir)/run" -d postgres \
    -c "SELECT GREATEST(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())") || return 1
  [ -n "$lsn" ] || return 1
  needed=$(psql_super postgres -tA -c "SELECT pg_walfile_name('$lsn'::pg_lsn + 1)")
  oldest=$(psql_super postgres -tA -c "SELECT min(name) FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}\$'")
  [ -n "$oldest" ] && [[ "$needed" < "$oldest" ]]
}

# A replica holds nothing of its own: one that cannot catch up is removed, and made again from the primary.
replica_discard() {
  log "the replica can no longer catch up (the WAL it needs was removed): making it again"
  replica_stop
  as_owner rm -rf "$(replica_dir)/data"
}

replica_start() {
  start
  local rd
  rd=$(replica_dir)
  if [ -f "$rd/data/PG_VERSION" ] && replica_running && replica_lost; then
    replica_discard
  fi
  if [ ! -f "$rd/data/PG_VERSION" ]; then
    log "creating the replica in $rd (pg_basebackup)"
    as_owner mkdir -p "$rd/run"
    as_owner "$BIN/pg_basebackup" -h "$(socket_dir)" -U postgres -D "$rd/data" -R -X stream -c fast
  fi
  # The primary's managed settings as they are now (the base backup copied them as they were), then the replica's
  # own: its socket, and answering reads while it replays.
  managed_conf "$(data_dir)" | as_owner tee "$rd/data/conf.d/hiljade.conf" >/dev/null
  printf "%s\n" "# Managed by scripts/postgis.sh: the replica's own settings, read after hiljade.conf." \
    "unix_socket_directories = '$rd/run'" "hot_standby = on" "hot_standby_feedback = on" \
    | as_owner tee "$rd/data/conf.d/zz-replica.conf" >/dev/null
  if ! replica_running; then
    as_owner "$BIN/pg_ctl" -D "$rd/data" -l "$rd/postgres.log" -w -t 60 start >/dev/null
    log "replica started (socket in $rd/run)"
    if [ "${1:-}" != again ] && replica_lost; then  # stopped long ago: started, it finds the WAL it needs gone
      replica_discard
      replica_start again
    fi
  fi
}

replica_stop() {
  if [ -f "$(replica_dir)/data/PG_VERSION" ] && replica_running; then
    as_owner "$BIN/pg_ctl" -D "$(replica_dir)/data" -w -m fast stop >/dev/null
    log "replica stopped"
  fi
}

cmd=${1:-}
case "$cmd" in
  install) install_packages ;;
  start) install_packages; BIN=$(pg_bindir); start ;;
  createdb) install_packages; BIN=$(pg_bindir); createdb "$2" ;;
  recreatedb) install_packages; BIN=$(pg_bindir); recreatedb "$2" ;;
  url) url "$APP_ROLE" "$2" ;;
  replica-start) install_packages; BIN=$(pg_bindir); replica_start ;;
  replica-stop) BIN=$(pg_bindir); replica_stop ;;
  replica-url) echo "postgresql+psycopg://$APP_ROLE@/$2?host=$(replica_dir)/run" ;;
  replica-psql) BIN=$(pg_bindir); shift; as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(replica_dir)/run" -d "${1:-postgres}" "${@:2}" ;;
  owner-url) url "$OWNER_ROLE" "$2" ;;
  logfile) echo "$(data_dir)/postgres.log" ;;
  psql) BIN=$(pg_bindir); shift; db=${1:-postgres}; shift || true; psql_super "$db" "$@" ;;
  stop)
    if BIN=$(pg_bindir); then replica_stop; fi
    if BIN=$(pg_bindir) && [ -f "$(data_dir)/data/PG_VERSION" ] && running; then
      as_owner "$BIN/pg_ctl" -D "$(data_dir)/data" -w stop >/dev/null
      log "stopped"
    fi ;;
  *) sed -n '2,18p' "$0"; exit 2 ;;
esac
