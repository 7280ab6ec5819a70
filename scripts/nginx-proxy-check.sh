#!/usr/bin/env bash
# Checks docs/deploy/mandate-map.nginx.conf on loopback: nginx proxies to a release server,
# caches the first answer (MISS), serves the second from its cache (HIT), keeps gzip and
# identity apart, and passes the server's validators through (304 on If-None-Match).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-18090}
NGINX_PORT=${NGINX_PORT:-18091}

command -v nginx >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; apt-get install -y -qq nginx >/dev/null; }
cargo build --release --quiet
WORK=$(mktemp -d)
chmod 755 "$WORK"
cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

target/release/mandate-map serve --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 500); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.01; done

mkdir -p "$WORK/logs" "$WORK/cache"
sed -e "s#/var/cache/nginx/mandate-map#$WORK/cache#" \
    -e "s#127.0.0.1:8080#127.0.0.1:$PORT#" \
    -e "s#listen 80;#listen 127.0.0.1:$NGINX_PORT;#" \
    docs/deploy/mandate-map.nginx.conf >"$WORK/site.conf"
cat >"$WORK/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events { worker_connections 256; }
http {
  access_log off;
  include $WORK/site.conf;
}
CONF
nginx -p "$WORK" -c "$WORK/nginx.conf"
for _ in $(seq 500); do curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/about" && break; sleep 0.01; done

status() { curl -s -o /dev/null -D - "$@" | awk 'tolower($1)=="x-cache-status:" {print $2}' | tr -d '\r'; }
url="http://127.0.0.1:$NGINX_PORT/system?crime=illicit-drugs"
fail=0
check() { if [ "$2" = "$3" ]; then echo "ok   $1: $2"; else echo "FAIL $1: got '$2', expected '$3'"; fail=1; fi; }
check "first request" "$(status "$url")" MISS
check "second request" "$(status "$url")" HIT
check "first gzip request" "$(status -H 'Accept-Encoding: gzip' "$url")" MISS
check "second gzip request" "$(status -H 'Accept-Encoding: gzip' "$url")" HIT
check "gzip body is gzip" "$(curl -s -D - -o /dev/null -H 'Accept-Encoding: gzip' "$url" | awk 'tolower($1)=="content-encoding:" {print $2}' | tr -d '\r')" gzip
etag=$(curl -s -D - -o /dev/null "$url" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')
check "revalidation through the proxy" "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$url")" 304
check "errors pass through uncached" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NGINX_PORT/entities?pillar=x")" 400
exit $fail
