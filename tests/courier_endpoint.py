#!/usr/bin/env python3
"""courier_endpoint: a courier's manifest endpoint, for tests and the demo.

Accepts POST /couriers/<CODE> as vcourier sends it (SPEC section 5): checks
Content-Type, Content-Encoding gzip, Idempotency-Key, X-Manifest-SHA256
against the gunzipped body and, when the courier has a key, the Standard
Webhooks signature (webhook-id/-timestamp/-signature). Stores each manifest
once per Idempotency-Key as STORE/<CODE>/<KEY>.json; a repeated key with the
same body gets the first answer again, with another body 422. Every request
is appended to STORE/requests.jsonl as one JSON object:
  {"courier", "key", "status", "sha_ok", "sig_ok", "fault", "stored",
   "timestamp", "signature" (the webhook headers, for `manifest verify`),
   "authorization" (true when an Authorization header came; never its value),
   "user_agent" (the User-Agent header)}
Answers 400 on a missing header, bad gzip, checksum or signature mismatch.

Fault injection, per courier, a queue of behaviours consumed one per
request (set with --faults FILE, a JSON object {CODE: [behaviour, ...]}, or
POST /_control with {"courier": CODE, "faults": [...]} to replace the queue,
{"reset": true} to clear every queue; {"forget": true} to forget every
stored answer, so that a new copy of the same database posting the same
manifest ids with other bodies is not refused (benches); {"clock_offset": S} moves this
endpoint's clock, its Date header and signature tolerance, by S seconds). A behaviour is an object:
  {"status": 503}                     answer that status (body not stored)
  {"status": 429, "retry_after": 2}   with a Retry-After header
  {"delay": 5}                        sleep 5 s first, then go on normally
  {"hold": "NAME"}                    hold the request (STORE/NAME.held is
                                      created on arrival) until POST /_control
                                      {"release": "NAME"}, then go on (with the
                                      behaviour's other fields, if any); tests
                                      synchronise on this, never on sleeps
  {"silent": true}                    accept the request, never answer (until
                                      the client gives up)
  {"drop": true}                      close the connection without answering
  {"reset": true}                     close with a TCP reset
  {"trickle": true}                   200 headers, then the body 1 byte/s
  {"redirect": "http://other/..."}    302 to that URL
  add "forever": true to keep a behaviour at the head of the queue.
Run: courier_endpoint.py --port 0 --store DIR [--keys FILE] [--tls CERT KEY]
       [--faults FILE]   (--port 0 picks a free port; the first line on
       stdout is "port N"). --keys FILE has lines "CODE whsec_...".
"""
import argparse
import base64
import gzip
import hashlib
import hmac
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_S = 300
# Seconds added to this endpoint's clock (--clock-offset, or POST /_control
# {"clock_offset": S}): its Date header and its signature tolerance check
# both use it, as a courier whose clock differs from vcourier's would.
CLOCK = {"offset": 0.0}


def now():
    return time.time() + CLOCK["offset"]


class State:
    def __init__(self, store, keys, faults):
        self.store = store
        self.keys = keys
        self.faults = faults
        self.answers = {}  # (courier, key) -> (sha, status, body)
        self.lock = threading.Lock()
        self.holds = {}  # name -> threading.Event, set on release

    def hold_event(self, name):
        with self.lock:
            return self.holds.setdefault(name, threading.Event())

    def next_fault(self, courier):
        with self.lock:
            queue = self.faults.get(courier) or []
            if not queue:
                return None
            if queue[0].get("forever"):
                return queue[0]
            return queue.pop(0)

    def log(self, record):
        with self.lock:
            with open(os.path.join(self.store, "requests.jsonl"), "a") as f:
                f.write(json.dumps(record, sort_keys=True) + "\n")


def load_keys(path):
    keys = {}
    if not path:
        return keys
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) != 2 or not parts[1].startswith("whsec_"):
                sys.exit("%s:%d: expected 'CODE whsec_...'" % (path, n))
            keys[parts[0]] = base64.b64decode(parts[1][len("whsec_"):], validate=True)
    return keys


