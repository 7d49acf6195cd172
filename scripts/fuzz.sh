#!/usr/bin/env bash
# `npm run fuzz -- --minutes N [--seed S]`: the room and HTTP fuzzers for N minutes against a throwaway PostgreSQL and
# Redis (test/fuzz/long-run.fuzz.ts); prints the seeds and the counts. `npm test` runs short seeded slices.
set -euo pipefail
minutes=5
seed=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "usage: npm run fuzz -- [--minutes N] [--seed S]" >&2; exit 2 ;;
  esac
done
export FUZZ_MINUTES="$minutes"
[ -n "$seed" ] && export FUZZ_SEED="$seed"
export NEON_TEST_SKIP_CHECKS=1
exec bash "$(dirname "$0")/test.sh" test/fuzz/long-run.fuzz.ts
