#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster on 127.0.0.1 for the tests.
#   eval "$(tests/postgres.sh start)"   # prints export lines: CCBOT_TEST_POSTGRES, CCBOT_TEST_PGDIR
#   tests/postgres.sh stop "$CCBOT_TEST_PGDIR"
# The cluster lives in a temp folder with its own port and socket folder; `stop` removes it.
# initdb refuses to run as root, so under root the cluster belongs to the 'postgres' user (or 'nobody').
set -euo pipefail

pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [[ -n "$d" && -x "$d/initdb" ]] || { echo "PostgreSQL server binaries not found (Debian package 'postgresql')" >&2; exit 1; }
  echo "$d"
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    local owner=postgres
    id -u postgres >/dev/null 2>&1 || owner=nobody
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    bin=$(pg_bin)
    dir=$(mktemp -d /tmp/ccbot-pg.XXXXXX)
    chmod 755 "$dir"
    if [[ $(id -u) -eq 0 ]]; then
      owner=postgres; id -u postgres >/dev/null 2>&1 || owner=nobody
      chown "$owner" "$dir"
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    as_owner "$bin/initdb" -D "$dir/data" -U ccbot -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # Throwaway data: no fsync, unless PG_DURABLE=1 (benchmarks compare with SQLite's synchronous=FULL, so they
    # keep PostgreSQL's durable defaults). Enough connections for two bot instances plus parallel test classes.
    opts="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400 -c shared_buffers=128MB"
    [[ "${PG_DURABLE:-0}" == 1 ]] || opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "export CCBOT_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=ccbot;Database=postgres;Maximum Pool Size=50'"
    echo "export CCBOT_TEST_PGDIR='$dir'"
    ;;
  stop)
    dir=${2:?usage: postgres.sh stop DIR}
    bin=$(pg_bin)
    [[ -d "$dir/data" ]] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
