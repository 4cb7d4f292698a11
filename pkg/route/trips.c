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
 * for distance when windows and the shift do not bind. The programme runs
 * once per change of the route (O(n * trips * jobs per trip)).
 *
 * Pricing an insertion stays O(1) per position, like a single-trip
 * route's: the route keeps its split's loads and earliest and latest
 * starts (returns to the hub included), and an insertion may join the
 * trip of its neighbours, end the trip before a return or start the one
 * after it, bring a new return just before or after it, or be a trip of
 * its own (best_option). rt_insert then keeps that split, or the
 * programme's when it is shorter, so a route never costs more than its
 * insertion was priced at; the removal gain is the programme's exactly.
 * Together: a local search move that looks better is better (no cycling).
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

/* Distance of the day on vehicle v with r's jobs split as `trip` says
 * (trip[i]: 0, 1, ... in order, each trip non-empty), -1 when infeasible. */
static int64_t split_cost(const struct model *m, int32_t v, const struct rt *r, const int32_t *trip)
{
	const struct route_vehicle *veh = &m->pb->vehicles[v];
	const int64_t *cap = m->trip_cap[v];
	int64_t t = veh->shift_start, dist = 0, load0 = 0, load1 = 0;
	int32_t i, prev = 0;
	for (i = 0; i < r->n; i++) {
		const struct route_job *jb = &m->pb->jobs[r->jobs[i]];
		if (trip[i] != (i == 0 ? 0 : trip[i - 1]) && (i == 0 || trip[i] != trip[i - 1] + 1))
			return -1;
		if (i > 0 && trip[i] != trip[i - 1]) {
			dist += m_vdist(m, v, prev, 0);
			t += m_vtime(m, v, prev, 0) + veh->unload;
			prev = 0;
			load0 = load1 = 0;
		}
		load0 += jb->demand[0];
		load1 += jb->demand[1];
		if (load0 > cap[0] || load1 > cap[1] || !m_may_serve(m, v, r->jobs[i]))
			return -1;
		dist += m_vdist(m, v, prev, jb->loc);
		t += m_vtime(m, v, prev, jb->loc);
		if (t < jb->open)
			t = jb->open;
		if (m->timed && t > jb->close)
			return -1;
		t += jb->service;
		prev = jb->loc;
	}
	dist += m_vdist(m, v, prev, 0);
	t += m_vtime(m, v, prev, 0);
	if ((m->timed && t > veh->shift_end) || (r->n && trip[r->n - 1] >= m->trips[v]) ||
	    (veh->max_distance != ROUTE_NO_LIMIT && dist > veh->max_distance))
		return -1;
	return dist;
}

/* The schedule of r's split: earliest starts (waiting at the door), the
 * latest starts that keep the rest of the day feasible, loads. */
static void schedule(const struct model *m, int32_t v, struct rt *r)
{
	const struct route_vehicle *veh = &m->pb->vehicles[v];
	int64_t t = veh->shift_start;
	int32_t i, prev = 0, t_ix;
	memset(r->tload, 0, ROUTE_MAX_TRIPS * sizeof(*r->tload));
	for (i = 0; i < r->n; i++) {
		const struct route_job *jb = &m->pb->jobs[r->jobs[i]];
		int boundary = i > 0 && r->trip[i] != r->trip[i - 1];
		if (boundary) {
			t += m_vtime(m, v, prev, 0) + veh->unload;
			prev = 0;
		}
		t += m_vtime(m, v, prev, jb->loc);
		r->start[i] = t > jb->open ? t : jb->open;
		t = r->start[i] + jb->service;
		t_ix = r->trip[i] < ROUTE_MAX_TRIPS ? r->trip[i] : ROUTE_MAX_TRIPS - 1;
		r->tload[t_ix][0] += jb->demand[0];
		r->tload[t_ix][1] += jb->demand[1];
		r->pload[i][0] = r->tload[t_ix][0];
		r->pload[i][1] = r->tload[t_ix][1];
		prev = jb->loc;
	}
	r->back = t + m_vtime(m, v, prev, 0);
	r->n_trips = r->n ? r->trip[r->n - 1] + 1 : 0;
	for (i = r->n - 1; i >= 0; i--) {
		const struct route_job *jb = &m->pb->jobs[r->jobs[i]];
		int32_t here = jb->loc, next = i + 1 < r->n ? m->pb->jobs[r->jobs[i + 1]].loc : 0;
		int64_t lim;
		if (!m->timed) {
			r->latest[i] = NO_TIME_LIMIT;
			continue;
		}
		if (i == r->n - 1)
			lim = veh->shift_end - m_vtime(m, v, here, 0);
		else if (r->trip[i] == r->trip[i + 1])
			lim = r->latest[i + 1] - m_vtime(m, v, here, next);
		else /* back to the hub, unload, out to the next trip's first stop */
			lim = r->latest[i + 1] - m_vtime(m, v, 0, next) - veh->unload - m_vtime(m, v, here, 0);
		lim -= jb->service;
		r->latest[i] = lim < jb->close ? lim : jb->close;
	}
}

