# tests/integration/deliver_lib.sh: fixtures for the delivery tests (sourced
# after tests/lib.sh): a real courier endpoint on loopback, a hub with
# couriers and manifests in the test's database, a short-timeout config.

DL_ENDPOINT="$ROOT/tests/courier_endpoint.py"
DL_KEY=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw

# dl_endpoint NAME [endpoint args...]: start an endpoint storing in
# $T_TMP/NAME; sets DL_PORT (and writes $T_TMP/NAME.port).
dl_endpoint() {
	local name=$1 i
	shift
	# created here: the background job may not have opened it before sed reads it
	: >"$T_TMP/$name.out"
	python3 "$DL_ENDPOINT" --port 0 --store "$T_TMP/$name" "$@" >"$T_TMP/$name.out" 2>"$T_TMP/$name.err" &
	t_on_exit "kill $! 2>/dev/null; wait $! 2>/dev/null"
	DL_PORT=$(t_port "$T_TMP/$name.out") || fail "endpoint $name did not start: $(cat "$T_TMP/$name.err")"
	echo "$DL_PORT" >"$T_TMP/$name.port"
}

# dl_setup [config lines...]: the usual start: a fresh database with hub
# H1, one endpoint "ep" (DL_PORT) and the short-timeout config.
dl_setup() {
	t_newdb
	dl_endpoint ep
	dl_config "$@"
	dl_hub
}

# dl_faults PORT COURIER JSON-LIST: replace that courier's fault queue.
dl_faults() {
	curl -sf -X POST -H 'Content-Type: application/json' \
		--data "{\"courier\": \"$2\", \"faults\": $3}" "http://127.0.0.1:$1/_control" >/dev/null \
		|| fail "cannot set faults on port $1"
}

# dl_wait_due: poll (60 s deadline) until no pending manifest is still
# backing off. A run honours next_attempt_at, so a test that brings an
# endpoint back and reruns at once would race the backoff (0.1-0.5 s here).
dl_wait_due() {
	local i
	for i in $(seq 1200); do
		[ "$(q "SELECT count(*) FROM manifests WHERE delivery_status = 'pending'
			  AND next_attempt_at > now()")" = 0 ] && return 0
		sleep 0.05
	done
	fail "pending manifests still backing off after 60 s"
}

# dl_hold_wait NAME HOLD: wait (poll, 60 s deadline) until endpoint NAME
# holds a request at {"hold": HOLD}; dl_release PORT HOLD lets it go on.
dl_hold_wait() { t_wait_file "$T_TMP/$1/$2.held" "endpoint $1 held no request at '$2'"; }
dl_release() {
	curl -sf -X POST -H 'Content-Type: application/json' \
		--data "{\"release\": \"$2\"}" "http://127.0.0.1:$1/_control" >/dev/null \
		|| fail "cannot release '$2' on port $1"
}

# dl_requests NAME FILTER: requests the endpoint NAME saw, as lines from a
# python expression over each record r (e.g. 'r["status"]').
dl_requests() {
	local f="$T_TMP/$1/requests.jsonl"
	[ -f "$f" ] || return 0
	python3 -c 'import json,sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(eval(sys.argv[2]))' "$f" "$2"
}

# dl_config [extra lines...]: a 0600 config with short timeouts; exported.
dl_config() {
	export VCOURIER_CONFIG="$T_TMP/vcourier.conf"
	{
		echo "deliver_timeout_s = 1"
		echo "deliver_connect_timeout_s = 1"
		echo "deliver_budget_s = 4"
		echo "deliver_backoff_base_s = 0.1"
		echo "deliver_backoff_max_s = 0.5"
		echo "deliver_jitter_seed = 7"
		for l in "$@"; do echo "$l"; done
	} >"$VCOURIER_CONFIG"
	chmod 600 "$VCOURIER_CONFIG"
}

# dl_hub: hub H1 with point P1 and an open run; prints nothing.
dl_hub() {
	q "INSERT INTO hubs (code, name, lat, lon) VALUES ('H1', '青石镇仓库', 27.4, 119.1);
	   INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
	     VALUES ('P1', '上坪村', 1, 27.5, 119.2, 480, 720, 5);
	   INSERT INTO runs (kind, hub_id, service_date, status) VALUES ('nightly', 1, '2026-11-24', 'completed');" >/dev/null
}

# dl_courier CODE URL
dl_courier() {
	q "INSERT INTO couriers (code, name, hub_id, capacity_kg, capacity_m3, shift_start_min,
	     shift_end_min, endpoint_url) VALUES (:'v1', '老王', 1, 500, 3, 480, 1080, :'v2')" "$1" "$2" >/dev/null
}

# dl_manifest_json ID COURIER [VERSION]: a valid manifest body with two parcels.
dl_manifest_json() {
	python3 - "$1" "$2" "${3:-1}" <<'PY'
import json, sys
mid, courier, version = sys.argv[1], sys.argv[2], int(sys.argv[3])
parcels = [{"order_ref": mid + "-a", "weight_kg": 1.25, "volume_m3": 0.01, "seller": "茶叶"},
           {"order_ref": mid + "-b", "weight_kg": 0.5, "volume_m3": 0.002, "seller": ""}]
doc = {"manifest_id": mid, "version": version, "replaces": None, "run_id": 1,
       "service_date": "2026-11-24",
       "hub": {"code": "H1", "name": "青石镇仓库", "lat": 27.4, "lon": 119.1},
       "courier": {"code": courier, "name": "老王"},
       "vehicle": {"capacity_kg": 500.0, "capacity_m3": 3.0},
       "stops": [{"seq": 1, "point": {"code": "P1", "name": "上坪村", "lat": 27.5, "lon": 119.2},
                  "window": ["08:00", "12:00"], "eta": "08:30", "parcels": parcels,
                  "weight_kg": 1.75, "volume_m3": 0.012}],
       "totals": {"stops": 1, "parcels": 2, "weight_kg": 1.75, "volume_m3": 0.012,
                  "distance_km": 12.5, "duration_min": 60}}
sys.stdout.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
PY
}

# dl_manifest ID COURIER [VERSION]: a pending manifest of run 1 with its two
# orders (manifested). Manifests of one courier need distinct versions.
dl_manifest() {
	local body sha
	body=$(dl_manifest_json "$1" "$2" "${3:-1}")
	sha=$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)
	q "INSERT INTO manifests (manifest_id, run_id, hub_id, courier_id, service_date, version,
	     body, sha256, stops, parcels, weight_kg, volume_m3, distance_km, duration_min)
	   SELECT :'v1', 1, 1, id, '2026-11-24', :'v5', :'v3', :'v4', 1, 2, 1.75, 0.012, 12.5, 60
	     FROM couriers WHERE code = :'v2';
	   INSERT INTO orders (order_ref, point_id, weight_kg, volume_m3, ready_date, seller, status, run_id, manifest_id, stop_seq)
	   VALUES (:'v1' || '-a', 1, 1.25, 0.01, '2026-11-24', '茶叶', 'manifested', 1, :'v1', 1),
	          (:'v1' || '-b', 1, 0.5, 0.002, '2026-11-24', '', 'manifested', 1, :'v1', 1);" \
		"$1" "$2" "$body" "$sha" "${3:-1}" >/dev/null
}

# dl_status ID: delivery_status attempts last_http_status
dl_status() {
	q "SELECT delivery_status || ' ' || attempts || ' ' || coalesce(last_http_status::text, '-')
	     FROM manifests WHERE manifest_id = :'v1'" "$1"
}
