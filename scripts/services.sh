# Local PostgreSQL and Redis for `npm start` / `npm test`. Sourced by the entry scripts.
#
# If DATABASE_URL / REDIS_URL are set they are used as they are and nothing is provisioned.
# Otherwise Debian's PostgreSQL (run as the `postgres` user when we are root) and redis-server
# (apt-get installed when missing) are started on free ports with state outside the checkout.
# services_down stops only what services_up started.

PG_STARTED=""
REDIS_STARTED=""
SERVICES_STATE=""

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && { echo "$d"; return; }; done
  command -v pg_config >/dev/null && { pg_config --bindir; return; }
  command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return; }
}

apt_install() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || die "missing $*: install it (e.g. apt-get install $*) or set DATABASE_URL/REDIS_URL"
  log "apt-get install $*"
  if [ -z "${NEON_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
    NEON_APT_UPDATED=1
  fi
  local aptlog; aptlog="$(mktemp /tmp/neon-apt-XXXXXX.log)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$aptlog" 2>&1 \
    || { cat "$aptlog" >&2; die "apt-get install $* failed"; }
  rm -f "$aptlog"
}

# Stops services left behind by test runs that were killed before their EXIT trap ran (owner pid gone).
reap_stale_test_state() {
  local dir owner bin
  for dir in /tmp/neon-test-*; do
    [ -f "$dir/owner.pid" ] || continue
    owner="$(cat "$dir/owner.pid")"
    kill -0 "$owner" 2>/dev/null && continue
    [ -f "$dir/redis/redis.pid" ] && kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null
    bin="$(pg_bindir)"
    [ -n "$bin" ] && [ -f "$dir/pg/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/pg" -m immediate stop >/dev/null 2>&1
    rm -rf "$dir"
    log "removed stale test state $dir"
  done
}

# services_up <state-dir> <dev|test|bench> (test: durability off; dev and bench: PostgreSQL's defaults)
services_up() {
  SERVICES_STATE="$1"; local mode="$2"
  mkdir -p "$SERVICES_STATE"; chmod 755 "$SERVICES_STATE"
  [ -n "${DATABASE_URL:-}" ] || pg_up "$mode"
  [ -n "${REDIS_URL:-}" ] || redis_up "$mode"
}

pg_up() {
  local mode="$1" bin data="$SERVICES_STATE/pg" sock="$SERVICES_STATE/pgrun" port
  bin="$(pg_bindir)"
  if [ -z "$bin" ]; then apt_install postgresql; bin="$(pg_bindir)"; fi
  [ -n "$bin" ] || die "PostgreSQL binaries not found"
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then useradd --system --home-dir /var/lib/postgresql postgres; fi
  mkdir -p "$sock"
  [ "$(id -u)" = 0 ] && chown postgres "$sock"
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"; [ "$(id -u)" = 0 ] && chown postgres "$data"
    as_pg "$bin/initdb" -D "$data" -U postgres -A trust --locale=C.UTF-8 -E UTF8 >"$SERVICES_STATE/initdb.log" 2>&1 \
      || die "initdb failed, see $SERVICES_STATE/initdb.log"
  fi
  if [ -f "$data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    port="$(sed -n 4p "$data/postmaster.pid")"
    log "PostgreSQL already running on port $port (left running on exit)"
  else
    port="${PG_PORT:-}"
    if [ -z "$port" ] && [ -f "$SERVICES_STATE/pg.port" ]; then port="$(cat "$SERVICES_STATE/pg.port")"; fi
    if [ -z "$port" ] || port_in_use "$port"; then port="$(free_port)"; fi
    local opts="-p $port -k $sock -c listen_addresses=127.0.0.1 -c max_connections=200"
    [ "$mode" = test ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    # 9>&-: the server outlives this script when it is killed, and must not keep `npm start`'s lock (state.sh);
    # 8>&-: nor the write end of the game process's handoff FIFO (start.sh)
    as_pg "$bin/pg_ctl" -D "$data" -l "$sock/postgres.log" -o "$opts" -w -t 60 start >/dev/null 8>&- 9>&- \
      || die "PostgreSQL failed to start, see $sock/postgres.log"
    PG_STARTED="$bin/pg_ctl"
    echo "$port" >"$SERVICES_STATE/pg.port"
    log "PostgreSQL started on 127.0.0.1:$port (state in $data)"
  fi
  # the TCP address names the server; ?host= makes every client (pg, MikroORM, psql) use its Unix socket instead,
  # which is cheaper per round trip than loopback TCP (docs/performance.md, "Three changes, before and after")
  export DATABASE_URL="postgresql://postgres@127.0.0.1:$port/neon?host=$sock"
  as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='neon'" | grep -q 1 \
    || as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres neon
}

redis_up() {
  local mode="$1" dir="$SERVICES_STATE/redis" port pidfile
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$dir"; pidfile="$dir/redis.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && [ -f "$dir/port" ]; then
    port="$(cat "$dir/port")"
    log "Redis already running on port $port (left running on exit)"
  else
    port="${REDIS_PORT:-}"
    if [ -z "$port" ] && [ -f "$dir/port" ]; then port="$(cat "$dir/port")"; fi
    if [ -z "$port" ] || port_in_use "$port"; then port="$(free_port)"; fi
    local persist=(--appendonly yes --appendfsync everysec)
    [ "$mode" = test ] && persist=(--save '' --appendonly no)
    redis-server --port "$port" --bind 127.0.0.1 --unixsocket "$dir/redis.sock" --unixsocketperm 700 --daemonize yes \
      --pidfile "$pidfile" --dir "$dir" --logfile "$dir/redis.log" "${persist[@]}" >/dev/null 8>&- 9>&- \
      || die "redis-server failed to start"
    for _ in $(seq 1 50); do redis_ping "$port" && break; sleep 0.1; done
    redis_ping "$port" || die "redis-server did not answer, see $dir/redis.log"
    REDIS_STARTED="$pidfile"
    echo "$port" >"$dir/port"
    log "Redis started on 127.0.0.1:$port"
  fi
  # ?path=: ioredis connects to the Unix socket (a server left running by an older checkout may not have one)
  if [ -S "$dir/redis.sock" ]; then export REDIS_URL="redis://127.0.0.1:$port?path=$dir/redis.sock"
  else export REDIS_URL="redis://127.0.0.1:$port"; fi
}

redis_ping() { redis-cli -p "$1" ping 2>/dev/null | grep -q PONG; }

services_down() {
  if [ -n "$REDIS_STARTED" ] && [ -f "$REDIS_STARTED" ]; then
    local pid; pid="$(cat "$REDIS_STARTED")"
    kill "$pid" 2>/dev/null && for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "Redis stopped"
  fi
  if [ -n "$PG_STARTED" ]; then
    as_pg "$PG_STARTED" -D "$SERVICES_STATE/pg" -m fast -w stop >/dev/null 2>&1 && log "PostgreSQL stopped"
  fi
  PG_STARTED=""; REDIS_STARTED=""
}
