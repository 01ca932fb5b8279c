# Shared by scripts/setup.sh and scripts/postgres-dev.sh (sourced, not run).

# Prints the bin folder of the highest Debian PostgreSQL server installed (/usr/lib/postgresql/NN/bin holding
# initdb, pg_ctl and postgres); fails when there is none.
pg_bin_dir() {
  local bin best="" best_ver=-1 ver
  for bin in /usr/lib/postgresql/*/bin; do
    [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ] && [ -x "$bin/postgres" ] || continue
    ver=$(basename "$(dirname "$bin")")
    case "$ver" in *[!0-9]*|'') continue ;; esac
    if [ "$ver" -gt "$best_ver" ]; then best_ver=$ver; best=$bin; fi
  done
  [ -n "$best" ] && echo "$best"
}
