#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for trying several VptSp workers on one machine (not for production data).
#
# usage: scripts/postgres-dev.sh start|stop|status|url [DIR] [PORT]
#   start   initdb into DIR on first use, start the server, create the database `vptsp`, print the connection string
#   stop    fast shutdown (open connections are closed; committed data stays in DIR)
#   status  running or not (exit 0 when running, 3 when stopped, 4 when DIR holds no cluster)
#   url     print the Npgsql connection string
#   DIR     cluster folder (default: the repository's .vptsp/pg); PORT: loopback TCP port (default 55432)
#
# The server listens on 127.0.0.1 only, has no Unix socket, and trusts every loopback connection (no password):
# anyone with a shell on this machine can use it. Server binaries: Debian's postgresql
# (scripts/setup.sh --with-postgres). As root it runs as the `postgres` user (initdb and postgres refuse root),
# so DIR is chowned to postgres and its parent folders must be reachable by that user.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/postgres-lib.sh
. "$repo/scripts/postgres-lib.sh"

usage() { sed -n '4,9p' "$0" | sed 's/^# \{0,1\}//'; }
fail() { echo "postgres-dev: $*" >&2; exit 1; }

cmd="${1:-}"
case "$cmd" in
  start|stop|status|url) ;;
  -h|--help) usage; exit 0 ;;
  *) usage >&2; exit 2 ;;
esac
dir="${2:-$repo/.vptsp/pg}"
port_arg="${3:-}"
default_port=55432
if [ -n "$port_arg" ]; then
  case "$port_arg" in *[!0-9]*) fail "PORT must be a number, got '$port_arg'" ;; esac
  [ "$port_arg" -ge 1 ] && [ "$port_arg" -le 65535 ] || fail "PORT must be 1-65535, got $port_arg"
fi
dir="$(realpath -m "$dir")"
data="$dir/data"
log="$dir/server.log"
user=vptsp
database=vptsp

bin=$(pg_bin_dir) || fail "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; run scripts/setup.sh --with-postgres"

# initdb, pg_ctl and postgres refuse to run as root: as root they run as `postgres`
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then (cd "$dir" && runuser -u postgres -- "$@"); else "$@"; fi
}

# the port of the running server (postmaster.pid line 4), else the one given, else the cluster's configured one
current_port() {
  if [ -f "$data/postmaster.pid" ] && [ -n "$(sed -n 4p "$data/postmaster.pid")" ] && running; then
    sed -n 4p "$data/postmaster.pid"
  elif [ -n "$port_arg" ]; then
    echo "$port_arg"
  elif [ -f "$data/postgresql.conf" ] && grep -q '^port = ' "$data/postgresql.conf"; then
    sed -n 's/^port = \([0-9]*\).*/\1/p' "$data/postgresql.conf" | tail -1
  else
    echo "$default_port"
  fi
}

running() { [ -f "$data/PG_VERSION" ] && as_server_user "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; }

url() { echo "Host=127.0.0.1;Port=$(current_port);Username=$user;Database=$database"; }

init_cluster() {
  local port="${port_arg:-$default_port}"
  mkdir -p "$dir"
  echo "[postgres-dev] initdb: a new cluster in $data (PostgreSQL $(basename "$(dirname "$bin")"), superuser $user, trust on loopback)"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    runuser -u postgres -- test -w "$dir" ||
      fail "the postgres user cannot write $dir (a parent folder closed to other users?); pass a DIR it can reach, e.g. /tmp/vptsp-pg"
  fi
  as_server_user "$bin/initdb" -D "$data" -U "$user" --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
    { tail -20 "$dir/initdb.log" >&2; fail "initdb failed (log: $dir/initdb.log)"; }
  cat >>"$data/postgresql.conf" <<EOF

# scripts/postgres-dev.sh: loopback TCP only, no Unix socket
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 200
EOF
}

case "$cmd" in
  start)
    [ -f "$data/PG_VERSION" ] || init_cluster
    if running; then
      echo "[postgres-dev] already running on 127.0.0.1:$(current_port) ($data)"
    else
      port=$(current_port)
      echo "[postgres-dev] starting on 127.0.0.1:$port (log: $log)"
      as_server_user "$bin/pg_ctl" start -D "$data" -l "$log" -w -t 60 -o "-p $port" >/dev/null ||
        { tail -20 "$log" >&2 || true; fail "the server did not start on 127.0.0.1:$port (log: $log)"; }
    fi
    port=$(current_port)
    psql=("$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U "$user")
    if [ "$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != "1" ]; then
      echo "[postgres-dev] creating database $database"
      "${psql[@]}" -d postgres -c "CREATE DATABASE $database" >/dev/null
    fi
    echo "[postgres-dev] connection string:"
    url
    ;;
  stop)
    if running; then
      as_server_user "$bin/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null
      echo "[postgres-dev] stopped ($data)"
    else
      echo "[postgres-dev] not running ($data)"
    fi
    ;;
  status)
    if [ ! -f "$data/PG_VERSION" ]; then
      echo "[postgres-dev] no cluster in $dir (start creates one)"; exit 4
    elif running; then
      echo "[postgres-dev] running on 127.0.0.1:$(current_port), pid $(head -1 "$data/postmaster.pid") ($data)"
    else
      echo "[postgres-dev] stopped ($data)"; exit 3
    fi
    ;;
  url)
    url
    ;;
esac
