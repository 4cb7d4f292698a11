/*
 * matrix: a hub's snaps and legs per profile, kept in road_snaps and
 * road_legs. A place (the hub or one of its active points) is snapped to
 * the nearest road its profile may use; legs between snapped places are
 * computed by pgRouting's many-to-many pgr_withPointsCost on the profile's
 * graph (barred classes left out, one-way roads one way): once with length
 * as the cost (metres, the shortest path) and once with travel time
 * (seconds, the fastest path). Only what is missing or stale is computed:
 * places that moved, are new, or were snapped on an older network, with
 * another road_snap_max_m or under other road_speed.* settings.
 *
 * pgRouting takes its graph and points as SQL text; the profile's speeds
 * and the points are put in temporary tables first (with bound
 * parameters), so that text is constant and never carries data.
 */
#include "roads/roads_internal.h"
#include "db/db.h"
#include "log/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EDGES_SQL(cost) \
	"SELECT w.gid AS id, w.source, w.target," \
	" CASE WHEN w.cost >= 0 THEN " cost " ELSE -1 END AS cost," \
	" CASE WHEN w.reverse_cost >= 0 THEN " cost " ELSE -1 END AS reverse_cost" \
	" FROM roads.ways w JOIN pg_temp.rd_class c ON c.tag_id = w.tag_id"

const char roads_edges_metres_sql[] = EDGES_SQL("w.length_m");
static const char edges_seconds[] = EDGES_SQL("w.length_m / c.mps");
/* pgRouting 3.4 drops a point whose fraction is exactly 0 or 1 (it becomes
 * the vertex) from the results: keep points a hair inside their edge. */
const char roads_points_sql[] =
	"SELECT pid, edge_id, greatest(1e-6, least(1 - 1e-6, fraction)) AS fraction FROM pg_temp.rd_pts";

/* The hub's places: $1 hub code. Columns kind, code, lat, lon. */
#define PLACES_SQL \
	"SELECT 'hub'::text AS kind, h.code, h.lat, h.lon FROM hubs h WHERE h.code = $1" \
	" UNION ALL SELECT 'point', p.code, p.lat, p.lon FROM points p JOIN hubs h ON h.id = p.hub_id" \
	"  WHERE h.code = $1 AND p.active"

/*
 * (Re)snap the places whose snap is missing or stale for this profile;
 * legs touching them are deleted so that they get computed again.
 * $1 hub, $2 profile, $3 network version, $4 allowed tag ids, $5 max metres,
 * $6 the profile's speeds (speeds_fingerprint).
 */
static const char resnap_sql[] =
	"WITH places AS (" PLACES_SQL "),"
	" stale AS (SELECT pl.kind, pl.code, pl.lat, pl.lon,"
	"   ST_SetSRID(ST_MakePoint(pl.lon, pl.lat), 4326) AS pt FROM places pl"
	"  WHERE NOT EXISTS (SELECT 1 FROM road_snaps s WHERE s.profile = $2 AND s.kind = pl.kind"
	"   AND s.code = pl.code AND s.network_version = $3 AND s.lat = pl.lat AND s.lon = pl.lon"
	"   AND s.max_m = $5::float8 AND s.speeds = $6)),"
	/* Nearest by degrees first (index order), then the true distance in metres. */
	/* pgRouting scales the edge's cost by the fraction: make it a fraction of
	 * the geodesic length, not of the length in degrees. */
	" snapped AS (SELECT st.kind, st.code, st.lat, st.lon, n.gid, n.d,"
	"   CASE WHEN ST_Length(n.the_geom::geography) > 0 THEN ST_Length(ST_LineSubstring(n.the_geom, 0,"
	"    ST_LineLocatePoint(n.the_geom, st.pt))::geography) / ST_Length(n.the_geom::geography)"
	"   ELSE 0 END AS fraction FROM stale st"
	"  LEFT JOIN LATERAL (SELECT c.gid, c.the_geom, ST_Distance(c.the_geom::geography, st.pt::geography) AS d"
	"   FROM (SELECT w.gid, w.the_geom FROM roads.ways w WHERE w.tag_id = ANY($4::int[])"
	"         ORDER BY w.the_geom <-> st.pt LIMIT 8) c ORDER BY d, c.gid LIMIT 1) n ON true),"
	" gone AS (DELETE FROM road_legs l USING snapped s WHERE l.hub_code = $1 AND l.profile = $2"
	"   AND (l.from_code = s.code OR l.to_code = s.code) RETURNING 1)"
	" INSERT INTO road_snaps (profile, kind, code, lat, lon, network_version, edge_id, fraction, snap_m, max_m,"
	"  speeds)"
	" SELECT $2, kind, code, lat, lon, $3, CASE WHEN d <= $5::float8 THEN gid END,"
	"  CASE WHEN d <= $5::float8 THEN fraction END, d, $5::float8, $6 FROM snapped"
	" ON CONFLICT (profile, kind, code) DO UPDATE SET lat = excluded.lat, lon = excluded.lon,"
	"  network_version = excluded.network_version, edge_id = excluded.edge_id,"
	"  fraction = excluded.fraction, snap_m = excluded.snap_m, max_m = excluded.max_m,"
	"  speeds = excluded.speeds, snapped_at = now()"
	" RETURNING code";

