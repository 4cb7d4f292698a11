/*
 * route_pool: the routes a timed search has met in plans near its best,
 * and the cheapest plan made of them. Each set of jobs is kept once, with
 * the cheapest order seen; at the end of the search a set partitioning
 * (every job in exactly one chosen route, no more routes than vehicles)
 * picks the cheapest combination, solved by CBC (COIN-OR) from the best
 * plan as a start. Two plans that each end a cooling 1 % above the best
 * known often hold between them the routes of a better one, which no
 * single ruin-and-recreate step reaches (docs/route.md, "Issue 12, stop
 * 25"). One vehicle class and single trips only: a route there may go to
 * any vehicle.
 */
#include <string.h>

#include "route/route_internal.h"
#include "route/set_partition.h"
#include "util/clock.h"
#include "util/xalloc.h"

struct pool_entry {
	uint64_t hash;  /* sum of the jobs' keys: the set, whatever the order */
	int64_t cost;
	int64_t at;     /* offset of its jobs in pool->jobs */
	int32_t n;
	int32_t near;   /* per mille above the best plan, in the nearest plan it was met in */
};

struct route_pool {
	uint64_t *job_key;
	struct pool_entry *entries;
	int32_t n_entries, cap_entries;
	int32_t *slots;        /* open addressing: entry index + 1, 0 empty */
	uint32_t slot_mask;
	int32_t *jobs;
	int64_t n_jobs, cap_jobs;
};

/* Memory: a pool this full starts again empty (the routes met since are
 * the ones near the final best plan; the set partitioning takes the
 * newest anyway). */
#define POOL_MAX_ROUTES 200000
/* CBC gets the newest routes of the pool, up to this many job entries a
 * second of the time it has: more, and it runs out of time before it has
 * a choice (its child is killed at the deadline, set_partition.c). With
 * time windows the relaxation is nearly integral (R2_4_6 at 60 s: 23,000
 * routes, 900,000 entries, solved in 1.8 s of its 6); without, far less
 * so (X-n303-k21 at 30 s: 350,000 entries found nothing in 3 s, 150,000
 * solved in 2.4 s). */
#define POOL_ENTRIES_PER_SECOND_TIMED 150000
#define POOL_ENTRIES_PER_SECOND 50000
/* Two rounds. The first takes the routes of plans within
 * FIRST_ROUND_NEAR_PER_MILLE of the best; when CBC has solved that with
 * SECOND_ROUND_TIME_PERCENT of the time or more left, the second takes
 * every route of the pool (plans within 2 %, search.c) at twice the
 * entries a second, from the first's plan. Long routes solve fast and
 * gain from the wider pool; short ones would not solve it in time
 * (R1_2_5's 10 stops: its first round alone took 5.2 s of 6, and the
 * whole pool in one round left it at 0.04-0.24 % above the best known,
 * not 0.00 %). VRPTW 200-400 at 60 s, seeds 1-3: 0.194 % -> 0.158 %,
 * RC2_2_3 0.25 % in each run -> 0.09-0.18 % (docs/route.md, "Issue 12,
 * stop 26"). */
#define FIRST_ROUND_NEAR_PER_MILLE 10
#define SECOND_ROUND_TIME_PERCENT 30

struct route_pool *route_pool_new(const struct model *m, uint64_t seed)
{
	struct route_pool *p = xcalloc(1, sizeof(*p));
	struct rng rng;
	int32_t j;
	rng_seed(&rng, seed ^ 0x706f6f6cULL);
	p->job_key = xcalloc((size_t)m->n_jobs + 1, sizeof(*p->job_key));
	for (j = 0; j < m->n_jobs; j++)
		p->job_key[j] = rng_next(&rng) | 1;
	p->slot_mask = (1u << 17) - 1;
	p->slots = xcalloc((size_t)p->slot_mask + 1, sizeof(*p->slots));
	return p;
}

void route_pool_free(struct route_pool *p)
{
	if (!p)
		return;
	free(p->job_key);
	free(p->entries);
	free(p->slots);
	free(p->jobs);
	free(p);
}

static void pool_grow_slots(struct route_pool *p)
{
	uint32_t mask = p->slot_mask * 2 + 1, s;
	int32_t i;
	free(p->slots);
	p->slots = xcalloc((size_t)mask + 1, sizeof(*p->slots));
	p->slot_mask = mask;
	for (i = 0; i < p->n_entries; i++) {
		for (s = (uint32_t)p->entries[i].hash & mask; p->slots[s]; s = (s + 1) & mask)
			;
		p->slots[s] = i + 1;
	}
}

