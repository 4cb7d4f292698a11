/*
 * split: a point whose parcels exceed one vehicle becomes several visits,
 * each of which fits; parcels stay whole (first-fit decreasing bin
 * packing over two dimensions).
 */
#include <stdlib.h>

#include "route/route_internal.h"
#include "util/xalloc.h"

struct item {
	int64_t size;   /* the larger of the two dimensions, as a share of cap (1e9 = full) */
	int32_t index;
};

static int by_size_desc(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int32_t route_split_visits(const int64_t (*parcel)[2], int32_t n, const int64_t cap[2],
			   int32_t *visit_of, struct vc_error *err)
{
	struct item *items;
	int64_t (*load)[2];
	int32_t i, v, n_visits = 0;

	for (i = 0; i < n; i++)
		if (parcel[i][0] < 0 || parcel[i][1] < 0 || parcel[i][0] > cap[0] || parcel[i][1] > cap[1])
			return vc_fail(err, EX_DATAERR,
				       "parcel %d (%lld g, %lld cm3) does not fit the largest vehicle (%lld g, %lld cm3)",
				       i, (long long)parcel[i][0], (long long)parcel[i][1],
				       (long long)cap[0], (long long)cap[1]);
	items = xcalloc((size_t)n + 1, sizeof(*items));
	load = xcalloc((size_t)n + 1, sizeof(*load));
	for (i = 0; i < n; i++) {
		int64_t a = route_share(parcel[i][0], cap[0]), b = route_share(parcel[i][1], cap[1]);
		items[i].size = a > b ? a : b;
		items[i].index = i;
	}
	qsort(items, (size_t)n, sizeof(*items), by_size_desc);
	for (i = 0; i < n; i++) {
		const int64_t *p = parcel[items[i].index];
		for (v = 0; v < n_visits; v++)
			if (load[v][0] + p[0] <= cap[0] && load[v][1] + p[1] <= cap[1])
				break;
		if (v == n_visits)
			n_visits++;
		load[v][0] += p[0];
		load[v][1] += p[1];
		visit_of[items[i].index] = v;
	}
	free(items);
	free(load);
	return n_visits;
}