void trips_refresh(const struct model *m, int32_t v, struct rt *r, const int32_t *hint)
{
	size_t need = dp_labels(r->n + 1, m->trips[v]) * sizeof(struct lab);
	struct seqv q = { r->jobs, r->n, -1, -1, -1 };
	struct lab *L;
	int32_t best, i, x;
	int64_t hint_cost;

	if (r->dp_cap < need) {
		free(r->dp);
		r->dp = xmalloc(need);
		r->dp_cap = need;
	}
	if (r->pload_alloc < r->alloc) {
		free(r->pload);
		r->pload = xcalloc((size_t)r->alloc, sizeof(*r->pload));
		r->pload_alloc = r->alloc;
	}
	if (!r->tload)
		r->tload = xcalloc(ROUTE_MAX_TRIPS, sizeof(*r->tload));
	L = r->dp;
	r->load[0] = r->load[1] = 0;
	for (i = 0; i < r->n; i++) {
		r->load[0] += m->pb->jobs[r->jobs[i]].demand[0];
		r->load[1] += m->pb->jobs[r->jobs[i]].demand[1];
		r->trip[i] = 0;
	}
	r->infeasible = 0;
	r->dist = 0;
	best = r->n ? dp_split(m, v, &q, L) : -1;
	if (best >= 0) {
		/* walk back: each label ends a trip at its state's position */
		int32_t S = m->trips[v] + 1, trip = (best / 2) % S - 1, end_pos = r->n, start_pos;
		r->dist = L[best].dist;
		for (x = best; L[x].from >= 0; x = L[x].from, trip--) {
			start_pos = (L[x].from / 2) / S;
			for (i = start_pos; i < end_pos; i++)
				r->trip[i] = trip;
			end_pos = start_pos;
		}
	}
	/* the split the caller priced (an insertion's), when the programme's
	 * two labels per state missed it or something as good */
	hint_cost = hint ? split_cost(m, v, r, hint) : -1;
	if (hint_cost >= 0 && (best < 0 || hint_cost < r->dist)) {
		memcpy(r->trip, hint, sizeof(*hint) * (size_t)r->n);
		r->dist = hint_cost;
		best = 0;
	}
	if (r->n && best < 0) {
		/* no feasible split: one trip, costed, for a route the caller
		 * will see as infeasible (rt_feasible) */
		int32_t prev = 0;
		r->infeasible = 1;
		for (i = 0; i < r->n; i++) {
			r->dist += m_vdist(m, v, prev, m->pb->jobs[r->jobs[i]].loc);
			prev = m->pb->jobs[r->jobs[i]].loc;
		}
		r->dist += m_vdist(m, v, prev, 0);
	}
	schedule(m, v, r);
}

/* Where an insertion goes in the route's split: into the trip of its
 * neighbours, at the end of the trip before a return or the start of the
 * one after it, or with a new return to the hub just before or after it,
 * or as a trip of its own. */
enum ins_kind { INS_NONE, INS_SAME, INS_END_PREV, INS_START_NEXT, INS_RETURN_AFTER,
		INS_RETURN_BEFORE, INS_OWN };

struct ins {
	int64_t delta;
	enum ins_kind kind;
};

static void consider(struct ins *best, int64_t delta, enum ins_kind kind)
{
	if (best->kind == INS_NONE || delta < best->delta) {
		best->delta = delta;
		best->kind = kind;
	}
}

/* Leaving a job entered at time `arrive`, or -1 when its window is missed. */
static int64_t visit(const struct model *m, const struct route_job *jb, int64_t arrive)
{
	if (arrive < jb->open)
		arrive = jb->open;
	return m->timed && arrive > jb->close ? -1 : arrive + jb->service;
}

/* The cheapest feasible way to put job before position pos, keeping the
 * rest of the route's split: O(1), from the route's loads and its earliest
 * and latest starts. */
