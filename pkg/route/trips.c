/*
 * trips: multi-trip vehicles. A vehicle with max_trips > 1 has one route
 * for its whole day: a plain sequence of jobs, as for every vehicle, so
 * that every search operator (ruin and recreate, relocate, swap, 2-opt*,
 * polish) works on it unchanged. Where the vehicle goes back to the hub
 * to unload is not part of the sequence: each evaluation splits the
 * sequence into at most max_trips consecutive trips with a dynamic
 * programme (the "split" of route-first cluster-second heuristics):
 *
 *   state (i, t): the first i jobs served in t trips, the vehicle back at
 *   the hub. A trip from state (i, t) serves jobs i..k-1 and reaches
 *   state (k, t + 1); it leaves at the shift start (t = 0) or at the
 *   previous return plus the unload time, and must keep its load within
 *   one trip's capacity, every window, the shift end and the day's
 *   maximum distance.
 *
 * Each state keeps two labels: the shortest (ties: earliest) and the
 * earliest (ties: shortest). Earliest-first is exact for feasibility
 * (an earlier return never hurts what follows: waiting is allowed), so a
 * sequence is feasible whenever some split is; shortest-first is exact
 * for distance when windows and the shift do not bind. The split of a
 * sequence is a pure function of it, so an insertion's cost (a split of
 * the sequence with the job in it) is exactly the cost the route has
 * after the insertion, and a local search move that looks better is
 * better: no cycling. Cost: O(n * trips * jobs per trip) per evaluation,
 * against O(1) per insertion position for a single-trip vehicle, which
 * keeps the old code path untouched.
 */
#include <stdlib.h>
#include <string.h>

#include "route/route_internal.h"
#include "util/xalloc.h"

#define NO_TIME_LIMIT (INT64_MAX / 4)

void trips_model_init(struct model *m, const struct route_problem *pb)
{
	int32_t v, k;
	m->orig = pb;
	m->day = *pb;
	m->day_veh = xcalloc((size_t)pb->n_vehicles + 1, sizeof(*m->day_veh));
	m->trips = xcalloc((size_t)pb->n_vehicles + 1, sizeof(*m->trips));
	m->trip_cap = xcalloc((size_t)pb->n_vehicles + 1, sizeof(*m->trip_cap));
	for (v = 0; v < pb->n_vehicles; v++) {
		m->day_veh[v] = pb->vehicles[v];
		m->trips[v] = pb->vehicles[v].max_trips > 1 ? pb->vehicles[v].max_trips : 1;
		for (k = 0; k < 2; k++) {
			m->trip_cap[v][k] = pb->vehicles[v].capacity[k];
			m->day_veh[v].capacity[k] = pb->vehicles[v].capacity[k] * m->trips[v];
		}
	}
	m->day.vehicles = m->day_veh;
	m->pb = &m->day;
}

void trips_model_release(struct model *m)
{
	free(m->day_veh);
	free(m->trips);
	free(m->trip_cap);
}

/* The sequence evaluated: a route's jobs, with one job inserted before
 * ins_pos or the job at skip left out (neither: -1). */
struct seqv {
	const int32_t *jobs;
	int32_t n, ins_pos, ins_job, skip;
};

static int32_t seq_len(const struct seqv *q)
{
	return q->n + (q->ins_pos >= 0) - (q->skip >= 0);
}

static int32_t seq_at(const struct seqv *q, int32_t k)
{
	if (q->ins_pos >= 0)
		return k < q->ins_pos ? q->jobs[k] : k == q->ins_pos ? q->ins_job : q->jobs[k - 1];
	if (q->skip >= 0)
		return q->jobs[k < q->skip ? k : k + 1];
	return q->jobs[k];
}

struct lab {
	int64_t dist, time;  /* day distance so far; back at the hub (t = 0: shift start) */
	int32_t from;        /* predecessor label index, -1 for the start */
	int32_t ok;
};

/* Labels a split of n jobs needs (the caller's buffer holds them). */
static size_t dp_labels(int32_t n, int32_t trips)
{
	return ((size_t)n + 1) * ((size_t)trips + 1) * 2;
}

static void offer(struct lab *l, int64_t dist, int64_t time, int32_t from)
{
	if (!l[0].ok || dist < l[0].dist || (dist == l[0].dist && time < l[0].time))
		l[0] = (struct lab){ dist, time, from, 1 };
	if (!l[1].ok || time < l[1].time || (time == l[1].time && dist < l[1].dist))
		l[1] = (struct lab){ dist, time, from, 1 };
}

/* Split q for vehicle v into L (dp_labels entries); the best final label's
 * index, -1 when no split is feasible. */
