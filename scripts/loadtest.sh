#!/usr/bin/env bash
# Load test on loopback: the release server against nginx serving the same bytes.
#
# Measures, for each HTML view and the API and chart routes: requests per second and p50/p99
# latency with wrk at 64 connections; our throughput as a ratio of nginx's for the same page's
# bytes (served as a static file, in the same run); start-up time (data load and validation
# included) to the first answered request; and a soak at 256 connections counting errors and
# non-2xx answers.
#
# Then the uncached path, each scenario beside its nginx anchor in the same run:
# - every request a different valid filter combination, without and with a browser's
#   Accept-Encoding (anchors: nginx serving the page statically, and gzipping it on the fly);
# - junk parameters on a cached page (anchor: nginx static);
# - a cached page's latency while 64 connections send distinct combinations, and while 64
#   connections ask for PNG charts of distinct widths (anchors: nginx's static page while it
#   gzips on the fly, and while it serves a PNG);
# - the server's RSS before, every 5 s during, and after RSS_SOAK seconds of distinct
#   combinations with a browser's Accept-Encoding, and its peak (VmHWM).
#
# Usage: scripts/loadtest.sh    (DURATION=8 SOAK=60 RSS_SOAK=60 CONNECTIONS=64 WRK_THREADS=1)
#        METRICS=1 scripts/loadtest.sh    the server with its Prometheus metrics on
#        (--metrics-addr), scraped every second during the run, to compare the rows.
# Needs wrk and nginx (Debian packages; installed here if missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-8}
RSS_SOAK=${RSS_SOAK:-60}
WRK_THREADS=${WRK_THREADS:-1}
PROBE_CONNECTIONS=${PROBE_CONNECTIONS:-4}
BROWSER="Accept-Encoding: gzip, deflate, br"
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
METRICS_ARGS=()
if [ "${METRICS:-0}" = 1 ]; then
  METRICS_ARGS=(--metrics-addr "127.0.0.1:${METRICS_PORT:-18082}")
fi
RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$PORT" "${METRICS_ARGS[@]}" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
if [ "${METRICS:-0}" = 1 ]; then
  # A scraper's load: every second, as Prometheus would at a short interval.
  ( while kill -0 "$SERVER_PID" 2>/dev/null; do
      curl -fs -o /dev/null "http://127.0.0.1:${METRICS_PORT:-18082}/metrics" || true
      sleep 1
    done ) &
