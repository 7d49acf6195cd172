# Local development state: kept outside the checkout (one directory per clone), holds the
# PostgreSQL/Redis data and the secrets generated on first run. Sourced by the entry scripts.

load_dev_state() {
  export NEON_STATE_DIR="${NEON_STATE_DIR:-/var/tmp/neon-club-$(checkout_hash)}"
  mkdir -p "$NEON_STATE_DIR"; chmod 755 "$NEON_STATE_DIR"
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

# Build the player client and the admin console when their sources changed (no-op until they exist).
build_web_clients() {
  local app
  for app in client admin; do
    [ -f "$app/vite.config.ts" ] || continue
    if [ ! -f "$app/dist/index.html" ] || [ -n "$(find "$app" package-lock.json -newer "$app/dist/index.html" -not -path "$app/dist/*" -print -quit)" ]; then
      log "building $app/"
      vite build --config "$app/vite.config.ts" --logLevel warn >&2 || die "building $app failed"
    fi
  done
}
