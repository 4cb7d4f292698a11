/*
 * ruin_recreate: the SISR moves (Christiaens & Vanden Berghe 2020, "Slack
 * induction by string removals"): remove a few strings of consecutive
 * stops from routes near a random seed stop, then reinsert every job left
 * out at its cheapest feasible position, skipping positions at random
 * ("blinks") so that the reinsertion explores. Now and then a ruin
 * empties whole short routes instead of strings. On long routes with time
 * windows the reinsertion looks beside the nearest jobs first and opens a
 * vehicle before it scans whole routes (best_insertion). The first plan
 * (rr_construct) is one big reinsertion of every job.
 */
#include <stdlib.h>
#include <string.h>

#include "route/route_internal.h"
#include "util/xalloc.h"

#define AVG_REMOVED 10    /* c-bar: mean number of jobs removed */
/* With time windows and long routes, twice as many: windows chain a
 * route's stops, and on the long routes of wide-window instances (28-33
 * stops) ten removed stops rarely let a route reorganise (C2_4_4 at
 * 200,000 iterations, seeds 1 and 2: 3.20 / 3.22 % above the best known
 * with 10, 0.49 / 0.53 % with 20; mean over R1_2_5, RC2_2_3, C2_4_4,
 * R2_4_6 x 2 seeds 2.15 % -> 1.47 %, and 1.99 % with 10 at 400,000
 * iterations, the same CPU time). An iteration costs about twice as much,
 * so short routes (R1_2_5's 10 stops, where it measured neutral; the
 * county's 21, whose default budget is sized in iterations to about a
 * minute), CVRP and the untimed mixed fleets (worse at 100,000
 * iterations: 3.49 % -> 3.78 %) keep 10. */
#define LONG_ROUTE 25
#define AVG_REMOVED_TIMED 20
#define MAX_STRING 10     /* L-max: longest string removed */
#define WHOLE_ROUTES_ONE_IN 16 /* ruins that empty whole routes instead */
#define WHOLE_ROUTE_MAX 20  /* ... of at most this many stops */
#define INSERT_BESIDE 10     /* positions beside this many nearest jobs are tried first */
#define INSERT_NEIGHBOURS 40 /* then the routes of this many nearest jobs */

void rr_init(struct rr_scratch *w, const struct model *m)
{
	memset(w, 0, sizeof(*w));
	w->removed = xcalloc((size_t)m->n_jobs + 1, sizeof(*w->removed));
	w->touched = xcalloc((size_t)m->n_veh + 1, sizeof(*w->touched));
	w->route_touched = xcalloc((size_t)m->n_veh + 1, 1);
	w->sort = xcalloc((size_t)m->n_jobs + 1, sizeof(*w->sort));
	w->route_seen = xcalloc((size_t)m->n_veh + 1, sizeof(*w->route_seen));
	w->left_out = xcalloc((size_t)m->n_jobs + 1, 1);
	w->empty_from = xcalloc((size_t)m->n_classes + 1, sizeof(*w->empty_from));
}

void rr_release(struct rr_scratch *w)
{
	free(w->removed);
	free(w->touched);
	free(w->route_touched);
	free(w->sort);
	free(w->route_seen);
	free(w->left_out);
	free(w->empty_from);
	memset(w, 0, sizeof(*w));
}

void rr_touch(struct rr_scratch *w, int32_t ri)
{
	if (w->route_touched[ri])
		return;
	w->route_touched[ri] = 1;
	w->touched[w->n_touched++] = ri;
}

void rr_untouch_all(struct rr_scratch *w)
{
	int32_t i;
	for (i = 0; i < w->n_touched; i++)
		w->route_touched[w->touched[i]] = 0;
	w->n_touched = 0;
}

/* Remove `len` stops from route ri around the stop at pos, keeping a block
 * of `keep` stops in the middle (split string) when keep > 0. */
