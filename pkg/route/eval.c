/*
 * eval: one route's schedule and constraint data, and the O(1) check of
 * inserting a job into it. All arithmetic is 64-bit integer so that times
 * near ROUTE_NO_LIMIT cannot overflow. A multi-trip vehicle's route is
 * evaluated by trips.c (its day split into trips); every other vehicle
 * keeps the single-trip code here.
 */
#include <stdlib.h>
#include <string.h>

#include "route/route_internal.h"
#include "util/xalloc.h"

#define NO_TIME_LIMIT (INT64_MAX / 4)

static int32_t job_loc(const struct model *m, int32_t job)
{
	return m->pb->jobs[job].loc;
}

/* The per-position copies the recreate reads (rt.stop, rt.edge). */
static void fill_stops(const struct model *m, int32_t vehicle, struct rt *r)
{
	int32_t prev = 0, i;
	for (i = 0; i < r->n; i++) {
		const struct route_job *jb = &m->pb->jobs[r->jobs[i]];
		r->stop[i].loc = jb->loc;
		r->stop[i].service = jb->service;
		r->edge[i] = m_vdist(m, vehicle, prev, jb->loc);
		prev = jb->loc;
	}
	if (r->n)
		r->edge[r->n] = m_vdist(m, vehicle, prev, 0);
}

void rt_refresh(const struct model *m, int32_t vehicle, struct rt *r)
{
	const struct route_vehicle *veh = &m->pb->vehicles[vehicle];
	const int timed = m->timed;
	int32_t prev = 0, i;
	int64_t t = veh->shift_start, next_latest = timed ? veh->shift_end : NO_TIME_LIMIT;

	fill_stops(m, vehicle, r);
	if (m_multi(m, vehicle)) {
		trips_refresh(m, vehicle, r, NULL);
		return;
	}
	r->dist = 0;
	r->load[0] = r->load[1] = 0;
	for (i = 0; i < r->n; i++) {
		const struct route_job *jb = &m->pb->jobs[r->jobs[i]];
		int64_t arrive = t + m_vtime(m, vehicle, prev, jb->loc);
		r->dist += m_vdist(m, vehicle, prev, jb->loc);
		r->start[i] = arrive > jb->open ? arrive : jb->open;
		t = r->start[i] + jb->service;
		r->load[0] += jb->demand[0];
		r->load[1] += jb->demand[1];
		prev = jb->loc;
	}
	r->dist += m_vdist(m, vehicle, prev, 0);
	r->back = t + m_vtime(m, vehicle, prev, 0);

	prev = 0;
	for (i = r->n - 1; i >= 0; i--) {
		const struct route_job *jb = &m->pb->jobs[r->jobs[i]];
		int64_t latest = timed ? next_latest - jb->service - m_vtime(m, vehicle, jb->loc, prev)
				       : NO_TIME_LIMIT;
		if (timed && latest > jb->close)
			latest = jb->close;
		r->latest[i] = latest;
		next_latest = latest;
		prev = jb->loc;
	}
}

int64_t rt_insert_delta_known(const struct model *m, int32_t v, const struct rt *r,
			      int32_t job, int32_t pos, int64_t delta)
{
	const struct route_vehicle *veh = &m->pb->vehicles[v];
	const struct route_job *jb = &m->pb->jobs[job];

	if (r->load[0] + jb->demand[0] > veh->capacity[0] ||
	    r->load[1] + jb->demand[1] > veh->capacity[1] || !m_may_serve(m, v, job))
		return RT_NO_INSERTION;
	if (veh->max_distance != ROUTE_NO_LIMIT && r->dist + delta > veh->max_distance)
		return RT_NO_INSERTION;
	if (m->timed) {
		int32_t prev = pos == 0 ? 0 : r->stop[pos - 1].loc;
		int32_t next = pos == r->n ? 0 : r->stop[pos].loc;
		int64_t leave = pos == 0 ? veh->shift_start
					 : r->start[pos - 1] + r->stop[pos - 1].service;
		int64_t begin = leave + m_vtime(m, v, prev, jb->loc);
		int64_t limit = pos == r->n ? veh->shift_end : r->latest[pos];
		if (begin < jb->open)
			begin = jb->open;
		if (begin > jb->close || begin + jb->service + m_vtime(m, v, jb->loc, next) > limit)
			return RT_NO_INSERTION;
	}
	if (r->n == 0)
		delta += veh->fixed_cost;
	return delta;
}

