#!/bin/sh
# bench/hall.sh BINARY — the hall's load benchmark (bench/hall.mjs says what it measures),
# run by `make bench` after bench/run.sh; writes bench/RESULTS-hall.md.
set -eu
bin=${1:?usage: bench/hall.sh BINARY}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
case $bin in /*) ;; *) bin="$root/$bin" ;; esac
[ -x "$bin" ] || { echo "bench: $bin is not an executable" >&2; exit 1; }
exec node bench/hall.mjs "$bin" --report bench/RESULTS-hall.md
