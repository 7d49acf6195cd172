#!/usr/bin/env bash
# `npm run bench`: measures the baselines (pgbench on the same PostgreSQL) and the server's figures in one run, against
# a throwaway PostgreSQL + Redis with default durability (or DATABASE_URL/REDIS_URL when set), and prints one table.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/services.sh"

ensure_deps
STATE="$(mktemp -d /tmp/neon-bench-XXXXXX)"
cleanup() { services_down; rm -rf "$STATE"; }
trap cleanup EXIT
services_up "$STATE" bench
export PGBENCH_BIN="$(pg_bindir)/pgbench"
[ -x "$PGBENCH_BIN" ] || PGBENCH_BIN="$(command -v pgbench || true)"
node ${NEON_BENCH_NODE_ARGS:-} --import tsx scripts/bench/bench.ts "$@"
