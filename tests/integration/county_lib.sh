# tests/integration/county_lib.sh: the sample county in a fresh database
# (sourced after lib.sh and deliver_lib.sh).

# county_db [CONFIG LINES...]: a new database with the county's hubs,
# points, couriers and orders, couriers pointed at a courier endpoint;
# DATE: the orders' service date.
county_db() {
	t_newdb
	dl_endpoint ep
	dl_config "$@"
	for kind in hubs points couriers orders; do
		assert_exit 0 "$VCOURIER" import "$kind" "$ROOT/fixtures/county/$kind.csv"
	done
	q "UPDATE couriers SET endpoint_url = replace(endpoint_url, '127.0.0.1:18080', '127.0.0.1:' || :'v1')" "$DL_PORT"
	DATE=$(awk -F, 'NR == 2 { print $5 }' "$ROOT/fixtures/county/orders.csv")
}
