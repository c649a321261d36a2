#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests.
#
#   scripts/throwaway-postgres.sh start DIR   # prints ONE line on stdout: the admin URL
#   scripts/throwaway-postgres.sh stop DIR    # stops the server and removes DIR (idempotent)
#
# The cluster lives entirely inside DIR (data in DIR/data, unix socket in DIR/socket, server log
# in DIR/server.log). It listens on NO TCP address, only on the unix socket. Authentication is
# "trust", the superuser is "postgres". Everything except the URL goes to stderr.
#
# The URL has the form  postgres:///postgres?host=<DIR>/socket&user=postgres
# which both libpq (psql) and the `pg` npm package understand, and which — unlike
# postgres://postgres@/postgres?host=... — WHATWG `new URL()` can parse, so tests can swap the
# database name with `url.pathname = '/other'`.
#
# PostgreSQL refuses to run as root: when run as root, DIR is chowned to the `postgres` user and
# initdb/pg_ctl run via `runuser -u postgres --`.
#
# Environment:
#   THROWAWAY_PG_TIMEOUT   seconds to wait for the server to accept connections (default 60)
#   THROWAWAY_PG_BINDIR    use this PostgreSQL bin directory instead of the newest
#                          /usr/lib/postgresql/*/bin
set -euo pipefail

PROG=$(basename "$0")
MARKER=.throwaway-postgres
TIMEOUT=${THROWAWAY_PG_TIMEOUT:-60}

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: ERROR: %s\n' "$PROG" "$*" >&2; exit 1; }
usage() { printf 'usage: %s start DIR | stop DIR\n' "$PROG" >&2; exit 2; }

find_bindir() {
  if [[ -n "${THROWAWAY_PG_BINDIR:-}" ]]; then
    [[ -x "$THROWAWAY_PG_BINDIR/initdb" ]] || die "THROWAWAY_PG_BINDIR=$THROWAWAY_PG_BINDIR has no executable initdb"
    printf '%s\n' "$THROWAWAY_PG_BINDIR"
    return
  fi
  local best="" d
  # sort -V so that e.g. 9.6 < 15 < 16
  while IFS= read -r d; do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]] && best=$d
  done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V)
  [[ -n "$best" ]] || die "no PostgreSQL server found (no /usr/lib/postgresql/*/bin/initdb). Install it, e.g.: apt-get install -y postgresql-15"
  printf '%s\n' "$best"
}

# Run a command as the user that owns the cluster (postgres when we are root).
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Percent-encode a path for use as a URL query value (keeps / . _ ~ - and alphanumerics).
urlencode() {
  local s=$1 out="" c i
  local LC_ALL=C
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [a-zA-Z0-9/._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

print_log_tail() {
  if [[ -f "$1/server.log" ]]; then
    log "---- last lines of $1/server.log ----"
    tail -n 30 "$1/server.log" >&2 || true
    log "-------------------------------------"
  fi
}

cmd_start() {
  local dir=$1
  [[ -n "$dir" ]] || usage
  command -v runuser >/dev/null 2>&1 || [[ $(id -u) -ne 0 ]] || die "running as root but 'runuser' is not available"

  local bindir
  bindir=$(find_bindir)

  if [[ -e "$dir" ]]; then
    [[ -d "$dir" ]] || die "$dir exists and is not a directory"
    [[ -z "$(ls -A "$dir")" ]] || die "$dir is not empty; refusing to create a cluster in it"
  else
    mkdir -p "$dir" || die "cannot create $dir"
  fi
  dir=$(cd "$dir" && pwd -P)

  local data="$dir/data" sock="$dir/socket" logfile="$dir/server.log"
  # Unix socket paths are limited to 107 bytes (sun_path); ".s.PGSQL.5432" is 13 + "/".
  if (( ${#sock} + 14 > 107 )); then
    die "socket path $sock/.s.PGSQL.5432 is too long for a unix socket (max 107 bytes); use a shorter DIR"
  fi

  : >"$dir/$MARKER"
  mkdir "$data" "$sock"
  chmod 700 "$data" "$sock"
  : >"$logfile"

  if [[ $(id -u) -eq 0 ]]; then
    getent passwd postgres >/dev/null 2>&1 \
      || die "running as root and there is no 'postgres' user; PostgreSQL refuses to run as root. Create one (useradd --system postgres) or run as a normal user"
    chown -R postgres: "$dir" || die "cannot chown $dir to postgres"
    runuser -u postgres -- test -w "$dir" -a -x "$dir" \
      || die "user postgres cannot write to $dir (is a parent directory not searchable by postgres?)"
  fi

  local locale_args=(--encoding=UTF8 --locale=C)
  if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
    locale_args=(--encoding=UTF8 --locale=C.UTF-8)
  fi

  log "initdb ($bindir) in $data"
  if ! as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust "${locale_args[@]}" >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2 || true
    die "initdb failed"
  fi

  # Socket only, no TCP. Values are quoted for postgresql.conf ('' escapes a quote).
  local qsock=${sock//\'/\'\'}
  cat >>"$data/postgresql.conf" <<EOF

# --- throwaway-postgres.sh ---
listen_addresses = ''
unix_socket_directories = '$qsock'
unix_socket_permissions = 0777
port = 5432
max_connections = 200
fsync = on
EOF

  log "starting server (socket in $sock)"
  if ! as_owner "$bindir/pg_ctl" -D "$data" -l "$logfile" -w -t "$TIMEOUT" start >&2; then
    print_log_tail "$dir"
    die "pg_ctl start failed"
  fi

  local waited=0
  until "$bindir/pg_isready" -q -h "$sock" -p 5432 -U postgres -d postgres; do
    if (( waited >= TIMEOUT )); then
      print_log_tail "$dir"
      die "server did not become ready within ${TIMEOUT}s (run '$PROG stop $dir' to clean up)"
    fi
    sleep 1
    waited=$((waited + 1))
  done

  log "ready"
  printf 'postgres:///postgres?host=%s&user=postgres\n' "$(urlencode "$sock")"
}

cmd_stop() {
  local dir=$1
  [[ -n "$dir" ]] || usage
  if [[ ! -e "$dir" ]]; then
    log "$dir does not exist; nothing to stop"
    return 0
  fi
  [[ -d "$dir" ]] || die "$dir is not a directory"
  # Never rm -rf a directory we did not create.
  if [[ ! -e "$dir/$MARKER" ]]; then
    if [[ -z "$(ls -A "$dir")" ]]; then
      rmdir "$dir"
      return 0
    fi
    die "$dir was not created by $PROG (no $MARKER file); refusing to remove it"
  fi

  if [[ -f "$dir/data/postmaster.pid" ]]; then
    local bindir=""
    bindir=$(find_bindir 2>/dev/null) || true
    if [[ -n "$bindir" ]]; then
      log "stopping server in $dir/data"
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t "$TIMEOUT" stop >&2 \
        || log "pg_ctl stop failed (server probably not running); removing $dir anyway"
    else
      # No binaries any more: signal the postmaster directly (SIGINT = fast shutdown).
      local pid
      pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
      if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -INT "$pid" 2>/dev/null || true
        for _ in $(seq 1 "$TIMEOUT"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      fi
    fi
  fi
  rm -rf -- "$dir"
  log "removed $dir"
}

[[ $# -eq 2 ]] || usage
case $1 in
  start) cmd_start "$2" ;;
  stop) cmd_stop "$2" ;;
  *) usage ;;
esac
