/*
 * local_search: descent with inter-route moves on granular neighbourhoods
 * (Toth and Vigo's granular tabu idea, as HGS and PyVRP use it): for each
 * job u and each of its LS_NEIGHBOURS nearest jobs v in another route,
 * - relocate u next to v (before or after it),
 * - swap u and v,
 * - 2-opt*: u's route up to u then v's route from v on, and v's route
 *   before v then u's route after u (tails exchanged),
 * - in the plan's last descent only (LS_FINAL), SWAP* (Vidal 2022): u
 *   and v exchanged, each at its cheapest feasible position in the
 *   other's route rather than in the other's place;
 * and for v in u's own route, u moved right after v.
 * Relocate is checked in O(1) with the routes' forward / backward time
 * slack (rt_insert_delta); swap and 2-opt* are first estimated on profile
 * 0's distances and, when promising, built and checked in full, so time
 * windows, shifts, ranges, skills and each vehicle's own profile and
 * fixed cost always hold. First improvement, jobs in index order, until a
 * pass improves nothing: deterministic. Changed routes are reported with
 * rr_touch so that the annealing's undo log stays right.
 */
#include <stdlib.h>
#include <string.h>

#include "route/route_internal.h"
#include "util/xalloc.h"

#define LS_NEIGHBOURS 20
#define LS_MAX_PASSES 50

struct ls {
	struct sol *s;
	const struct model *m;
	struct rr_scratch *w;
	struct rt ta, tb;
	int32_t *buf_a, *buf_b;
	int swap_star;
};

static int32_t loc_at(const struct ls *l, const struct rt *r, int32_t pos)
{
	return pos < 0 || pos >= r->n ? 0 : l->m->pb->jobs[r->jobs[pos]].loc;
}

static void commit(struct ls *l, int32_t ri, const struct rt *t)
{
	rt_set(l->m, ri, &l->s->routes[ri], t->jobs, t->n);
	sol_index_route(l->s, ri);
	rr_touch(l->w, ri);
}

/* Replace routes a and b by a_jobs and b_jobs when feasible and cheaper. */
static int try_pair(struct ls *l, int32_t a, const int32_t *a_jobs, int32_t na,
		    int32_t b, const int32_t *b_jobs, int32_t nb)
{
	const struct model *m = l->m;
	int64_t before = rt_cost(m, a, &l->s->routes[a]) + rt_cost(m, b, &l->s->routes[b]);
	rt_set(m, a, &l->ta, a_jobs, na);
	if (!rt_feasible(m, a, &l->ta) || rt_cost(m, a, &l->ta) >= before)
		return 0;
	rt_set(m, b, &l->tb, b_jobs, nb);
	if (!rt_feasible(m, b, &l->tb) || rt_cost(m, a, &l->ta) + rt_cost(m, b, &l->tb) >= before)
		return 0;
	l->s->cost += rt_cost(m, a, &l->ta) + rt_cost(m, b, &l->tb) - before;
	commit(l, a, &l->ta);
	commit(l, b, &l->tb);
	return 1;
}

/* Relocate u before position pos of route rv. */
static int relocate(struct ls *l, int32_t u, int32_t rv, int32_t pos)
{
	const struct model *m = l->m;
	struct sol *s = l->s;
	int32_t ru = s->route_of[u], pu = s->pos_of[u];
	struct rt *from = &s->routes[ru];
	/* exact, also on a multi-trip vehicle (so that a move that looks better is) */
	int64_t gain = rt_remove_gain(m, ru, from, pu);
	int64_t ins;
	ins = rt_insert_delta(m, rv, &s->routes[rv], u, pos);
	if (ins == RT_NO_INSERTION || ins >= gain)
		return 0;
	/* removing a stop keeps a route feasible when travel times obey the
	 * triangle inequality; a road matrix may not, so check */
	memcpy(l->buf_a, from->jobs, sizeof(*from->jobs) * (size_t)from->n);
	memmove(l->buf_a + pu, l->buf_a + pu + 1, sizeof(*l->buf_a) * (size_t)(from->n - pu - 1));
	rt_set(m, ru, &l->ta, l->buf_a, from->n - 1);
	if (!rt_feasible(m, ru, &l->ta))
		return 0;
	s->cost += rt_cost(m, ru, &l->ta) - rt_cost(m, ru, from) - rt_cost(m, rv, &s->routes[rv]);
	commit(l, ru, &l->ta);
	rt_insert(m, rv, &s->routes[rv], u, pos);
	sol_index_route(s, rv);
	rr_touch(l->w, rv);
	s->cost += rt_cost(m, rv, &s->routes[rv]);
	return 1;
}

