#!/usr/bin/env bash
# Runs one of the maintenance commands (migrate, reconcile, admin-create, migration-create) against the
# local development services, starting them for the duration of the command when they are not running.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/services.sh"
source "$ROOT/scripts/state.sh"

cmd="${1:?usage: run.sh <command> [args]}"; shift
[ -f "server/cli/$cmd.ts" ] || die "unknown command: $cmd"
ensure_deps
load_dev_state
# with no npm start running, this command holds the state directory (and stops the services it started) until it
# ends, so a start meanwhile is refused instead of sharing services that go away under it; with one running, it
# uses that start's services and leaves them running
lock_dev_state "npm run $cmd" try || log "npm start is running on $NEON_STATE_DIR: using its PostgreSQL and Redis"
trap services_down EXIT
services_up "$NEON_STATE_DIR" dev
if [ "$cmd" != migrate ] && [ "$cmd" != migration-create ] && [ "$cmd" != pay-simulate ]; then run_ts server/cli/migrate.ts --quiet; fi
rc=0
run_ts "server/cli/$cmd.ts" "$@" || rc=$?
exit "$rc"
