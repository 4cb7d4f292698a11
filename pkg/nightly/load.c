/*
 * load: what a hub's plan is made of, read inside the job's transaction:
 * the hub, its usable couriers (active, endpoint not gone) with the next
 * manifest version and the live manifest for the date (and whether
 * couriers already confirmed pickups on it), and (after the
 * claim, job_load_points) its points together with every point a claimed
 * order names: a point added to or moved into the hub while the run
 * starts is then always loaded (READ COMMITTED takes a snapshot per
 * statement, so loading points first left a window). Points and couriers
 * stream in (job_stream: a cursor, db_fetch_rows rows at a time; a
 * cursor's rows come from the snapshot of its DECLARE, so streaming keeps
 * each load one consistent statement) and are decoded into the job's
 * arrays; nothing of them stays as a PGresult.
 */
#include "nightly/job.h"
#include "db/db.h"
#include "roads/roads.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int load_hub(struct job *j, struct vc_error *err)
{
	PGresult *r = db_exec_id(j->conn, "SELECT code, name, lat, lon FROM hubs WHERE id = $1",
				 j->hub.id, err);
	if (!r)
		return -1;
	j->hub_res = r;
	if (PQntuples(r) != 1)
		return vc_fail(err, EX_DATAERR, "hub %lld does not exist", j->hub.id);
	j->hub.code = PQgetvalue(r, 0, 0);
	j->hub.name = PQgetvalue(r, 0, 1);
	j->hub.lat = atof(PQgetvalue(r, 0, 2));
	j->hub.lon = atof(PQgetvalue(r, 0, 3));
	return 0;
}

/* Points stream in (job_stream); their strings into j->point_text. */
static int points_batch(PGresult *r, void *ctx, struct vc_error *err)
{
	struct job *j = ctx;
	int row, n = PQntuples(r);
	j->points = job_grow(j->points, sizeof(*j->points), j->n_points, (size_t)n, &j->points_cap);
	for (row = 0; row < n; row++) {
		struct job_point *p = &j->points[j->n_points++];
		p->id = atoll(PQgetvalue(r, row, 0));
		p->code = job_keep_text(&j->point_text, r, row, 1);
		p->name = job_keep_text(&j->point_text, r, row, 2);
		p->lat = atof(PQgetvalue(r, row, 3));
		p->lon = atof(PQgetvalue(r, row, 4));
		p->open_min = atoi(PQgetvalue(r, row, 5));
		p->close_min = atoi(PQgetvalue(r, row, 6));
		p->service_min = atoi(PQgetvalue(r, row, 7));
		p->active = PQgetvalue(r, row, 8)[0] == 't';
		p->loc = -1;
	}
	(void)err;
	return 0;
}

int job_load_points(struct job *j, const char *point_ids, struct vc_error *err)
{
	char hub[DB_ID_LEN];
	const char *params[2] = { db_id(hub, j->hub.id), point_ids };
	size_t i;
	if (job_stream(j, "vc_points",
		       "SELECT id, code, name, lat, lon, open_min, close_min, service_min, active"
		       " FROM points WHERE hub_id = $1 OR id = ANY($2::bigint[]) ORDER BY id",
		       2, params, points_batch, j, err) < 0)
		return -1;
	if (!j->points) /* no point: an empty array, as the rest of the job expects */
		j->points = job_grow(NULL, sizeof(*j->points), 0, 0, &j->points_cap);
	for (i = 0; i < j->n_points; i++) {
		job_text_ptr(&j->point_text, &j->points[i].code);
		job_text_ptr(&j->point_text, &j->points[i].name);
	}
	return 0;
}