static int swap(struct ls *l, int32_t u, int32_t v)
{
	const struct model *m = l->m;
	struct sol *s = l->s;
	int32_t ru = s->route_of[u], rv = s->route_of[v], pu = s->pos_of[u], pv = s->pos_of[v];
	const struct rt *a = &s->routes[ru], *b = &s->routes[rv];
	int32_t lu = m->pb->jobs[u].loc, lv = m->pb->jobs[v].loc;
	int32_t ap = loc_at(l, a, pu - 1), an = loc_at(l, a, pu + 1);
	int32_t bp = loc_at(l, b, pv - 1), bn = loc_at(l, b, pv + 1);
	int64_t est = (int64_t)m_dist(m, ap, lv) + m_dist(m, lv, an) + m_dist(m, bp, lu) + m_dist(m, lu, bn) -
		      m_dist(m, ap, lu) - m_dist(m, lu, an) - m_dist(m, bp, lv) - m_dist(m, lv, bn);
	const struct route_job *ju = &m->pb->jobs[u], *jv = &m->pb->jobs[v];
	const struct route_vehicle *va = &m->pb->vehicles[ru], *vb = &m->pb->vehicles[rv];
	if (est >= 0 && m->vdist[ru] == m->vdist[rv])
		return 0;
	if (a->load[0] - ju->demand[0] + jv->demand[0] > va->capacity[0] ||
	    a->load[1] - ju->demand[1] + jv->demand[1] > va->capacity[1] ||
	    b->load[0] - jv->demand[0] + ju->demand[0] > vb->capacity[0] ||
	    b->load[1] - jv->demand[1] + ju->demand[1] > vb->capacity[1])
		return 0;
	memcpy(l->buf_a, a->jobs, sizeof(*a->jobs) * (size_t)a->n);
	memcpy(l->buf_b, b->jobs, sizeof(*b->jobs) * (size_t)b->n);
	l->buf_a[pu] = v;
	l->buf_b[pv] = u;
	return try_pair(l, ru, l->buf_a, a->n, rv, l->buf_b, b->n);
}

/* SWAP*: u and v exchanged between their routes, each at its cheapest
 * feasible position in the other's route. O(route length) a pair, against
 * O(1) for the moves above, so it runs in the last descent only: in the
 * descents of the annealing's path it made VRPTW worse (R2_4_6 at
 * 1,400,000 iterations, seeds 1-12: 1.19 % -> 1.43 %; docs/route.md,
 * "Issue 12, stop 24"). Exact: no bound assumes the triangle inequality,
 * which a road matrix may break. */
