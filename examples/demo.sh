#!/bin/sh
# A short tour of the `tlsrpt` example program. usage: demo.sh PATH-TO-tlsrpt
set -u
tlsrpt=${1:-tlsrpt}
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
exit 0
