#!/usr/bin/env bash
# `npm start`: install, provision PostgreSQL + Redis (unless DATABASE_URL/REDIS_URL are set), migrate,
# seed demo data, build the web clients when needed, and serve everything on $PORT (default 2567).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/services.sh"
source "$ROOT/scripts/state.sh"

ensure_deps
load_dev_state
trap services_down EXIT
services_up "$NEON_STATE_DIR" dev

run_ts server/cli/migrate.ts
run_ts server/cli/seed.ts
build_web_clients

# Forward Ctrl-C / SIGTERM to the server and wait for its graceful shutdown, then stop the services.
child=""
forward() { [ -n "$child" ] && kill -TERM "$child" 2>/dev/null || true; }
trap forward INT TERM
node --import tsx server/main.ts "$@" &
child=$!
rc=0
while :; do
  wait "$child" && rc=0 || rc=$?
  kill -0 "$child" 2>/dev/null || break
done
exit "$rc"
