#!/bin/sh
# A throwaway PostgreSQL 15 cluster for tests and benchmarks, in a directory of its own.
#
#   scripts/pg.sh start DIR [PORT]   initdb (once) and start; prints the conninfo
#   scripts/pg.sh stop DIR           stop it (the directory stays until you remove it)
#   scripts/pg.sh url DIR            the conninfo of a started cluster
#
# PG_OPTS adds server settings (`-c name=value …`): the unit tests, whose business is not
# durability, turn fsync off.
#
# PostgreSQL refuses to run as root, and CI runs as root: then the cluster belongs to the
# `postgres` user that Debian's postgresql-15 package creates (DIR's parents must let it
# through).  The server listens on
# 127.0.0.1 at PORT (a free one when not given) and on a socket in DIR; authentication is
# trust on loopback only — a test cluster, never a production layout (docs/operations.md).
set -eu
cmd=${1:?usage: pg.sh start|stop|url DIR [PORT]}
dir=${2:?usage: pg.sh start|stop|url DIR [PORT]}
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/initdb" ] || { echo "pg.sh: PostgreSQL 15 is not installed (scripts/deps.sh test)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    if [ ! -s "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U onewindow --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 --data-checksums >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    port=${3:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
    # Durability as in production (fsync, synchronous_commit on); sizes for a test box.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
          -c max_connections=200 -c shared_buffers=128MB -c fsync=on -c synchronous_commit=on \
          -c log_min_messages=warning ${PG_OPTS:-}" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    # The application's database, with the two extensions its schema uses.
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U onewindow -d postgres -qAt \
      -c "SELECT 1 FROM pg_database WHERE datname = 'onewindow'" | grep -q 1 ||
      as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U onewindow onewindow
    echo "host=127.0.0.1 port=$port user=onewindow dbname=onewindow"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  url)
    echo "host=127.0.0.1 port=$(cat "$dir/port") user=onewindow dbname=onewindow"
    ;;
  *) echo "pg.sh: unknown command $cmd" >&2; exit 2 ;;
esac
