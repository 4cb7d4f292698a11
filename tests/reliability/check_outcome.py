#!/usr/bin/env python3
"""check_outcome.py: nothing lost, nothing twice, after crashes and reruns.

Reads the database (psql, the usual PG* variables) and the courier
endpoint's store (tests/courier_endpoint.py --store DIR) for one service
date, once the job has finally exited 0, and checks:
  - no run is left 'running'; no order is left 'planned';
  - every order of the date's hubs is in exactly one live manifest (its
    manifest_id and the manifest body agree), or pending as 'unassigned: ...',
    or rejected with a reason;
  - every live manifest is delivered, and the endpoint stored it exactly
    once, under its own manifest_id as Idempotency-Key, with the bytes of
    the outbox (same SHA-256);
  - the endpoint stored no other manifest of that date (but versions a
    replan replaced), never answered 422 (a key reused with another body)
    nor 400 (bad checksum/signature);
  - no order_ref appears in two live manifests the endpoint stored.
Prints one line per violation and exits 1, or one OK line.

usage: check_outcome.py --date YYYY-MM-DD --store DIR
"""
import argparse
import collections
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from check_plan import sql  # noqa: E402  (psql with args bound as :'v1'...)


def parcels_of(body):
    return [p["order_ref"] for s in body["stops"] for p in s["parcels"]]


def check_database(date, bad):
    for r in sql("SELECT id, status FROM runs WHERE status = 'running'"):
        bad.append("run %s is still running" % r["id"])
    manifests = {m["manifest_id"]: m for m in sql(
        "SELECT manifest_id, sha256, body, delivery_status FROM manifests"
        " WHERE service_date = :'v1'::date AND superseded_by IS NULL", date)}
    in_body = {}
    for mid, m in manifests.items():
        if m["delivery_status"] != "delivered":
            bad.append("%s: live manifest is %s" % (mid, m["delivery_status"]))
        for ref in parcels_of(json.loads(m["body"])):
            if ref in in_body:
                bad.append("order %s in two live manifests: %s and %s" % (ref, in_body[ref], mid))
            in_body[ref] = mid
    orders = sql("SELECT o.order_ref, o.status, coalesce(o.reason, '') AS reason,"
                 " coalesce(o.manifest_id, '') AS manifest_id FROM orders o"
                 " JOIN points p ON p.id = o.point_id WHERE o.ready_date <= :'v1'::date", date)
    for o in orders:
        ref, st = o["order_ref"], o["status"]
        if st == "delivered":
            if in_body.get(ref) != o["manifest_id"]:
                bad.append("order %s delivered in %s but found in %s" % (ref, o["manifest_id"], in_body.get(ref)))
        elif st == "pending":
            if not o["reason"].startswith("unassigned: ") or ref in in_body:
                bad.append("order %s pending without an unassigned reason (%r) or in a manifest" % (ref, o["reason"]))
        elif st == "rejected":
            if not o["reason"] or ref in in_body:
                bad.append("order %s rejected without a reason or in a manifest" % ref)
        else:
            bad.append("order %s left %s" % (ref, st))
    if len(in_body) != sum(1 for o in orders if o["status"] == "delivered"):
        bad.append("manifests carry %d parcels, %d orders delivered" %
                   (len(in_body), sum(1 for o in orders if o["status"] == "delivered")))
    return manifests, len(orders)


def check_endpoint(date, store, manifests, bad):
    requests = []
    path = os.path.join(store, "requests.jsonl")
    if os.path.exists(path):
        with open(path) as f:
            requests = [json.loads(line) for line in f]
    requests = [r for r in requests if (r.get("key") or "").startswith(date + "-")]
    stored = collections.Counter(r["key"] for r in requests if r.get("stored"))
    for r in requests:
        if r.get("status") in (400, 422):
            bad.append("endpoint answered %s to %s" % (r["status"], r["key"]))
    superseded = {m["manifest_id"] for m in sql(
        "SELECT manifest_id FROM manifests WHERE service_date = :'v1'::date"
        " AND superseded_by IS NOT NULL", date)}
    for key, n in stored.items():
        if n != 1:
            bad.append("endpoint stored %s %d times" % (key, n))
        if key not in manifests and key not in superseded:
            bad.append("endpoint stored %s, which is neither live nor a replaced version" % key)
    seen = {}
    for mid, m in manifests.items():
        courier = json.loads(m["body"])["courier"]["code"]
        f = os.path.join(store, courier, mid + ".json")
        if not os.path.exists(f):
            bad.append("%s: never stored by the endpoint" % mid)
            continue
        with open(f, "rb") as fh:
            body = fh.read()
        if hashlib.sha256(body).hexdigest() != m["sha256"]:
            bad.append("%s: the endpoint holds other bytes than the outbox" % mid)
        doc = json.loads(body)
        if doc["manifest_id"] != mid:
            bad.append("%s: stored under another key than its manifest_id %s" % (mid, doc["manifest_id"]))
        for ref in parcels_of(doc):
            if ref in seen:
                bad.append("order %s stored by the endpoint in %s and %s" % (ref, seen[ref], mid))
            seen[ref] = mid
    return len(requests)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--date", required=True)
    ap.add_argument("--store", required=True)
    opt = ap.parse_args()
    bad = []
    manifests, n_orders = check_database(opt.date, bad)
    n_requests = check_endpoint(opt.date, opt.store, manifests, bad)
    if not manifests:
        bad.append("no live manifest for %s: nothing was checked" % opt.date)
    for line in bad:
        print(line)
    if bad:
        return 1
    print("check_outcome: OK %s: %d orders, %d live manifests, %d requests" %
          (opt.date, n_orders, len(manifests), n_requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
