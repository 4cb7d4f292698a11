#!/usr/bin/env python3
"""check_plan.py: an independent check of a day's plan, NOT the planner's code.

Reads the database (through psql and the usual PG* variables) and the live
manifests of a service date, and checks every route against the rules of
SPEC section 6 with its own arithmetic:
  - the manifest's hub is the courier's hub (a route starts and ends there),
  - both capacities (kg and m3) of the courier's vehicle, on every trip:
    a multi-trip route lists its returns to the hub between trips as
    stops of "kind": "unload" (at the hub, eta the arrival, leaves when
    the next trip goes out, at least --unload-min later); trips at most
    the courier's max_trips (else --max-trips), each stop's "trip" and
    totals.trips consistent with the unload stops,
  - the shift and every stop's window, by replaying the route from the hub
    at the shift start on the courier's profile (van when unset): an
    imported road_matrix pair (that profile's row, else the row for every
    profile), else the stored road leg of the current network (road_legs),
    else, for a hub with no road leg at all, great-circle x circuity at the
    speed; waiting when early: the earliest schedule of a stop sequence is
    feasible whenever any schedule is; a point's service_min once per stay
    (two visits of one point one after the other are one stop),
  - each stop's leg_km and the manifest's distance_source (road, matrix,
    estimate: the weakest source of its legs) against those same legs,
  - each ETA inside its stop's window, max_km,
  - stop and manifest totals add up, parcels match the orders table,
  - skills: every parcel's required skills (its point's and its own, from
    the database) are skills of the courier's vehicle, and so are the
    stop's `skills`; the manifest's vehicle skills are the courier's,
  - every order of the hub ready by the date is in exactly one live
    manifest (and the orders table agrees), or pending as 'unassigned: ...'
    or rejected with a reason; with --summary, the run summary agrees.
Prints one line per violation and exits 1, or prints a one-line OK.

usage: check_plan.py --date YYYY-MM-DD [--hub CODE] [--circuity 1.3]
                     [--speed-kmh 30] [--summary FILE] [--require-delivered]
                     [--max-trips 1] [--unload-min 10]
"""
import argparse
import csv
import io
import json
import math
import subprocess
import sys

csv.field_size_limit(sys.maxsize)
EARTH_RADIUS_M = 6371008.8
EPS_KG = 0.0005
EPS_M3 = 0.00005


