#!/usr/bin/env bash
# Warm start timing: `bash scripts/measure-start.sh [runs] [checkout …]` starts `npm start` in each checkout in turn
# (alternating, `runs` rounds, default 5), times from launch until /ready answers 200, stops it, and prints one line per
# run with the load average and the CPU time the script and its processes used (start to stop: a figure the machine's
# load moves less than the wall time), then the medians per checkout. Run one start first so that the runs are warm.
set -euo pipefail
runs="${1:-5}"
shift || true
checkouts=("$@")
[ "${#checkouts[@]}" -gt 0 ] || checkouts=("$(cd "$(dirname "$0")/.." && pwd)")

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

declare -A times cpus
for _ in $(seq 1 "$runs"); do
  for dir in "${checkouts[@]}"; do
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    port="$(free_port)"
    log="$(mktemp /tmp/neon-start-XXXXXX.log)"
    t0="$(date +%s%N)"
    cpu="$(mktemp /tmp/neon-start-cpu-XXXXXX)"
    (cd "$dir" && exec /usr/bin/time -o "$cpu" -f '%U %S' env PORT="$port" bash scripts/start.sh) >"$log" 2>&1 &
    pid=$!
    ready=""
    for _ in $(seq 1 1200); do
      if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/ready")" = 200 ]; then ready=1; break; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    t1="$(date +%s%N)"
    # the script is the child of /usr/bin/time, which would die of the signal without passing it on
    kill -TERM $(pgrep -P "$pid") 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [ -n "$ready" ] || { cat "$log" >&2; echo "$dir: not ready" >&2; exit 1; }
    secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
    times[$dir]="${times[$dir]:-} $secs"
    cpu_s="$(awk '{ printf "%.2f", $1 + $2 }' "$cpu")"
    cpus[$dir]="${cpus[$dir]:-} $cpu_s"
    steps="$(sed -n 's/\x1b\[[0-9;]*m//g; s/^\[neon\] \(ready in .*\)$/\1/p' "$log" | head -1)"
    printf '%-28s %6s s  cpu %5s s  load %s  %s\n' "$dir" "$secs" "$cpu_s" "$load" "$steps"
    rm -f "$log" "$cpu"
  done
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for dir in "${checkouts[@]}"; do
  # shellcheck disable=SC2086
  printf 'median %-21s %6s s to /ready, cpu %5s s, over %s runs\n' "$dir" "$(median ${times[$dir]})" "$(median ${cpus[$dir]})" "$runs"
done
