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

# The documented default speeds (docs/roads.md) of the van and the electric
# tricycle, written out here again.
RD_VAN='{"motorway":90,"motorway_link":50,"trunk":70,"trunk_link":40,"primary":60,"primary_link":40,"secondary":50,"secondary_link":40,"tertiary":45,"tertiary_link":35,"unclassified":35,"residential":30,"living_street":15,"service":20,"track":15,"road":30}'
RD_TRI='{"primary":25,"primary_link":20,"secondary":25,"secondary_link":20,"tertiary":25,"tertiary_link":20,"unclassified":20,"residential":18,"living_street":12,"service":15,"road":18}'

# rd_krems_hub: the Krems extract loaded as the road network; hub KR and
# points KP1..KP7 at OSM nodes of roads the tricycle may use (picked by
# tests/osm_dijkstra.py; $T_TMP/picked: "node lat lon" lines, the hub first).
rd_krems_hub() {
	local hub_node hub_lat hub_lon node lat lon i=0
	assert_exit 0 "$VCOURIER" roads load "$RD_OSM/krems.osm.gz"
	python3 "$ROOT/tests/osm_dijkstra.py" "$RD_OSM/krems.osm.gz" "$RD_TRI" pick 8 7 \
		residential,tertiary,unclassified,service >"$T_TMP/picked"
	read -r hub_node hub_lat hub_lon <"$T_TMP/picked"
	q "INSERT INTO hubs (code, name, lat, lon) VALUES ('KR', 'Krems', :'v1', :'v2')" "$hub_lat" "$hub_lon"
	while read -r node lat lon; do
		i=$((i + 1))
		q "INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
		   SELECT :'v1', :'v2', id, :'v3', :'v4', 480, 1080, 5 FROM hubs" "KP$i" "node $node" "$lat" "$lon"
	done < <(tail -n +2 "$T_TMP/picked")
}