static void remove_string(struct sol *s, const struct model *m, struct rng *rng,
			  struct rr_scratch *w, int32_t ri, int32_t pos, int32_t len, int32_t keep)
{
	struct rt *r = &s->routes[ri];
	int32_t span = len + keep, lo, hi, first, kept_at, i, out = 0;

	lo = pos - span + 1 > 0 ? pos - span + 1 : 0;
	hi = pos < r->n - span ? pos : r->n - span;
	first = lo + (int32_t)rng_below(rng, (uint32_t)(hi - lo + 1));
	kept_at = keep ? first + 1 + (int32_t)rng_below(rng, (uint32_t)(len - 1 > 0 ? len - 1 : 1)) : -1;
	for (i = 0; i < r->n; i++) {
		int32_t job = r->jobs[i];
		int in_span = i >= first && i < first + span;
		int kept = keep && i >= kept_at && i < kept_at + keep;
		if (in_span && !kept) {
			w->removed[w->n_removed++] = job;
			s->route_of[job] = -1;
		} else {
			r->jobs[out++] = job;
		}
	}
	rt_set(m, ri, r, r->jobs, out);
	sol_index_route(s, ri);
	rr_touch(w, ri);
}

/* Move route ri to an empty vehicle of another class, chosen at random,
 * when it is feasible there: on a mixed fleet the recreate that follows a
 * whole-route ruin then fills a bigger (or cheaper) vehicle, a change of
 * fleet mix that one job at a time never reaches (each single insertion
 * into a new, bigger vehicle costs its whole fixed cost). */
static void change_vehicle(struct sol *s, const struct model *m, struct rng *rng,
			   struct rr_scratch *w, int32_t ri)
{
	int32_t c = (int32_t)rng_below(rng, (uint32_t)m->n_classes), k, e = -1;
	struct rt *from = &s->routes[ri], *to;
	if (c == m->veh_class[ri] || m->class_members[m->class_start[c]] == m->veh_class[ri])
		return;
	for (k = m->class_start[c]; k < m->class_start[c + 1] && e < 0; k++)
		if (s->routes[m->class_members[k]].n == 0)
			e = m->class_members[k];
	if (e < 0)
		return;
	to = &s->routes[e];
	rt_set(m, e, to, from->jobs, from->n);
	if (!rt_feasible(m, e, to)) {
		rt_set(m, e, to, NULL, 0);
		return;
	}
	rt_set(m, ri, from, NULL, 0);
	sol_index_route(s, e);
	rr_touch(w, ri);
	rr_touch(w, e);
}

/* Routes averaging LONG_ROUTE stops or more, with time windows: more
 * jobs removed a ruin, and the recreate's insertion beside the nearest
 * jobs first (best_insertion). */
static int long_timed_routes(const struct model *m, int32_t assigned, int32_t used)
{
	return m->timed && used > 0 && assigned / used >= LONG_ROUTE;
}