static int32_t dp_split(const struct model *m, int32_t v, const struct seqv *q, struct lab *L)
{
	const struct route_vehicle *veh = &m->pb->vehicles[v];
	const int32_t K = m->trips[v], S = K + 1, n = seq_len(q);
	const int64_t *cap = m->trip_cap[v];
	const int64_t end = m->timed ? veh->shift_end : NO_TIME_LIMIT;
	int32_t i, t, l, k, best = -1;
	size_t c, cells = dp_labels(n, K);

	for (k = 0; k < n; k++)
		if (!m_may_serve(m, v, seq_at(q, k)))
			return -1;
	for (c = 0; c < cells; c++)
		L[c].ok = 0;
	L[0] = (struct lab){ 0, veh->shift_start, -1, 1 };
	for (i = 0; i < n; i++)
		for (t = 0; t < K; t++)
			for (l = 0; l < 2; l++) {
				int32_t from = (i * S + t) * 2 + l, prev = 0;
				const struct lab *a = &L[from];
				int64_t time, d = 0, load0 = 0, load1 = 0;
				if (!a->ok || (l == 1 && L[from - 1].ok && L[from - 1].dist == a->dist &&
					       L[from - 1].time == a->time))
					continue;
				time = t == 0 ? a->time : a->time + m->pb->vehicles[v].unload;
				for (k = i; k < n; k++) {
					const struct route_job *jb = &m->pb->jobs[seq_at(q, k)];
					int64_t back, total;
					load0 += jb->demand[0];
					load1 += jb->demand[1];
					if (load0 > cap[0] || load1 > cap[1])
						break;
					d += m_vdist(m, v, prev, jb->loc);
					time += m_vtime(m, v, prev, jb->loc);
					if (time < jb->open)
						time = jb->open;
					if (m->timed && time > jb->close)
						break;
					time += jb->service;
					prev = jb->loc;
					back = time + m_vtime(m, v, prev, 0);
					total = a->dist + d + m_vdist(m, v, prev, 0);
					if (back > end ||
					    (veh->max_distance != ROUTE_NO_LIMIT && total > veh->max_distance))
						continue;
					offer(&L[((k + 1) * S + t + 1) * 2], total, back, from);
				}
			}
	for (t = 1; t <= K; t++)
		for (l = 0; l < 2; l++) {
			int32_t x = (n * S + t) * 2 + l;
			if (L[x].ok && (best < 0 || L[x].dist < L[best].dist ||
					(L[x].dist == L[best].dist && L[x].time < L[best].time)))
				best = x;
		}
	return best;
}

/* The buffer for a split of n jobs: the route's own (sized by the last
 * refresh for one job more than it has) or, for an empty route, `small`. */
static struct lab *dp_buffer(const struct model *m, int32_t v, const struct rt *r, int32_t n,
			     struct lab *small, size_t n_small)
{
	size_t need = dp_labels(n, m->trips[v]);
	if (need <= n_small)
		return small;
	return need * sizeof(struct lab) <= r->dp_cap ? r->dp : NULL;
}

#define SMALL_LABELS (4 * (ROUTE_MAX_TRIPS + 1))

/* The day's distance of sequence q on vehicle v, -1 when infeasible. */
static int64_t split_dist(const struct model *m, int32_t v, const struct rt *r, const struct seqv *q)
{
	struct lab small[SMALL_LABELS];
	struct lab *L = dp_buffer(m, v, r, seq_len(q), small, SMALL_LABELS);
	int32_t best;
	if (seq_len(q) == 0)
		return 0;
	if (!L) /* never: every refresh sizes the buffer for one more job */
		abort();
	best = dp_split(m, v, q, L);
	return best < 0 ? -1 : L[best].dist;
}

void trips_refresh(const struct model *m, int32_t v, struct rt *r)
{
	const struct route_vehicle *veh = &m->pb->vehicles[v];
	size_t need = dp_labels(r->n + 1, m->trips[v]) * sizeof(struct lab);
	struct seqv q = { r->jobs, r->n, -1, -1, -1 };
	struct lab *L;
	int32_t best, i, x, prev = 0;
	int64_t t = veh->shift_start;

	if (r->dp_cap < need) {
		free(r->dp);
		r->dp = xmalloc(need);
		r->dp_cap = need;
	}
	L = r->dp;
	r->load[0] = r->load[1] = 0;
	for (i = 0; i < r->n; i++) {
		r->load[0] += m->pb->jobs[r->jobs[i]].demand[0];
		r->load[1] += m->pb->jobs[r->jobs[i]].demand[1];
		r->trip[i] = 0;
		r->latest[i] = NO_TIME_LIMIT;
	}
	r->n_trips = r->n > 0;
	r->infeasible = 0;
	r->dist = 0;
	r->back = t;
	if (r->n == 0)
		return;
	best = dp_split(m, v, &q, L);
	if (best < 0) {
		r->infeasible = 1;
	} else {
		/* walk back: each label ends a trip at its state's position */
		int32_t S = m->trips[v] + 1, trip, end_pos, start_pos;
		r->dist = L[best].dist;
		r->n_trips = (best / 2) % S;
		trip = r->n_trips - 1;
		end_pos = r->n;
		for (x = best; L[x].from >= 0; x = L[x].from, trip--) {
			start_pos = (L[x].from / 2) / S;
			for (i = start_pos; i < end_pos; i++)
				r->trip[i] = trip;
			end_pos = start_pos;
		}
	}
	/* the schedule of that split (earliest starts, waiting at the door) */
	for (i = 0; i < r->n; i++) {
		const struct route_job *jb = &m->pb->jobs[r->jobs[i]];
		if (i > 0 && r->trip[i] != r->trip[i - 1]) {
			t += m_vtime(m, v, prev, 0) + veh->unload;
			if (r->infeasible)
				r->dist += m_vdist(m, v, prev, 0);
			prev = 0;
		}
		if (r->infeasible)
			r->dist += m_vdist(m, v, prev, jb->loc);
		t += m_vtime(m, v, prev, jb->loc);
		r->start[i] = t > jb->open ? t : jb->open;
		t = r->start[i] + jb->service;
		prev = jb->loc;
	}
	if (r->infeasible)
		r->dist += m_vdist(m, v, prev, 0);
	r->back = t + m_vtime(m, v, prev, 0);
}