int32_t rt_cheapest_position(const struct model *m, int32_t v, const struct rt *r, int32_t job,
			     int64_t *cost)
{
	int32_t pos, best = -1;
	for (pos = 0; pos <= r->n; pos++) {
		int64_t d = rt_insert_delta(m, v, r, job, pos);
		if (d != RT_NO_INSERTION && (best < 0 || d < *cost)) {
			*cost = d;
			best = pos;
		}
	}
	return best;
}

int64_t rt_insert_delta(const struct model *m, int32_t v, const struct rt *r,
			int32_t job, int32_t pos)
{
	int32_t loc = m->pb->jobs[job].loc, prev, next;

	if (m_multi(m, v))
		return trips_insert_delta(m, v, r, job, pos);
	prev = pos == 0 ? 0 : r->stop[pos - 1].loc;
	next = pos == r->n ? 0 : r->stop[pos].loc;
	return rt_insert_delta_known(m, v, r, job, pos,
				     (int64_t)m_vdist(m, v, prev, loc) + m_vdist(m, v, loc, next) -
				     m_vdist(m, v, prev, next));
}

static void rt_reserve(struct rt *r, int32_t need)
{
	size_t cap = (size_t)r->alloc, c2 = cap, c3 = cap, c4 = cap;
	if (need <= r->alloc)
		return;
	r->jobs = xgrow(r->jobs, sizeof(*r->jobs), (size_t)need, &cap);
	r->start = xgrow(r->start, sizeof(*r->start), cap, &c2);
	r->latest = xgrow(r->latest, sizeof(*r->latest), cap, &c3);
	r->trip = xgrow(r->trip, sizeof(*r->trip), cap, &c4);
	r->edge = xrealloc(r->edge, (cap + 1) * sizeof(*r->edge));
	r->stop = xrealloc(r->stop, cap * sizeof(*r->stop));
	r->alloc = (int32_t)cap;
}

void rt_set(const struct model *m, int32_t v, struct rt *r, const int32_t *jobs, int32_t n)
{
	rt_reserve(r, n);
	if (n)
		memmove(r->jobs, jobs, sizeof(*jobs) * (size_t)n);
	r->n = n;
	rt_refresh(m, v, r);
}

/* rt_refresh after job went in at pos of a single-trip route, in the
 * time the change takes to die out: the earliest starts after pos change
 * only until one of them is the same as before (a wait absorbed the
 * delay), and the latest starts before pos only until one is the same. */
static void refresh_around(const struct model *m, int32_t v, struct rt *r, int32_t pos)
{
	const struct route_vehicle *veh = &m->pb->vehicles[v];
	const struct route_job *jb = &m->pb->jobs[r->jobs[pos]];
	int32_t prev = pos == 0 ? 0 : job_loc(m, r->jobs[pos - 1]);
	int32_t next = pos == r->n - 1 ? 0 : job_loc(m, r->jobs[pos + 1]), i, loc;
	int64_t t = pos == 0 ? veh->shift_start : r->start[pos - 1] + m->pb->jobs[r->jobs[pos - 1]].service;
	int64_t limit;

	r->dist += (int64_t)m_vdist(m, v, prev, jb->loc) + m_vdist(m, v, jb->loc, next) -
		   m_vdist(m, v, prev, next);
	r->load[0] += jb->demand[0];
	r->load[1] += jb->demand[1];
	for (i = pos, loc = prev; i < r->n; i++) {
		const struct route_job *ji = &m->pb->jobs[r->jobs[i]];
		int64_t arrive = t + m_vtime(m, v, loc, ji->loc), s = arrive > ji->open ? arrive : ji->open;
		if (i > pos && s == r->start[i])
			break;
		r->start[i] = s;
		t = s + ji->service;
		loc = ji->loc;
	}
	if (i == r->n)
		r->back = t + m_vtime(m, v, loc, 0);

	limit = pos == r->n - 1 ? (m->timed ? veh->shift_end : NO_TIME_LIMIT) : r->latest[pos + 1];
	for (i = pos, loc = next; i >= 0; i--) {
		const struct route_job *ji = &m->pb->jobs[r->jobs[i]];
		int64_t latest = m->timed ? limit - ji->service - m_vtime(m, v, ji->loc, loc) : NO_TIME_LIMIT;
		if (m->timed && latest > ji->close)
			latest = ji->close;
		if (i < pos && latest == r->latest[i])
			break;
		r->latest[i] = latest;
		limit = latest;
		loc = ji->loc;
	}
}