void rr_ruin(struct sol *s, const struct model *m, struct rng *rng, struct rr_scratch *w)
{
	int32_t used = 0, assigned = m->n_active - s->n_unassigned, i, card, max_len, max_strings;
	int32_t strings, seed, ruined = 0, whole, changed = 0, avg;

	w->n_removed = 0;
	/* the mean route length moves slowly: count the used routes now and then */
	if (w->used_age++ % 64 == 0) {
		for (i = 0; i < s->n_routes; i++)
			used += s->routes[i].n > 0;
		w->used_routes = used;
	}
	used = w->used_routes;
	if (!used)
		return;
	card = assigned / used;
	w->insert_beside = long_timed_routes(m, assigned, used);
	avg = w->insert_beside ? AVG_REMOVED_TIMED : AVG_REMOVED;
	max_len = card < MAX_STRING ? card : MAX_STRING;
	if (max_len < 1)
		max_len = 1;
	max_strings = 4 * avg / (1 + max_len) - 1;
	if (max_strings < 1)
		max_strings = 1;
	strings = 1 + (int32_t)rng_below(rng, (uint32_t)max_strings);
	seed = m->active[rng_below(rng, (uint32_t)m->n_active)];
	/* now and then empty whole short routes: strings no longer than the
	 * mean route can never free a vehicle whose route is longer */
	whole = rng_below(rng, WHOLE_ROUTES_ONE_IN) == 0;
	if (whole)
		strings = 1 + (int32_t)rng_below(rng, 2);

	for (i = -1; i < m->n_neigh && ruined < strings; i++) {
		int32_t job = i < 0 ? seed : m->neighbours[(int64_t)seed * m->n_neigh + i];
		int32_t ri = s->route_of[job], len, limit, keep = 0;
		if (ri < 0 || w->route_touched[ri])
			continue;
		if (whole) {
			/* on a mixed fleet, half the time the first route met changes
			 * vehicle instead, and the others' stops may fill it */
			if (m->n_classes > 1 && !changed) {
				changed = 1;
				if (rng_below(rng, 2)) {
					change_vehicle(s, m, rng, w, ri);
					continue;
				}
			}
			if (s->routes[ri].n > WHOLE_ROUTE_MAX)
				continue;
			remove_string(s, m, rng, w, ri, s->pos_of[job], s->routes[ri].n, 0);
			ruined++;
			continue;
		}
		limit = s->routes[ri].n < max_len ? s->routes[ri].n : max_len;
		len = 1 + (int32_t)rng_below(rng, (uint32_t)limit);
		if (rng_below(rng, 2) && s->routes[ri].n > len + 1) {
			/* split string: keep a block of stops in the middle */
			keep = 1;
			while (keep < s->routes[ri].n - len && rng_below(rng, 2))
				keep++;
		}
		remove_string(s, m, rng, w, ri, s->pos_of[job], len, keep);
		ruined++;
	}
}

/* Demand as the sum of its shares of the biggest vehicle (10^6 = full). */
static int64_t job_demand_key(const struct model *m, int32_t job)
{
	const struct route_job *jb = &m->pb->jobs[job];
	return route_share(jb->demand[0], m->max_cap[0]) / 1000 +
	       route_share(jb->demand[1], m->max_cap[1]) / 1000;
}

static int by_key_desc(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->job < y->job ? -1 : x->job > y->job;
}

/* Order the jobs to reinsert as SISR does: random 4, largest demand 4,
 * farthest from the hub 2, closest 1 (out of 11); with time windows also
 * narrowest window, earliest opening and latest closing first, 1 each (as
 * the open SISR implementation for VRPTW of Pajersky, Sobotka and Rudova
 * does). Ties go by job index, so the order never depends on the C
 * library's qsort. */
static void order_jobs(const struct model *m, struct rng *rng, struct rr_scratch *w,
		       int32_t *jobs, int32_t n)
{
	uint32_t pick = rng_below(rng, m->timed ? 14 : 11);
	int32_t i;
	if (pick < 4) {
		for (i = n - 1; i > 0; i--) {
			int32_t k = (int32_t)rng_below(rng, (uint32_t)i + 1), t = jobs[i];
			jobs[i] = jobs[k];
			jobs[k] = t;
		}
		return;
	}
	for (i = 0; i < n; i++) {
		const struct route_job *jb = &m->pb->jobs[jobs[i]];
		int32_t loc = jb->loc;
		w->sort[i].job = jobs[i];
		if (pick < 8)
			w->sort[i].key = job_demand_key(m, jobs[i]);
		else if (pick < 10)
			w->sort[i].key = m_dist(m, 0, loc);
		else if (pick < 11)
			w->sort[i].key = -(int64_t)m_dist(m, 0, loc);
		else if (pick < 12)
			w->sort[i].key = -((int64_t)jb->close - jb->open);
		else if (pick < 13)
			w->sort[i].key = -(int64_t)jb->open;
		else
			w->sort[i].key = jb->close;
	}
	qsort(w->sort, (size_t)n, sizeof(*w->sort), by_key_desc);
	for (i = 0; i < n; i++)
		jobs[i] = w->sort[i].job;
}