/*
 * The snapped places of the hub as pgRouting points (pid 1..n) and the id
 * pgRouting knows them by (vid): the point -pid on its edge, or the
 * edge's end vertex when the place is there (within half a metre). A
 * place at a crossing must be the crossing itself: as a point on one of
 * its edges it could only leave the way that edge runs when it is one-way.
 */
const char roads_points_fill_sql[] =
	"INSERT INTO pg_temp.rd_pts (pid, code, edge_id, fraction, vid)"
	" SELECT x.pid, x.code, x.edge_id, x.fraction,"
	"  CASE WHEN x.fraction * w.length_m < 0.5 THEN w.source"
	"   WHEN (1 - x.fraction) * w.length_m < 0.5 THEN w.target ELSE -x.pid END"
	" FROM (SELECT row_number() OVER (ORDER BY s.kind, s.code) AS pid, s.code, s.edge_id, s.fraction"
	"  FROM road_snaps s JOIN (" PLACES_SQL ") pl ON pl.kind = s.kind AND pl.code = s.code"
	"  WHERE s.profile = $2 AND s.network_version = $3 AND s.edge_id IS NOT NULL) x"
	" JOIN roads.ways w ON w.gid = x.edge_id";

/* The places to route: those with a leg missing (dirty), the others, all (their vids). */
static const char dirty_sql[] =
	"SELECT coalesce(array_agg(DISTINCT vid) FILTER (WHERE missing > 0), '{}'),"
	" coalesce(array_agg(DISTINCT vid) FILTER (WHERE missing = 0), '{}'),"
	" coalesce(array_agg(DISTINCT vid), '{}')"
	" FROM (SELECT a.pid, a.vid, (SELECT count(*) FROM pg_temp.rd_pts b WHERE b.pid <> a.pid"
	"   AND (NOT EXISTS (SELECT 1 FROM road_legs l WHERE l.hub_code = $1 AND l.profile = $2"
	"        AND l.network_version = $3 AND l.from_code = a.code AND l.to_code = b.code)"
	"    OR NOT EXISTS (SELECT 1 FROM road_legs l WHERE l.hub_code = $1 AND l.profile = $2"
	"        AND l.network_version = $3 AND l.from_code = b.code AND l.to_code = a.code))) AS missing"
	"  FROM pg_temp.rd_pts a) p";

/*
 * Legs from $4 (vids) to $5, both runs of pgRouting, every pair stored
 * (NULL where there is no path; 0 between places at the same vertex).
 * $6/$7 the constant graph texts, $8 the points text.
 */
static const char legs_sql[] =
	"WITH d AS MATERIALIZED (SELECT * FROM pgr_withPointsCost($6, $8, $4::bigint[], $5::bigint[], true)),"
	" t AS MATERIALIZED (SELECT * FROM pgr_withPointsCost($7, $8, $4::bigint[], $5::bigint[], true))"
	" INSERT INTO road_legs (hub_code, profile, from_code, to_code, network_version, metres, seconds)"
	" SELECT $1, $2, a.code, b.code, $3, CASE WHEN a.vid = b.vid THEN 0 ELSE d.agg_cost END,"
	"  CASE WHEN a.vid = b.vid THEN 0 ELSE t.agg_cost END"
	" FROM pg_temp.rd_pts a JOIN pg_temp.rd_pts b ON b.pid <> a.pid"
	" LEFT JOIN d ON d.start_pid = a.vid AND d.end_pid = b.vid"
	" LEFT JOIN t ON t.start_pid = a.vid AND t.end_pid = b.vid"
	" WHERE a.vid = ANY($4::bigint[]) AND b.vid = ANY($5::bigint[])"
	" ON CONFLICT (hub_code, profile, from_code, to_code) DO UPDATE SET"
	"  network_version = excluded.network_version, metres = excluded.metres,"
	"  seconds = excluded.seconds";