void rt_insert(const struct model *m, int32_t v, struct rt *r, int32_t job, int32_t pos)
{
	/* a multi-trip day keeps the split its insertion was priced at, or a better one */
	int32_t *hint = m_multi(m, v) ? trips_insert_hint(m, v, r, job, pos) : NULL;
	rt_reserve(r, r->n + 1);
	memmove(r->jobs + pos + 1, r->jobs + pos, sizeof(*r->jobs) * (size_t)(r->n - pos));
	r->jobs[pos] = job;
	r->n++;
	if (hint) {
		trips_refresh(m, v, r, hint);
		fill_stops(m, v, r);
	} else if (r->n > 1) {
		int32_t loc = job_loc(m, job);
		memmove(r->start + pos + 1, r->start + pos, sizeof(*r->start) * (size_t)(r->n - 1 - pos));
		memmove(r->latest + pos + 1, r->latest + pos, sizeof(*r->latest) * (size_t)(r->n - 1 - pos));
		memmove(r->stop + pos + 1, r->stop + pos, sizeof(*r->stop) * (size_t)(r->n - 1 - pos));
		memmove(r->edge + pos + 1, r->edge + pos, sizeof(*r->edge) * (size_t)(r->n - pos));
		r->stop[pos].loc = loc;
		r->stop[pos].service = m->pb->jobs[job].service;
		r->edge[pos] = m_vdist(m, v, pos ? r->stop[pos - 1].loc : 0, loc);
		r->edge[pos + 1] = m_vdist(m, v, loc, pos + 1 < r->n ? r->stop[pos + 1].loc : 0);
		refresh_around(m, v, r, pos);
	} else {
		rt_refresh(m, v, r);
	}
	free(hint);
}

void rt_release(struct rt *r)
{
	free(r->jobs);
	free(r->start);
	free(r->latest);
	free(r->edge);
	free(r->stop);
	free(r->trip);
	free(r->pload);
	free(r->tload);
	free(r->dp);
	memset(r, 0, sizeof(*r));
}

int64_t rt_cost(const struct model *m, int32_t v, const struct rt *r)
{
	return r->n ? r->dist + m->pb->vehicles[v].fixed_cost : 0;
}

int rt_feasible(const struct model *m, int32_t v, const struct rt *r)
{
	const struct route_vehicle *veh = &m->pb->vehicles[v];
	int32_t i;
	if (m_multi(m, v))
		return !r->infeasible;
	if (r->load[0] > veh->capacity[0] || r->load[1] > veh->capacity[1])
		return 0;
	if (veh->max_distance != ROUTE_NO_LIMIT && r->dist > veh->max_distance)
		return 0;
	for (i = 0; i < r->n; i++)
		if (!m_may_serve(m, v, r->jobs[i]))
			return 0;
	if (!m->timed)
		return 1;
	for (i = 0; i < r->n; i++)
		if (r->start[i] > m->pb->jobs[r->jobs[i]].close)
			return 0;
	return r->back <= veh->shift_end;
}

int64_t rt_remove_gain(const struct model *m, int32_t v, const struct rt *r, int32_t pos)
{
	int32_t lu, prev, next;
	if (m_multi(m, v))
		return trips_remove_gain(m, v, r, pos);
	if (r->n == 1)
		return rt_cost(m, v, r);
	lu = job_loc(m, r->jobs[pos]);
	prev = pos == 0 ? 0 : job_loc(m, r->jobs[pos - 1]);
	next = pos == r->n - 1 ? 0 : job_loc(m, r->jobs[pos + 1]);
	return (int64_t)m_vdist(m, v, prev, lu) + m_vdist(m, v, lu, next) - m_vdist(m, v, prev, next);
}
