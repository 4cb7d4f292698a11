/*
 * group: first-fit-decreasing packing of each point's parcels into visits
 * (see group.h). Deterministic: every sort breaks ties by parcel index.
 */
#include "group/group.h"
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

static int fits(const int64_t load[2], const int64_t add[2], const int64_t cap[2])
{
	return load[0] + add[0] <= cap[0] && load[1] + add[1] <= cap[1];
}

/* Pack sorted[0..n) (one point's parcels) into visits; bin of each parcel in bin_of. */
static size_t pack_point(const struct group_parcel *parcels, const size_t *sorted, size_t n,
			 const int64_t cap[2], int64_t (*loads)[2], size_t *bin_of)
{
	size_t n_bins = 0, k, b;
	for (k = 0; k < n; k++) {
		const int64_t *dem = parcels[sorted[k]].demand;
		for (b = 0; b < n_bins; b++)
			if (fits(loads[b], dem, cap))
				break;
		if (b == n_bins) {
			loads[b][0] = loads[b][1] = 0;
			n_bins++;
		}
		loads[b][0] += dem[0];
		loads[b][1] += dem[1];
		bin_of[k] = b;
	}
	return n_bins;
}

void group_parcels(const struct group_parcel *parcels, size_t n, const int64_t capacity[2],
		   struct group_result *out)
{
	size_t *sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	size_t *bin_of = xcalloc(n ? n : 1, sizeof(*bin_of));
	int64_t (*loads)[2] = xcalloc(n ? n : 1, sizeof(*loads));
	size_t visits_cap = 0, start, end, k, b, pos = 0;

	memset(out, 0, sizeof(*out));
	out->order = xcalloc(n ? n : 1, sizeof(*out->order));
	for (k = 0; k < n; k++)
		sorted[k] = k;
	qsort_r(sorted, n, sizeof(*sorted), by_point_then_size, (void *)parcels);

	for (start = 0; start < n; start = end) {
		size_t n_bins;
		for (end = start; end < n && parcels[sorted[end]].point == parcels[sorted[start]].point; end++)
			;
		n_bins = pack_point(parcels, sorted + start, end - start, capacity, loads, bin_of);
		/* Emit visits in bin order; parcels keep their sorted order inside a visit. */
		for (b = 0; b < n_bins; b++) {
			struct group_visit *v;
			out->visits = xgrow(out->visits, sizeof(*out->visits), out->n_visits + 1, &visits_cap);
			v = &out->visits[out->n_visits++];
			v->point = parcels[sorted[start]].point;
			v->demand[0] = loads[b][0];
			v->demand[1] = loads[b][1];
			v->first = pos;
			for (k = 0; k < end - start; k++)
				if (bin_of[k] == b)
					out->order[pos++] = sorted[start + k];
			v->count = pos - v->first;
		}
	}
	free(sorted);
	free(bin_of);
	free(loads);
}

void group_result_release(struct group_result *res)
{
	free(res->visits);
	free(res->order);
	memset(res, 0, sizeof(*res));
}