int roads_temp_tables(PGconn *conn, const double kmh[ROADS_N_CLASSES], struct vc_error *err)
{
	int c;
	if (db_run(conn, "DROP TABLE IF EXISTS pg_temp.rd_class, pg_temp.rd_pts", 0, NULL, err) < 0 ||
	    db_run(conn, "CREATE TEMP TABLE rd_class (tag_id integer PRIMARY KEY, mps float8 NOT NULL)",
		   0, NULL, err) < 0 ||
	    db_run(conn, "CREATE TEMP TABLE rd_pts (pid bigint PRIMARY KEY, code text NOT NULL,"
			 " edge_id bigint NOT NULL, fraction float8 NOT NULL, vid bigint NOT NULL)", 0, NULL, err) < 0)
		return -1;
	for (c = 0; c < ROADS_N_CLASSES; c++) {
		char tag[16], mps[32];
		const char *params[2] = { tag, mps };
		if (kmh[c] <= 0)
			continue;
		snprintf(tag, sizeof(tag), "%d", roads_class_tag_id(c));
		snprintf(mps, sizeof(mps), "%.17g", kmh[c] / 3.6);
		if (db_run(conn, "INSERT INTO pg_temp.rd_class VALUES ($1, $2)", 2, params, err) < 0)
			return -1;
	}
	return 0;
}

/* Compute the legs from `from` to `to` (arrays of negated pids, "{...}"). */
static long long route_legs(PGconn *conn, const char *const key[3], const char *from,
			    const char *to, struct vc_error *err)
{
	const char *params[8] = { key[0], key[1], key[2], from, to, roads_edges_metres_sql, edges_seconds,
				  roads_points_sql };
	PGresult *r;
	long long n;
	if (!strcmp(from, "{}") || !strcmp(to, "{}"))
		return 0;
	r = db_exec(conn, legs_sql, 8, params, err);
	if (!r)
		return -1;
	n = atoll(PQcmdTuples(r));
	PQclear(r);
	return n;
}

/* The speeds of every road class, as stored with a snap ("30,25,...",
 * km/h in class order): any change of road_speed.* makes the snaps stale. */
static void speeds_fingerprint(const double kmh[ROADS_N_CLASSES], struct strbuf *out)
{
	int c;
	for (c = 0; c < ROADS_N_CLASSES; c++)
		strbuf_addf(out, "%s%.17g", c ? "," : "", kmh[c]);
}

static int hub_profile(PGconn *conn, const struct vc_config *cfg, const char *hub_code,
		       int profile, long long version, double max_m,
		       struct roads_matrix_stats *st, struct vc_error *err)
{
	double kmh[ROADS_N_CLASSES];
	char ver[24], maxs[32];
	struct strbuf tags = STRBUF_INIT, speeds = STRBUF_INIT;
	const char *key[6] = { hub_code, roads_profile_name(profile), ver, NULL, maxs, NULL };
	PGresult *r = NULL;
	long long n;
	int rc = -1;

	if (roads_profile_speeds(cfg, profile, kmh, err) < 0)
		return -1;
	roads_allowed_tags(kmh, &tags);
	speeds_fingerprint(kmh, &speeds);
	key[3] = tags.buf;
	key[5] = speeds.buf;
	snprintf(ver, sizeof(ver), "%lld", version);
	snprintf(maxs, sizeof(maxs), "%.17g", max_m);
	r = db_exec(conn, resnap_sql, 6, key, err);
	if (!r)
		goto cleanup;
	st->snapped += PQntuples(r);
	PQclear(r);
	if (roads_temp_tables(conn, kmh, err) < 0 || db_run(conn, roads_points_fill_sql, 3, key, err) < 0)
		goto cleanup;
	r = db_exec(conn, dirty_sql, 3, key, err);
	if (!r)
		goto cleanup;
	/* Dirty points to all, then the clean ones to the dirty ones. */
	n = route_legs(conn, key, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 2), err);
	if (n < 0)
		goto cleanup;
	st->legs += n;
	n = route_legs(conn, key, PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 0), err);
	if (n < 0)
		goto cleanup;
	st->legs += n;
	st->profiles++;
	rc = 0;