/* The entry of the job set with this hash and size, or the empty slot. */
static uint32_t pool_find(const struct route_pool *p, uint64_t hash, int32_t n)
{
	uint32_t s;
	for (s = (uint32_t)hash & p->slot_mask; p->slots[s]; s = (s + 1) & p->slot_mask) {
		const struct pool_entry *e = &p->entries[p->slots[s] - 1];
		if (e->hash == hash && e->n == n)
			break;
	}
	return s;
}

/* Route r's job set as a key: whatever the order of its stops. */
static uint64_t set_hash(const struct route_pool *p, const struct rt *r)
{
	uint64_t hash = 0;
	int32_t i;
	for (i = 0; i < r->n; i++)
		hash += p->job_key[r->jobs[i]];
	return hash;
}

void route_pool_add(struct route_pool *p, const struct model *m, int32_t v, const struct rt *r,
		    int32_t near_per_mille)
{
	uint64_t hash;
	int64_t cost;
	uint32_t s;
	struct pool_entry *e;
	if (!r->n)
		return;
	hash = set_hash(p, r);
	s = pool_find(p, hash, r->n);
	cost = rt_cost(m, v, r);
	if (p->slots[s]) {
		e = &p->entries[p->slots[s] - 1];
		if (near_per_mille < e->near)
			e->near = near_per_mille;
		if (cost < e->cost) {
			e->cost = cost;
			memcpy(p->jobs + e->at, r->jobs, sizeof(*r->jobs) * (size_t)r->n);
		}
		return;
	}
	if (p->n_entries >= POOL_MAX_ROUTES) {
		p->n_entries = 0;
		p->n_jobs = 0;
		memset(p->slots, 0, sizeof(*p->slots) * ((size_t)p->slot_mask + 1));
		s = pool_find(p, hash, r->n);
	}
	if (p->n_entries == p->cap_entries) {
		p->cap_entries = p->cap_entries ? 2 * p->cap_entries : 1024;
		p->entries = xrealloc(p->entries, sizeof(*p->entries) * (size_t)p->cap_entries);
	}
	if (p->n_jobs + r->n > p->cap_jobs) {
		p->cap_jobs = p->cap_jobs ? 2 * p->cap_jobs : 16384;
		if (p->cap_jobs < p->n_jobs + r->n)
			p->cap_jobs = p->n_jobs + r->n;
		p->jobs = xrealloc(p->jobs, sizeof(*p->jobs) * (size_t)p->cap_jobs);
	}
	e = &p->entries[p->n_entries++];
	e->hash = hash;
	e->cost = cost;
	e->n = r->n;
	e->near = near_per_mille;
	e->at = p->n_jobs;
	memcpy(p->jobs + p->n_jobs, r->jobs, sizeof(*r->jobs) * (size_t)r->n);
	p->n_jobs += r->n;
	p->slots[s] = p->n_entries;
	if ((uint32_t)p->n_entries * 2 > p->slot_mask)
		pool_grow_slots(p);
}

int32_t route_pool_size(const struct route_pool *p)
{
	return p->n_entries;
}

/* The plan of the chosen columns (entries cols[i]) into out (sol_init'ed,
 * empty): 0 when it is not a plan of every active job, each once, on
 * feasible routes (two sets sharing a hash would show here). */
static int plan_of_columns(const struct route_pool *p, const struct model *m, const int32_t *cols,
			   int32_t n_cols, const uint8_t *chosen, struct sol *out)
{
	int32_t i, k, v = 0, placed = 0;
	for (i = 0; i < n_cols; i++) {
		const struct pool_entry *e = &p->entries[cols[i]];
		if (!chosen[i])
			continue;
		if (v >= m->n_veh)
			return 0;
		for (k = 0; k < e->n; k++)
			if (out->route_of[p->jobs[e->at + k]] >= 0)
				return 0;
		rt_set(m, v, &out->routes[v], p->jobs + e->at, e->n);
		if (!rt_feasible(m, v, &out->routes[v]))
			return 0;
		sol_index_route(out, v);
		placed += e->n;
		v++;
	}
	if (placed != m->n_active)
		return 0;
	sol_recost(out, m);
	return 1;
}

/* The entry index of route r's job set, -1 when the pool lacks it. */
static int32_t pool_entry_of(const struct route_pool *p, const struct rt *r)
{
	uint32_t s = pool_find(p, set_hash(p, r), r->n);
	return p->slots[s] ? p->slots[s] - 1 : -1;
}

/* One round: the routes within max_near of the pool, newest first, up to
 * entries_per_second a second of the time left. */
