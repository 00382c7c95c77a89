#!/bin/sh
# Runs every libFuzzer harness of tests/fuzz for a set time (make fuzz), merges what
# grew coverage into the committed corpus tests/fuzz/corpus/NAME, keeps any crashing
# input under tests/fuzz/findings/, and appends each harness's executions and findings
# to bench/fuzz-runs.tsv, from which bench/RESULTS-fuzz.md is written (totals per
# harness against the goal of 10,000,000 executions without a finding).
# Usage: scripts/fuzz.sh BUILD_DIR SECONDS [HARNESS...]
set -eu
build=$1; secs=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
harnesses=${*:-$(ls tests/fuzz/fuzz_*.c | sed 's#tests/fuzz/fuzz_##; s#\.c$##')}
log=bench/fuzz-runs.tsv
[ -f "$log" ] || printf 'date\tharness\tseconds\texecutions\tfindings\tcorpus\n' > "$log"
scratch=$(mktemp -d /tmp/onewindow-fuzz.XXXXXX)
mkdir -p tests/fuzz/findings
status=0
for h in $harnesses; do
  corpus=tests/fuzz/corpus/$h
  mkdir -p "$scratch/$h" "$corpus"
  echo "fuzz: $h for ${secs}s"
  # -fork would use both cores but hides executions from the final stats; one job each.
  "$build/fuzz_$h" -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=2048 \
    -timeout=10 -artifact_prefix="$scratch/$h-" "$scratch/$h" "$corpus" \
    >"$scratch/$h.log" 2>&1 || true
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$h.log" | tail -1)
  found=0
  for a in "$scratch/$h"-crash-* "$scratch/$h"-leak-* "$scratch/$h"-timeout-* "$scratch/$h"-oom-*; do
    [ -e "$a" ] || continue
    found=$((found + 1))
    cp "$a" tests/fuzz/findings/
  done
  if [ "$found" -gt 0 ]; then
    status=1
    echo "fuzz: $h FOUND $found input(s), kept in tests/fuzz/findings/:"
    grep -E "ERROR|Assertion|SUMMARY" "$scratch/$h.log" | head -5
  fi
  # keep only the inputs that add coverage
  "$build/fuzz_$h" -merge=1 "$corpus" "$scratch/$h" >/dev/null 2>&1 || true
  n=$(ls "$corpus" | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$h" "$secs" "${execs:-0}" "$found" "$n" >> "$log"
  echo "fuzz: $h ${execs:-0} executions, $found findings, corpus $n"
done
rm -rf "$scratch"

{
  echo "# Fuzzing (make fuzz)"
  echo
  echo "Produced by \`make fuzz\` (\`scripts/fuzz.sh build-fuzz FUZZ_SECONDS\`: clang 14 libFuzzer with"
  echo "ASan+UBSan, one job per harness on this 2-core machine). Totals add up every run logged in"
  echo "\`bench/fuzz-runs.tsv\`; each run starts from the committed corpus. \`make test\` replays every"
  echo "corpus file once under the ordinary ASan build (CTest \`fuzz_*\`)."
  echo
  echo "| harness | what it feeds | runs | seconds | executions | goal 10,000,000 | findings | corpus | last run |"
  echo "|---|---|---:|---:|---:|---|---:|---:|---|"
  awk -F'\t' -v goal=10000000 '
    NR == 1 { next }
    { runs[$2]++; secs[$2] += $3; ex[$2] += $4; fd[$2] += $5; corpus[$2] = $6; last[$2] = $1 }
    END {
      what["ids"] = "resident ID numbers, USCC"
      what["calendar_csv"] = "a year'"'"'s holiday notice (CSV) loaded and rolled back"
      what["json_inputs"] = "request bodies into the typed JSON readers, dates, instants"
      what["catalog_csv"] = "catalog import, CSV"
      what["catalog_xlsx"] = "catalog import, XLSX (libzip, expat)"
      what["upload"] = "upload sniffing (PDF/JPEG/PNG/ZIP/OFD/OLE2), file names"
      what["router"] = "method and path against the route table"
      for (h in ex)
        printf "| %s | %s | %d | %d | %d | %s | %d | %d | %s |\n", h, what[h], runs[h], secs[h], ex[h], (ex[h] >= goal ? "reached" : sprintf("%.0f%%", 100 * ex[h] / goal)), fd[h], corpus[h], last[h]
    }' "$log" | sort
  # what a finding turned out to be, kept by hand beside the log
  [ -f bench/fuzz-notes.md ] && { echo; cat bench/fuzz-notes.md; }
} > bench/RESULTS-fuzz.md
echo "fuzz: wrote bench/RESULTS-fuzz.md"
exit $status