static struct ins best_option(const struct model *m, int32_t v, const struct rt *r, int32_t job,
			      int32_t pos)
{
	const struct route_vehicle *veh = &m->pb->vehicles[v];
	const struct route_job *jb = &m->pb->jobs[job];
	const int64_t *cap = m->trip_cap[v], *dem = jb->demand;
	const int timed = m->timed;
	int32_t n = r->n, j = jb->loc;
	int32_t p = pos > 0 ? m->pb->jobs[r->jobs[pos - 1]].loc : 0;
	int32_t q = pos < n ? m->pb->jobs[r->jobs[pos]].loc : 0;
	int boundary = pos == 0 || pos == n || r->trip[pos - 1] != r->trip[pos];
	int can_new = r->n_trips < m->trips[v];
	int64_t leave_p = pos > 0 ? r->start[pos - 1] + m->pb->jobs[r->jobs[pos - 1]].service : veh->shift_start;
	int64_t limit_q = pos < n ? r->latest[pos] : veh->shift_end, lj, back;
	struct ins best = { 0, INS_NONE };

#define FITS(l) ((l)[0] + dem[0] <= cap[0] && (l)[1] + dem[1] <= cap[1])
#define D(a, b) ((int64_t)m_vdist(m, v, (a), (b)))
#define T(a, b) ((int64_t)m_vtime(m, v, (a), (b)))
	if (!boundary) {
		const int64_t *tl = r->tload[r->trip[pos]], *pre = r->pload[pos - 1];
		int64_t suf[2] = { tl[0] - pre[0], tl[1] - pre[1] };
		lj = visit(m, jb, leave_p + T(p, j));
		if (FITS(tl) && lj >= 0 && (!timed || lj + T(j, q) <= limit_q))
			consider(&best, D(p, j) + D(j, q) - D(p, q), INS_SAME);
		if (can_new && FITS(pre) && lj >= 0 && (!timed || lj + T(j, 0) + veh->unload + T(0, q) <= limit_q))
			consider(&best, D(p, j) + D(j, 0) + D(0, q) - D(p, q), INS_RETURN_AFTER);
		lj = visit(m, jb, leave_p + T(p, 0) + veh->unload + T(0, j));
		if (can_new && FITS(suf) && lj >= 0 && (!timed || lj + T(j, q) <= limit_q))
			consider(&best, D(p, 0) + D(0, j) + D(j, q) - D(p, q), INS_RETURN_BEFORE);
	} else {
		/* ready at the hub for the trip after pos; after j's own trip,
		 * the next trip must still leave in time (or the day end) */
		int64_t ready = pos > 0 ? leave_p + T(p, 0) + veh->unload : veh->shift_start;
		int64_t after = pos < n ? limit_q - T(0, q) - veh->unload : veh->shift_end;
		if (pos > 0 && FITS(r->tload[r->trip[pos - 1]])) {
			lj = visit(m, jb, leave_p + T(p, j));
			back = lj + T(j, 0);
			if (lj >= 0 && (!timed || back <= after))
				consider(&best, D(p, j) + D(j, 0) - D(p, 0), INS_END_PREV);
		}
		lj = visit(m, jb, ready + T(0, j));
		if (pos < n && FITS(r->tload[r->trip[pos]]) && lj >= 0 && (!timed || lj + T(j, q) <= limit_q))
			consider(&best, D(0, j) + D(j, q) - D(0, q), INS_START_NEXT);
		if (can_new && lj >= 0 && (!timed || lj + T(j, 0) <= after))
			consider(&best, D(0, j) + D(j, 0), INS_OWN);
	}
#undef FITS
#undef D
#undef T
	if (best.kind != INS_NONE && veh->max_distance != ROUTE_NO_LIMIT &&
	    r->dist + best.delta > veh->max_distance)
		best.kind = INS_NONE;
	return best;
}

int64_t trips_insert_delta(const struct model *m, int32_t v, const struct rt *r, int32_t job,
			   int32_t pos)
{
	const struct route_vehicle *veh = &m->pb->vehicles[v];
	const struct route_job *jb = &m->pb->jobs[job];
	struct ins in;
	/* quick bounds: the day's load, one trip's load */
	if (r->infeasible || r->load[0] + jb->demand[0] > veh->capacity[0] ||
	    r->load[1] + jb->demand[1] > veh->capacity[1] || jb->demand[0] > m->trip_cap[v][0] ||
	    jb->demand[1] > m->trip_cap[v][1] || !m_may_serve(m, v, job))
		return RT_NO_INSERTION;
	in = best_option(m, v, r, job, pos);
	if (in.kind == INS_NONE)
		return RT_NO_INSERTION;
	return in.delta + (r->n == 0 ? veh->fixed_cost : 0);
}

int32_t *trips_insert_hint(const struct model *m, int32_t v, const struct rt *r, int32_t job,
			   int32_t pos)
{
	struct ins in;
	int32_t *hint, i, mine, shift;
	if (trips_insert_delta(m, v, r, job, pos) == RT_NO_INSERTION)
		return NULL;
	in = best_option(m, v, r, job, pos);
	hint = xcalloc((size_t)r->n + 2, sizeof(*hint));
	switch (in.kind) {
	case INS_SAME:
	case INS_START_NEXT:
		mine = r->trip[pos];
		shift = 0;
		break;
	case INS_END_PREV:
		mine = r->trip[pos - 1];
		shift = 0;
		break;
	case INS_RETURN_AFTER:
		mine = r->trip[pos];
		shift = 1;
		break;
	case INS_RETURN_BEFORE:
		mine = r->trip[pos] + 1;
		shift = 1;
		break;
	default: /* INS_OWN */
		mine = pos > 0 ? r->trip[pos - 1] + 1 : 0;
		shift = 1;
		break;
	}
	for (i = 0; i < pos; i++)
		hint[i] = r->trip[i];
	hint[pos] = mine;
	for (i = pos; i < r->n; i++)
		hint[i + 1] = r->trip[i] + shift;
	return hint;
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
