/*
 * solution: a whole plan under construction (one route per vehicle plus
 * the jobs left out), its copies and its job -> position index. A copy of
 * a multi-trip route carries its split into trips (trips.c).
 */
#include <stdlib.h>
#include <string.h>

#include "route/route_internal.h"
#include "util/xalloc.h"

void sol_init(struct sol *s, const struct model *m)
{
	int32_t j;
	memset(s, 0, sizeof(*s));
	s->n_routes = m->n_veh;
	s->routes = xcalloc((size_t)m->n_veh, sizeof(*s->routes));
	s->unassigned = xcalloc((size_t)m->n_jobs + 1, sizeof(*s->unassigned));
	s->route_of = xcalloc((size_t)m->n_jobs + 1, sizeof(*s->route_of));
	s->pos_of = xcalloc((size_t)m->n_jobs + 1, sizeof(*s->pos_of));
	for (j = 0; j < m->n_jobs; j++)
		s->route_of[j] = -1;
}

void sol_release(struct sol *s)
{
	int32_t i;
	for (i = 0; i < s->n_routes; i++)
		rt_release(&s->routes[i]);
	free(s->routes);
	free(s->unassigned);
	free(s->route_of);
	free(s->pos_of);
	memset(s, 0, sizeof(*s));
}

void sol_index_route(struct sol *s, int32_t ri)
{
	const struct rt *r = &s->routes[ri];
	int32_t i;
	for (i = 0; i < r->n; i++) {
		s->route_of[r->jobs[i]] = ri;
		s->pos_of[r->jobs[i]] = i;
	}
}

/* Copies route ri's jobs and schedule; the caller re-indexes and re-costs. */
void sol_copy_route(struct sol *dst, const struct sol *src, int32_t ri)
{
	struct rt *d = &dst->routes[ri];
	const struct rt *r = &src->routes[ri];
	if (d->alloc < r->n) {
		size_t cap = (size_t)r->alloc;
		d->jobs = xrealloc(d->jobs, cap * sizeof(*d->jobs));
		d->start = xrealloc(d->start, cap * sizeof(*d->start));
		d->latest = xrealloc(d->latest, cap * sizeof(*d->latest));
		d->trip = xrealloc(d->trip, cap * sizeof(*d->trip));
		d->edge = xrealloc(d->edge, (cap + 1) * sizeof(*d->edge));
		d->stop = xrealloc(d->stop, cap * sizeof(*d->stop));
		d->alloc = r->alloc;
	}
	if (r->n) {
		memcpy(d->jobs, r->jobs, sizeof(*r->jobs) * (size_t)r->n);
		memcpy(d->edge, r->edge, sizeof(*r->edge) * (size_t)(r->n + 1));
		memcpy(d->stop, r->stop, sizeof(*r->stop) * (size_t)r->n);
		memcpy(d->start, r->start, sizeof(*r->start) * (size_t)r->n);
		memcpy(d->latest, r->latest, sizeof(*r->latest) * (size_t)r->n);
	}
	/* a multi-trip route: its split (not a function of the sequence alone),
	 * its loads, and room for the next evaluation's */
	if (r->dp_cap) {
		if (d->pload_alloc < r->pload_alloc) {
			free(d->pload);
			d->pload = xcalloc((size_t)r->pload_alloc, sizeof(*d->pload));
			d->pload_alloc = r->pload_alloc;
		}
		if (!d->tload)
			d->tload = xcalloc(ROUTE_MAX_TRIPS, sizeof(*d->tload));
		memcpy(d->tload, r->tload, ROUTE_MAX_TRIPS * sizeof(*d->tload));
		if (r->n) {
			memcpy(d->trip, r->trip, sizeof(*r->trip) * (size_t)r->n);
			memcpy(d->pload, r->pload, sizeof(*r->pload) * (size_t)r->n);
		}
		if (d->dp_cap < r->dp_cap) {
			free(d->dp);
			d->dp = xmalloc(r->dp_cap);
			d->dp_cap = r->dp_cap;
		}
	}
	d->n_trips = r->n_trips;
	d->infeasible = r->infeasible;
	d->n = r->n;
	d->load[0] = r->load[0];
	d->load[1] = r->load[1];
	d->dist = r->dist;
	d->back = r->back;
}

void sol_copy_unassigned(struct sol *dst, const struct sol *src)
{
	int32_t i;
	for (i = 0; i < src->n_unassigned; i++)
		dst->route_of[src->unassigned[i]] = -1;
	memcpy(dst->unassigned, src->unassigned, sizeof(*src->unassigned) * (size_t)src->n_unassigned);
	dst->n_unassigned = src->n_unassigned;
	dst->cost = src->cost;
}

void sol_copy(struct sol *dst, const struct sol *src)
{
	int32_t i;
	for (i = 0; i < src->n_routes; i++) {
		sol_copy_route(dst, src, i);
		sol_index_route(dst, i);
	}
	sol_copy_unassigned(dst, src);
}

void sol_recost(struct sol *s, const struct model *m)
{
	int32_t i;
	s->cost = 0;
	for (i = 0; i < s->n_routes; i++)
		s->cost += rt_cost(m, i, &s->routes[i]);
}

int64_t sol_objective(const struct sol *s, const struct model *m)
{
	return s->cost + m->penalty * s->n_unassigned;
}
