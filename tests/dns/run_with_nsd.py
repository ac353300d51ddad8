#!/usr/bin/env python3
"""Runs a test program against a real NSD serving the test zones on 127.0.0.1.

usage: run_with_nsd.py NSD ZONEDIR PROGRAM [ARGS...]

Starts NSD (`nsd -d -c CONF`) on 127.0.0.1 with a free port, without chroot or privilege drop, with every file in a
temporary directory; waits until it answers; runs PROGRAM with TLSRPT_TEST_NSD_PORT set to the port; stops NSD and
exits with PROGRAM's status. Every *.zone file in ZONEDIR is served; its zone name is the file name without ".zone"
("co.uk.zone" serves co.uk.). Standard library only.
"""
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

START_TIMEOUT = 15.0


def free_port():
    """A port that is free for both UDP and TCP on 127.0.0.1 right now."""
    for _ in range(50):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.bind(("127.0.0.1", 0))
        port = t.getsockname()[1]
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind(("127.0.0.1", port))
        except OSError:
            t.close()
            continue
        t.close()
        u.close()
        return port
    raise RuntimeError("no free port")


def soa_query(zone):
    qid = 0x1234
    header = struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 0)
    name = b"".join(bytes([len(label)]) + label.encode() for label in zone.split(".") if label) + b"\0"
    return qid, header + name + struct.pack("!HH", 6, 1)


def answers(port, zone):
    qid, q = soa_query(zone)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.3)
    try:
        s.sendto(q, ("127.0.0.1", port))
        data, _ = s.recvfrom(4096)
        return len(data) >= 12 and struct.unpack("!H", data[:2])[0] == qid and (data[3] & 0x0F) == 0
    except OSError:
        return False
    finally:
        s.close()


def write_config(tmp, port, zonedir):
    zones = sorted(f[:-5] for f in os.listdir(zonedir) if f.endswith(".zone"))
    lines = [
        "server:",
        f"    ip-address: 127.0.0.1@{port}",
        f"    port: {port}",
        '    username: ""',
        '    chroot: ""',
        f'    zonesdir: "{zonedir}"',
        f'    pidfile: "{tmp}/nsd.pid"',
        '    database: ""',
        f'    xfrdfile: "{tmp}/xfrd.state"',
        f'    xfrdir: "{tmp}"',
        f'    zonelistfile: "{tmp}/zone.list"',
        f'    logfile: "{tmp}/nsd.log"',
        "    server-count: 1",
        "    do-ip6: no",
        "    verbosity: 1",
        "    hide-version: yes",
        "remote-control:",
        "    control-enable: no",
    ]
    for z in zones:
        lines += ["zone:", f"    name: {z}.", f'    zonefile: "{z}.zone"']
    conf = os.path.join(tmp, "nsd.conf")
    with open(conf, "w") as f:
        f.write("\n".join(lines) + "\n")
    return conf, zones


def start_nsd(nsd, zonedir, tmp):
    """Starts NSD; returns (process, port). Retries with another port if the chosen one was taken meanwhile."""
    for attempt in range(3):
        port = free_port()
        conf, zones = write_config(tmp, port, zonedir)
        proc = subprocess.Popen([nsd, "-d", "-c", conf], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(tmp, "nsd.stderr"), "w"), start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            if answers(port, zones[0]):
                return proc, port
            time.sleep(0.05)
        stop_nsd(proc)
    for name in ("nsd.stderr", "nsd.log"):
        path = os.path.join(tmp, name)
        if os.path.exists(path):
            sys.stderr.write(f"--- {name}\n" + open(path).read())
    raise RuntimeError("NSD did not start")


def stop_nsd(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    if len(sys.argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    nsd, zonedir, program = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3:]
    tmp = tempfile.mkdtemp(prefix="tlsrpt-nsd-")
    proc = None
    try:
        proc, port = start_nsd(nsd, zonedir, tmp)
        env = dict(os.environ, TLSRPT_TEST_NSD_PORT=str(port))
        return subprocess.call(program, env=env)
    finally:
        if proc is not None:
            stop_nsd(proc)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
