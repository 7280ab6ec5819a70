#!/usr/bin/env bash
# Load test on loopback: the release server against nginx serving the same bytes.
#
# Measures, for each HTML view and the API and chart routes: requests per second and p50/p99
# latency with wrk at 64 connections; our throughput as a ratio of nginx's for the same page's
# bytes (served as a static file, in the same run); start-up time (data load and validation
# included) to the first answered request; the server's peak RSS; and a soak at 256
# connections counting errors and non-2xx answers.
#
# Usage: scripts/loadtest.sh            (DURATION=10 SOAK=60 CONNECTIONS=64 by default)
# Needs wrk and nginx (Debian packages; installed here if missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
SOAK=${SOAK:-60}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq wrk nginx >/dev/null
fi

cargo build --release --quiet
BIN=target/release/mandate-map
WORK=$(mktemp -d)
chmod 755 "$WORK"   # nginx's workers run as another user and must read the files
cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Start-up: from exec to the first answered request (data load and validation included).
start=$(date +%s%N)
RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
until curl -fs -o /dev/null "http://127.0.0.1:$PORT/api/crime-types"; do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.001
done
startup_ms=$(( ($(date +%s%N) - start) / 1000000 ))

PATHS=(
  "/"
  "/system?crime=illicit-drugs"
  "/entities?crime=cybercrime&pillar=development"
  "/entities/unodc"
  "/crimes/environmental-crime"
  "/overlap"
  "/api/coverage"
  "/charts/coverage.svg"
)

# nginx serves each path's exact bytes as a static file.
mkdir -p "$WORK/www" "$WORK/logs"
for i in "${!PATHS[@]}"; do
  curl -fs "http://127.0.0.1:$PORT${PATHS[$i]}" -o "$WORK/www/p$i"
done
cat >"$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
  }
}
CONF
nginx -p "$WORK" -c "$WORK/nginx.conf"
chmod -R a+rX "$WORK/www"
for _ in $(seq 500); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/p0" && break; sleep 0.01; done
curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/p0" || { cat "$WORK/logs/error.log"; exit 1; }

# wrk → "rps p50 p99 errors" (latencies in ms).
measure() {
  local out
  out=$(wrk -t2 -c"$1" -d"$2"s --latency "$3")
  local rps p50 p99 non2xx sock
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  sock=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out")
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") $(( ${non2xx:-0} + ${sock:-0} ))"
}
to_ms() { awk -v v="$1" 'BEGIN {
  if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
  else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
  else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
  else print v }'; }

echo "# mandate-map load test ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${CONNECTIONS} connections, ${DURATION}s each)"
echo
echo "start-up to first answer: ${startup_ms} ms"
echo
echo "| path | req/s | p50 ms | p99 ms | errors | nginx req/s (same bytes) | nginx p99 ms | ratio |"
echo "|---|---|---|---|---|---|---|---|"
for i in "${!PATHS[@]}"; do
  read -r rps p50 p99 err < <(measure "$CONNECTIONS" "$DURATION" "http://127.0.0.1:$PORT${PATHS[$i]}")
  read -r nrps _ np99 _ < <(measure "$CONNECTIONS" "$DURATION" "http://127.0.0.1:$NGINX_PORT/p$i")
  ratio=$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.0f%%", 100 * a / b }')
  echo "| \`${PATHS[$i]}\` | $rps | $p50 | $p99 | $err | $nrps | $np99 | $ratio |"
done

# Soak: every path in turn at 256 connections.
cat >"$WORK/rotate.lua" <<'LUA'
local paths = {}
local i = 0
init = function(args) for _, p in ipairs(args) do paths[#paths + 1] = p end end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
soak=$(wrk -t2 -c256 -d"${SOAK}"s -s "$WORK/rotate.lua" "http://127.0.0.1:$PORT" -- "${PATHS[@]}")
soak_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$soak")
soak_total=$(awk '/requests in/ {print $1}' <<<"$soak")
soak_non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$soak")
soak_sock=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$soak")
echo
# wrk counts every answer outside 2xx/3xx (so every 5xx) as non-2xx.
echo "soak: ${SOAK}s at 256 connections: ${soak_total} requests (${soak_rps} req/s), non-2xx (incl. 5xx): ${soak_non2xx:-0}, socket errors: ${soak_sock:-0}"

rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
echo "peak RSS of the server: $(( rss_kb / 1024 )) MB (${rss_kb} kB)"
