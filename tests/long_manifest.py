#!/usr/bin/env python3
"""tests/long_manifest.py N MANIFEST_ID: a valid manifest body with N stops of
one parcel each (a route long enough for the stops table to continue on a
second page), for the browser test of the sheet's pagination."""
import json, sys, hashlib
n = int(sys.argv[1]); mid = sys.argv[2]
stops = []
for i in range(n):
    parcels = [{"order_ref": f"{mid}-{i+1}", "weight_kg": 1.5, "volume_m3": 0.01, "seller": f"卖家{i+1}"}]
    stops.append({"seq": i + 1, "point": {"code": f"LP{i+1}", "name": f"长路村{i+1}号点", "lat": 34.5 + 0.01 * (i % 10), "lon": 115.4 + 0.01 * (i // 10)},
                  "window": ["07:00", "19:00"], "eta": "%02d:%02d" % (7 + i // 6, (i % 6) * 10), "parcels": parcels,
                  "weight_kg": 1.5, "volume_m3": 0.01})
doc = {"manifest_id": mid, "version": 1, "replaces": None, "run_id": 1, "service_date": "2026-11-24",
       "hub": {"code": "LH", "name": "长路仓", "lat": 34.45, "lon": 115.35},
       "courier": {"code": "LK", "name": "长路快递"}, "vehicle": {"capacity_kg": 500.0, "capacity_m3": 3.0},
       "stops": stops,
       "totals": {"stops": n, "parcels": n, "weight_kg": round(1.5 * n, 3), "volume_m3": round(0.01 * n, 4),
                  "distance_km": 80.0, "duration_min": 600}}
sys.stdout.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
