#!/bin/sh
# bench/exchange.sh BINARY — the exchange's outbox against the district's own submit rate
# (bench/exchange.mjs says what it measures), run by `make bench`; writes
# bench/RESULTS-exchange.md.
set -eu
bin=${1:?usage: bench/exchange.sh BINARY}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
case $bin in /*) ;; *) bin="$root/$bin" ;; esac
[ -x "$bin" ] || { echo "bench: $bin is not an executable" >&2; exit 1; }
exec node bench/exchange.mjs "$bin" --report bench/RESULTS-exchange.md
