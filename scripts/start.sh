#!/usr/bin/env bash
# `npm start [-- --processes N]`: install, provision PostgreSQL + Redis (unless DATABASE_URL/REDIS_URL are set), migrate,
# seed demo data, build the web clients when needed, and serve everything on $PORT (default 2567).
#
# With N > 1 (or PROCESSES=N) it runs N game processes on ports PORT … PORT+N-1 that share rooms through Colyseus's
# RedisPresence/RedisDriver. Each gets its own PUBLIC_ADDRESS (host:port), which seat reservations hand to the SDK, so a
# room may live on any process and the client's WebSocket goes straight to it. Every process serves the whole HTTP API;
# PORT is the public entry. The BullMQ workers then run in one more process (RUN_WORKERS=false on the game processes).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/services.sh"
source "$ROOT/scripts/state.sh"

processes="${PROCESSES:-1}"
args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --processes) [ "$#" -ge 2 ] || die "--processes needs a number"; processes="$2"; shift 2 ;;
    --processes=*) processes="${1#*=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ "$processes" =~ ^[1-9][0-9]*$ ]] && [ "$processes" -le 64 ] || die "--processes / PROCESSES must be a whole number from 1 to 64 (got '$processes')"
export PROCESSES="$processes"
base_port="${PORT:-2567}"
[[ "$base_port" =~ ^[0-9]+$ ]] || die "PORT must be a number (got '$base_port')"

lock_dev_state "npm start, serving ${PUBLIC_URL:-http://localhost:$base_port},"
ensure_deps
load_dev_state
step_done deps "$DEPS_NOTE"
trap services_down EXIT
pids=()
if [ "$processes" -eq 1 ]; then
  # The server starts now and loads its modules while the services start; it reads their URLs and this script's step
  # times from its stdin, a FIFO (server/startup/script-handoff.ts), then migrates and seeds itself (--prepare).
  handoff="$NEON_STATE_DIR/handoff.fifo"
  rm -f "$handoff"
  mkfifo "$handoff"
  node --import tsx server/main.ts --handoff --prepare --started "$START_T0" ${args[@]+"${args[@]}"} <"$handoff" &
  pids+=($!)
  exec 8>"$handoff"
  rm -f "$handoff"
fi
services_up "$NEON_STATE_DIR" dev
step_done services
build_web_clients
step_done clients "$CLIENTS_NOTE"
if [ "$processes" -eq 1 ]; then
  # in a subshell: if the server already exited, the broken pipe ends only that, and the loop below reports the exit
  (printf 'DATABASE_URL=%s\nREDIS_URL=%s\nsteps=%s\nend\n' "$DATABASE_URL" "$REDIS_URL" "$START_STEPS" >&8) 2>/dev/null || true
  exec 8>&-
else
  # with several processes one process migrates and seeds first; the first game process prints the timing line
  run_ts server/cli/prepare.ts
  step_done migrate+seed
fi

# On Ctrl-C / SIGTERM (or when one of the processes exits) send SIGTERM to all of them, wait for their graceful
# shutdown, then the EXIT trap stops the services this script started.
stopping=""
stop_all() {
  stopping=1
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
}
trap stop_all INT TERM

if [ "$processes" -gt 1 ]; then
  host="localhost"
  if [ -n "${PUBLIC_URL:-}" ]; then host="${PUBLIC_URL#*://}"; host="${host%%/*}"; host="${host%:*}"; fi
  for i in $(seq 0 $((processes - 1))); do
    port_in_use $((base_port + i)) && die "port $((base_port + i)) is in use: --processes $processes needs ports $base_port-$((base_port + processes - 1)) (set PORT to move them)"
  done
  log "$processes game processes on ports $base_port-$((base_port + processes - 1)) (rooms shared through Redis) and the BullMQ worker process"
  for i in $(seq 0 $((processes - 1))); do
    port=$((base_port + i))
    # distinct and stable across restarts, so each recovers its own unfinished rounds (default id: hostname:PORT)
    instance=()
    [ -n "${INSTANCE_ID:-}" ] && instance=(INSTANCE_ID="$INSTANCE_ID-$((i + 1))")
    banner=(--started "$START_T0" --steps "$START_STEPS")
    [ "$i" -gt 0 ] && banner=(--no-banner)
    env PORT="$port" PUBLIC_ADDRESS="$host:$port" RUN_WORKERS=false ${instance[@]+"${instance[@]}"} \
      node --import tsx server/main.ts ${banner[@]+"${banner[@]}"} ${args[@]+"${args[@]}"} &
    pids+=($!)
  done
  node --import tsx server/cli/worker.ts &
  pids+=($!)
fi

sleeper=""
while [ -z "$stopping" ]; do
  for p in "${pids[@]}"; do
    if ! kill -0 "$p" 2>/dev/null; then
      [ "${#pids[@]}" -gt 1 ] && log "process $p exited; stopping the others"
      stop_all
      break
    fi
  done
  [ -n "$stopping" ] && break
  sleep 1 & sleeper=$!
  wait "$sleeper" 2>/dev/null || true   # a background sleep, so a signal interrupts the wait at once
done
[ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null || true

rc=0
for p in "${pids[@]}"; do
  code=0
  while :; do
    wait "$p" && code=0 || code=$?
    kill -0 "$p" 2>/dev/null || break
  done
  [ "$code" -ne 0 ] && rc="$code"
done
exit "$rc"
