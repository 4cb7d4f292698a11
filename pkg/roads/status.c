/*
 * status: `roads status [--hub CODE]` as JSON: the network in use and, for
 * a hub, where each of its places meets the road per profile.
 */
#include "roads/roads_internal.h"
#include "db/db.h"

#include <stdlib.h>

static json_t *network_json(const struct roads_network *n)
{
	if (!n->version)
		return json_null();
	return json_pack("{s:I, s:s, s:I, s:I, s:f, s:f, s:f, s:f, s:s, s:s}",
			 "version", (json_int_t)n->version, "file", n->file, "ways", (json_int_t)n->ways,
			 "vertices", (json_int_t)n->vertices, "min_lat", n->min_lat, "min_lon", n->min_lon,
			 "max_lat", n->max_lat, "max_lon", n->max_lon, "loaded_at", n->loaded_at,
			 "attribution", "data (c) OpenStreetMap contributors, ODbL");
}

/* $1 hub code, $2 network version. */
static const char snaps_sql[] =
	"SELECT s.profile, s.kind, s.code, s.snap_m, s.edge_id IS NOT NULL, s.max_m,"
	" s.network_version = $2::bigint"
	" FROM road_snaps s WHERE (s.kind = 'hub' AND s.code = $1) OR (s.kind = 'point' AND s.code IN"
	"  (SELECT p.code FROM points p JOIN hubs h ON h.id = p.hub_id WHERE h.code = $1))"
	" ORDER BY s.profile, s.kind, s.code";

static json_t *hub_json(PGconn *conn, const char *hub_code, long long version,
			struct vc_error *err)
{
	char ver[24];
	const char *params[2] = { hub_code, ver };
	PGresult *r;
	json_t *snaps, *hub;
	int i;
	snprintf(ver, sizeof(ver), "%lld", version);
	r = db_exec(conn, "SELECT 1 FROM hubs WHERE code = $1", 1, params, err);
	if (!r)
		return NULL;
	i = PQntuples(r);
	PQclear(r);
	if (!i) {
		vc_fail(err, EX_DATAERR, "hub %s does not exist", hub_code);
		return NULL;
	}
	r = db_exec(conn, snaps_sql, 2, params, err);
	if (!r)
		return NULL;
	snaps = json_array();
	for (i = 0; i < PQntuples(r); i++) {
		const char *state = PQgetvalue(r, i, 6)[0] != 't' ? "stale"
				    : PQgetvalue(r, i, 4)[0] == 't' ? "on road"
				    : PQgetisnull(r, i, 3) ? "no road of the profile"
							   : "beyond road_snap_max_m";
		json_array_append_new(snaps, json_pack("{s:s, s:s, s:s, s:o, s:s}",
			"profile", PQgetvalue(r, i, 0), "kind", PQgetvalue(r, i, 1),
			"code", PQgetvalue(r, i, 2),
			"snap_m", PQgetisnull(r, i, 3) ? json_null() : json_real(atof(PQgetvalue(r, i, 3))),
			"state", state));
	}
	PQclear(r);
	r = db_exec(conn, "SELECT count(*), count(metres) FROM road_legs WHERE hub_code = $1"
			  " AND network_version = $2::bigint", 2, params, err);
	if (!r) {
		json_decref(snaps);
		return NULL;
	}
	hub = json_pack("{s:s, s:o, s:I, s:I}", "code", hub_code, "snaps", snaps, "legs",
			(json_int_t)atoll(PQgetvalue(r, 0, 0)), "legs_with_path",
			(json_int_t)atoll(PQgetvalue(r, 0, 1)));
	PQclear(r);
	return hub;
}

int roads_status_json(PGconn *conn, const char *hub_code, json_t **out, struct vc_error *err)
{
	struct roads_network n;
	json_t *hub;
	*out = NULL;
	if (roads_current(conn, &n, err) < 0)
		return -1;
	*out = json_pack("{s:o}", "network", network_json(&n));
	if (!hub_code)
		return 0;
	hub = hub_json(conn, hub_code, n.version, err);
	if (!hub) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	json_object_set_new(*out, "hub", hub);
	return 0;
}