def signature_ok(secret, msg_id, ts, body, header):
    if not msg_id or not ts or not header:
        return False
    try:
        if abs(now() - int(ts)) > TOLERANCE_S:
            return False
    except ValueError:
        return False
    mac = hmac.new(secret, b"%s.%s.%s" % (msg_id.encode(), ts.encode(), body), hashlib.sha256)
    want = base64.b64encode(mac.digest()).decode()
    return any(
        part.startswith("v1,") and hmac.compare_digest(part[3:], want)
        for part in header.split(" ")
    )


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "courier-endpoint/1"

    def log_message(self, fmt, *args):  # quiet: requests.jsonl is the record
        pass

    def date_time_string(self, timestamp=None):
        return super().date_time_string(now() if timestamp is None else timestamp)

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def do_POST(self):
        state = self.server.state
        raw = self.read_body()
        if self.path == "/_control":
            return self.control(state, raw)
        if not self.path.startswith("/couriers/"):
            return self.answer(404, b'{"error":"no such path"}')
        courier = self.path[len("/couriers/"):]
        key = self.headers.get("Idempotency-Key")
        record = {"courier": courier, "key": key, "status": None, "sha_ok": None,
                  "sig_ok": None, "fault": None, "stored": False,
                  "timestamp": self.headers.get("webhook-timestamp"),
                  "signature": self.headers.get("webhook-signature"),
                  "authorization": bool(self.headers.get("Authorization")),
                  "user_agent": self.headers.get("User-Agent")}
        fault = state.next_fault(courier)
        if fault:
            record["fault"] = fault
            if self.apply_fault(fault, record):
                state.log(record)
                return
        status, body = self.receive(state, courier, key, raw, record)
        record["status"] = status
        state.log(record)
        try:
            self.answer(status, body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def apply_fault(self, fault, record):
        """True when the fault answered (or killed) the request itself."""
        if "hold" in fault:
            name = os.path.basename(str(fault["hold"]))
            released = self.server.state.hold_event(name)
            with open(os.path.join(self.server.state.store, name + ".held"), "w") as f:
                f.write(record.get("key") or "-")
            released.wait(120)  # bounded: a broken test must not hang CI
        if fault.get("silent"):
            # keep the connection open and say nothing until the client leaves
            self.close_connection = True
            try:
                self.connection.settimeout(120)
                while self.connection.recv(4096):
                    pass
            except OSError:
                pass
            return True
        if "delay" in fault:
            time.sleep(float(fault["delay"]))
        if fault.get("drop"):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return True
        if fault.get("reset"):
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            return True
        if fault.get("trickle"):
            record["status"] = 200
            body = b'{"status":"slowly accepted"}' * 4
            self.close_connection = True
            try:
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.flush()
                for b in body:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                    time.sleep(1)
            except (BrokenPipeError, ConnectionResetError, OSError):
                pass
            return True
        if "redirect" in fault:
            record["status"] = 302
            self.answer(302, b"", [("Location", fault["redirect"])])
            return True
        if "status" in fault:
            status = int(fault["status"])
            record["status"] = status
            headers = []
            if "retry_after" in fault:
                headers.append(("Retry-After", str(fault["retry_after"])))
            body = json.dumps({"error": "injected", "status": status}).encode()
            try:
                self.answer(status, body, headers)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return True
        return False

    def receive(self, state, courier, key, raw, record):
        h = self.headers
        if not key:
            return 400, b'{"error":"Idempotency-Key missing"}'
        if not (h.get("Content-Type") or "").startswith("application/json"):
            return 400, b'{"error":"Content-Type is not application/json"}'
        if (h.get("Content-Encoding") or "") != "gzip":
            return 400, b'{"error":"Content-Encoding is not gzip"}'
        try:
            body = gzip.decompress(raw)
        except (OSError, EOFError):
            return 400, b'{"error":"body is not gzip"}'
        sha = hashlib.sha256(body).hexdigest()
        record["sha_ok"] = sha == (h.get("X-Manifest-SHA256") or "").lower()
        if not record["sha_ok"]:
            return 400, b'{"error":"X-Manifest-SHA256 mismatch"}'
        secret = state.keys.get(courier)
        if secret is not None:
            record["sig_ok"] = h.get("webhook-id") == key and signature_ok(
                secret, h.get("webhook-id"), h.get("webhook-timestamp"), body,
                h.get("webhook-signature"))
            if not record["sig_ok"]:
                return 400, b'{"error":"webhook signature invalid"}'
        with state.lock:
            first = state.answers.get((courier, key))
            if first:
                if first[0] != sha:
                    return 422, b'{"error":"Idempotency-Key reused with another body"}'
                return first[1], first[2]
            folder = os.path.join(state.store, courier)
            os.makedirs(folder, exist_ok=True)
            path = os.path.join(folder, os.path.basename(key) + ".json")
            with open(path + ".tmp", "wb") as f:
                f.write(body)
            os.replace(path + ".tmp", path)
            record["stored"] = True
            answer = (201, json.dumps({"accepted": key, "sha256": sha}).encode())
            state.answers[(courier, key)] = (sha,) + answer
        return answer

    def control(self, state, raw):
        try:
            cmd = json.loads(raw or b"{}")
        except ValueError:
            return self.answer(400, b'{"error":"not JSON"}')
        if "release" in cmd:
            state.hold_event(os.path.basename(str(cmd["release"]))).set()
        with state.lock:
            if "clock_offset" in cmd:
                CLOCK["offset"] = float(cmd["clock_offset"])
            if cmd.get("reset"):
                state.faults.clear()
            if cmd.get("forget"):
                state.answers.clear()
            if "courier" in cmd:
                state.faults[cmd["courier"]] = list(cmd.get("faults") or [])
        return self.answer(200, b'{"ok":true}')

    def do_GET(self):
        if self.path == "/_health":
            return self.answer(200, b'{"ok":true}')
        return self.answer(404, b'{"error":"no such path"}')


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0, help="0: pick a free port")
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--clock-offset", type=float, default=0,
                    help="seconds added to this endpoint's clock (Date, signature tolerance)")
    ap.add_argument("--store", required=True, help="folder for manifests and requests.jsonl")
    ap.add_argument("--keys", help="file of lines 'CODE whsec_...'")
    ap.add_argument("--faults", help="JSON file {CODE: [behaviour, ...]}")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve HTTPS")
    args = ap.parse_args()

    os.makedirs(args.store, exist_ok=True)
    faults = {}
    if args.faults:
        with open(args.faults) as f:
            faults = {k: list(v) for k, v in json.load(f).items()}
    server = ThreadingHTTPServer((args.bind, args.port), Handler)
    server.daemon_threads = True
    CLOCK["offset"] = args.clock_offset
    server.state = State(args.store, load_keys(args.keys), faults)
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print("port %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
