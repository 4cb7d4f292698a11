/*
 * claim: takes the hub's orders for the date in one statement inside the
 * job's transaction (row locks: an import that touches one of them waits
 * for the commit), and rejects those that no vehicle of the hub can ever
 * carry or whose point is inactive. The orders are written once, at the
 * end (write.c): locking instead of an UPDATE to 'planned' halves the row
 * versions a 100,000-order night creates. The points are read after the
 * claim, including every point a claimed order names, so that no order
 * can name a point the job has not loaded. The rows stream in through a
 * cursor, db_fetch_rows at a time (job_stream): what stays is the compact
 * job_order array and one buffer of their strings, not a PGresult of the
 * whole hub.
 */
#include "nightly/job.h"
#include "db/db.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CLAIM_SELECT \
	"SELECT o.id, o.order_ref, o.point_id, o.weight_kg, o.volume_m3, o.seller" \
	" FROM orders o JOIN points p ON p.id = o.point_id WHERE p.hub_id = $1"

/*
 * A pending order ready by the date, unless a courier reported it missing
 * or refused on a pickup of that date or later (docs/pickups.md): the
 * parcel was not there that day, so it waits for the next night rather
 * than going back onto a route of a day that is over. Picked orders are
 * not pending and never claimed.
 */
#define CLAIM_PENDING \
	"(o.status = 'pending' AND o.ready_date <= $2::date AND NOT EXISTS (" \
	"SELECT 1 FROM pickups k JOIN manifests km ON km.manifest_id = k.manifest_id" \
	" WHERE k.order_id = o.id AND km.service_date >= $2::date))"

static const char claim_pending_sql[] = CLAIM_SELECT " AND " CLAIM_PENDING " FOR UPDATE OF o";

/*
 * Pending orders plus those of the live manifests a replan replaces: not
 * those of a manifest with pickup confirmations (its route is under way or
 * done, load.c keeps it), and never a picked one (not 'manifested').
 */
static const char claim_replan_sql[] =
	CLAIM_SELECT " AND (" CLAIM_PENDING
	"   OR (o.status IN ('manifested', 'delivered') AND o.manifest_id IN ("
	"       SELECT m.manifest_id FROM manifests m JOIN couriers c ON c.id = m.courier_id"
	"       WHERE m.hub_id = $1 AND m.service_date = $2::date AND m.superseded_by IS NULL"
	"         AND c.active AND c.endpoint_gone_at IS NULL"
	"         AND NOT EXISTS (SELECT 1 FROM pickups k WHERE k.manifest_id = m.manifest_id))))"
	" FOR UPDATE OF o";

