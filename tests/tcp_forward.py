#!/usr/bin/env python3
"""tcp_forward: a TCP listener that forwards each connection to a unix socket.

For the half-open fault tests: the suite's PostgreSQL listens on a unix
socket only; vcourier, run inside a network namespace, reaches it over a
veth through this forwarder, so that the test can black-hole the path
(`ip route add blackhole`) and the client's kernel sees packets vanish
with no RST, as on a real network. The forwarder's TCP sockets keep
TCP keepalives (1 s idle, 1 s interval, 3 probes), as a server's
tcp_keepalives_* would, so that the server side of a dead connection is
closed within seconds and PostgreSQL ends that session (and its locks).

Run: tcp_forward.py --listen ADDR --unix PATH   (first stdout line: "port N")
"""
import argparse
import os
import socket
import threading


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            s.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--unix", required=True)
    args = ap.parse_args()
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.listen, 0))
    srv.listen(16)
    print("port %d" % srv.getsockname()[1], flush=True)
    while True:
        client, _ = srv.accept()
        client.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 3000)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            server.connect(args.unix)
        except OSError:
            client.close()
            continue
        threading.Thread(target=pump, args=(client, server), daemon=True).start()
        threading.Thread(target=pump, args=(server, client), daemon=True).start()


if __name__ == "__main__":
    main()
