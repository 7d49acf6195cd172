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
trap services_down EXIT
services_up "$NEON_STATE_DIR" dev
if [ "$cmd" != migrate ] && [ "$cmd" != migration-create ] && [ "$cmd" != pay-simulate ]; then run_ts server/cli/migrate.ts --quiet; fi
rc=0
run_ts "server/cli/$cmd.ts" "$@" || rc=$?
exit "$rc"
