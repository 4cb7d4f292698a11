# tests/integration/roads_lib.sh: helpers for the road tests (sourced after lib.sh).
#
# RD_OSM: the real OSM extracts (fixtures/osm, or $OSM_DIR). rd_dijkstra:
# an independent shortest-path computation over the OSM XML itself (plain
# Python, no pgRouting, no osm2pgrouting), with the same class and one-way
# rules, to check the matrices vcourier stores.
RD_OSM=${OSM_DIR:-$ROOT/fixtures/osm}
[ -f "$RD_OSM/krems.osm.gz" ] || fail "no OSM extracts in $RD_OSM"

# rd_dijkstra FILE PROFILE_SPEEDS_JSON < "from_node to_node" lines:
# prints "from to metres seconds" (or "from to none none").
rd_dijkstra() {
	python3 "$ROOT/tests/osm_dijkstra.py" "$@"
}

# The latest network version, its ways and a digest of the live network.
rd_network() {
	q "SELECT coalesce(max(version), 0) FROM road_networks"
	q "SELECT count(*) || ' ' || md5(string_agg(gid || ':' || source || ':' || target, ',' ORDER BY gid)) FROM roads.ways" 2>/dev/null || echo none
}