/* Route ri has room for job and the skills it needs. */
static int route_can_take(const struct sol *s, const struct model *m, int32_t ri, int32_t job)
{
	const struct rt *r = &s->routes[ri];
	const struct route_job *jb = &m->pb->jobs[job];
	const struct route_vehicle *veh = &m->pb->vehicles[ri];
	return r->load[0] + jb->demand[0] <= veh->capacity[0] && r->load[1] + jb->demand[1] <= veh->capacity[1] &&
	       m_may_serve(m, ri, job);
}

/* The full check of job before position pos of route ri, whose distance
 * delta d (a lower bound of the insertion cost on a single-trip vehicle)
 * is below *best: kept in *best when feasible and cheaper. A blink skips
 * a position that could have won (blinking the others would change
 * nothing, at the price of a random draw). */
static void check_position(const struct sol *s, const struct model *m, struct rng *rng, int32_t job,
			   int blink_per_mille, int32_t ri, int32_t pos, int64_t d, int64_t *best,
			   int32_t *best_route, int32_t *best_pos)
{
	const struct rt *r = &s->routes[ri];
	if (blink_per_mille && (int)rng_below(rng, 1000) < blink_per_mille)
		return;
	d = m_multi(m, ri) ? rt_insert_delta(m, ri, r, job, pos) : rt_insert_delta_known(m, ri, r, job, pos, d);
	/* a position that costs less than nothing (a stop on the straight
	 * line between two others, where rounding breaks the triangle
	 * inequality) is taken, but ranked as free: preferring it to the
	 * free ones measured worse (X n <= 400 at 400,000 iterations, seeds
	 * 5-10: 0.740 % above the best known against 0.672 % when such
	 * positions were never taken, and 0.678 % ranked as free) */
	if (d < 0)
		d = 0;
	if (d != RT_NO_INSERTION && d < *best) {
		*best = d;
		*best_route = ri;
		*best_pos = pos;
	}
}

/* Job before position pos of route ri, between locations prev and next.
 * The distance delta is a lower bound of the insertion cost (not on a
 * multi-trip vehicle, whose trips may split anew), so a position it
 * cannot win is never checked in full. */
static void try_position(const struct sol *s, const struct model *m, struct rng *rng, int32_t job,
			 int blink_per_mille, int32_t ri, int32_t pos, int32_t prev, int32_t next,
			 int64_t *best, int32_t *best_route, int32_t *best_pos)
{
	const struct rt *r = &s->routes[ri];
	int64_t d = 0;
	if (!m_multi(m, ri)) {
		/* prev -> job from the job's row of the matrix by destination,
		 * prev -> next from the route: one row read, not three */
		int64_t n = m->n, loc = m->pb->jobs[job].loc;
		const int32_t *into = m->vdist_into[ri];
		ROUTE_CHECK(!r->n || r->edge[pos] == m_vdist(m, ri, prev, next));
		d = (int64_t)(into ? into[loc * n + prev] : m_vdist(m, ri, prev, loc)) +
		    m->vdist[ri][loc * n + next] - (r->n ? r->edge[pos] : m_vdist(m, ri, prev, next));
		if (d >= *best)
			return;
	}
	check_position(s, m, rng, job, blink_per_mille, ri, pos, d, best, best_route, best_pos);
}

/* Positions from..to-1 of the non-empty single-trip route ri, in order, as
 * try_position would take them one by one. The bounds of a batch are
 * computed first, with no branch between their matrix reads: the reads
 * of the job's rows miss the cache (the county's matrix is 4 MiB), and
 * issued together they wait for memory once rather than once each. */
