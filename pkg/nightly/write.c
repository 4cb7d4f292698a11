/*
 * write: the outbox side of the job's transaction. Inserts the rendered
 * manifests, points replaced versions at their successor, and sets every
 * claimed order's outcome with one COPY into a temporary table and one
 * UPDATE (100,000 orders cost two round trips, not 100,000).
 */
#include "nightly/job.h"
#include "db/db.h"
#include "util/fault.h"

#include <stdio.h>
#include <string.h>

static int insert_manifest(struct job *j, const struct job_manifest *m, struct vc_error *err)
{
	const struct job_courier *c = &j->couriers[m->courier];
	char run[DB_ID_LEN], hub[DB_ID_LEN], courier[DB_ID_LEN], version[16], stops[16], parcels[16];
	char kg[32], m3[32], km[32], minutes[16];
	const char *params[15] = {
		m->id, db_id(run, j->run_id), db_id(hub, j->hub.id), db_id(courier, c->id),
		j->req->service_date, version,
		j->req->mode == NIGHTLY_REPLAN ? c->live_manifest : NULL,
		m->body.buf, m->sha256, stops, parcels, kg, m3, km, minutes,
	};
	snprintf(version, sizeof(version), "%d", m->version);
	snprintf(stops, sizeof(stops), "%d", m->stops);
	snprintf(parcels, sizeof(parcels), "%d", m->parcels);
	snprintf(kg, sizeof(kg), "%.3f", m->weight_kg);
	snprintf(m3, sizeof(m3), "%.4f", m->volume_m3);
	snprintf(km, sizeof(km), "%.3f", m->distance_km);
	snprintf(minutes, sizeof(minutes), "%d", m->duration_min);
	if (db_run(j->conn,
		   "INSERT INTO manifests (manifest_id, run_id, hub_id, courier_id, service_date,"
		   " version, replaces, body, sha256, stops, parcels, weight_kg, volume_m3,"
		   " distance_km, duration_min) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
		   " $11, $12, $13, $14, $15)", 15, params, err) < 0)
		return -1;
	if (!params[6])
		return 0;
	/* The old version is no longer live; if it was never posted, it never will be. */
	{
		const char *sup[2] = { params[6], m->id };
		return db_run(j->conn,
			      "UPDATE manifests SET superseded_by = $2, delivery_status ="
			      " CASE WHEN delivery_status = 'pending' THEN 'superseded'"
			      " ELSE delivery_status END WHERE manifest_id = $1", 2, sup, err);
	}
}

static const char *order_status(enum job_order_state st)
{
	switch (st) {
	case ORDER_ROUTED:
		return "manifested";
	case ORDER_REJECTED:
		return "rejected";
	default:
		return "pending";
	}
}

/* db_copy_rows' producer: one claimed order's outcome per call. */
struct outcome_rows {
	const struct job *j;
	size_t next;
};

static int outcome_row(void *arg, struct strbuf *sb, struct vc_error *err)
{
	struct outcome_rows *it = arg;
	const struct job *j = it->j;
	const struct job_order *o;

	if (it->next >= j->n_orders)
		return 0;
	o = &j->orders[it->next++];
	strbuf_addf(sb, "%lld\t%s\t", o->id, order_status(o->state));
	db_copy_field(sb, o->reason);
	strbuf_addch(sb, '\t');
	db_copy_field(sb, o->manifest >= 0 ? j->manifests[o->manifest].id : NULL);
	if (o->manifest >= 0)
		strbuf_addf(sb, "\t%d\n", o->stop_seq);
	else
		strbuf_addstr(sb, "\t\\N\n");
	return it->next < j->n_orders;
}

static int write_order_outcomes(struct job *j, struct vc_error *err)
{
	struct outcome_rows it = { j, 0 };
	char run[DB_ID_LEN];
	const char *params[1] = { db_id(run, j->run_id) };

	/* db_copy_rows aborts a failed COPY: none of its rows stays behind. */
	if (db_run(j->conn, "CREATE TEMP TABLE nightly_outcome (order_id bigint, status text,"
		   " reason text, manifest_id text, stop_seq integer) ON COMMIT DROP", 0, NULL, err) < 0 ||
	    db_copy_rows(j->conn, "COPY nightly_outcome FROM STDIN", outcome_row, &it, err) < 0 ||
	    /* Statistics, so the UPDATE joins by hash rather than by guess. */
	    db_run(j->conn, "ANALYZE nightly_outcome", 0, NULL, err) < 0)
		return -1;
	return db_run(j->conn,
		      "UPDATE orders o SET status = n.status, reason = n.reason, run_id = $1,"
		      " manifest_id = n.manifest_id, stop_seq = n.stop_seq, updated_at = now()"
		      " FROM nightly_outcome n WHERE o.id = n.order_id", 1, params, err);
}

static int record_counts(struct job *j, struct vc_error *err)
{
	char run[DB_ID_LEN], claimed[16], routed[16], rejected[16], unassigned[16], manifests[16];
	const char *params[6] = { db_id(run, j->run_id), claimed, routed, rejected, unassigned,
				  manifests };
	snprintf(claimed, sizeof(claimed), "%zu", j->n_orders);
	snprintf(routed, sizeof(routed), "%d", j->routed);
	snprintf(rejected, sizeof(rejected), "%d", j->rejected);
	snprintf(unassigned, sizeof(unassigned), "%d", j->unassigned);
	snprintf(manifests, sizeof(manifests), "%zu", j->n_manifests);
	return db_run(j->conn,
		      "UPDATE runs SET orders_claimed = $2, orders_routed = $3, rejected = $4,"
		      " unassigned = $5, manifests = $6 WHERE id = $1", 6, params, err);
}

int job_write(struct job *j, struct vc_error *err)
{
	size_t m;
	for (m = 0; m < j->n_manifests; m++)
		if (insert_manifest(j, &j->manifests[m], err) < 0)
			return -1;
	FAULT_POINT("after_manifest_insert");
	if (write_order_outcomes(j, err) < 0)
		return -1;
	FAULT_POINT("after_order_outcomes");
	return record_counts(j, err);
}