static int swap_star(struct ls *l, int32_t u, int32_t v)
{
	const struct model *m = l->m;
	struct sol *s = l->s;
	int32_t ru = s->route_of[u], rv = s->route_of[v], pu = s->pos_of[u], pv = s->pos_of[v];
	const struct rt *a = &s->routes[ru], *b = &s->routes[rv];
	const struct route_job *ju = &m->pb->jobs[u], *jv = &m->pb->jobs[v];
	const struct route_vehicle *va = &m->pb->vehicles[ru], *vb = &m->pb->vehicles[rv];
	int64_t before = rt_cost(m, ru, a) + rt_cost(m, rv, b), du = 0, dv = 0;
	int32_t qu, qv, na = a->n - 1, nb = b->n - 1;
	if (a->load[0] - ju->demand[0] + jv->demand[0] > va->capacity[0] ||
	    a->load[1] - ju->demand[1] + jv->demand[1] > va->capacity[1] ||
	    b->load[0] - jv->demand[0] + ju->demand[0] > vb->capacity[0] ||
	    b->load[1] - jv->demand[1] + ju->demand[1] > vb->capacity[1])
		return 0;
	/* each route without its stop, then the other's stop at its cheapest */
	memcpy(l->buf_a, a->jobs, sizeof(*a->jobs) * (size_t)pu);
	memcpy(l->buf_a + pu, a->jobs + pu + 1, sizeof(*a->jobs) * (size_t)(na - pu));
	memcpy(l->buf_b, b->jobs, sizeof(*b->jobs) * (size_t)pv);
	memcpy(l->buf_b + pv, b->jobs + pv + 1, sizeof(*b->jobs) * (size_t)(nb - pv));
	rt_set(m, ru, &l->ta, l->buf_a, na);
	rt_set(m, rv, &l->tb, l->buf_b, nb);
	if (!rt_feasible(m, ru, &l->ta) || !rt_feasible(m, rv, &l->tb))
		return 0;
	qv = rt_cheapest_position(m, ru, &l->ta, v, &dv);
	qu = rt_cheapest_position(m, rv, &l->tb, u, &du);
	if (qv < 0 || qu < 0 || rt_cost(m, ru, &l->ta) + dv + rt_cost(m, rv, &l->tb) + du >= before)
		return 0;
	memmove(l->buf_a + qv + 1, l->buf_a + qv, sizeof(*l->buf_a) * (size_t)(na - qv));
	l->buf_a[qv] = v;
	memmove(l->buf_b + qu + 1, l->buf_b + qu, sizeof(*l->buf_b) * (size_t)(nb - qu));
	l->buf_b[qu] = u;
	return try_pair(l, ru, l->buf_a, na + 1, rv, l->buf_b, nb + 1);
}

/* 2-opt*: a[0..pu] + b[pv..], b[0..pv-1] + a[pu+1..] */
static int two_opt_star(struct ls *l, int32_t u, int32_t v)
{
	const struct model *m = l->m;
	struct sol *s = l->s;
	int32_t ru = s->route_of[u], rv = s->route_of[v], pu = s->pos_of[u], pv = s->pos_of[v];
	const struct rt *a = &s->routes[ru], *b = &s->routes[rv];
	int32_t lu = m->pb->jobs[u].loc, lv = m->pb->jobs[v].loc;
	int32_t an = loc_at(l, a, pu + 1), bp = loc_at(l, b, pv - 1);
	int64_t est = (int64_t)m_dist(m, lu, lv) + m_dist(m, bp, an) - m_dist(m, lu, an) - m_dist(m, bp, lv);
	int32_t na = pu + 1 + (b->n - pv), nb = pv + (a->n - pu - 1);
	/* the estimate is exact on one profile unless b empties (its fixed cost) */
	if (est >= 0 && m->vdist[ru] == m->vdist[rv] && nb > 0)
		return 0;
	memcpy(l->buf_a, a->jobs, sizeof(*a->jobs) * (size_t)(pu + 1));
	memcpy(l->buf_a + pu + 1, b->jobs + pv, sizeof(*b->jobs) * (size_t)(b->n - pv));
	memcpy(l->buf_b, b->jobs, sizeof(*b->jobs) * (size_t)pv);
	memcpy(l->buf_b + pv, a->jobs + pu + 1, sizeof(*a->jobs) * (size_t)(a->n - pu - 1));
	return try_pair(l, ru, l->buf_a, na, rv, l->buf_b, nb);
}