#define SCAN_BATCH 32
static void scan_positions(const struct sol *s, const struct model *m, struct rng *rng, int32_t job,
			   int blink_per_mille, int32_t ri, int32_t from, int32_t to, int64_t *best,
			   int32_t *best_route, int32_t *best_pos)
{
	const struct rt *r = &s->routes[ri];
	int64_t n = m->n, loc = m->pb->jobs[job].loc;
	const int32_t *from_row = m->vdist_into[ri] + loc * n, *to_row = m->vdist[ri] + loc * n;
	int64_t bound[SCAN_BATCH];
	int32_t pos, end, k;

	while (from < to) {
		end = to - from > SCAN_BATCH ? from + SCAN_BATCH : to;
		for (pos = from; pos < end; pos++) {
			int32_t prev = pos ? r->stop[pos - 1].loc : 0, next = pos < r->n ? r->stop[pos].loc : 0;
			ROUTE_CHECK(r->edge[pos] == m_vdist(m, ri, prev, next) &&
				    (pos == r->n || (r->stop[pos].loc == m->pb->jobs[r->jobs[pos]].loc &&
						     r->stop[pos].service == m->pb->jobs[r->jobs[pos]].service)));
			bound[pos - from] = (int64_t)from_row[prev] + to_row[next] - r->edge[pos];
		}
		for (k = 0; k < end - from; k++)
			if (bound[k] < *best)
				check_position(s, m, rng, job, blink_per_mille, ri, from + k, bound[k], best,
					       best_route, best_pos);
		from = end;
	}
}

/* Try every position of route ri for job; keeps the cheapest in *best.
 * Two shortcuts keep the O(1) check (rt_insert_delta, two thirds of the
 * time on 400-stop VRPTW) off most positions without changing the result,
 * besides try_position's distance bound: the scan starts at the first
 * stop whose latest start leaves room for the job before it (bisection),
 * and once the courier leaves a stop after the job's window closes, every
 * later position is too late as well (service starts never decrease along
 * a route), so the scan stops there. Single-trip vehicles only. */
static void try_route(const struct sol *s, const struct model *m, struct rng *rng, int32_t job,
		      int blink_per_mille, int32_t ri, int64_t *best, int32_t *best_route,
		      int32_t *best_pos)
{
	const struct rt *r = &s->routes[ri];
	const struct route_job *jb = &m->pb->jobs[job];
	/* a multi-trip day may re-split its trips on insertion (trips.c):
	 * the current split's service starts are not the earliest possible */
	const int multi = m_multi(m, ri);
	int32_t pos, prev = 0, next, end;
	if (!route_can_take(s, m, ri, job))
		return;
	pos = 0;
	if (m->timed && !multi && r->n > 0) {
		/* latest starts never decrease along a route: before the first
		 * stop whose latest start is earlier than the job can be done,
		 * the job fits nowhere (binary search) */
		int64_t done = (int64_t)jb->open + jb->service;
		int32_t lo = 0, hi = r->n;
		while (lo < hi) {
			int32_t mid = (lo + hi) / 2;
			if (r->latest[mid] < done)
				lo = mid + 1;
			else
				hi = mid;
		}
		pos = lo;
		prev = pos ? r->stop[pos - 1].loc : 0;
	}
	/* the first position after the courier leaves a stop past the job's
	 * close; without windows (or on a multi-trip day) every position */
	end = r->n + 1;
	if (m->timed && !multi)
		for (end = pos; end <= r->n && !(end > 0 && r->start[end - 1] + r->stop[end - 1].service > jb->close);
		     end++)
			;
	if (!multi && r->n > 0 && m->vdist_into[ri]) {
		scan_positions(s, m, rng, job, blink_per_mille, ri, pos, end, best, best_route, best_pos);
		return;
	}
	for (; pos < end; pos++, prev = next) {
		next = pos == r->n ? 0 : r->stop[pos].loc;
		ROUTE_CHECK(pos == r->n || (r->stop[pos].loc == m->pb->jobs[r->jobs[pos]].loc &&
					    r->stop[pos].service == m->pb->jobs[r->jobs[pos]].service));
		try_position(s, m, rng, job, blink_per_mille, ri, pos, prev, next, best, best_route, best_pos);
	}
}

/* The two positions beside the stop at `at` of route ri (just before it,
 * just after it). */
