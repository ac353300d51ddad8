#!/bin/sh
# A short tour of the `tlsrpt` example program. usage: demo.sh PATH-TO-tlsrpt
# Steps 1-4 need nothing else. Step 5 publishes the generated records on a throwaway NSD (/usr/sbin/nsd, Debian
# package `nsd`) listening on a free port of 127.0.0.1, looks them up with `tlsrpt lookup`; step 6 adds MTA-STS:
# the records of `tlsrpt sts generate` on the same NSD, the policy file on a throwaway HTTPS server (python3's
# http.server) with a throwaway CA made by the openssl command, checked with `tlsrpt sts lookup`. Everything stops
# again at the end.
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
https_pid=
cleanup() {
  for pid in $nsd_pid $https_pid; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
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

# MTA-STS for example.com (step 6): the TXT record as a zone line, the policy file, two MX hosts (one outside the
# policy, so that the checker has something to say).
sts_args="--domain example.com --mode testing --mx mail.example.com --max-age 604800 --id 20261201T000000Z"
# shellcheck disable=SC2086
sts_zone=$("$tlsrpt" sts generate $sts_args --format zone --ttl 300) || exit 1
mkdir -p "$tmp/www/.well-known" || exit 1
# shellcheck disable=SC2086
"$tlsrpt" sts generate $sts_args --format policy >"$tmp/www/.well-known/mta-sts.txt" || exit 1

# The zones: example.com publishes the TLSRPT record, example.net (the outside destination) the authorization.
# Both records are exactly the lines `tlsrpt generate --format zone` printed in step 2.
generated=$("$tlsrpt" generate --rua tlsrpt@example.com --rua https://reports.example.net/v1/tlsrpt \
  --domain example.com --format zone --ttl 300) || exit 1
soa() {
  printf '$ORIGIN %s.\n$TTL 300\n@ IN SOA ns.%s. hostmaster.%s. 1 3600 600 86400 300\n@ IN NS ns\nns IN A 127.0.0.1\n' \
    "$1" "$1" "$1"
}
{
  soa example.com
  printf '%s\n' "$generated" | head -n 1
  printf '%s\n' "$sts_zone"
  printf 'example.com. 300 IN MX 10 mail.example.com.\nexample.com. 300 IN MX 20 backup.example.org.\n'
} >"$tmp/example.com.zone"
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

echo
echo "== 6. MTA-STS: the records step 5's NSD also serves, the policy on a throwaway HTTPS server"
# shellcheck disable=SC2086
run "$tlsrpt" sts generate $sts_args
if ! command -v openssl >/dev/null 2>&1; then
  echo "openssl is not installed: skipping the HTTPS part. Install it with: sudo apt-get install openssl"
  exit 0
fi
# A throwaway CA and a certificate for mta-sts.example.com, made here and removed at the end.
(
  cd "$tmp" &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -days 1 \
      -subj "/CN=tlsrpt demo CA" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign &&
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout host.key -out host.csr \
      -subj "/CN=mta-sts.example.com" &&
    printf 'subjectAltName=DNS:mta-sts.example.com\nextendedKeyUsage=serverAuth\n' >host.ext &&
    openssl x509 -req -in host.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -out host.pem -extfile host.ext
) >/dev/null 2>&1 || { echo "openssl could not make the demo certificates"; exit 1; }
https_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$tmp" "$https_port" >/dev/null 2>&1 <<'PY' &
import functools, http.server, ssl, sys
tmp, port = sys.argv[1], int(sys.argv[2])
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=tmp + "/www")
server = http.server.HTTPServer(("127.0.0.1", port), handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(tmp + "/host.pem", tmp + "/host.key")
server.socket = ctx.wrap_socket(server.socket, server_side=True)
server.serve_forever()
PY
https_pid=$!
sleep 0.5
echo "The policy is served from https://mta-sts.example.com/ on 127.0.0.1 port $https_port (--connect-to),"
echo "with a certificate from the throwaway CA (--ca-file):"
run "$tlsrpt" sts lookup --server "127.0.0.1:$port" --connect-to "::127.0.0.1:$https_port" --ca-file "$tmp/ca.pem" \
  example.com
echo
echo "Without the throwaway CA, the certificate does not verify: what a sender reports then:"
run "$tlsrpt" sts lookup --server "127.0.0.1:$port" --connect-to "::127.0.0.1:$https_port" --no-mx example.com
exit 0
