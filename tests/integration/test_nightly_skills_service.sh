#!/bin/bash
# One stop, one service time (docs/route.md, "Service time"): a point's
# cold parcels and its plain ones are two visits (docs/nightly.md,
# "Skills"); when the cold van takes both, one after the other, the
# courier stops once, so the point's service_min counts once. The point
# here takes 30 minutes of service and its window is 08:00-08:20: counted
# twice, the second visit could not start before 08:30 and its parcels were
# left out ("pickup window unreachable"); counted once, both visits start
# at the same minute, every order is picked up, and the independent checker
# (tests/check_plan.py, which counts the service once per stay too) agrees.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/nightly_lib.sh"
t_newdb
dl_endpoint ep
dl_config "plan_iterations = 3000" "plan_seed = 5"
q "INSERT INTO hubs (code, name, lat, lon) VALUES ('H1', 'Hub One', 24.80, 113.60)"
q "INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
   SELECT v.code, v.name, h.id, v.lat, v.lon, v.o, v.c, v.s
   FROM hubs h, (VALUES ('PA', 'Orchard', 24.83, 113.62, 480, 500, 30),
                        ('PB', 'Ford', 24.75, 113.58, 480, 1020, 5)) AS v(code, name, lat, lon, o, c, s)"
q "INSERT INTO couriers (code, name, hub_id, capacity_kg, capacity_m3, shift_start_min,
                         shift_end_min, endpoint_url, skills)
   SELECT 'C1', 'Cold van', id, 800, 6, 420, 1080, :'v1', ARRAY['cold'] FROM hubs" \
	"http://127.0.0.1:$DL_PORT/couriers/C1"
# At PA the plain parcels weigh most, so the cold one keeps a visit of its own.
q "INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date, seller, skills)
   SELECT v.ref, p.id, v.kg, 0.05, :'v1'::date, 'seller', v.skills::text[]
   FROM points p JOIN (VALUES ('PLAIN-PA-1', 'PA', 20, '{}'), ('PLAIN-PA-2', 'PA', 20, '{}'),
                              ('COLD-PA', 'PA', 5, '{cold}'), ('PLAIN-PB', 'PB', 5, '{}'))
        AS v(ref, pt, kg, skills) ON v.pt = p.code" "$NL_DATE"

assert_exit 0 "$VCOURIER" nightly --date "$NL_DATE" --json
echo "$T_OUT" >"$T_TMP/s.json"
nl_check "$NL_DATE" --summary "$T_TMP/s.json" --require-delivered >/dev/null
assert_eq "$(q "SELECT string_agg(order_ref || '=' || status, ' ' ORDER BY order_ref) FROM orders")" \
	"COLD-PA=delivered PLAIN-PA-1=delivered PLAIN-PA-2=delivered PLAIN-PB=delivered"
# Two stops at PA, one right after the other, at the same minute, within the window.
python3 - "$(q "SELECT body FROM manifests")" <<'PY' || fail "the two visits of PA are not one stay"
import json, sys
stops = [(s["point"]["code"], s["eta"], len(s["parcels"])) for s in json.loads(sys.argv[1])["stops"]]
at = [i for i, s in enumerate(stops) if s[0] == "PA"]
print(stops)
assert len(at) == 2 and at[1] == at[0] + 1, stops
assert stops[at[0]][1] == stops[at[1]][1] and "08:00" <= stops[at[0]][1] <= "08:20", stops
PY