static int point_index(const struct job *j, long long point_id)
{
	size_t lo = 0, hi = j->n_points;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (j->points[mid].id < point_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < j->n_points && j->points[lo].id == point_id ? (int)lo : -1;
}

static int fits_some_vehicle(const struct job *j, const int64_t demand[2])
{
	size_t c;
	for (c = 0; c < j->n_couriers; c++)
		if (demand[0] <= j->couriers[c].capacity[0] && demand[1] <= j->couriers[c].capacity[1])
			return 1;
	return 0;
}

static void largest_vehicle(const struct job *j, double *kg, double *m3)
{
	size_t c;
	*kg = *m3 = 0;
	for (c = 0; c < j->n_couriers; c++) {
		*kg = fmax(*kg, j->couriers[c].capacity_kg);
		*m3 = fmax(*m3, j->couriers[c].capacity_m3);
	}
}

static void validate(struct job *j, struct job_order *o)
{
	const struct job_point *p = &j->points[o->point];
	double kg, m3;
	if (!p->active) {
		o->state = ORDER_REJECTED;
		o->reason = job_strdupf(j, "collection point %s is inactive", p->code);
	} else if (j->n_couriers == 0) {
		o->state = ORDER_UNASSIGNED;
		o->reason = job_strdupf(j, "unassigned: hub %s has no active courier", j->hub.code);
	} else if (!fits_some_vehicle(j, o->demand)) {
		largest_vehicle(j, &kg, &m3);
		o->state = ORDER_REJECTED;
		o->reason = job_strdupf(j, "%.3f kg / %.4f m3 fits no vehicle of hub %s"
					" (largest: %.3f kg, %.4f m3)",
					o->weight_kg, o->volume_m3, j->hub.code, kg, m3);
	}
}

/* Orders by order_ref so that everything downstream is deterministic. */
static int by_order_ref(const void *a, const void *b)
{
	return strcmp(((const struct job_order *)a)->order_ref, ((const struct job_order *)b)->order_ref);
}

/* What the batches build up: the orders in j, their point ids beside them. */
struct claim_state {
	struct job *j;
	long long *point_id;       /* per order, until the points are loaded */
	size_t cap;
};

static int claim_batch(PGresult *r, void *ctx, struct vc_error *err)
{
	struct claim_state *cs = ctx;
	struct job *j = cs->j;
	int row, n = PQntuples(r);
	j->orders = job_grow(j->orders, sizeof(*j->orders), j->n_orders, (size_t)n, &j->orders_cap);
	cs->point_id = xgrow(cs->point_id, sizeof(*cs->point_id), j->n_orders + (size_t)n + 1, &cs->cap);
	for (row = 0; row < n; row++) {
		struct job_order *o = &j->orders[j->n_orders];
		o->id = atoll(PQgetvalue(r, row, 0));
		o->order_ref = job_keep_text(&j->order_text, r, row, 1);
		cs->point_id[j->n_orders] = atoll(PQgetvalue(r, row, 2));
		o->weight_kg = atof(PQgetvalue(r, row, 3));
		o->volume_m3 = atof(PQgetvalue(r, row, 4));
		o->seller = job_keep_text(&j->order_text, r, row, 5);
		o->demand[0] = llround(o->weight_kg * 1000);
		o->demand[1] = llround(o->volume_m3 * 1e6);
		o->manifest = -1;
		j->n_orders++;
	}
	(void)err;
	return 0;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* The distinct point ids of the claimed orders as a bigint[] literal, for job_load_points. */
static void point_ids(const long long *ids, size_t n, struct strbuf *sb)
{
	long long *sorted = xcalloc(n + 1, sizeof(*sorted));
	size_t i;
	if (n) /* ids is NULL when nothing was claimed */
		memcpy(sorted, ids, n * sizeof(*ids));
	qsort(sorted, n, sizeof(*sorted), cmp_ll);
	strbuf_addch(sb, '{');
	for (i = 0; i < n; i++)
		if (i == 0 || sorted[i] != sorted[i - 1])
			strbuf_addf(sb, "%s%lld", sb->len > 1 ? "," : "", sorted[i]);
	strbuf_addch(sb, '}');
	free(sorted);
}

int job_claim(struct job *j, struct vc_error *err)
{
	char hub[DB_ID_LEN];
	const char *params[2] = { db_id(hub, j->hub.id), j->req->service_date };
	struct claim_state cs = { j, NULL, 0 };
	struct strbuf ids = STRBUF_INIT;
	size_t i;
	int rc = -1;

	if (job_stream(j, "vc_claim", j->req->mode == NIGHTLY_REPLAN ? claim_replan_sql
								      : claim_pending_sql,
		       2, params, claim_batch, &cs, err) < 0)
		goto cleanup;
	if (!j->orders) /* nothing claimed: an empty array, as the rest of the job expects */
		j->orders = xcalloc(1, sizeof(*j->orders));
	point_ids(cs.point_id, j->n_orders, &ids);
	if (job_load_points(j, ids.buf, err) < 0)
		goto cleanup;
	for (i = 0; i < j->n_orders; i++) {
		struct job_order *o = &j->orders[i];
		job_text_ptr(&j->order_text, &o->order_ref);
		job_text_ptr(&j->order_text, &o->seller);
		o->point = point_index(j, cs.point_id[i]);
		if (o->point < 0) {
			vc_fail(err, EX_SOFTWARE, "order %s: point not loaded", o->order_ref);
			goto cleanup;
		}
	}
	qsort(j->orders, j->n_orders, sizeof(*j->orders), by_order_ref);
	rc = 0;
cleanup:
	strbuf_release(&ids);
	free(cs.point_id);
	if (rc < 0)
		return -1;
	for (i = 0; i < j->n_orders; i++)
		validate(j, &j->orders[i]);
	return 0;
}
