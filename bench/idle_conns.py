#!/usr/bin/env python3
"""Open N keep-alive connections to an HTTP server, send one request on each,
read its full response, then keep every connection open and idle.

Used by bench/http_me.sh to measure a server's memory per idle connection.

    idle_conns.py HOST PORT [--count N] [--path /healthz] [--hold SECONDS]

Prints "ready N" on stdout once all N connections have been answered and are
idle, then holds them until its standard input closes, it gets SIGTERM or
SIGINT, or --hold seconds pass (bounded: never more than 300 s), and prints
"closed N still-open" (how many the server had not closed meanwhile).
Exits 1 if a connection cannot be opened or is not answered with 200 and
kept alive. Traffic goes to loopback addresses only.
"""
import argparse
import ipaddress
import select
import signal
import socket
import sys
import time


def read_response(sock, deadline):
    """Reads one HTTP/1.1 response with a Content-Length; returns (status, headers)."""
    data = b""
    while b"\r\n\r\n" not in data:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the response headers")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the end of the body")
        rest += chunk
    return status, headers


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--path", default="/healthz")
    ap.add_argument("--hold", type=float, default=60.0)
    a = ap.parse_args()
    if not ipaddress.ip_address(a.host).is_loopback:
        sys.exit("idle_conns.py: only loopback addresses are allowed")
    hold = min(a.hold, 300.0)

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    req = (f"GET {a.path} HTTP/1.1\r\nHost: {a.host}:{a.port}\r\n"
           "Connection: keep-alive\r\n\r\n").encode()
    socks = []
    deadline = time.monotonic() + 60
    try:
        for i in range(a.count):
            s = socket.create_connection((a.host, a.port), timeout=10)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            socks.append(s)
            s.sendall(req)
            status, headers = read_response(s, deadline)
            if status != 200:
                raise RuntimeError(f"connection {i}: status {status}")
            if headers.get("connection", "").lower() == "close":
                raise RuntimeError(f"connection {i}: server did not keep it alive")
    except Exception as e:  # noqa: BLE001 - report and fail
        print(f"idle_conns.py: {e} after {len(socks)} connections", file=sys.stderr)
        for s in socks:
            s.close()
        return 1

    print(f"ready {len(socks)}", flush=True)
    end = time.monotonic() + hold
    while not stop and time.monotonic() < end:
        try:
            r, _, _ = select.select([sys.stdin], [], [], 0.2)
        except InterruptedError:
            continue
        if r and not sys.stdin.buffer.read1(4096):
            break
    # A connection the server closed is readable and reads b"".
    still_open = 0
    for s in socks:
        s.setblocking(False)
        try:
            still_open += s.recv(1) != b""
        except BlockingIOError:
            still_open += 1
        except OSError:
            pass
        s.close()
    print(f"closed {still_open}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
