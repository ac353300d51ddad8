#!/bin/sh
# A short tour of the `tlsrpt` example program. usage: demo.sh PATH-TO-tlsrpt
# Steps 1-3 need nothing else. Step 4 publishes the generated records on a throwaway NSD (/usr/sbin/nsd, Debian
# package `nsd`) listening on a free port of 127.0.0.1, looks them up with `tlsrpt lookup`, and stops it again.
set -u
tlsrpt=${1:-tlsrpt}
nsd=${NSD:-/usr/sbin/nsd}
run() {
  printf '\n$ %s\n' "$*"
  "$@"
  printf '(exit status %d)\n' "$?"
}
echo "== 1. Generate a record for example.com from two destinations"
run "$tlsrpt" generate --rua tlsrpt@example.com --rua https://reports.example.net/v1/tlsrpt
echo
echo "== 2. The same as a zone-file line, with the authorization the outside destination must publish"
run "$tlsrpt" generate --rua tlsrpt@example.com --rua https://reports.example.net/v1/tlsrpt \
  --domain example.com --format zone
echo
echo "== 3. Check a valid record, then a broken one"
run "$tlsrpt" check "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"
run "$tlsrpt" check "v=TLSRPTv1 ;rua=mailto:a@example.com!10m,http://example.net/r"
echo
echo "== 4. Read a report as a receiver would: deviations are warnings, each failure type explained"
here=$(dirname "$0")
run "$tlsrpt" report "$here/../tests/data/report-deviating.json"
echo
echo "== 5. Publish the records of step 2 on a throwaway name server, then look them up"
if [ ! -x "$nsd" ]; then
  echo "NSD is not installed ($nsd): skipping this step. Install it with: sudo apt-get install nsd"
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 is needed to find a free port: skipping this step."
  exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsrpt-demo.XXXXXX") || exit 1
nsd_pid=
cleanup() {
  if [ -n "$nsd_pid" ]; then
    kill "$nsd_pid" 2>/dev/null
    wait "$nsd_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port free for both UDP and TCP on 127.0.0.1 (the approach of tests/dns/run_with_nsd.py).
port=$(python3 -c '
import socket
for _ in range(50):
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p))
    except OSError:
        t.close(); continue
    t.close(); u.close(); print(p); break
') || exit 1

# The zones: example.com publishes the TLSRPT record, example.net (the outside destination) the authorization.
# Both records are exactly the lines `tlsrpt generate --format zone` printed in step 2.
generated=$("$tlsrpt" generate --rua tlsrpt@example.com --rua https://reports.example.net/v1/tlsrpt \
  --domain example.com --format zone --ttl 300) || exit 1
soa() {
  printf '$ORIGIN %s.\n$TTL 300\n@ IN SOA ns.%s. hostmaster.%s. 1 3600 600 86400 300\n@ IN NS ns\nns IN A 127.0.0.1\n' \
    "$1" "$1" "$1"
}
{ soa example.com; printf '%s\n' "$generated" | head -n 1; } >"$tmp/example.com.zone"
{ soa example.net; printf '%s\n' "$generated" | sed -n '/must publish:/,/^$/p' | grep ' TXT '; } >"$tmp/example.net.zone"
cat >"$tmp/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1@$port
    port: $port
    username: ""
    chroot: ""
    zonesdir: "$tmp"
    pidfile: "$tmp/nsd.pid"
    database: ""
    xfrdfile: "$tmp/xfrd.state"
    xfrdir: "$tmp"
    zonelistfile: "$tmp/zone.list"
    logfile: "$tmp/nsd.log"
    server-count: 1
    do-ip6: no
    verbosity: 1
    hide-version: yes
remote-control:
    control-enable: no
zone:
    name: example.com.
    zonefile: "example.com.zone"
zone:
    name: example.net.
    zonefile: "example.net.zone"
CONF
echo
echo "The zone files served by NSD on 127.0.0.1 port $port:"
cat "$tmp/example.com.zone" "$tmp/example.net.zone"

"$nsd" -d -c "$tmp/nsd.conf" </dev/null >/dev/null 2>"$tmp/nsd.stderr" &
nsd_pid=$!
# Wait until it answers (at most about 10 s).
tries=0
until "$tlsrpt" lookup --server "127.0.0.1:$port" --timeout 200 --no-authorization example.com >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 50 ] || ! kill -0 "$nsd_pid" 2>/dev/null; then
    echo "NSD did not start:"
    cat "$tmp/nsd.stderr" "$tmp/nsd.log" 2>/dev/null
    exit 1
  fi
  sleep 0.2
done

run "$tlsrpt" lookup --server "127.0.0.1:$port" example.com
run "$tlsrpt" lookup --server "127.0.0.1:$port" --json example.com
echo
echo "A domain without a record:"
run "$tlsrpt" lookup --server "127.0.0.1:$port" example.net
exit 0
