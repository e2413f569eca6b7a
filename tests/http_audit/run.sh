#!/usr/bin/env bash
# Serve the app on a scratch database and run the GraphQL-over-HTTP audit against it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
workdir="$(mktemp -d)"
port="${AUDIT_PORT:-8391}"

(cd "$here" && npm ci --silent --no-audit --no-fund)

DATABASE_URL="sqlite+aiosqlite:///$workdir/audit.db" PORT="$port" BILATERAL_SEED_WORLD=off \
  "$root/.venv/bin/bilateral" serve >"$workdir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$workdir"' EXIT

for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done
node "$here/audit.mjs" "http://127.0.0.1:$port/graphql"
