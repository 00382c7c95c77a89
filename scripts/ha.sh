#!/bin/sh
# A throwaway high-availability PostgreSQL 15 cluster on loopback, in a directory of its
# own: one etcd and three PostgreSQL nodes managed by Patroni, synchronous replication
# (docs/decisions/0006-high-availability.md; the production layout is in
# docs/operations.md, "High availability").  For make test-ha, never for production.
#
#   scripts/ha.sh start DIR          etcd + node1..node3; waits for a primary and a
#                                    synchronous standby; prints the multi-host conninfo
#   scripts/ha.sh stop DIR           stop every node and etcd
#   scripts/ha.sh url DIR            the conninfo onewindow uses
#   scripts/ha.sh leader DIR         the node that is primary now (node1…node3)
#   scripts/ha.sh node-start DIR N   start node N's Patroni again (after it was killed)
#   scripts/ha.sh pids DIR N         node N's Patroni pid, then its postmaster's pid
#
# PostgreSQL refuses to run as root: as pg.sh does, the nodes then run as the `postgres`
# user of Debian's postgresql-15 package (DIR's parents must let it through).  Patroni
# settings for a test: ttl 10 s, loop_wait 1 s, so a lost leader is replaced in seconds.
#
# For a test that cuts a node off (tests/ha/failover.mjs), start takes from the
# environment HA_PORTS, the eight ports to use (etcd client, etcd peer, then rest and
# postgres of each node), and HA_DCS, three ports through which node 1, 2 and 3 reach
# etcd (the test's proxies; default: etcd's own client port).  use_proxies keeps Patroni
# on that port rather than on the member address etcd advertises.
set -eu
cmd=${1:?usage: ha.sh start|stop|url|leader|node-start|pids DIR [N]}
dir=${2:?usage: ha.sh start|stop|url|leader|node-start|pids DIR [N]}
bin=/usr/lib/postgresql/15/bin
command -v patroni >/dev/null && command -v etcd >/dev/null ||
  { echo "ha.sh: patroni and etcd are not installed (scripts/deps.sh ha)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
url() {
  p=$(cat "$dir/ports")
  set -- $p
  echo "host=127.0.0.1,127.0.0.1,127.0.0.1 port=$4,$6,$8 user=onewindow dbname=onewindow target_session_attrs=read-write"
}
# which node's REST API says it is the primary (200 on /primary)
leader() {
  set -- $(cat "$dir/ports")
  i=1
  for r in $3 $5 $7; do
    if curl -sf -m 2 -o /dev/null "http://127.0.0.1:$r/primary"; then echo "node$i"; return 0; fi
    i=$((i + 1))
  done
  return 1
}
# a process that is there and not a zombie (this machine's first process may not reap)
alive() {
  [ -r "/proc/$1/stat" ] && [ "$(cut -d')' -f2 "/proc/$1/stat" | cut -c2)" != Z ]
}
node_start() {
  n=$1
  as_owner sh -c "nohup patroni '$dir/node$n.yml' >>'$dir/node$n.log' 2>&1 & echo \$! >'$dir/node$n.pid'"
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    # etcd client, etcd peer, then (rest, postgres) for each node
    echo "${HA_PORTS:-$(free_port) $(free_port) $(free_port) $(free_port) $(free_port) $(free_port) $(free_port) $(free_port)}" >"$dir/ports"
    set -- $(cat "$dir/ports")
    etcd_client=$1
    dcs="${HA_DCS:-$1 $1 $1}"
    etcd_peer=$2
    nohup etcd --name ha --data-dir "$dir/etcd" \
      --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
      --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
      --initial-cluster "ha=http://127.0.0.1:$etcd_peer" >"$dir/etcd.log" 2>&1 &
    echo $! >"$dir/etcd.pid"
    i=1
    for pair in "$3 $4" "$5 $6" "$7 $8"; do
      set -- $pair
      rest=$1
      pg=$2
      set -- $dcs
      eval "dcs_port=\${$i}"
      mkdir -p "$dir/node$i"
      cat >"$dir/node$i.yml" <<EOF
scope: onewindow-test
name: node$i
restapi:
  listen: 127.0.0.1:$rest
  connect_address: 127.0.0.1:$rest
etcd3:
  hosts: 127.0.0.1:$dcs_port
  use_proxies: true
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        max_connections: 200
        synchronous_commit: "on"
        fsync: "on"
  initdb:
  - encoding: UTF8
  - locale: C.UTF-8
  - data-checksums
  pg_hba:
  - local all all trust
  - host all all 127.0.0.1/32 trust
  - host replication all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:$pg
  connect_address: 127.0.0.1:$pg
  data_dir: $dir/node$i/data
  bin_dir: $bin
  basebackup:
  - checkpoint: fast
  pgpass: $dir/node$i/pgpass
  authentication:
    superuser:
      username: onewindow
      password: onewindow-test
    replication:
      username: replicator
      password: onewindow-test
    rewind:
      username: onewindow
      password: onewindow-test
  parameters:
    unix_socket_directories: $dir/node$i
    shared_buffers: 64MB
    log_min_messages: warning
EOF
      i=$((i + 1))
    done
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi
    # etcd first, then the nodes; the first to get the leader key bootstraps the cluster
    for t in $(seq 1 100); do
      etcdctl --endpoints "127.0.0.1:$etcd_client" endpoint health >/dev/null 2>&1 && break
      sleep 0.1
    done
    node_start 1
    for t in $(seq 1 600); do leader >/dev/null && break; sleep 0.1; done
    leader >/dev/null || { echo "ha.sh: no primary after 60 s" >&2; tail -20 "$dir/node1.log" >&2; exit 1; }
    node_start 2
    node_start 3
    set -- $(cat "$dir/ports")
    l=$(leader)
    k=${l#node}
    lr=$(eval echo \$$((2 * k + 1)))
    lp=$(eval echo \$$((2 * k + 2)))
    # the application's database, then wait until a synchronous standby is streaming
    as_owner "$bin/psql" -h 127.0.0.1 -p "$lp" -U onewindow -d postgres -qAt \
      -c "SELECT 1 FROM pg_database WHERE datname = 'onewindow'" | grep -q 1 ||
      as_owner "$bin/createdb" -h 127.0.0.1 -p "$lp" -U onewindow onewindow
    for t in $(seq 1 900); do
      n=$(curl -sf -m 2 "http://127.0.0.1:$lr/cluster" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const c=JSON.parse(s);console.log(c.members.filter(m=>m.role==="sync_standby"&&(m.state==="streaming"||m.state==="running")).length+" "+c.members.filter(m=>m.state==="streaming"||m.state==="running").length)})' 2>/dev/null || echo "0 0")
      [ "$n" = "1 3" ] && break
      sleep 0.2
    done
    [ "$n" = "1 3" ] || { echo "ha.sh: standbys not streaming after 180 s ($n)" >&2; exit 1; }
    url
    ;;
  stop)
    for i in 1 2 3; do
      [ -f "$dir/node$i.pid" ] && kill "$(cat "$dir/node$i.pid")" 2>/dev/null || true
    done
    for i in 1 2 3; do
      for t in $(seq 1 100); do
        [ -f "$dir/node$i.pid" ] && alive "$(cat "$dir/node$i.pid")" || break
        sleep 0.1
      done
      [ -d "$dir/node$i/data" ] && as_owner "$bin/pg_ctl" -D "$dir/node$i/data" -m immediate -w stop >/dev/null 2>&1 || true
    done
    [ -f "$dir/etcd.pid" ] && kill "$(cat "$dir/etcd.pid")" 2>/dev/null || true
    ;;
  url) url ;;
  leader) leader ;;
  node-start) node_start "${3:?node number}" ;;
  pids)
    n=${3:?node number}
    pm=$(head -1 "$dir/node$n/data/postmaster.pid" 2>/dev/null || echo 0)
    echo "$(cat "$dir/node$n.pid") $pm"
    ;;
  *) echo "ha.sh: unknown command $cmd" >&2; exit 2 ;;
esac