def sql(query, *args):
    """Rows of a query; args bound as psql variables :'v1', :'v2'..."""
    cmd = ["psql", "-X", "--csv", "-v", "ON_ERROR_STOP=1"]
    for i, a in enumerate(args, 1):
        cmd += ["-v", "v%d=%s" % (i, a)]
    out = subprocess.run(cmd, input=query, capture_output=True, text=True, check=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    return [dict(zip(rows[0], r)) for r in rows[1:]] if rows else []


def great_circle_m(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


SOURCE_RANK = {"estimate": 0, "road": 1, "matrix": 2}


class Travel:
    def __init__(self, circuity, speed_kmh, road, legs):
        self.circuity, self.speed, self.road, self.legs = circuity, speed_kmh / 3.6, road, legs
        self.on_network = {(h, p) for (h, p, _, _) in legs}

    def leg(self, a_code, a, b_code, b, hub="", profile="van"):
        """(metres, seconds, source) from a to b for a vehicle profile of a hub."""
        if a_code == b_code:
            return 0.0, 0.0, "road" if (hub, profile) in self.on_network else "estimate"
        r = self.road.get((a_code, b_code, profile)) or self.road.get((a_code, b_code, ""))
        if r:
            m = r[0] * 1000
            return m, (r[1] * 60 if r[1] is not None else m / self.speed), "matrix"
        if (hub, profile) in self.on_network:
            r = self.legs.get((hub, profile, a_code, b_code))
            if r is None:
                return float("inf"), float("inf"), "none"
            return r[0], r[1], "road"
        m = great_circle_m(a, b) * self.circuity
        return m, m / self.speed, "estimate"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--date", required=True)
    ap.add_argument("--hub")
    ap.add_argument("--circuity", type=float, default=1.3)
    ap.add_argument("--speed-kmh", type=float, default=30.0)
    ap.add_argument("--summary", help="the run's --json summary (one object per line)")
    ap.add_argument("--max-trips", type=int, default=1,
                    help="the configured max_trips, for couriers without their own")
    ap.add_argument("--unload-min", type=float, default=10.0,
                    help="the configured hub_unload_min: least time between two trips")
    ap.add_argument("--require-delivered", action="store_true",
                    help="every live manifest must have been delivered")
    opt = ap.parse_args()
    bad = []

    hubs = {h["id"]: h for h in sql("SELECT id, code, lat, lon FROM hubs")}
    hub_ids = [i for i, h in hubs.items() if opt.hub is None or h["code"] == opt.hub]
    if not hub_ids:
        print("check_plan: no such hub", file=sys.stderr)
        return 2
    points = {p["code"]: p for p in sql(
        "SELECT id, code, hub_id, lat, lon, open_min, close_min, service_min, active,"
        " array_to_string(skills, ';') AS skills FROM points")}
    couriers = {c["id"]: c for c in sql(
        "SELECT id, code, hub_id, capacity_kg, capacity_m3, shift_start_min, shift_end_min,"
        " coalesce(max_km::text, '') AS max_km, coalesce(profile, 'van') AS profile,"
        " coalesce(max_trips::text, '') AS max_trips, array_to_string(skills, ';') AS skills"
        " FROM couriers")}
    orders = {o["order_ref"]: o for o in sql(
        "SELECT o.order_ref, o.weight_kg, o.volume_m3, o.status, coalesce(o.reason, '') AS reason,"
        " coalesce(o.manifest_id, '') AS manifest_id, p.code AS point, p.hub_id,"
        " o.ready_date::text AS ready_date, array_to_string(o.skills, ';') AS skills"
        " FROM orders o JOIN points p ON p.id = o.point_id")}
    road = {(r["from_code"], r["to_code"], r["profile"]): (
        float(r["distance_km"]), float(r["duration_min"]) if r["duration_min"] else None)
        for r in sql("SELECT from_code, to_code, distance_km, duration_min, profile FROM road_matrix")}
    legs = {(r["hub_code"], r["profile"], r["from_code"], r["to_code"]): (float(r["metres"]), float(r["seconds"]))
            for r in sql("SELECT hub_code, profile, from_code, to_code, metres, seconds FROM road_legs"
                         " WHERE metres IS NOT NULL AND network_version ="
                         " (SELECT max(version) FROM road_networks)")}
    travel = Travel(opt.circuity, opt.speed_kmh, road, legs)
    manifests = sql("SELECT manifest_id, hub_id, courier_id, body, delivery_status FROM manifests"
                    " WHERE service_date = :'v1'::date AND superseded_by IS NULL", opt.date)

    seen = {}
    n_routes = 0
    for m in manifests:
        if m["hub_id"] not in hub_ids:
            continue
        mid = m["manifest_id"]
        c = couriers[m["courier_id"]]
        hub = hubs[c["hub_id"]]
        try:
            body = json.loads(m["body"])
        except ValueError as e:
            bad.append("%s: body is not JSON: %s" % (mid, e))
            continue
        n_routes += 1
        if opt.require_delivered and m["delivery_status"] != "delivered":
            bad.append("%s: delivery_status %s" % (mid, m["delivery_status"]))
        if body.get("manifest_id") != mid or body.get("service_date") != opt.date:
            bad.append("%s: body names %s for %s" % (mid, body.get("manifest_id"), body.get("service_date")))
        if body["courier"]["code"] != c["code"]:
            bad.append("%s: body courier %s, row courier %s" % (mid, body["courier"]["code"], c["code"]))
        if body["hub"]["code"] != hub["code"]:
            bad.append("%s: route does not start and end at the courier's hub %s" % (mid, hub["code"]))
        has = skill_set(c["skills"])
        if sorted(body["vehicle"].get("skills", [])) != sorted(has):
            bad.append("%s: vehicle skills %s, the courier has %s" % (
                mid, body["vehicle"].get("skills", []), sorted(has)))
        kg = m3 = dist = 0.0
        trip_kg = trip_m3 = 0.0
        trip = 1
        pickups = 0
        max_trips = int(c["max_trips"]) if c["max_trips"] else opt.max_trips
        multi = any(s.get("kind") == "unload" for s in body["stops"])
        parcels = 0
        t = int(c["shift_start_min"]) * 60.0
        here_code, here = hub["code"], (float(hub["lat"]), float(hub["lon"]))
        stay_start = t
        legs = 0
        weakest = "matrix"
        for k, stop in enumerate(body["stops"]):
            code = stop["point"]["code"]
            if stop.get("kind") is not None:
                # a return to the hub between two trips
                if stop["kind"] != "unload" or code != hub["code"]:
                    bad.append("%s stop %d: kind %s at %s, not an unload at the hub %s" % (
                        mid, k + 1, stop["kind"], code, hub["code"]))
                    continue
                if stop.get("trip") != trip:
                    bad.append("%s stop %d: unload ends trip %s, it is trip %d" % (mid, k + 1, stop.get("trip"), trip))
                if pickups == 0 or (k + 1 < len(body["stops"]) and body["stops"][k + 1].get("kind")) \
                        or k + 1 == len(body["stops"]):
                    bad.append("%s stop %d: an unload stop with no pickups before or after it" % (mid, k + 1))
                metres, secs, src = travel.leg(here_code, here, code, (float(hub["lat"]), float(hub["lon"])),
                                               hub["code"], c["profile"])
                if src == "none":
                    bad.append("%s stop %d: no road back to the hub from %s" % (mid, k + 1, here_code))
                    continue
                if SOURCE_RANK[src] < SOURCE_RANK[weakest]:
                    weakest = src
                if abs(stop["leg_km"] - metres / 1000) > 0.0015:
                    bad.append("%s stop %d (unload): leg_km %s, the leg measures %.3f km" % (
                        mid, k + 1, stop["leg_km"], metres / 1000))
                dist += metres
                legs += 1
                t += secs
                eta_min = int(stop["eta"][:2]) * 60 + int(stop["eta"][3:5])
                leaves_min = int(stop["leaves"][:2]) * 60 + int(stop["leaves"][3:5])
                if eta_min * 60 + 60 < t - legs:
                    bad.append("%s stop %d: back at the hub at %s, before it can be (%s)" % (
                        mid, k + 1, stop["eta"], hhmm(t)))
                if leaves_min - eta_min < opt.unload_min - 1:
                    bad.append("%s stop %d: leaves %s, less than %.0f min of unloading after %s" % (
                        mid, k + 1, stop["leaves"], opt.unload_min, stop["eta"]))
                if trip_kg > float(c["capacity_kg"]) + EPS_KG or trip_m3 > float(c["capacity_m3"]) + EPS_M3:
                    bad.append("%s: trip %d carries %.3f kg / %.4f m3, over the capacity %s kg / %s m3" % (
                        mid, trip, trip_kg, trip_m3, c["capacity_kg"], c["capacity_m3"]))
                t = max(t + opt.unload_min * 60, leaves_min * 60.0)
                trip_kg = trip_m3 = 0.0
                trip += 1
                here_code, here = hub["code"], (float(hub["lat"]), float(hub["lon"]))
                continue
            pickups += 1
            if multi and stop.get("trip") != trip:
                bad.append("%s stop %d (%s): says trip %s, it is on trip %d" % (mid, k + 1, code, stop.get("trip"), trip))
            if not multi and "trip" in stop:
                bad.append("%s stop %d (%s): a trip number on a single-trip route" % (mid, k + 1, code))
            p = points.get(code)
            if p is None or p["hub_id"] != c["hub_id"]:
                bad.append("%s stop %d: point %s is not a point of hub %s" % (mid, k + 1, code, hub["code"]))
                continue
            where = (float(p["lat"]), float(p["lon"]))
            metres, secs, src = travel.leg(here_code, here, code, where, hub["code"], c["profile"])
            if src == "none":
                bad.append("%s stop %d (%s): no road from %s for a %s" % (mid, k + 1, code, here_code, c["profile"]))
                continue
            if SOURCE_RANK[src] < SOURCE_RANK[weakest]:
                weakest = src
            if "leg_km" in stop and abs(stop["leg_km"] - metres / 1000) > 0.0015:
                bad.append("%s stop %d (%s): leg_km %s, the leg measures %.3f km" % (
                    mid, k + 1, code, stop["leg_km"], metres / 1000))
            dist += metres
            legs += 1
            open_s, close_s = int(p["open_min"]) * 60, int(p["close_min"]) * 60
            if code == here_code:
                # the same point right after its other visit: one stay, one
                # service time (docs/route.md, "Service time")
                start = max(stay_start, open_s)
            else:
                start = max(t + secs, open_s)
            if start > close_s + legs:
                bad.append("%s stop %d (%s): earliest arrival %s after window close %s" % (
                    mid, k + 1, code, hhmm(start), hhmm(close_s)))
            eta = stop.get("eta", "")
            eta_min = int(eta[:2]) * 60 + int(eta[3:5]) if len(eta) == 5 else -1
            if not int(p["open_min"]) <= eta_min <= int(p["close_min"]):
                bad.append("%s stop %d (%s): eta %s outside window" % (mid, k + 1, code, eta))
            t = start + int(p["service_min"]) * 60
            here_code, here, stay_start = code, where, start
            stop_needs = set(stop.get("skills", []))
            if not stop_needs <= has:
                bad.append("%s stop %d (%s): needs skills %s, the vehicle has %s" % (
                    mid, k + 1, code, sorted(stop_needs - has), sorted(has)))
            skg = sm3 = 0.0
            for par in stop["parcels"]:
                ref = par["order_ref"]
                seen.setdefault(ref, []).append(mid)
                o = orders.get(ref)
                if o is None:
                    bad.append("%s: parcel %s is no order" % (mid, ref))
                    continue
                if o["point"] != code:
                    bad.append("%s: parcel %s is at %s, listed at %s" % (mid, ref, o["point"], code))
                needs = skill_set(o["skills"]) | skill_set(p["skills"])
                if not needs <= has:
                    bad.append("%s: parcel %s needs skills %s the vehicle of %s lacks" % (
                        mid, ref, sorted(needs - has), c["code"]))
                if not needs <= stop_needs:
                    bad.append("%s stop %d: parcel %s needs %s, the stop says %s" % (
                        mid, k + 1, ref, sorted(needs), sorted(stop_needs)))
                if abs(float(o["weight_kg"]) - par["weight_kg"]) > EPS_KG or \
                        abs(float(o["volume_m3"]) - par["volume_m3"]) > EPS_M3:
                    bad.append("%s: parcel %s weight/volume differ from the order" % (mid, ref))
                if o["manifest_id"] != mid or o["status"] not in ("manifested", "delivered", "picked"):
                    bad.append("%s: order %s is %s in %s" % (mid, ref, o["status"], o["manifest_id"] or "no manifest"))
                skg += float(o["weight_kg"])
                sm3 += float(o["volume_m3"])
                parcels += 1
            if abs(skg - stop["weight_kg"]) > EPS_KG * (1 + len(stop["parcels"])):
                bad.append("%s stop %d: weight_kg %s, parcels add up to %.3f" % (mid, k + 1, stop["weight_kg"], skg))
            kg += skg
            m3 += sm3
            trip_kg += skg
            trip_m3 += sm3
        metres, secs, src = travel.leg(here_code, here, hub["code"], (float(hub["lat"]), float(hub["lon"])),
                                       hub["code"], c["profile"])
        if src == "none":
            bad.append("%s: no road back to the hub from %s for a %s" % (mid, here_code, c["profile"]))
        elif SOURCE_RANK[src] < SOURCE_RANK[weakest]:
            weakest = src
        if body["stops"] and "distance_source" in body and body["distance_source"] != weakest:
            bad.append("%s: distance_source %s, its legs are %s" % (mid, body["distance_source"], weakest))
        if body["stops"]:
            dist += metres
            t += secs
            legs += 1
        if body["stops"] and t > int(c["shift_end_min"]) * 60 + legs:
            bad.append("%s: back at the hub at %s, after the shift end %s" % (
                mid, hhmm(t), hhmm(int(c["shift_end_min"]) * 60)))
        if trip_kg > float(c["capacity_kg"]) + EPS_KG:
            bad.append("%s: %.3f kg over the capacity %s kg (trip %d)" % (mid, trip_kg, c["capacity_kg"], trip))
        if trip_m3 > float(c["capacity_m3"]) + EPS_M3:
            bad.append("%s: %.4f m3 over the capacity %s m3 (trip %d)" % (mid, trip_m3, c["capacity_m3"], trip))
        if trip > max_trips:
            bad.append("%s: %d trips, the courier may make %d" % (mid, trip, max_trips))
        if body["totals"].get("trips", 1) != trip:
            bad.append("%s: totals.trips %s, the stops make %d trips" % (mid, body["totals"].get("trips"), trip))
        if c["max_km"] and dist / 1000 > float(c["max_km"]) + 0.01:
            bad.append("%s: %.2f km over max_km %s" % (mid, dist / 1000, c["max_km"]))
        tot = body["totals"]
        if tot["parcels"] != parcels or tot["stops"] != pickups or abs(tot["weight_kg"] - kg) > 0.01:
            bad.append("%s: totals do not add up" % mid)
        if abs(tot["distance_km"] - dist / 1000) > 0.01 + 0.001 * dist / 1000:
            bad.append("%s: distance_km %s, the route measures %.3f km" % (mid, tot["distance_km"], dist / 1000))

    for ref, mids in seen.items():
        if len(mids) > 1:
            bad.append("order %s is in %d live manifests: %s" % (ref, len(mids), " ".join(mids)))
    counted = {"routed": 0, "unassigned": 0, "rejected": 0}
    for ref, o in orders.items():
        if o["hub_id"] not in hub_ids or o["ready_date"] > opt.date or o["status"] == "cancelled":
            continue
        if o["status"] == "planned":
            bad.append("order %s left planned (a transaction leaked)" % ref)
        elif o["status"] == "rejected":
            counted["rejected"] += 1
            if not o["reason"]:
                bad.append("order %s rejected without a reason" % ref)
        elif o["status"] == "pending":
            counted["unassigned"] += 1
            if not o["reason"].startswith("unassigned: "):
                bad.append("order %s pending without an 'unassigned: ...' reason" % ref)
        elif o["manifest_id"] and ref not in seen:
            # Manifested for another date (ready earlier, planned then) is fine.
            if any(m["manifest_id"] == o["manifest_id"] for m in manifests):
                bad.append("order %s says %s but is not in its body" % (ref, o["manifest_id"]))
        else:
            counted["routed"] += 1
    if opt.summary:
        check_summary(opt.summary, orders, seen, bad)
    for b in bad:
        print("VIOLATION:", b)
    if bad:
        return 1
    print("OK: %d routes, %d parcels routed, %d unassigned, %d rejected" % (
        n_routes, len(seen), counted["unassigned"], counted["rejected"]))
    return 0


def check_summary(path, orders, seen, bad):
    """Every order a summary names is where the summary says."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            s = json.loads(line)
            for key, status in (("rejected", "rejected"), ("unassigned", "pending")):
                for e in s[key]:
                    o = orders.get(e["order_ref"])
                    if o is None or o["status"] != status or o["reason"] != e["reason"]:
                        bad.append("summary %s %s: the orders table says %s" % (
                            key, e["order_ref"], o and (o["status"], o["reason"])))
                    if e["order_ref"] in seen:
                        bad.append("summary %s %s is also in a live manifest" % (key, e["order_ref"]))
            routed = sum(m["parcels"] for m in s["manifests"])
            if routed != s["orders_routed"]:
                bad.append("summary: manifests hold %d parcels, orders_routed %d" % (routed, s["orders_routed"]))
            if s["orders_claimed"] != s["orders_routed"] + len(s["rejected"]) + len(s["unassigned"]):
                bad.append("summary: claimed %d != routed + rejected + unassigned" % s["orders_claimed"])


def skill_set(text):
    """The names of a ';'-joined skills list (the database's array_to_string)."""
    return set(n for n in text.split(";") if n)


def hhmm(seconds):
    m = int(seconds // 60)
    return "%02d:%02d:%02d" % (m // 60, m % 60, int(seconds) % 60)


if __name__ == "__main__":
    sys.exit(main())
