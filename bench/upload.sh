#!/bin/sh
# bench/upload.sh URL DIR — upload throughput against a plain `cp` on the same disk.
#
# Makes a 20 MiB PDF-looking file (starts with %PDF-, the largest upload the default
# upload_max_bytes allows) in DIR, which must be on the disk the server stores its files
# on (run.sh passes the bench directory that holds the server's data dir).  Then:
#   - cp: copies it N times within DIR, each copy fsynced (`sync FILE`), timed together;
#   - upload: signs in as demo-citizen and sends it N times with curl (--data-binary,
#     session cookie, X-CSRF-Token) to cases the citizen files for an online item
#     (生育登记), a new case every 4 uploads (upload_case_max_bytes is 100 MiB).  The
#     server streams each to a temporary file, hashes it, fsyncs, renames, commits a row.
# Prints a Markdown section (MB/s of both and their ratio) on stdout; progress on stderr.
# Environment: OW_BENCH_UPLOADS=8 (N).
set -eu

url=${1:?usage: bench/upload.sh URL DIR}
dir=${2:?usage: bench/upload.sh URL DIR}
n=${OW_BENCH_UPLOADS:-8}
mib=20
work="$dir/upload-bench"
rm -rf "$work" && mkdir -p "$work"
src="$work/sample.pdf"

now_ns() { date +%s%N; }

# the sample: a PDF header, then 20 MiB - 9 bytes of random data (no compression games)
{
  printf '%%PDF-1.7\n'
  head -c $((mib * 1024 * 1024 - 9)) /dev/urandom
} >"$src"
bytes=$(wc -c <"$src")
sync "$src"

# ---- cp + fsync ----
echo "upload-bench: cp × $n" >&2
t0=$(now_ns)
i=1
while [ "$i" -le "$n" ]; do
  cp "$src" "$work/copy-$i.pdf"
  sync "$work/copy-$i.pdf"
  i=$((i + 1))
done
t1=$(now_ns)
cp_ns=$((t1 - t0))
rm -f "$work"/copy-*.pdf

# ---- uploads ----
resp=$(curl -sS -D "$work/signin.h" -H 'Content-Type: application/json' \
  -d '{"username":"demo-citizen","password":"Demo@2026"}' "$url/api/v1/session")
cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(ow_session=[^;]*\).*/\1/p' "$work/signin.h")
csrf=$(echo "$resp" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
[ -n "$cookie" ] && [ -n "$csrf" ] || { echo "upload-bench: sign-in failed: $resp" >&2; exit 1; }

# an online item and its first material, from the catalog API
q=$(node -e 'process.stdout.write(encodeURIComponent("生育登记"))')
curl -fsS "$url/api/v1/items?q=$q" >"$work/items.json"
item=$(node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
  const it = d.items.find((i) => i.modes.includes("online"))
  if (!it) process.exit(1)
  console.log(it.id)' "$work/items.json") || { echo "upload-bench: no online 生育登记 item" >&2; exit 1; }
curl -fsS "$url/api/v1/items/$item" >"$work/item.json"
material=$(node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
  process.stdout.write(encodeURIComponent(d.materials[0].name))' "$work/item.json")

new_case() {
  curl -fsS -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"item_id\":$item,\"materials\":[]}" "$url/api/v1/cases" |
    sed -n 's/^{"id":\([0-9]*\),.*/\1/p'
}

# cases first (not timed), four uploads each
cases=""
i=0
while [ "$i" -lt "$n" ]; do
  c=$(new_case)
  [ -n "$c" ] || { echo "upload-bench: could not file a case" >&2; exit 1; }
  cases="$cases $c"
  i=$((i + 4))
done

echo "upload-bench: upload × $n" >&2
failed=0
t0=$(now_ns)
i=0
for c in $cases; do
  k=0
  while [ "$k" -lt 4 ] && [ "$i" -lt "$n" ]; do
    code=$(curl -sS -o "$work/upload.out" -w '%{http_code}' -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" \
      -H 'Content-Type: application/pdf' --data-binary @"$src" \
      "$url/api/v1/cases/$c/materials/upload?material=$material&filename=sample.pdf")
    [ "$code" = 201 ] || { failed=$((failed + 1)); echo "upload-bench: HTTP $code: $(head -c 300 "$work/upload.out")" >&2; }
    k=$((k + 1))
    i=$((i + 1))
  done
done
t1=$(now_ns)
up_ns=$((t1 - t0))

mbps() { awk -v b="$1" -v n="$2" -v ns="$3" 'BEGIN { printf "%.1f", (ns > 0 ? b * n / 1e6 / (ns / 1e9) : 0) }'; }
cp_mbps=$(mbps "$bytes" "$n" "$cp_ns")
up_mbps=$(mbps "$bytes" "$n" "$up_ns")
ratio=$(awk -v a="$up_mbps" -v b="$cp_mbps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
fs=$(df -PT "$work" | awk 'NR == 2 { print $2 }')
rm -rf "$work"

echo "## Upload throughput (issue 7)"
echo
echo "One ${mib} MiB PDF-looking file ($bytes B) $n times, on the same disk ($fs): \`cp\` followed by \`sync FILE\` (fsync) for each copy, against \`curl --data-binary\` uploads to \`POST /api/v1/cases/{id}/materials/upload\` as demo-citizen (signed-in, CSRF header; streamed to a temporary file while SHA-256 is computed, fsynced, renamed into the content-addressed store, row committed), one at a time over loopback."
echo
echo "| copy | files | MB/s | ratio to cp |"
echo "|---|---:|---:|---:|"
echo "| cp + fsync | $n | $cp_mbps | 1.00 |"
if [ "$failed" -gt 0 ]; then
  echo "| **upload** | $n ($failed failed) | $up_mbps | n/a |"
else
  echo "| **upload** | $n | $up_mbps | **$ratio** |"
fi
