#!/bin/bash
# (slow: five loads by osm2pgrouting, about a minute on a busy machine)
# roads load / roads status on real OSM extracts: .osm.gz and .osm.pbf
# load; a truncated file, a file of the wrong format, a crash in the middle
# of a load, each leave the old network exactly as it was; a server
# without PostGIS/pgRouting gets one line naming the Debian packages (69);
# a reload replaces the network and makes older snaps and legs stale.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../integration/roads_lib.sh"
t_newdb
K=$RD_OSM/krems.osm.gz
B=$RD_OSM/north-bayreuth.osm.gz

assert_exit 0 "$VCOURIER" roads load "$K"
assert_contains "$T_OUT" "network   version 1"
assert_contains "$T_OUT" "data (c) OpenStreetMap contributors, ODbL"
assert_eq "$(q "SELECT count(*) FROM pg_namespace WHERE nspname = 'roads_stage'")" 0 "staging schema left"
# The stored counts are the network's, and the bounds those of the extract (48.39-48.41 N, 15.60-15.67 E).
assert_eq "$(q "SELECT ways = (SELECT count(*) FROM roads.ways) AND vertices = (SELECT count(*) FROM roads.ways_vertices_pgr) AND ways > 1000 FROM road_networks")" t
assert_eq "$(q "SELECT min_lat < 48.39 AND max_lat > 48.41 AND min_lon < 15.60 AND max_lon > 15.67 AND max_lat < 48.5 FROM road_networks")" t
assert_exit 0 "$VCOURIER" roads status --json
python3 - "$T_OUT" "$K" <<'PY' || fail "roads status --json"
import json, sys
s = json.loads(sys.argv[1])["network"]
assert s["version"] == 1 and s["file"] == sys.argv[2] and s["ways"] > 1000 and s["vertices"] > 500, s
assert "OpenStreetMap" in s["attribution"] and s["loaded_at"].endswith("Z")
PY
# One-way roads: osm2pgrouting's reverse_cost is negative exactly on the
# segments of OSM ways tagged oneway=yes / junction=roundabout (counted
# here from the XML).
oneway_ids=$(python3 - "$K" <<'PY'
import gzip, sys, xml.etree.ElementTree as ET
ids = []
for _, el in ET.iterparse(gzip.open(sys.argv[1])):
    if el.tag == "way":
        t = {x.get("k"): x.get("v") for x in el.findall("tag")}
        if t.get("oneway") in ("yes", "true", "1") or (t.get("junction") == "roundabout" and t.get("oneway") != "no"):
            ids.append(el.get("id"))
        el.clear()
print(",".join(ids))
PY
)
assert_eq "$(q "SELECT count(*) FROM roads.ways WHERE reverse_cost < 0 AND NOT (osm_id::text = ANY(string_to_array(:'v1', ',')))" "$oneway_ids")" 0 "one-way segments not tagged one-way"
assert_eq "$(q "SELECT count(*) > 100 FROM roads.ways WHERE reverse_cost < 0")" t "one-way segments"
net1=$(rd_network)

# A truncated extract (gzip cut short), a CSV named .osm, an unknown
# extension, a missing file: refused, the old network untouched.
head -c 200000 "$K" >"$T_TMP/cut.osm.gz"
assert_exit 65 "$VCOURIER" roads load "$T_TMP/cut.osm.gz"
assert_contains "$T_ERR" "cut.osm.gz: not a readable OSM extract"
[ "$(wc -l <<<"$T_ERR")" -eq 1 ] || fail "more than one error line: $T_ERR"
printf 'code,name\nA,b\n' >"$T_TMP/points.osm"
assert_exit 65 "$VCOURIER" roads load "$T_TMP/points.osm"
assert_contains "$T_ERR" "XML parsing error"
printf 'x' >"$T_TMP/roads.txt"
assert_exit 65 "$VCOURIER" roads load "$T_TMP/roads.txt"
assert_contains "$T_ERR" "unknown format"
assert_exit 66 "$VCOURIER" roads load "$T_TMP/none.osm"
assert_eq "$(rd_network)" "$net1" "network after refused loads"