static void try_beside(const struct sol *s, const struct model *m, struct rng *rng, int32_t job,
		       int blink_per_mille, int32_t ri, int32_t at, int64_t *best, int32_t *best_route,
		       int32_t *best_pos)
{
	const struct rt *r = &s->routes[ri];
	int32_t prev = at ? r->stop[at - 1].loc : 0, here = r->stop[at].loc;
	int32_t next = at + 1 == r->n ? 0 : r->stop[at + 1].loc;
	if (!route_can_take(s, m, ri, job))
		return;
	try_position(s, m, rng, job, blink_per_mille, ri, at, prev, here, best, best_route, best_pos);
	try_position(s, m, rng, job, blink_per_mille, ri, at + 1, here, next, best, best_route, best_pos);
}

/* One empty vehicle of each class: its first empty member. A recreate
 * only fills routes, so a member found in use stays in use until it ends
 * (rr_recreate starts w->empty_from at each class's first member). */
static void try_empty_vehicles(const struct sol *s, const struct model *m, struct rng *rng,
			       struct rr_scratch *w, int32_t job, int blink_per_mille, int64_t *best,
			       int32_t *best_route, int32_t *best_pos)
{
	int32_t c, k;
	for (c = 0; c < m->n_classes; c++) {
		for (k = w->empty_from[c]; k < m->class_start[c + 1]; k++)
			if (s->routes[m->class_members[k]].n == 0)
				break;
		w->empty_from[c] = k;
		if (k < m->class_start[c + 1])
			try_route(s, m, rng, job, blink_per_mille, m->class_members[k], best, best_route,
				  best_pos);
	}
}

/* Cheapest feasible insertion of job, *best_route = -1 when none. Looks at
 * every position of the routes of the job's INSERT_NEIGHBOURS nearest
 * jobs and at one empty vehicle of each class; only when none of them can
 * take the job and scan_all is set, at every other route.
 *
 * With w->insert_beside (time windows: the construction, and the search
 * while routes average LONG_ROUTE stops or more) it looks first only
 * beside the job's INSERT_BESIDE nearest jobs, and when none of those
 * positions can take it, opens an empty vehicle before it scans whole
 * routes. A 30-stop route costs fifteen times the checks of two positions,
 * and the plans are as good per iteration. The other half matters more:
 * the search closes routes freely but seldom opens one (a whole round
 * trip at once), so the plan keeps the route count it reaches early.
 * Opening a vehicle for a job with no room beside its neighbours gives
 * the construction more routes than the cheapest insertions would, and
 * the search chooses among them (R2_4_6, best known with 13 routes,
 * settled at 10-12 and 2.1 % above it; now 12-13 and 0.9 %; numbers in
 * docs/route.md). */
static int64_t best_insertion(const struct sol *s, const struct model *m, struct rng *rng,
			      struct rr_scratch *w, int32_t job, int blink_per_mille, int scan_all,
			      int64_t bound, int32_t *best_route, int32_t *best_pos)
{
	const int32_t *near = m->neighbours + (int64_t)job * m->n_neigh;
	int64_t best = bound;
	int32_t k, ri, n_near = m->n_neigh < INSERT_NEIGHBOURS ? m->n_neigh : INSERT_NEIGHBOURS;
	int32_t n_beside = m->n_neigh < INSERT_BESIDE ? m->n_neigh : INSERT_BESIDE;
	int32_t routes[INSERT_NEIGHBOURS], n_routes = 0;
	uint32_t stamp;

	stamp = ++w->stamp;
	*best_route = -1;
	*best_pos = 0;
	if (w->insert_beside) {
		for (k = 0; k < n_beside; k++) {
			ri = s->route_of[near[k]];
			if (ri >= 0)
				try_beside(s, m, rng, job, blink_per_mille, ri, s->pos_of[near[k]], &best,
					   best_route, best_pos);
		}
		if (*best_route < 0)
			try_empty_vehicles(s, m, rng, w, job, blink_per_mille, &best, best_route, best_pos);
		if (*best_route >= 0)
			return best;
	}
	/* the neighbours' distinct routes, in order, without a branch per
	 * neighbour (left-out neighbours mark the spare slot m->n_veh) */
	for (k = 0; k < n_near; k++) {
		int32_t slot;
		ri = s->route_of[near[k]];
		slot = ri < 0 ? m->n_veh : ri;
		routes[n_routes] = ri;
		n_routes += ri >= 0 && w->route_seen[slot] != stamp;
		w->route_seen[slot] = stamp;
	}
	for (k = 0; k < n_routes; k++)
		try_route(s, m, rng, job, blink_per_mille, routes[k], &best, best_route, best_pos);
	try_empty_vehicles(s, m, rng, w, job, blink_per_mille, &best, best_route, best_pos);
	if (*best_route >= 0 || !scan_all)
		return best;
	for (ri = 0; ri < s->n_routes; ri++)
		if (s->routes[ri].n && w->route_seen[ri] != w->stamp)
			try_route(s, m, rng, job, blink_per_mille, ri, &best, best_route, best_pos);
	return best;
}

