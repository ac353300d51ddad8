#!/usr/bin/env python3
"""Runs a test program against a real local HTTPS server that serves MTA-STS policies (RFC 8461 §3.3).

usage: run_with_https.py PROGRAM [ARGS...]

Makes, with the openssl command-line tool, in a temporary directory: a test CA, a second CA nobody trusts, and
server certificates — one valid for every good policy host, an expired one, one for another name and one from the
untrusted CA. Starts an HTTPS server (Python's http.server + ssl, TLS 1.2 or higher) on 127.0.0.1 with a free port,
choosing the certificate by SNI and the behaviour by the Host header; runs PROGRAM with

  TLSRPT_TEST_HTTPS_PORT  the server's port
  TLSRPT_TEST_CA_FILE     the test CA (PEM) to trust
  TLSRPT_TEST_HTTPS_LOG   a file with one line "HOST PATH" per request received
  TLSRPT_TEST_CLOSED_PORT a port on 127.0.0.1 where nothing listens

and exits with its status. Policy hosts are mta-sts.CASE.sts.test; CASE selects the answer:

  valid, cname   200 text/plain, an enforce policy (mail.valid.sts.test, *.mx.valid.sts.test), CRLF lines
  testing        200 text/plain, a testing policy (mail.testing.sts.test), LF lines
  redirect       301 to https://mta-sts.redirected.sts.test/... (a client that follows it shows in the log)
  notfound       404 text/html
  html           200 text/html with a valid policy body
  charset        200 "text/plain; charset=iso-8859-1" with a valid policy body
  huge           200 text/plain, 70,000 bytes, chunked (no Content-Length)
  hugecl         200 text/plain, Content-Length: 70000 (the body follows)
  slow           waits 3 s before answering
  chunked        200 text/plain, a valid policy in three chunks
  invalid        200 text/plain, "mode: sometimes"
  expired        certificate expired in 2020 (from the test CA)
  wrongname      certificate for mta-sts.other.sts.test (from the test CA)
  untrusted      certificate from the untrusted CA
Standard library and the openssl CLI only.
"""
import http.server
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

CASES_GOOD = ["valid", "cname", "testing", "redirect", "notfound", "html", "charset", "huge", "hugecl", "slow",
              "chunked", "invalid", "redirected"]
POLICY_VALID = (b"version: STSv1\r\nmode: enforce\r\nmx: mail.valid.sts.test\r\nmx: *.mx.valid.sts.test\r\n"
                b"max_age: 604800\r\n")
POLICY_TESTING = b"version: STSv1\nmode: testing\nmx: mail.testing.sts.test\nmax_age: 86400\n"
POLICY_INVALID = b"version: STSv1\nmode: sometimes\nmx: mail.invalid.sts.test\nmax_age: 86400\n"


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_ca(d, name, cn):
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2", "-subj", f"/CN={cn}",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            cwd=d)


