#!/bin/sh
# Installs the Debian packages onewindow needs, only when one is missing.
# Idempotent and quiet when everything is present; runs `apt-get update` at
# most once, and only when it must install.  Works as root on a fresh Debian 12
# (or through sudo).  Usage: scripts/deps.sh [build|test|bench|fuzz|ha]...
set -eu

# libxlsxwriter-dev: statistics and catalog exports; libzip-dev and libexpat1-dev: the catalog's
# XLSX import (src/catalog/catalog_xlsx.c); libcairo2-dev, libpango1.0-dev, libqrencode-dev and
# fonts-noto-cjk: PDF notices (src/docs), with libharfbuzz-dev (its subsetter) and
# libfontconfig-dev to subset the CJK fonts once per process (issue 23); libpq-dev: the PostgreSQL backend (src/store/db.c);
# libcurl4-openssl-dev: the exchange's sender posts to the city (src/exchange/sender.c), and
# the provincial sign-in's discovery, token and JWKS requests go through it;
# libcjose-dev: ID tokens and JWKS of the provincial sign-in (src/identity, decision 0007);
# libssl-dev: HMAC-SHA1 of the aliyun SMS adapter's request signature (src/exchange/aliyun_sign.c).
build_pkgs="gcc make cmake pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev
  libxlsxwriter-dev libzip-dev libexpat1-dev libcairo2-dev libpango1.0-dev libqrencode-dev fonts-noto-cjk
  libpq-dev libcjose-dev libcurl4-openssl-dev libharfbuzz-dev libfontconfig-dev libssl-dev"
# poppler-utils (pdftoppm, pdffonts) and zbar-tools (zbarimg) check the PDFs in tests.
# liblunar-date-dev: the unit test that checks the provisional calendar's lunar table;
# faketime: the unit tests run again at other dates (make test-unit-faketime); clang-format:
# make format-check; postgresql-15 and nginx-light: the API suite on PostgreSQL with two nodes
# behind a round-robin balancer (scripts/pg.sh, scripts/nginx-lb.sh).
test_pkgs="libcmocka-dev chromium fonts-noto-cjk curl poppler-utils zbar-tools liblunar-date-dev
  faketime clang-format postgresql-15 postgresql-client-15 nginx-light"
bench_pkgs="nginx-light wrk"
# patroni (with python3-psycopg2 and python3-etcd, which it uses to reach PostgreSQL and
# etcd) and etcd-server: the three-node cluster of make test-ha (scripts/ha.sh, issue 17).
ha_pkgs="patroni python3-psycopg2 python3-etcd etcd-server etcd-client"
# clang and its sanitizer runtimes with libFuzzer: make fuzz.
fuzz_pkgs="clang libclang-rt-14-dev"

want="$build_pkgs"
for group in "$@"; do
  case "$group" in
    build) ;;
    test) want="$want $test_pkgs" ;;
    bench) want="$want $test_pkgs $bench_pkgs" ;;
    fuzz) want="$want $test_pkgs $fuzz_pkgs" ;;
    ha) want="$want $test_pkgs $ha_pkgs" ;;
    *) echo "deps.sh: unknown group $group" >&2; exit 2 ;;
  esac
done

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  echo "deps.sh: installing$missing"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "deps.sh: need root or sudo to install$missing" >&2; exit 1; }
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Node.js 20 or newer builds the web UI (the machine image has it; Debian 12's is 18).
if ! command -v node >/dev/null 2>&1; then
  echo "deps.sh: node (20 or newer) is required to build the web UI; it is not on PATH" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "deps.sh: node $major found; the web UI needs node 20 or newer" >&2
  exit 1
fi