static int solve_round(struct route_pool *p, const struct model *m, struct sol *best,
		       int64_t deadline_ns, int32_t max_near, int64_t entries_per_second)
{
	struct set_partition sp = { 0 };
	int32_t *row_of = NULL, *rows = NULL, *cols = NULL, *col_of = NULL, i, k, ri, n_cols = 0, n_start = 0;
	int32_t *start = NULL;
	int64_t *col_start = NULL, *cost = NULL, nz = 0, budget;
	uint8_t *chosen = NULL;
	struct sol plan;
	int improved = 0;

	if (best->n_unassigned || m->n_active == 0)
		return 0;
	budget = (int64_t)((double)(deadline_ns - vc_mono_ns()) / 1e9 * (double)entries_per_second);

	row_of = xcalloc((size_t)m->n_jobs + 1, sizeof(*row_of));
	for (i = 0; i < m->n_jobs; i++)
		row_of[i] = -1;
	for (i = 0; i < m->n_active; i++)
		row_of[m->active[i]] = i;
	/* the best plan's routes are columns, and CBC's start; then the
	 * newest routes within the budget */
	for (ri = 0; ri < best->n_routes; ri++)
		route_pool_add(p, m, ri, &best->routes[ri], 0);
	cols = xcalloc((size_t)p->n_entries + 1, sizeof(*cols));
	col_of = xcalloc((size_t)p->n_entries + 1, sizeof(*col_of));
	start = xcalloc((size_t)best->n_routes + 1, sizeof(*start));
	for (i = 0; i < p->n_entries; i++)
		col_of[i] = -1;
	for (ri = 0; ri < best->n_routes; ri++) {
		int32_t e = best->routes[ri].n ? pool_entry_of(p, &best->routes[ri]) : -1;
		if (e < 0 || col_of[e] >= 0)
			continue;
		col_of[e] = n_cols;
		start[n_start++] = n_cols;
		cols[n_cols++] = e;
		nz += p->entries[e].n;
	}
	for (k = 0, ri = 0; ri < best->n_routes; ri++)
		k += best->routes[ri].n > 0;
	if (n_start != k)
		n_start = 0;  /* the pool started again in between: no start */
	for (i = p->n_entries - 1; i >= 0 && nz + p->entries[i].n <= budget; i--) {
		if (col_of[i] >= 0 || p->entries[i].near > max_near)
			continue;
		col_of[i] = n_cols;
		cols[n_cols++] = i;
		nz += p->entries[i].n;
	}
	col_start = xcalloc((size_t)n_cols + 1, sizeof(*col_start));
	cost = xcalloc((size_t)n_cols + 1, sizeof(*cost));
	rows = xcalloc((size_t)nz + 1, sizeof(*rows));
	chosen = xcalloc((size_t)n_cols + 1, 1);
	nz = 0;
	for (i = 0; i < n_cols; i++) {
		const struct pool_entry *e = &p->entries[cols[i]];
		col_start[i] = nz;
		cost[i] = e->cost;
		for (k = 0; k < e->n; k++) {
			if (row_of[p->jobs[e->at + k]] < 0)
				goto cleanup;  /* not a job the search places: no plan here */
			rows[nz++] = row_of[p->jobs[e->at + k]];
		}
	}
	col_start[n_cols] = nz;
	sp.n_rows = m->n_active;
	sp.n_cols = n_cols;
	sp.col_start = col_start;
	sp.rows = rows;
	sp.cost = cost;
	sp.max_chosen = m->n_veh;
	sp.start = start;
	sp.n_start = n_start;
	sp.deadline_ns = deadline_ns;
	if (set_partition_solve(&sp, chosen) < 0)
		goto cleanup;
	sol_init(&plan, m);
	if (plan_of_columns(p, m, cols, n_cols, chosen, &plan) && plan.cost < best->cost) {
		sol_copy(best, &plan);
		improved = 1;
	}
	sol_release(&plan);

cleanup:
	free(row_of);
	free(cols);
	free(col_of);
	free(col_start);
	free(cost);
	free(rows);
	free(start);
	free(chosen);
	return improved;
}

int route_pool_solve(struct route_pool *p, const struct model *m, struct sol *best, int64_t deadline_ns)
{
	int64_t eps = m->timed ? POOL_ENTRIES_PER_SECOND_TIMED : POOL_ENTRIES_PER_SECOND;
	int64_t started = vc_mono_ns();
	int improved = solve_round(p, m, best, deadline_ns, FIRST_ROUND_NEAR_PER_MILLE, eps);
	if ((deadline_ns - vc_mono_ns()) * 100 >= (deadline_ns - started) * SECOND_ROUND_TIME_PERCENT)
		improved |= solve_round(p, m, best, deadline_ns, INT32_MAX, 2 * eps);
	return improved;
}
