#!/bin/bash
# Road legs on the maps (docs/sheets.md): after a night on the county's road
# network the pick-up sheet and the run report draw legs along the roads
# (class "leg road", more points than a straight leg, every point inside the
# loaded network's bbox); without a network every leg is straight.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
. "$(dirname "$0")/county_lib.sh"

# $1 HTML file, $2 bbox "min_lat min_lon max_lat max_lon": prints "<road legs> <max points> <straight legs>".
road_legs() {
	python3 - "$1" "$2" <<'PY'
import re, sys
html = open(sys.argv[1]).read()
lo_lat, lo_lon, hi_lat, hi_lon = map(float, sys.argv[2].split())
road = re.findall(r'<polyline class="leg road"[^>]*data-latlon="([^"]*)"', html)
straight = re.findall(r'<polyline class="leg"[^>]*points="([^"]*)"', html)
most = 0
for pts in road:
    ll = [tuple(map(float, p.split(","))) for p in pts.split()]
    most = max(most, len(ll))
    for lat, lon in ll:
        if not (lo_lat - 1e-6 <= lat <= hi_lat + 1e-6 and lo_lon - 1e-6 <= lon <= hi_lon + 1e-6):
            sys.exit("point %f,%f outside the network %s" % (lat, lon, sys.argv[2]))
for pts in straight:
    if len(pts.split()) != 2:
        sys.exit("a straight leg with %d points" % len(pts.split()))
print(len(road), most, len(straight))
PY
}

night() {
	county_db "plan_iterations = 2000" "plan_threads = 1"
	[ "$1" = roads ] && assert_exit 0 "$VCOURIER" roads load "$ROOT/fixtures/county/roads.osm"
	assert_exit 0 "$VCOURIER" nightly --date "$DATE" --json
	MID=$(q "SELECT manifest_id FROM manifests WHERE stops > 1 ORDER BY stops DESC, manifest_id LIMIT 1")
	RUN=$(q "SELECT run_id FROM manifests WHERE manifest_id = :'v1'" "$MID")
	[ -n "$MID" ] || fail "no manifest with stops"
}

night roads
BBOX=$(q "SELECT ST_YMin(e) || ' ' || ST_XMin(e) || ' ' || ST_YMax(e) || ' ' || ST_XMax(e)
          FROM (SELECT ST_Extent(the_geom) AS e FROM roads.ways) x")
assert_exit 0 "$VCOURIER" manifest show "$MID" --format html
echo "$T_OUT" >"$T_TMP/sheet.html"
read -r n most straight <<<"$(road_legs "$T_TMP/sheet.html" "$BBOX")" || fail "sheet legs"
note "sheet: $n road legs (longest $most points), $straight straight"
[ "$n" -ge 1 ] && [ "$most" -gt 2 ] || fail "no road leg with more points than a straight one"
assert_exit 0 "$VCOURIER" run show "$RUN" --format html
echo "$T_OUT" >"$T_TMP/report.html"
read -r n most straight <<<"$(road_legs "$T_TMP/report.html" "$BBOX")" || fail "report legs"
note "report: $n road legs (longest $most points), $straight straight"
[ "$n" -ge 1 ] && [ "$most" -gt 2 ] || fail "no road leg in the run report"

night none
assert_eq "$(q "SELECT count(*) FROM manifests WHERE body::text LIKE '%\"distance_source\":\"road\"%'")" 0
assert_exit 0 "$VCOURIER" manifest show "$MID" --format html
echo "$T_OUT" >"$T_TMP/sheet0.html"
read -r n most straight <<<"$(road_legs "$T_TMP/sheet0.html" "0 0 0 0")" || fail "sheet legs"
assert_eq "$n" 0 "road legs without a network"
[ "$straight" -ge 2 ] || fail "no straight legs without a network"