def make_leaf(d, name, ca, hosts, expired=False):
    with open(os.path.join(d, f"{name}.ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
        f.write("subjectAltName=" + ",".join(f"DNS:{h}" for h in hosts) + "\n")
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={hosts[0]}", cwd=d)
    if not expired:
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
                "-CAcreateserial", "-days", "2", "-out", f"{name}.pem", "-extfile", f"{name}.ext", cwd=d)
        return
    # openssl x509 cannot back-date a certificate; openssl ca can (-startdate/-enddate).
    cadir = os.path.join(d, "ca-db")
    os.makedirs(cadir, exist_ok=True)
    open(os.path.join(cadir, "index.txt"), "w").close()
    with open(os.path.join(cadir, "serial"), "w") as f:
        f.write("1000\n")
    with open(os.path.join(d, "ca.cnf"), "w") as f:
        f.write(f"[ca]\ndefault_ca=test\n[test]\ndatabase={cadir}/index.txt\nnew_certs_dir={cadir}\n"
                f"serial={cadir}/serial\ndefault_md=sha256\npolicy=any\n[any]\ncommonName=supplied\n")
    openssl("ca", "-batch", "-config", "ca.cnf", "-notext", "-startdate", "20200101000000Z",
            "-enddate", "20200201000000Z", "-cert", f"{ca}.pem", "-keyfile", f"{ca}.key",
            "-in", f"{name}.csr", "-out", f"{name}.pem", "-extfile", f"{name}.ext", cwd=d)


def make_certs(d):
    make_ca(d, "ca", "libtlsrpt test CA")
    make_ca(d, "evil-ca", "libtlsrpt untrusted CA")
    make_leaf(d, "good", "ca", [f"mta-sts.{c}.sts.test" for c in CASES_GOOD])
    make_leaf(d, "expired", "ca", ["mta-sts.expired.sts.test"], expired=True)
    make_leaf(d, "wrongname", "ca", ["mta-sts.other.sts.test"])
    make_leaf(d, "untrusted", "evil-ca", ["mta-sts.untrusted.sts.test"])


def context(d, name):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(os.path.join(d, f"{name}.pem"), os.path.join(d, f"{name}.key"))
    return ctx


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    log_path = None

    def log_message(self, fmt, *args):
        pass

    def send_body(self, status, ctype, body, extra=()):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_chunked(self, ctype, parts):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for p in parts:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(p), p))
        self.wfile.write(b"0\r\n\r\n")

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        with open(self.log_path, "a") as f:
            f.write(f"{host} {self.path}\n")
        case = host[len("mta-sts."):-len(".sts.test")] if host.startswith("mta-sts.") and host.endswith(
            ".sts.test") else ""
        if self.path != "/.well-known/mta-sts.txt":
            return self.send_body(404, "text/plain", b"no such file\n")
        if case in ("valid", "cname", "expired", "wrongname", "untrusted", "redirected"):
            return self.send_body(200, "text/plain", POLICY_VALID)
        if case == "testing":
            return self.send_body(200, "text/plain; charset=utf-8", POLICY_TESTING)
        if case == "redirect":
            return self.send_body(301, "text/html", b"<a href=x>moved</a>\n",
                                  [("Location", "https://mta-sts.redirected.sts.test/.well-known/mta-sts.txt")])
        if case == "html":
            return self.send_body(200, "text/html", POLICY_VALID)
        if case == "charset":
            return self.send_body(200, "text/plain; charset=iso-8859-1", POLICY_VALID)
        if case == "huge":
            line = b"# " + b"x" * 997 + b"\n"
            return self.send_chunked("text/plain", [line] * 70)
        if case == "hugecl":
            return self.send_body(200, "text/plain", b"x" * 70000)
        if case == "slow":
            time.sleep(3)
            return self.send_body(200, "text/plain", POLICY_VALID)
        if case == "chunked":
            return self.send_chunked("text/plain", [POLICY_VALID[:20], POLICY_VALID[20:50], POLICY_VALID[50:]])
        if case == "invalid":
            return self.send_body(200, "text/plain", POLICY_INVALID)
        return self.send_body(404, "text/html", b"<h1>not found</h1>\n")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # TLS handshakes the client refuses (bad certificates) end here


def closed_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    tmp = tempfile.mkdtemp(prefix="tlsrpt-https-")
    server = None
    try:
        make_certs(tmp)
        contexts = {f"mta-sts.{c}.sts.test": context(tmp, "good") for c in CASES_GOOD}
        contexts["mta-sts.expired.sts.test"] = context(tmp, "expired")
        contexts["mta-sts.wrongname.sts.test"] = context(tmp, "wrongname")
        contexts["mta-sts.untrusted.sts.test"] = context(tmp, "untrusted")
        default = context(tmp, "good")

        def pick(sock, name, _ctx):
            sock.context = contexts.get((name or "").lower(), default)

        default.sni_callback = pick
        Handler.log_path = os.path.join(tmp, "requests.log")
        open(Handler.log_path, "w").close()
        server = Server(("127.0.0.1", 0), Handler)
        server.socket = default.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        env = dict(os.environ, TLSRPT_TEST_HTTPS_PORT=str(server.server_address[1]),
                   TLSRPT_TEST_CA_FILE=os.path.join(tmp, "ca.pem"), TLSRPT_TEST_HTTPS_LOG=Handler.log_path,
                   TLSRPT_TEST_CLOSED_PORT=str(closed_port()))
        return subprocess.call(sys.argv[1:], env=env)
    except subprocess.CalledProcessError as e:
        sys.stderr.write(f"run_with_https: {' '.join(e.cmd)} failed:\n{e.stderr.decode(errors='replace')}")
        return 1
    finally:
        if server is not None:
            server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
