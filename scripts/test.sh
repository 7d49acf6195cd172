#!/usr/bin/env bash
# `npm test`: type-check, import-direction check, then the whole mocha suite against a throwaway
# PostgreSQL cluster and Redis (or DATABASE_URL/REDIS_URL when set). Arguments select test files.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/services.sh"
source "$ROOT/scripts/state.sh"

ensure_deps
reap_stale_test_state
STATE="$(mktemp -d /tmp/neon-test-XXXXXX)"
echo $$ >"$STATE/owner.pid"
cleanup() { services_down; rm -rf "$STATE"; }
trap cleanup EXIT
[ -n "${DATABASE_URL:-}" ] && export NEON_TEST_EXTERNAL_DB=1
services_up "$STATE" test
# the browser tests drive Debian's Chromium (no browser downloads) against the built client
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then apt_install chromium; fi
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"
build_web_clients
export NEON_TEST_RUN_ID="r$$"

if [ -z "${NEON_TEST_SKIP_CHECKS:-}" ]; then  # set it to iterate on one test file faster; CI never does
  log "type-check"
  tsc --noEmit -p .
  for app in client admin; do [ -f "$app/tsconfig.json" ] && tsc --noEmit -p "$app"; done
  log "lint (no floating promises in the server, rooms and scripts)"
  eslint server rooms domain scripts
  log "format check (prettier; npm run format fixes it)"
  prettier --check --log-level warn .
  log "import-direction check"
  dirs=(); for d in server rooms domain client/src admin/src test; do [ -d "$d" ] && dirs+=("$d"); done
  depcruise --config .dependency-cruiser.cjs --output-type err "${dirs[@]}" >&2
fi

log "mocha"
if [ "$#" -gt 0 ]; then
  mocha "$@"
else
  mocha 'test/**/*.test.ts'
fi
