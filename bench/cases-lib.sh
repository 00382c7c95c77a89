# bench/cases-lib.sh — what bench/cases.sh and bench/cases-pg.sh both read from wrk's
# output (sourced, not run).

# The materials of a 内地居民结婚登记 submit, as the JSON array's inside.
mats='"居民户口簿","居民身份证","本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明","近期半身免冠合影照片"'

# wrk's latency (1.2ms, 850.00us, 1.1s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else printf "?" }'
}
# pct_of FILE 99%: that percentile of wrk's --latency table, in ms.
pct_of() { to_ms "$(awk -v p="$2" '$1 == p { print $2 }' "$1")"; }
# errors_of FILE: non-2xx answers and socket errors.
errors_of() {
  awk '/Non-2xx or 3xx responses:/ { n += $NF }
       /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
       END { print n + 0 }' "$1"
}