fi
until curl -fs -o /dev/null "http://127.0.0.1:$PORT/api/crime-types"; do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.001
done
startup_ms=$(( ($(date +%s%N) - start) / 1000000 ))
rss_mb() { awk -v k="${2:-VmRSS}:" '$1==k {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
# The server's peak RSS since the last call (writing 5 to clear_refs resets VmHWM).
peak_mb() { rss_mb "$SERVER_PID" VmHWM; echo 5 >"/proc/$SERVER_PID/clear_refs"; }
rss_start=$(rss_mb "$SERVER_PID")

PATHS=(
  "/"
  "/system?crime=illicit-drugs"
  "/entities?crime=cybercrime&pillar=development"
  "/entities/unodc"
  "/crimes/environmental-crime"
  "/overlap"
  "/changes"
  "/entities?edition=2025&crime=cybercrime"
  "/api/coverage"
  "/charts/coverage.svg"
)

# nginx serves each path's exact bytes as a static file.
mkdir -p "$WORK/www" "$WORK/logs"
for i in "${!PATHS[@]}"; do
  curl -fs "http://127.0.0.1:$PORT${PATHS[$i]}" -o "$WORK/www/p$i"
done
# The scenarios' page, its brotli bytes as a cached browser gets them, and a PNG chart.
PAGE="/system?crime=illicit-drugs"
curl -fs "http://127.0.0.1:$PORT$PAGE" -o "$WORK/www/page"
for _ in 1 2 3; do  # the second request asks for brotli in the background
  curl -fs -H "$BROWSER" "http://127.0.0.1:$PORT$PAGE" -o "$WORK/www/page.br"
  sleep 0.2
done
curl -fs "http://127.0.0.1:$PORT/charts/coverage.png?width=900" -o "$WORK/www/chart.png"
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
    # /gz/NAME: the same files, gzipped on the fly at nginx's usual level.
    location /gz/ {
      alias $WORK/www/;
      gzip on;
      gzip_comp_level 6;
      gzip_min_length 0;
    }
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
  out=$(wrk -t"$WRK_THREADS" -c"$1" -d"$2"s --latency "${@:3}")
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

echo "# mandate-map load test ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${DURATION}s --latency)"
echo
echo "start-up to first answer: ${startup_ms} ms"
echo
echo "| path | req/s | p50 ms | p99 ms | errors | nginx req/s (same bytes) | nginx p99 ms | ratio | our peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|"
peak_mb >/dev/null
for i in "${!PATHS[@]}"; do
  read -r rps p50 p99 err < <(measure "$CONNECTIONS" "$DURATION" "http://127.0.0.1:$PORT${PATHS[$i]}")
  read -r nrps _ np99 _ < <(measure "$CONNECTIONS" "$DURATION" "http://127.0.0.1:$NGINX_PORT/p$i")
  ratio=$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.0f%%", 100 * a / b }')
  echo "| \`${PATHS[$i]}\` | $rps | $p50 | $p99 | $err | $nrps | $np99 | $ratio | $(peak_mb) |"
done

# --- The uncached path, each scenario beside its nginx anchor ---------------------------------
# distinct.lua: request i is the i-th combination of valid filters and editions (3 million
# before one repeats) on one of the views VIEWS lists (space-separated; /system when unset,
# "/crimes/" standing for each crime type's page), from the offset given after `--`, so that
# no two runs share one; each wrk thread walks its own stride.
cat >"$WORK/distinct.lua" <<'LUA'
local crimes = {"human-trafficking", "illicit-drugs", "environmental-crime", "cybercrime",
  "financial-crime", "arms-trafficking"}
local pillars = {"peace-security", "human-rights", "development"}
local organs = {"general-assembly", "security-council", "ecosoc", "secretariat", "icj",
  "trusteeship-council"}
local bases = {"", "mandate", "agenda"}
local words = {"", "un", "office", "fund", "crime", "develop", "nation", "org"}
local views = {}
for view in string.gmatch(os.getenv("VIEWS") or "/system", "%S+") do views[#views + 1] = view end
local threads, n, stride = {}, 0, 1
function setup(thread)
  thread:set("first", #threads)
  table.insert(threads, thread)
end
function init(args)
  stride = #threads > 0 and #threads or tonumber(os.getenv("WRK_THREADS") or "1")
  n = tonumber(args[1] or "0") + (first or 0)
end
local function bits(i, list, name, parts)
  for j, v in ipairs(list) do
    if i % 2 == 1 then parts[#parts + 1] = name .. "=" .. v end
    i = math.floor(i / 2)
  end
  return i
end
function request()
  local i = n
  n = n + stride
  local view = views[i % #views + 1]
  i = math.floor(i / #views)
  local parts = {}
  if view == "/crimes/" then
    view = view .. crimes[i % #crimes + 1]
    i = math.floor(i / #crimes)
  end
  i = bits(i, crimes, "crime", parts)
  i = bits(i, pillars, "pillar", parts)
  i = bits(i, organs, "organ", parts)
  if i % 2 == 1 then parts[#parts + 1] = "match=all" end
  i = math.floor(i / 2)
  local b = bases[i % 3 + 1]; i = math.floor(i / 3)
  if b ~= "" then parts[#parts + 1] = "basis=" .. b end
  local w = words[i % 8 + 1]
  if w ~= "" then parts[#parts + 1] = "q=" .. w end
  i = math.floor(i / 8)
  if i % 2 == 1 then parts[#parts + 1] = "edition=2025" end
  return wrk.format("GET", view .. "?" .. table.concat(parts, "&"))
end
LUA

# junk.lua: the cached page with a different unknown parameter on every request.
cat >"$WORK/junk.lua" <<'LUA'
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", "/system?crime=illicit-drugs&utm_source=" .. n .. "&z=" .. n)
end
LUA
# widths.lua: the coverage chart as PNG at every width from 320 to 2400 in turn.
cat >"$WORK/widths.lua" <<'LUA'
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", "/charts/coverage.png?width=" .. (320 + n % 2081))
end
LUA

# One scenario row: ours, then nginx's anchor, one after the other.
scenario() {  # name, our wrk args..., "::", nginx wrk args...
  local name=$1; shift
  local ours=() anchor=()
  while [ "$1" != "::" ]; do ours+=("$1"); shift; done; shift
  anchor=("$@")
  read -r rps p50 p99 err < <(measure "$CONNECTIONS" "$DURATION" "${ours[@]}")
  read -r nrps _ np99 nerr < <(measure "$CONNECTIONS" "$DURATION" "${anchor[@]}")
  ratio=$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.2f", a / b }')
  echo "| $name | $rps | $p50 | $p99 | $err | $nrps | $np99 | $nerr | $ratio | $(peak_mb) |"
}

# A cached page's latency (PROBE_CONNECTIONS connections) while a 64-connection load runs.
probe_under() {  # probe URL, probe header, then the load's wrk args
  local url=$1 hdr=$2; shift 2
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION"s "$@" >"$WORK/load.out" &
  local load=$!
  sleep 1
  local out
  out=$(wrk -t1 -c"$PROBE_CONNECTIONS" -d"$(( DURATION - 2 ))"s --latency -H "$hdr" "$url")
  wait "$load"
  local p50 p99 rps lrps non2xx
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  lrps=$(awk '/Requests\/sec/ {print $2}' "$WORK/load.out")
  non2xx=$(cat <(awk '/Non-2xx/ {print $NF}' <<<"$out") <(awk '/Non-2xx/ {print $NF}' "$WORK/load.out") | awk '{s+=$1} END {print s+0}')
  echo "$(to_ms "$p50") $(to_ms "$p99") $rps $lrps $non2xx"
}

US="http://127.0.0.1:$PORT"
NG="http://127.0.0.1:$NGINX_PORT"
echo
echo "## The uncached path ($PAGE, $(wc -c <"$WORK/www/page") bytes; brotli $(wc -c <"$WORK/www/page.br") bytes)"
echo
echo "| scenario | ours req/s | p50 ms | p99 ms | errors | nginx req/s | nginx p99 ms | nginx errors | ours / nginx | our peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
peak_mb >/dev/null
scenario "cached page, browser Accept-Encoding (nginx: static, the same brotli bytes)" \
  -H "$BROWSER" "$US$PAGE" :: "$NG/page.br"
scenario "distinct filter combinations, no Accept-Encoding (nginx: static page)" \
  -s "$WORK/distinct.lua" "$US" -- 0 :: "$NG/page"
scenario "distinct filter combinations, browser Accept-Encoding (nginx: gzip-6 on the fly)" \
  -H "$BROWSER" -s "$WORK/distinct.lua" "$US" -- 200000 :: -H "$BROWSER" "$NG/gz/page"
scenario "cached page with junk parameters (nginx: static page)" \
  -s "$WORK/junk.lua" "$US" :: "$NG/page"

echo
echo "## A cached page while a 64-connection load runs (probe: ${PROBE_CONNECTIONS} connections, browser Accept-Encoding)"
echo
echo "| load | ours: probe p50 ms | probe p99 ms | probe req/s | load req/s | non-2xx | peak RSS MB | nginx: probe p50 ms | probe p99 ms | probe req/s | load req/s | non-2xx |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
peak_mb >/dev/null
read -r a b c d e < <(probe_under "$US$PAGE" "$BROWSER" -H "$BROWSER" -s "$WORK/distinct.lua" "$US" -- 400000)
k=$(peak_mb)
read -r f g h i j < <(probe_under "$NG/page.br" "$BROWSER" -H "$BROWSER" "$NG/gz/page")
echo "| distinct filter combinations, browser Accept-Encoding (nginx: gzip-6 on the fly) | $a | $b | $c | $d | $e | $k | $f | $g | $h | $i | $j |"
read -r a b c d e < <(probe_under "$US$PAGE" "$BROWSER" -s "$WORK/widths.lua" "$US")
k=$(peak_mb)
read -r f g h i j < <(probe_under "$NG/page.br" "$BROWSER" "$NG/chart.png")
echo "| PNG charts of distinct widths (nginx: a static PNG) | $a | $b | $c | $d | $e | $k | $f | $g | $h | $i | $j |"

# RSS: before, every 5 s during RSS_SOAK seconds of distinct combinations, and after.
echo
rss_before=$(rss_mb "$SERVER_PID")
peak_mb >/dev/null
wrk -t1 -c"$CONNECTIONS" -d"$RSS_SOAK"s -H "$BROWSER" -s "$WORK/distinct.lua" "$US" -- 600000 >"$WORK/rss.out" &
load=$!
samples=()
for _ in $(seq $(( RSS_SOAK / 5 ))); do
  sleep 5
  samples+=("$(rss_mb "$SERVER_PID")")
done
wait "$load"
rss_after=$(rss_mb "$SERVER_PID")
sleep 5
rss_later=$(rss_mb "$SERVER_PID")
nginx_rss=$(pgrep -f "nginx: worker process" | while read -r p; do awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null; done | awk '{s+=$1} END {printf "%.1f", s / 1024}')
rss_non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/rss.out")
echo "RSS during ${RSS_SOAK}s of distinct filter combinations with a browser's Accept-Encoding ($(awk '/Requests\/sec/ {print $2}' "$WORK/rss.out") req/s, non-2xx: ${rss_non2xx:-0}):"
echo "at start-up ${rss_start} MB; before ${rss_before} MB; every 5 s: ${samples[*]} MB; right after ${rss_after} MB; 5 s later ${rss_later} MB; peak during the load (VmHWM) $(peak_mb) MB. nginx's workers: ${nginx_rss} MB."

# Mixed routes: RSS through RSS_SOAK seconds of distinct combinations over five views,
# before the soak (whose peak the allocator keeps).
peak_mb >/dev/null
VIEWS="/ /system /entities /overlap /crimes/" wrk -t1 -c"$CONNECTIONS" -d"$RSS_SOAK"s --latency -H "$BROWSER" -s "$WORK/distinct.lua" "$US" -- 900000 >"$WORK/mixed.out"
echo
echo "mixed routes (/, /system, /entities, /overlap, /crimes/{id}), ${RSS_SOAK}s of distinct combinations with a browser's Accept-Encoding: $(awk '/Requests\/sec/ {print $2}' "$WORK/mixed.out") req/s, p99 $(to_ms "$(awk '$1=="99%" {print $2}' "$WORK/mixed.out")") ms, non-2xx $(awk '/Non-2xx/ {n = $NF} END {print n + 0}' "$WORK/mixed.out"), peak RSS (VmHWM) $(peak_mb) MB"

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

echo "peak RSS of the server during the soak (VmHWM): $(peak_mb) MB"

# --- 10,000 entities ------------------------------------------------------------------------
# The data set tests/large.rs generates (10,000 entities, each a copy of a real one with its
# links), served from a directory: start-up, every route, paginated pages and API pages.
if [ "${LARGE:-1}" = 1 ]; then
  LARGE_DIR="$WORK/large"
  MANDATE_MAP_LARGE_DIR="$LARGE_DIR" cargo test --quiet --test large -- --ignored --exact write_the_large_data_set >/dev/null
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  start=$(date +%s%N)
  RUST_LOG=warn "$BIN" --data "$LARGE_DIR" serve --addr "127.0.0.1:$PORT" >"$WORK/large.log" 2>&1 &
  SERVER_PID=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/large.log"; exit 1; }
    sleep 0.001
  done
  large_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo
  echo "10,000 entities: start-up to first answer ${large_ms} ms, RSS at start $(rss_mb "$SERVER_PID") MB"
  routes=(/ /system /entities /overlap /changes /timeline /groups /rapporteurs /method /api
    /api/entities /api/coverage /api/changes /export/entities.csv /export/entities.json
    /export/links.csv /export/links.json /data/datapackage.json /sitemap.xml
    "/entities?page=50" "/api/entities?size=1000&page=10" /charts/ /charts/coverage.png
    /charts/matrix.svg)
  bad=0
  for r in "${routes[@]}"; do
    code=$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$PORT$r")
    case "$code" in 2*) ;; *) echo "  $r: $code"; bad=$((bad + 1)) ;; esac
  done
  echo "routes answering other than 2xx: $bad of ${#routes[@]}"
  cat >"$WORK/pages.lua" <<'LUA'
local n = 0
local base = "/entities?page="
init = function(args) base = args[1] end
request = function()
  n = n + 1
  return wrk.format("GET", base .. (n % tonumber(os.getenv("PAGES") or "50") + 1))
end
LUA
  peak_mb >/dev/null
  echo "| 10,000 entities | req/s | p50 ms | p99 ms | errors | peak RSS MB |"
  echo "|---|---|---|---|---|---|"
  read -r rps p50 p99 err < <(PAGES=50 measure "$CONNECTIONS" "$DURATION" -s "$WORK/pages.lua" "$US" -- "/entities?page=")
  echo "| \`/entities?page=1..50\` (200 a page) | $rps | $p50 | $p99 | $err | $(peak_mb) |"
  read -r rps p50 p99 err < <(PAGES=100 measure "$CONNECTIONS" "$DURATION" -s "$WORK/pages.lua" "$US" -- "/api/entities?page=")
  echo "| \`/api/entities?page=1..100\` (100 a page) | $rps | $p50 | $p99 | $err | $(peak_mb) |"
  read -r rps p50 p99 err < <(measure 8 "$DURATION" "$US/export/entities.json")
  echo "| \`/export/entities.json\` (every entity, streamed; 8 connections) | $rps | $p50 | $p99 | $err | $(peak_mb) |"
fi