/* Move u right after v in their common route (or-opt of one stop). */
static int intra_relocate(struct ls *l, int32_t u, int32_t v)
{
	const struct model *m = l->m;
	struct sol *s = l->s;
	int32_t r = s->route_of[u], pu = s->pos_of[u], pv = s->pos_of[v], i, k = 0;
	const struct rt *a = &s->routes[r];
	int32_t lu = m->pb->jobs[u].loc, lv = m->pb->jobs[v].loc;
	int32_t up = loc_at(l, a, pu - 1), un = loc_at(l, a, pu + 1), vn = loc_at(l, a, pv + 1);
	int64_t before = rt_cost(m, r, a), delta;
	if (pv + 1 == pu)
		return 0;
	delta = (int64_t)m_vdist(m, r, up, un) - m_vdist(m, r, up, lu) - m_vdist(m, r, lu, un) +
		m_vdist(m, r, lv, lu) + m_vdist(m, r, lu, vn) - m_vdist(m, r, lv, vn);
	if (delta >= 0)
		return 0;
	for (i = 0; i < a->n; i++) {
		if (i != pu)
			l->buf_a[k++] = a->jobs[i];
		if (i == pv)
			l->buf_a[k++] = u;
	}
	rt_set(m, r, &l->ta, l->buf_a, k);
	if (!rt_feasible(m, r, &l->ta) || rt_cost(m, r, &l->ta) >= before)
		return 0;
	s->cost += rt_cost(m, r, &l->ta) - before;
	commit(l, r, &l->ta);
	return 1;
}

static int improve_job(struct ls *l, int32_t u)
{
	const struct model *m = l->m;
	struct sol *s = l->s;
	const int32_t *near = m->neighbours + (int64_t)u * m->n_neigh;
	int32_t k, n_near = m->n_neigh < LS_NEIGHBOURS ? m->n_neigh : LS_NEIGHBOURS;
	for (k = 0; k < n_near; k++) {
		int32_t v = near[k], ru = s->route_of[u], rv = s->route_of[v];
		if (ru < 0 || rv < 0)
			continue;
		if (ru == rv) {
			if (intra_relocate(l, u, v))
				return 1;
			continue;
		}
		if (relocate(l, u, rv, s->pos_of[v] + 1) || relocate(l, u, rv, s->pos_of[v]) ||
		    swap(l, u, v) || two_opt_star(l, u, v) || (l->swap_star && swap_star(l, u, v)))
			return 1;
	}
	return 0;
}

void local_search(struct sol *s, const struct model *m, struct rr_scratch *w, enum ls_scope scope)
{
	const int whole = scope != LS_TOUCHED;
	struct ls l;
	int32_t i, k, n, pass, improved = 1;
	int32_t *todo = xcalloc((size_t)m->n_jobs + 1, sizeof(*todo));
	memset(&l, 0, sizeof(l));
	l.s = s;
	l.m = m;
	l.w = w;
	l.swap_star = scope == LS_FINAL;
	l.buf_a = xcalloc((size_t)m->n_jobs + 1, sizeof(*l.buf_a));
	l.buf_b = xcalloc((size_t)m->n_jobs + 1, sizeof(*l.buf_b));
	for (pass = 0; improved && pass < LS_MAX_PASSES; pass++) {
		improved = 0;
		/* every job, or the jobs of the routes changed so far (the list
		 * grows as the moves touch more routes) */
		if (whole) {
			for (i = 0; i < m->n_active; i++)
				while (s->route_of[m->active[i]] >= 0 && improve_job(&l, m->active[i]))
					improved = 1;
			continue;
		}
		for (k = 0; k < w->n_touched; k++) {
			const struct rt *r = &s->routes[w->touched[k]];
			n = r->n;
			memcpy(todo, r->jobs, sizeof(*todo) * (size_t)n);
			for (i = 0; i < n; i++)
				while (s->route_of[todo[i]] >= 0 && improve_job(&l, todo[i]))
					improved = 1;
		}
	}
	rt_release(&l.ta);
	rt_release(&l.tb);
	free(l.buf_a);
	free(l.buf_b);
	free(todo);
}
