#!/bin/bash
# `vcourier import` killed (SIGKILL at test-only crash points): one
# transaction per file, so a kill in the middle of the COPY stream or just
# before the commit leaves the orders exactly as they were, both for a
# file of new orders (the direct COPY path) and for a file that changes
# existing ones (the staged upsert path); importing again then does it all.
# The nightly job then claims every order once (check_outcome.py).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$ROOT/tests/reliability/crash_lib.sh"

t_newdb
"$BUILD/tools/gen_county" --out "$T_TMP/county" --seed 5 --points 20 --orders 30000 --couriers 8 \
	--vehicle-kg 5000 --vehicle-m3 30 --date "$RL_READY" >/dev/null
for t in hubs points couriers; do
	assert_exit 0 "$VCOURIER" import "$t" "$T_TMP/county/$t.csv"
done
orders="$T_TMP/county/orders.csv"
snapshot() { q "SELECT count(*) || ' ' || md5(coalesce(string_agg(o::text, ',' ORDER BY id), '')) FROM orders o"; }

# New orders: killed as the first 1 MiB COPY chunk is sent (rl_killed fails
# if the file never gets there), then before the commit.
for point in import_copy_chunk import_before_commit; do
	rl_killed env VCOURIER_FAULT=$point "$VCOURIER" import orders "$orders"
	assert_eq "$(snapshot)" "0 d41d8cd98f00b204e9800998ecf8427e" "orders after a kill at $point"
done
assert_exit 0 "$VCOURIER" import orders "$orders"
assert_contains "$T_OUT" "30000 new"
before=$(snapshot)

# Changes to existing orders (every 100th order 1 kg heavier): killed
# before the commit, nothing changed; imported again, exactly those changed.
awk -F, -v OFS=, 'NR > 1 && NR % 100 == 0 { $3 = $3 + 1 } { print }' "$orders" >"$T_TMP/changed.csv"
rl_killed env VCOURIER_FAULT=import_before_commit "$VCOURIER" import orders "$T_TMP/changed.csv"
assert_eq "$(snapshot)" "$before" "orders after a kill during the upsert"
assert_exit 0 "$VCOURIER" import orders "$T_TMP/changed.csv"
assert_contains "$T_OUT" "0 new, 300 updated, 29700 unchanged, 0 rejected"

# The job then takes every order once.
dl_endpoint ep
rl_config "plan_iterations = 2000"
q "UPDATE couriers SET endpoint_url = 'http://127.0.0.1:' || :'v1' || '/couriers/' || code" "$DL_PORT" >/dev/null
RL_DATE=$RL_READY
rl_until_done "$VCOURIER" nightly --date "$RL_DATE"
python3 "$RL_DIR/check_outcome.py" --date "$RL_DATE" --store "$T_TMP/ep" || fail "outcome after the import crashes"