int64_t trips_insert_delta(const struct model *m, int32_t v, const struct rt *r, int32_t job,
			   int32_t pos)
{
	const struct route_vehicle *veh = &m->pb->vehicles[v];
	const struct route_job *jb = &m->pb->jobs[job];
	struct seqv q = { r->jobs, r->n, pos, job, -1 };
	int64_t d;
	/* quick bounds: the day's load, one trip's load */
	if (r->load[0] + jb->demand[0] > veh->capacity[0] || r->load[1] + jb->demand[1] > veh->capacity[1] ||
	    jb->demand[0] > m->trip_cap[v][0] || jb->demand[1] > m->trip_cap[v][1] || !m_may_serve(m, v, job))
		return -1;
	d = split_dist(m, v, r, &q);
	if (d < 0)
		return -1;
	return d - (r->n ? r->dist : 0) + (r->n == 0 ? veh->fixed_cost : 0);
}

int64_t trips_remove_gain(const struct model *m, int32_t v, const struct rt *r, int32_t pos)
{
	struct seqv q = { r->jobs, r->n, -1, -1, pos };
	int64_t d;
	if (r->n == 1)
		return rt_cost(m, v, r);
	d = split_dist(m, v, r, &q);
	return d < 0 ? INT64_MIN / 4 : r->dist - d;
}

void trips_fill_route(const struct model *m, int32_t v, const struct rt *r, struct route_route *out)
{
	const struct route_vehicle *veh = &m->pb->vehicles[v];
	int32_t i, prev = 0, n_trips = 1, trip;
	int64_t t = veh->shift_start;

	for (i = 1; i < r->n; i++)
		n_trips += m_multi(m, v) && r->trip[i] != r->trip[i - 1];
	out->n_trips = n_trips;
	out->trip = xcalloc((size_t)r->n + 1, sizeof(*out->trip));
	out->trip_depart = xcalloc((size_t)n_trips, sizeof(*out->trip_depart));
	out->trip_back = xcalloc((size_t)n_trips, sizeof(*out->trip_back));
	out->trip_load = xcalloc((size_t)n_trips, sizeof(*out->trip_load));
	for (i = 0, trip = -1; i < r->n; i++) {
		const struct route_job *jb = &m->pb->jobs[r->jobs[i]];
		int64_t leg;
		if (i == 0 || (m_multi(m, v) && r->trip[i] != r->trip[i - 1])) {
			if (trip >= 0) {
				t += m_vtime(m, v, prev, 0);
				out->trip_back[trip] = (int32_t)t;
				t += veh->unload;
			}
			trip++;
			prev = 0;
			/* leave as late as the first stop allows, so nobody waits at its door */
			leg = m_vtime(m, v, 0, jb->loc);
			if (m->timed && r->start[i] - leg > t)
				t = r->start[i] - leg;
			out->trip_depart[trip] = (int32_t)t;
		}
		t += m_vtime(m, v, prev, jb->loc);
		out->jobs[i] = r->jobs[i];
		out->trip[i] = trip;
		out->arrival[i] = (int32_t)t;
		if (t < jb->open)
			t = jb->open;
		out->start[i] = (int32_t)t;
		t += jb->service;
		out->trip_load[trip][0] += jb->demand[0];
		out->trip_load[trip][1] += jb->demand[1];
		prev = jb->loc;
	}
	t += m_vtime(m, v, prev, 0);
	out->trip_back[n_trips - 1] = (int32_t)t;
	out->depart = out->trip_depart[0];
	out->back = (int32_t)t;
}
