/*
 * geometry: the road path of one leg of a manifest, for the maps of the
 * pick-up sheet and the run report. The path is pgRouting's pgr_withPoints
 * on the courier profile's graph (the same edge SQL, classes and snaps as
 * the matrix, length as the cost, so it is the path behind leg_km), its
 * edges turned the way they are driven and joined, the partial first and
 * last edges approximated by whole edges plus the snapped points. One
 * query per leg; the line is simplified so that a long leg stays a few
 * hundred points at most.
 */
#include "roads/roads_internal.h"
#include "db/db.h"
#include "html/html.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hard cap on the points of one leg, whatever the simplification left. */
#define LEG_MAX_POINTS 400

struct roads_legs {
	PGconn *conn;
};

/*
 * $1 edges SQL, $2 points SQL, $3 from code, $4 to code. An edge is driven
 * forward when the path goes on to its target or came from its source.
 * Tolerance: the line's length / 300 in degrees (about a point per 1/300
 * of the leg), at least 1e-5 (a metre or so).
 */
static const char path_sql[] =
	"WITH p AS (SELECT path_seq, node, edge, lead(node) OVER (ORDER BY path_seq) AS nxt"
	"  FROM pgr_withPoints($1, $2,"
	"   (SELECT vid FROM pg_temp.rd_pts WHERE code = $3 ORDER BY pid LIMIT 1),"
	"   (SELECT vid FROM pg_temp.rd_pts WHERE code = $4 ORDER BY pid LIMIT 1), true)),"
	" ends AS (SELECT r.code, ST_LineInterpolatePoint(w.the_geom, r.fraction) AS g"
	"  FROM pg_temp.rd_pts r JOIN roads.ways w ON w.gid = r.edge_id),"
	" pts AS ("
	"  SELECT 0 AS k, 0 AS j, (SELECT g FROM ends WHERE code = $3 LIMIT 1) AS g"
	"  UNION ALL SELECT p.path_seq, d.path[1], d.geom FROM p JOIN roads.ways w ON w.gid = p.edge,"
	"   LATERAL ST_DumpPoints(CASE WHEN p.nxt = w.target OR p.node = w.source THEN w.the_geom"
	"    ELSE ST_Reverse(w.the_geom) END) d"
	"  UNION ALL SELECT 2147483647, 0, (SELECT g FROM ends WHERE code = $4 LIMIT 1)),"
	" line AS (SELECT ST_MakeLine(g ORDER BY k, j) AS g FROM pts"
	"  WHERE g IS NOT NULL AND EXISTS (SELECT 1 FROM p WHERE p.edge > 0)),"
	" simple AS (SELECT ST_Simplify(g, greatest(1e-5, ST_Length(g) / 300)) AS g FROM line"
	"  WHERE g IS NOT NULL)"
	" SELECT ST_Y(d.geom), ST_X(d.geom) FROM simple, LATERAL ST_DumpPoints(simple.g) d"
	" ORDER BY d.path[1]";

int roads_leg_polyline(void *ctx, const char *from_code, const char *to_code,
		       struct html_polyline *out)
{
	struct roads_legs *g = ctx;
	const char *params[4] = { roads_edges_metres_sql, roads_points_sql, from_code, to_code };
	struct vc_error err = VC_ERROR_INIT;
	PGresult *r;
	int i, n, step;

	if (!g || !from_code || !to_code || !strcmp(from_code, to_code))
		return -1;
	r = db_exec(g->conn, path_sql, 4, params, &err);
	/* A leg with no road path (or a failed query) is drawn straight: the sheet still prints. */
	if (!r)
		return -1;
	n = PQntuples(r);
	step = n > LEG_MAX_POINTS ? (n + LEG_MAX_POINTS - 1) / LEG_MAX_POINTS : 1;
	for (i = 0; i < n; i += step)
		html_polyline_add(out, atof(PQgetvalue(r, i, 0)), atof(PQgetvalue(r, i, 1)));
	if (n > 1 && (n - 1) % step)
		html_polyline_add(out, atof(PQgetvalue(r, n - 1, 0)), atof(PQgetvalue(r, n - 1, 1)));
	PQclear(r);
	return out->n >= 2 ? 0 : -1;
}

struct roads_legs *roads_legs_for_manifest(PGconn *conn, const struct vc_config *cfg,
					   const char *json, size_t len, struct vc_error *err)
{
	json_error_t jerr;
	json_t *doc = json_loadb(json, len, 0, &jerr);
	struct roads_network net;
	struct roads_legs *g = NULL;
	double kmh[ROADS_N_CLASSES];
	const char *hub, *courier;
	char ver[24];
	const char *params[3];
	PGresult *r = NULL;
	int profile;

	/* Not a manifest we can read, or not planned on roads: straight legs, no error. */
	if (!doc || strcmp(vc_json_str(doc, "distance_source", ""), "road"))
		goto cleanup;
	hub = vc_json_str(json_object_get(doc, "hub"), "code", "");
	courier = vc_json_str(json_object_get(doc, "courier"), "code", "");
	if (roads_current(conn, &net, err) < 0)
		goto cleanup;
	if (!net.version)
		goto cleanup;
	r = db_exec(conn, "SELECT coalesce((SELECT c.profile FROM couriers c JOIN hubs h"
			  " ON h.id = c.hub_id WHERE c.code = $1 AND h.code = $2), 'van')", 2,
		    (const char *const[]){ courier, hub }, err);
	if (!r)
		goto cleanup;
	profile = roads_profile_parse(PQgetvalue(r, 0, 0));
	if (profile < 0 || roads_profile_speeds(cfg, profile, kmh, err) < 0)
		goto cleanup;
	snprintf(ver, sizeof(ver), "%lld", net.version);
	params[0] = hub;
	params[1] = roads_profile_name(profile);
	params[2] = ver;
	if (db_run(conn, "SET client_min_messages TO warning", 0, NULL, err) < 0 ||
	    roads_temp_tables(conn, kmh, err) < 0 ||
	    db_run(conn, roads_points_fill_sql, 3, params, err) < 0)
		goto cleanup;
	g = xcalloc(1, sizeof(*g));
	g->conn = conn;
cleanup:
	PQclear(r);
	json_decref(doc);
	return g;
}

void roads_legs_free(struct roads_legs *g)
{
	free(g);
}