cleanup:
	PQclear(r);
	strbuf_release(&tags);
	strbuf_release(&speeds);
	return rc;
}

int roads_matrix_hub(PGconn *conn, const struct vc_config *cfg, const char *hub_code,
		     unsigned mask, struct roads_matrix_stats *st, struct vc_error *err)
{
	struct roads_network net;
	double max_m;
	int p;
	memset(st, 0, sizeof(*st));
	if (roads_snap_max_m(cfg, &max_m, err) < 0 || roads_current(conn, &net, err) < 0)
		return -1;
	/* Temp-table housekeeping notices are not for the operator. */
	if (db_run(conn, "SET client_min_messages TO warning", 0, NULL, err) < 0)
		return -1;
	if (!net.version)
		return 0;
	for (p = 0; p < ROADS_N_PROFILES; p++)
		if ((mask & (1u << p)) &&
		    hub_profile(conn, cfg, hub_code, p, net.version, max_m, st, err) < 0)
			return -1;
	log_event(LOG_INFO, "roads_matrix", "hub=%s network=%lld profiles=%d snapped=%d legs=%lld",
		  hub_code, net.version, st->profiles, st->snapped, st->legs);
	return 0;
}

/* Bit mask of the profiles of a hub's active couriers (van when it has none). */
unsigned roads_hub_profiles(PGconn *conn, const char *hub_code, struct vc_error *err)
{
	const char *params[1] = { hub_code };
	PGresult *r = db_exec(conn,
		"SELECT DISTINCT coalesce(c.profile, 'van') FROM couriers c JOIN hubs h ON h.id = c.hub_id"
		" WHERE h.code = $1 AND c.active", 1, params, err);
	unsigned mask = 0;
	int i;
	if (!r)
		return 0;
	for (i = 0; i < PQntuples(r); i++) {
		int p = roads_profile_parse(PQgetvalue(r, i, 0));
		if (p >= 0)
			mask |= 1u << p;
	}
	PQclear(r);
	return mask ? mask : 1u << ROADS_VAN;
}

int roads_matrix_all(PGconn *conn, const struct vc_config *cfg, const char *hub_code, FILE *out,
		     struct vc_error *err)
{
	const char *params[1] = { hub_code };
	struct roads_network net;
	PGresult *r;
	int i, rc = -1;
	if (roads_current(conn, &net, err) < 0)
		return -1;
	if (!net.version)
		return vc_fail(err, EX_CONFIG, "no road network loaded (vcourier roads load FILE)");
	r = db_exec(conn, hub_code ? "SELECT code FROM hubs WHERE code = $1"
				   : "SELECT code FROM hubs ORDER BY code", hub_code ? 1 : 0,
		    hub_code ? params : NULL, err);
	if (!r)
		return -1;
	if (hub_code && PQntuples(r) == 0) {
		vc_fail(err, EX_DATAERR, "hub %s does not exist", hub_code);
		goto cleanup;
	}
	for (i = 0; i < PQntuples(r); i++) {
		const char *code = PQgetvalue(r, i, 0);
		struct roads_matrix_stats st;
		unsigned mask;
		int p;
		struct vc_error none = VC_ERROR_INIT;
		mask = roads_hub_profiles(conn, code, &none);
		if (none.code) {
			*err = none;
			goto cleanup;
		}
		if (db_begin(conn, err) < 0)
			goto cleanup;
		if (roads_matrix_hub(conn, cfg, code, mask, &st, err) < 0 || db_commit(conn, err) < 0) {
			db_rollback(conn);
			goto cleanup;
		}
		fprintf(out, "hub %s network %lld profiles", code, net.version);
		for (p = 0; p < ROADS_N_PROFILES; p++)
			if (mask & (1u << p))
				fprintf(out, " %s", roads_profile_name(p));
		fprintf(out, ": %d places snapped, %lld legs computed\n", st.snapped, st.legs);
	}
	rc = 0;
cleanup:
	PQclear(r);
	return rc;
}