int rr_recreate(struct sol *s, const struct model *m, struct rng *rng, struct rr_scratch *w,
		int blink_per_mille, int64_t limit)
{
	/* under a limit, a position that would take the plan past it is as
	 * good as none, and so is a scan of the far routes */
	const int bounded = limit != INT64_MAX;
	int64_t sum = s->cost;
	int32_t i, n;

	/* everything left out so far gets another chance, near its neighbours
	 * (a scan of every route for each of them would make an iteration
	 * cost O(unassigned * stops) on an overfull county) */
	memcpy(w->removed + w->n_removed, s->unassigned, sizeof(*s->unassigned) * (size_t)s->n_unassigned);
	for (i = 0; i < s->n_unassigned; i++)
		w->left_out[s->unassigned[i]] = 1;
	n = w->n_removed + s->n_unassigned;
	s->n_unassigned = 0;
	memcpy(w->empty_from, m->class_start, sizeof(*w->empty_from) * (size_t)m->n_classes);
	order_jobs(m, rng, w, w->removed, n);
	for (i = 0; i < n; i++) {
		int32_t job = w->removed[i], ri, pos;
		int64_t d = best_insertion(s, m, rng, w, job, blink_per_mille,
					   !w->left_out[job] && !bounded,
					   bounded ? limit - sum + 1 : INT64_MAX, &ri, &pos);
		w->left_out[job] = 0;
		sum += ri < 0 ? m->penalty : d;
		if (sum > limit) {
			for (i++; i < n; i++)
				w->left_out[w->removed[i]] = 0;
			w->n_removed = 0;
			return 0;
		}
		if (ri < 0) {
			s->unassigned[s->n_unassigned++] = job;
			s->route_of[job] = -1;
			continue;
		}
		rt_insert(m, ri, &s->routes[ri], job, pos);
		sol_index_route(s, ri);
		rr_touch(w, ri);
	}
	w->n_removed = 0;
	return 1;
}

/* Every job of s (empty on entry) inserted as one big recreate. */
static void build(struct sol *s, const struct model *m, struct rng *rng, struct rr_scratch *w, int beside)
{
	int32_t i;
	for (i = 0; i < m->n_active; i++)
		w->removed[i] = m->active[i];
	w->n_removed = m->n_active;
	w->insert_beside = beside;
	rr_recreate(s, m, rng, w, 0, INT64_MAX);
	rr_untouch_all(w);
}

void rr_construct(struct sol *s, const struct model *m, struct rng *rng, struct rr_scratch *w)
{
	int32_t i, used = 0;
	build(s, m, rng, w, 0);
	for (i = 0; i < s->n_routes; i++)
		used += s->routes[i].n > 0;
	if (!long_timed_routes(m, m->n_active - s->n_unassigned, used))
		return;
	/* long routes with windows: again, a vehicle opened for each job that
	 * has no room beside its nearest jobs (see best_insertion) */
	sol_release(s);
	sol_init(s, m);
	build(s, m, rng, w, 1);
}
