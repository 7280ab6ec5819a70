#!/usr/bin/env bash
# Checks the JSON API against its OpenAPI document with two tools that did not write it:
# openapi-spec-validator (the document is valid OpenAPI 3.1) and schemathesis (the live
# server, driven from the document with valid and invalid parameters, answers no 5xx, no
# undocumented status, nothing that contradicts its schemas, 405 with Allow for other
# methods). Runs the binary cargo built (debug by default), on the embedded data.
#
#   bash scripts/api-check.sh [BINARY]      EXAMPLES=25 SEED=42 by default
set -euo pipefail
cd "$(dirname "$0")/.."

binary="${1:-target/debug/mandate-map}"
examples="${EXAMPLES:-25}"
seed="${SEED:-42}"
port="${PORT:-18181}"
venv="$(realpath -m "${API_CHECK_VENV:-target/api-check-venv}")"

if [ ! -x "$venv/bin/schemathesis" ]; then
  if ! command -v curl >/dev/null || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq curl python3 python3-venv >/dev/null
  fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q "schemathesis==4.32.5" "openapi-spec-validator==0.9.0"
fi

"$binary" serve --addr "127.0.0.1:$port" >"$venv/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

work="$(mktemp -d)"
curl -fsS "http://127.0.0.1:$port/api/openapi.json" -o "$work/openapi.json"
"$venv/bin/openapi-spec-validator" --schema 3.1 "$work/openapi.json"

# schemathesis writes its caches to the working directory and honours proxy variables.
cd "$work"
env -u HTTP_PROXY -u http_proxy -u HTTPS_PROXY -u https_proxy -u ALL_PROXY -u all_proxy \
  "$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" \
  --checks all --max-examples "$examples" --seed "$seed" \
  --generation-database none --workers 1 --no-color
