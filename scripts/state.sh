# Local development state: kept outside the checkout (one directory per clone), holds the
# PostgreSQL/Redis data and the secrets generated on first run. Sourced by the entry scripts.

dev_state_dir() {
  export NEON_STATE_DIR="${NEON_STATE_DIR:-/var/tmp/neon-club-$(checkout_hash)}"
  mkdir -p "$NEON_STATE_DIR"; chmod 755 "$NEON_STATE_DIR"
}

# One owner of the services per state directory: `npm start` (or a maintenance command run while no start is) stops
# the PostgreSQL and Redis it started when it exits, which would pull them from under a second start sharing them.
# `lock_dev_state <what> [try]` takes an flock on fd 9 for the life of the script (its processes inherit it, the services
# do not: services.sh closes fd 9 for them), so the lock goes with them however they end, and writes "<pid> <what>"
# into the lock file. Without `try`, a second holder is refused, naming the first, and exits 1; with `try` it returns 1.
lock_dev_state() {
  local what="$1" mode="${2:-}" lock pid="" running="" gone=""
  dev_state_dir
  command -v flock >/dev/null || { log "flock not found: a second npm start on $NEON_STATE_DIR would not be refused"; return 0; }
  lock="$NEON_STATE_DIR/start.lock"
  exec 9>>"$lock"
  if ! flock -n 9; then
    exec 9>&-
    [ "$mode" = try ] && return 1
    for _ in 1 2 3 4 5; do [ -s "$lock" ] && break; sleep 0.1; done   # the holder writes it just after locking
    read -r pid running <"$lock" || true
    [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && gone=" (that script is gone; processes it started still hold the lock)"
    die "${running:-npm start} is already running (PID ${pid:-unknown}$gone) with the state directory $NEON_STATE_DIR. Stop it first, or set NEON_STATE_DIR to another directory to run a second one with services of its own."
  fi
  : >"$lock"
  printf '%s %s\n' "$$" "$what" >&9
}

load_dev_state() {
  dev_state_dir
  local secrets="$NEON_STATE_DIR/secrets.env"
  if [ ! -f "$secrets" ]; then
    ( umask 077
      printf 'JWT_SECRET=%s\nPAYMENT_WEBHOOK_SECRET=%s\n' "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" \
        "$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >"$secrets" )
    log "generated development secrets in $secrets"
  fi
  local line key
  while IFS= read -r line; do
    key="${line%%=*}"
    [ -z "${!key:-}" ] && export "$line"
  done <"$secrets"
  return 0
}

# Build the player client and the admin console when their sources changed (no-op until they exist). CLIENTS_NOTE says
# what it did: `built client admin`, or `unchanged`.
build_web_clients() {
  local app built=""
  for app in client admin; do
    [ -f "$app/vite.config.ts" ] || continue
    if [ ! -f "$app/dist/index.html" ] || [ -n "$(find "$app" package-lock.json -newer "$app/dist/index.html" -not -path "$app/dist/*" -print -quit)" ]; then
      log "building $app/"
      vite build --config "$app/vite.config.ts" --logLevel warn >&2 || die "building $app failed"
      built+=" $app"
    fi
  done
  CLIENTS_NOTE="${built:+built$built}"
  CLIENTS_NOTE="${CLIENTS_NOTE:-unchanged}"
}
