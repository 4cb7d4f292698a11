/*
 * group: claimed parcels into visits, point by point (see group.h). The
 * packing itself is route_split_visits (pkg/route: first-fit decreasing
 * over both dimensions); this file orders the input so that the result
 * does not depend on the order the database returned the parcels in, and
 * gives a parcel larger than the capacity a visit of its own.
 */
#include "group/group.h"
#include "route/route.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* By point, then heaviest first, then bulkiest, then input order. */
static int by_point_then_size(const void *a, const void *b, void *ctx)
{
	const struct group_parcel *parcels = ctx;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct group_parcel *p = &parcels[i], *q = &parcels[j];
	int d;
	if (p->point != q->point)
		return p->point < q->point ? -1 : 1;
	for (d = 0; d < 2; d++)
		if (p->demand[d] != q->demand[d])
			return p->demand[d] > q->demand[d] ? -1 : 1;
	return i < j ? -1 : i > j;
}

static int oversized(const struct group_parcel *p, const int64_t cap[2])
{
	return p->demand[0] > cap[0] || p->demand[1] > cap[1];
}

static struct group_visit *add_visit(struct group_result *out, size_t *cap, int32_t point,
				     size_t first)
{
	struct group_visit *v;
	out->visits = xgrow(out->visits, sizeof(*out->visits), out->n_visits + 1, cap);
	v = &out->visits[out->n_visits++];
	memset(v, 0, sizeof(*v));
	v->point = point;
	v->first = first;
	return v;
}

static void add_parcel(struct group_result *out, struct group_visit *v,
		       const struct group_parcel *parcels, size_t parcel, size_t *pos)
{
	out->order[(*pos)++] = parcel;
	v->demand[0] += parcels[parcel].demand[0];
	v->demand[1] += parcels[parcel].demand[1];
	v->count++;
}

/* One point's parcels, sorted[0..n): oversized ones alone, the rest packed. */
static void group_point(const struct group_parcel *parcels, const size_t *sorted, size_t n,
			const int64_t cap[2], struct group_result *out, size_t *visits_cap,
			size_t *pos)
{
	int64_t (*dem)[2] = xcalloc(n, sizeof(*dem));
	int32_t *visit_of = xcalloc(n, sizeof(*visit_of));
	size_t *fits = xcalloc(n, sizeof(*fits));
	size_t k, m = 0;
	int32_t n_visits, b;
	int32_t point = parcels[sorted[0]].point;

	for (k = 0; k < n; k++) {
		const struct group_parcel *p = &parcels[sorted[k]];
		if (oversized(p, cap)) {
			add_parcel(out, add_visit(out, visits_cap, point, *pos), parcels, sorted[k], pos);
			continue;
		}
		memcpy(dem[m], p->demand, sizeof(dem[m]));
		fits[m++] = sorted[k];
	}
	/* Cannot fail: every parcel left fits cap. */
	n_visits = m ? route_split_visits((const int64_t (*)[2])dem, (int32_t)m, cap, visit_of, NULL) : 0;
	for (b = 0; b < n_visits; b++) {
		struct group_visit *v = add_visit(out, visits_cap, point, *pos);
		for (k = 0; k < m; k++)
			if (visit_of[k] == b)
				add_parcel(out, v, parcels, fits[k], pos);
	}
	free(dem);
	free(visit_of);
	free(fits);
}

void group_parcels(const struct group_parcel *parcels, size_t n, const int64_t capacity[2],
		   struct group_result *out)
{
	size_t *sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	size_t visits_cap = 0, start, end, k, pos = 0;

	memset(out, 0, sizeof(*out));
	out->order = xcalloc(n ? n : 1, sizeof(*out->order));
	for (k = 0; k < n; k++)
		sorted[k] = k;
	qsort_r(sorted, n, sizeof(*sorted), by_point_then_size, (void *)parcels);
	for (start = 0; start < n; start = end) {
		for (end = start; end < n && parcels[sorted[end]].point == parcels[sorted[start]].point; end++)
			;
		group_point(parcels, sorted + start, end - start, capacity, out, &visits_cap, &pos);
	}
	free(sorted);
}

void group_result_release(struct group_result *res)
{
	free(res->visits);
	free(res->order);
	memset(res, 0, sizeof(*res));
}