/* Couriers stream in like the points; their strings into j->courier_text. */
static int couriers_batch(PGresult *r, void *ctx, struct vc_error *err)
{
	struct job *j = ctx;
	int row, n = PQntuples(r);
	j->couriers = job_grow(j->couriers, sizeof(*j->couriers), j->n_couriers, (size_t)n,
			       &j->couriers_cap);
	for (row = 0; row < n; row++) {
		struct job_courier *c = &j->couriers[j->n_couriers++];
		c->id = atoll(PQgetvalue(r, row, 0));
		c->code = job_keep_text(&j->courier_text, r, row, 1);
		c->name = job_keep_text(&j->courier_text, r, row, 2);
		c->capacity_kg = atof(PQgetvalue(r, row, 3));
		c->capacity_m3 = atof(PQgetvalue(r, row, 4));
		c->capacity[0] = llround(c->capacity_kg * 1000);
		c->capacity[1] = llround(c->capacity_m3 * 1e6);
		c->shift_start_min = atoi(PQgetvalue(r, row, 5));
		c->shift_end_min = atoi(PQgetvalue(r, row, 6));
		c->max_km = atof(PQgetvalue(r, row, 7));
		c->next_version = atoi(PQgetvalue(r, row, 8));
		c->live_manifest = job_keep_text(&j->courier_text, r, row, 9);
		/* A nightly run adds routes for couriers without one for the date;
		 * a replan replaces every live manifest of the hub's usable couriers,
		 * except those with pickup confirmations: that route is under way
		 * or done, and stays as it is (docs/pickups.md). */
		c->in_fleet = j->req->mode == NIGHTLY_REPLAN ? PQgetvalue(r, row, 11)[0] != 't'
							     : !c->live_manifest;
		c->max_trips = atoi(PQgetvalue(r, row, 12));
		c->profile = roads_profile_parse(PQgetvalue(r, row, 10));
		if (c->profile < 0) /* the column's CHECK makes this unreachable */
			c->profile = ROADS_VAN;
	}
	(void)err;
	return 0;
}

static int load_couriers(struct job *j, struct vc_error *err)
{
	char hub[DB_ID_LEN];
	const char *params[2] = { db_id(hub, j->hub.id), j->req->service_date };
	size_t i;
	if (job_stream(j, "vc_couriers",
		"SELECT c.id, c.code, c.name, c.capacity_kg, c.capacity_m3, c.shift_start_min,"
		"  c.shift_end_min, coalesce(c.max_km, 0),"
		"  coalesce((SELECT max(m.version) FROM manifests m"
		"            WHERE m.courier_id = c.id AND m.service_date = $2), 0) + 1,"
		"  (SELECT m.manifest_id FROM manifests m WHERE m.courier_id = c.id"
		"     AND m.service_date = $2 AND m.superseded_by IS NULL"
		"     ORDER BY m.version DESC LIMIT 1), coalesce(c.profile, 'van'),"
		"  EXISTS (SELECT 1 FROM manifests m JOIN pickups k ON k.manifest_id = m.manifest_id"
		"          WHERE m.courier_id = c.id AND m.service_date = $2 AND m.superseded_by IS NULL),"
		"  coalesce(c.max_trips, 0)"
		" FROM couriers c WHERE c.hub_id = $1 AND c.active AND c.endpoint_gone_at IS NULL"
		" ORDER BY c.code", 2, params, couriers_batch, j, err) < 0)
		return -1;
	if (!j->couriers)
		j->couriers = job_grow(NULL, sizeof(*j->couriers), 0, 0, &j->couriers_cap);
	for (i = 0; i < j->n_couriers; i++) {
		job_text_ptr(&j->courier_text, &j->couriers[i].code);
		job_text_ptr(&j->courier_text, &j->couriers[i].name);
		job_text_ptr(&j->courier_text, &j->couriers[i].live_manifest);
	}
	return 0;
}

/*
 * The road network: what is missing of the hub's snaps and legs for the
 * fleet's profiles is computed now (pkg/roads); the snaps are read now,
 * the legs when the plan knows its locations (roadmx.c streams them).
 */
static int load_network(struct job *j, struct vc_error *err)
{
	struct roads_matrix_stats st;
	struct roads_network net;
	unsigned mask = 0;
	char ver[24];
	const char *params[2] = { j->hub.code, ver };
	size_t c;
	for (c = 0; c < j->n_couriers; c++)
		if (j->couriers[c].in_fleet)
			mask |= 1u << j->couriers[c].profile;
	if (roads_current(j->conn, &net, err) < 0)
		return -1;
	j->road_version = net.version;
	if (!net.version || !mask)
		return 0;
	if (roads_matrix_hub(j->conn, j->cfg, j->hub.code, mask, &st, err) < 0)
		return -1;
	snprintf(ver, sizeof(ver), "%lld", net.version);
	j->snaps_res = db_exec(j->conn,
		"SELECT profile, kind, code, edge_id IS NOT NULL, coalesce(snap_m, -1) FROM road_snaps"
		" WHERE network_version = $2::bigint AND ((kind = 'hub' AND code = $1) OR (kind = 'point'"
		"  AND code IN (SELECT p.code FROM points p JOIN hubs h ON h.id = p.hub_id WHERE h.code = $1)))",
		2, params, err);
	return j->snaps_res ? 0 : -1;
}

int job_load(struct job *j, struct vc_error *err)
{
	if (load_hub(j, err) < 0 || load_couriers(j, err) < 0 || load_network(j, err) < 0)
		return -1;
	return 0;
}
