/*
 * locality: the search's copy of the problem, its locations renumbered so
 * that near locations sit near in memory.
 *
 * The recreate reads, for every position of the routes around a job, the
 * distance from the stop before it to the job (a column of the matrix)
 * and from the job to the stop after it. In the caller's numbering (a
 * village point's row in the database, an instance's file order) those
 * stops are anywhere in the matrix, so nearly every read is a cache line
 * of its own, and on a 1,000-stop county the recreate spent half its time
 * waiting for them (docs/route.md, "Issue 12, stop 22"). Numbered along a
 * nearest-neighbour chain from the hub, the stops around a job have
 * numbers close to each other and to the job's, so the reads of one row
 * fall in a few lines.
 *
 * Only the hub and the locations some job uses are kept; with more than
 * ROUTE_LOCALITY_MAX_LOCS of them the caller's numbering is used. Jobs keep their
 * indices and every distance and time is the caller's, so the plan is
 * the same as on the caller's numbering; only its speed changes. Matrices
 * that several profiles share stay shared (the model compares them by
 * address). The distance matrices are also kept by destination (a
 * transposed copy unless symmetric), so that the distance from many
 * stops into one job is one row as well.
 */
#include <stdlib.h>
#include <string.h>

#include "route/route_internal.h"
#include "util/xalloc.h"


/* Above this many locations (used by jobs, with the hub) the search works
 * on the caller's numbering and reads the matrix by column: the copies
 * (n^2 cells each, renumbered and by destination) would cost more memory
 * than their speed is worth (64 MiB a matrix here). */
#define ROUTE_LOCALITY_MAX_LOCS 4096

struct matrix_copy {
	const int32_t *from;
	int32_t *to;
	const int32_t *into;  /* to by destination (locality_by_destination) */
	int32_t *into_owned;  /* its transposed copy, when to is not symmetric */
};

/* The copy of matrix `from` in the new numbering, made once per matrix. */
static const int32_t *renumbered(struct locality *l, const int32_t *from, const int32_t *old_of)
{
	int32_t i, k, n = l->pb.n_locs;
	int32_t *to;
	if (!from)
		return NULL;
	for (i = 0; i < l->n_copies; i++)
		if (l->copies[i].from == from)
			return l->copies[i].to;
	to = xmalloc((size_t)n * (size_t)n * sizeof(*to));
	for (i = 0; i < n; i++) {
		const int32_t *row = from + (int64_t)old_of[i] * l->n_caller_locs;
		for (k = 0; k < n; k++)
			to[(int64_t)i * n + k] = row[old_of[k]];
	}
	l->copies[l->n_copies].from = from;
	l->copies[l->n_copies++].to = to;
	return to;
}

/* old_of[0..n): the used locations, hub first, each next one the nearest
 * (both ways, on profile 0) to the one before it not yet taken; n, or 0
 * when there are more than ROUTE_LOCALITY_MAX_LOCS. */
static int32_t chain_order(const struct route_problem *pb, int32_t *old_of)
{
	const int32_t *d = pb->n_profiles > 0 ? pb->profiles[0].dist : pb->dist;
	int64_t n_locs = pb->n_locs;
	uint8_t *used = xcalloc((size_t)n_locs, 1);
	int32_t i, n = 1, *left;
	int32_t n_left = 0;
	for (i = 0; i < pb->n_jobs; i++)
		used[pb->jobs[i].loc] = 1;
	left = xcalloc((size_t)n_locs, sizeof(*left));
	for (i = 1; i < n_locs; i++)
		if (used[i])
			left[n_left++] = i;
	if (n_left + 1 > ROUTE_LOCALITY_MAX_LOCS) {
		free(left);
		free(used);
		return 0;
	}
	old_of[0] = 0;
	while (n_left > 0) {
		int64_t at = old_of[n - 1], best = INT64_MAX;
		int32_t k, pick = 0;
		for (k = 0; k < n_left; k++) {
			int64_t to = left[k];
			int64_t dd = (int64_t)d[at * n_locs + to] + d[to * n_locs + at];
			if (dd < best) {
				best = dd;
				pick = k;
			}
		}
		old_of[n++] = left[pick];
		/* keep `left` in index order so that ties go to the lowest index */
		memmove(&left[pick], &left[pick + 1], sizeof(*left) * (size_t)(n_left - pick - 1));
		n_left--;
	}
	free(left);
	free(used);
	return n;
}

void locality_build(struct locality *l, const struct route_problem *in)
{
	int32_t i, n, n_prof = in->n_profiles > 0 ? in->n_profiles : 1;
	int32_t *old_of, *new_of;
	memset(l, 0, sizeof(*l));
	l->pb = *in;
	if (in->n_jobs == 0)
		return;
	old_of = xcalloc((size_t)in->n_locs, sizeof(*old_of));
	new_of = xcalloc((size_t)in->n_locs, sizeof(*new_of));
	n = chain_order(in, old_of);
	if (!n)
		goto cleanup;
	for (i = 0; i < n; i++)
		new_of[old_of[i]] = i;
	l->n_caller_locs = in->n_locs;
	l->pb.n_locs = n;
	l->copies = xcalloc((size_t)n_prof * 2 + 2, sizeof(*l->copies));
	if (in->n_profiles > 0) {
		l->profiles = xcalloc((size_t)in->n_profiles, sizeof(*l->profiles));
		for (i = 0; i < in->n_profiles; i++) {
			l->profiles[i].dist = renumbered(l, in->profiles[i].dist, old_of);
			l->profiles[i].time = renumbered(l, in->profiles[i].time, old_of);
		}
		l->pb.profiles = l->profiles;
		/* ignored with profiles, but for time's NULL (untimed) */
		l->pb.dist = l->profiles[0].dist;
		l->pb.time = in->time ? l->profiles[0].time : NULL;
	} else {
		l->pb.dist = renumbered(l, in->dist, old_of);
		l->pb.time = renumbered(l, in->time, old_of);
	}
	l->jobs = xcalloc((size_t)in->n_jobs, sizeof(*l->jobs));
	for (i = 0; i < in->n_jobs; i++) {
		l->jobs[i] = in->jobs[i];
		l->jobs[i].loc = new_of[in->jobs[i].loc];
	}
	l->pb.jobs = l->jobs;
cleanup:
	free(old_of);
	free(new_of);
}

const int32_t *locality_by_destination(struct locality *l, const int32_t *matrix)
{
	int64_t n = l->pb.n_locs, a, b;
	struct matrix_copy *c = NULL;
	int32_t i;
	for (i = 0; i < l->n_copies && !c; i++)
		if (l->copies[i].to == matrix)
			c = &l->copies[i];
	if (!c)
		return NULL;
	if (c->into)
		return c->into;
	for (a = 0; a < n; a++) {
		for (b = a + 1; b < n; b++)
			if (matrix[a * n + b] != matrix[b * n + a])
				break;
		if (b < n)
			break;
	}
	c->into = matrix;
	if (a < n) {
		c->into_owned = xmalloc((size_t)(n * n) * sizeof(*c->into_owned));
		for (a = 0; a < n; a++)
			for (b = 0; b < n; b++)
				c->into_owned[b * n + a] = matrix[a * n + b];
		c->into = c->into_owned;
	}
	return c->into;
}

void locality_release(struct locality *l)
{
	int32_t i;
	for (i = 0; i < l->n_copies; i++) {
		free(l->copies[i].to);
		free(l->copies[i].into_owned);
	}
	free(l->copies);
	free(l->profiles);
	free(l->jobs);
	memset(l, 0, sizeof(*l));
}