# Killed after staging and inside the swap transaction: the old network stays,
# and the next load cleans up the staging schema.
for point in roads_staged roads_in_swap; do
	rc=0
	VCOURIER_FAULT=$point "$VCOURIER" roads load "$K" >/dev/null 2>&1 || rc=$?
	assert_eq "$rc" 137 "killed at $point"
	assert_eq "$(rd_network)" "$net1" "network after a crash at $point"
done

# .osm.pbf loads the same network as the XML.
osmium cat --no-progress "$K" -o "$T_TMP/krems.osm.pbf"
q "INSERT INTO hubs (code, name, lat, lon) VALUES ('KR', 'Krems', 48.4095, 15.6080)"
q "INSERT INTO points (code, name, hub_id, lat, lon, open_min, close_min, service_min)
   SELECT 'KP1', 'Stein', id, 48.4030, 15.5900, 480, 1020, 5 FROM hubs"
assert_exit 0 "$VCOURIER" roads matrix
assert_eq "$(q "SELECT count(*) FROM road_legs WHERE network_version = 1")" 2
assert_exit 0 "$VCOURIER" roads load "$T_TMP/krems.osm.pbf"
# (the killed swap used up a version number: versions only grow)
v2=$(q "SELECT max(version) FROM road_networks")
assert_eq "$(q "SELECT count(*) FROM road_networks")" 2
assert_contains "$T_OUT" "network   version $v2"
net2=$(rd_network)
assert_eq "${net2#*$'\n'}" "${net1#*$'\n'}" "pbf and XML give the same network"
# Snaps and legs of the old network are gone; matrix recomputes them.
assert_eq "$(q "SELECT count(*) FROM road_legs") $(q "SELECT count(*) FROM road_snaps")" "0 0"
assert_exit 0 "$VCOURIER" roads matrix --hub KR
assert_contains "$T_OUT" "hub KR network $v2 profiles van: 2 places snapped, 2 legs computed"
# A reload of another extract replaces it.
assert_exit 0 "$VCOURIER" roads load "$B"
assert_eq "$(q "SELECT count(*) FROM road_networks WHERE version > :'v1'" "$v2")" 1
assert_exit 0 "$VCOURIER" roads status
assert_contains "$T_OUT" "north-bayreuth.osm.gz"
assert_eq "$(q "SELECT min_lat < 49.98 AND max_lat > 50.04 FROM road_networks ORDER BY version DESC LIMIT 1")" t

# A server without the PostGIS and pgRouting packages: the same PostgreSQL
# binaries relocated beside a share folder that lacks their extension files.
chmod 755 "$T_TMP"
relo=$T_TMP/relo
. "$ROOT/tests/pg.sh"
pgbin=$(pg_bindir)
ver=$(basename "$(dirname "$pgbin")")
share=/usr/share/postgresql/$ver
[ -d "$share/extension" ] || fail "no $share/extension"
mkdir -p "$relo/lib/postgresql/$ver/bin" "$relo/share/postgresql/$ver/extension"
cp "$pgbin/postgres" "$pgbin/initdb" "$pgbin/pg_ctl" "$relo/lib/postgresql/$ver/bin/"
ln -s "$(dirname "$pgbin")/lib" "$relo/lib/postgresql/$ver/lib"
for f in "$share"/*; do [ "${f##*/}" = extension ] || ln -s "$f" "$relo/share/postgresql/$ver/"; done
for f in "$share"/extension/*; do
	case ${f##*/} in postgis*|pgrouting*|address_standardizer*) ;; *) ln -s "$f" "$relo/share/postgresql/$ver/extension/" ;; esac
done
(
	PG_BIN_FORCE=$relo/lib/postgresql/$ver/bin
	pg_start || exit 1
	trap pg_stop EXIT
	createdb bare
	export PGDATABASE=bare
	"$VCOURIER" db migrate >/dev/null
	assert_exit 69 "$VCOURIER" roads load "$K"
	assert_eq "$T_ERR" "vcourier: the database server lacks PostGIS and pgRouting: install the Debian packages postgresql-$ver-postgis-3 postgresql-$ver-pgrouting on the server"
	assert_eq "$(q "SELECT count(*) FROM road_networks")" 0
) || fail "server without the extensions"
