/*
 * route_internal: the planner's working state, shared by the files of
 * pkg/route only (not part of the public API in route.h).
 *
 * A solution holds one route per vehicle (most may be empty) plus the jobs
 * left out. Each route keeps, per position, the earliest service start
 * (forward pass) and the latest service start that keeps the rest of the
 * route feasible (backward pass), so that inserting a job anywhere is
 * checked in O(1).
 */
#ifndef VC_ROUTE_INTERNAL_H
#define VC_ROUTE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "route/route.h"

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform integer in [0, n), n > 0. */
uint32_t rng_below(struct rng *r, uint32_t n);

/* A route position's job location and service time, beside the job
 * index: the recreate's scan reads them in order instead of one job
 * record (elsewhere in memory) per position. */
struct rt_stop {
	int32_t loc, service;
};

struct rt {
	int32_t n, alloc;
	int32_t *jobs;
	struct rt_stop *stop;  /* per position, valid whenever n > 0 */
	int64_t *start;   /* earliest service start at each position */
	int64_t *latest;  /* latest service start keeping the rest feasible */
	/* the distance into each position from the stop before it (the hub
	 * for 0), edge[n] the last stop's back to the hub: the recreate's
	 * bound reads it here instead of a matrix row per position. Valid
	 * whenever n > 0. */
	int32_t *edge;
	int64_t load[2];  /* over the whole day (every trip) */
	int64_t dist;
	int64_t back;     /* earliest return to the hub */
	/* Multi-trip vehicles only (model.trips[v] > 1, see trips.c): the trip
	 * of each position in the route's split, the number of trips, whether
	 * no split is feasible, each position's load since its trip began,
	 * each trip's load, and the split's scratch. start and latest above
	 * include the returns to the hub of that split. */
	int32_t *trip;
	int32_t n_trips;
	int infeasible;
	int64_t (*pload)[2];
	int32_t pload_alloc;
	int64_t (*tload)[2];  /* ROUTE_MAX_TRIPS entries */
	void *dp;
	size_t dp_cap;    /* bytes */
};

struct sol {
	int32_t n_routes;      /* == number of vehicles */
	struct rt *routes;
	int32_t n_unassigned;
	int32_t *unassigned;   /* job indices, capacity n_jobs */
	int32_t *route_of;     /* job -> route index, -1 when unassigned or excluded */
	int32_t *pos_of;       /* job -> position in its route */
	int64_t cost;          /* distance + fixed costs (without penalties) */
};

/* Precomputed, read-only view of the problem shared by the search. */
struct model {
	const struct route_problem *pb;
	int32_t n;               /* n_locs */
	int32_t n_jobs;
	int32_t n_veh;
	int32_t *veh_class;      /* vehicle -> index of its first identical vehicle */
	int32_t n_classes;       /* groups of identical vehicles */
	int32_t *class_start;    /* n_classes + 1 offsets into class_members */
	int32_t *class_members;  /* vehicle indices grouped by class, ascending */
	int32_t *active;         /* jobs the search places (the others are infeasible alone) */
	int32_t n_active;
	int32_t *neighbours;     /* n_jobs * n_neigh job indices, nearest first */
	int32_t n_neigh;
	int64_t penalty;         /* cost of leaving one job out */
	int64_t started_ns;      /* route_solve's start: the time limit counts from there */
	int64_t max_cap[2];
	int timed;               /* the problem has time constraints */
	const int32_t *dist0;    /* profile 0's distances: neighbours and sort keys */
	const int32_t **vdist;   /* vehicle -> its profile's distance matrix */
	const int32_t **vtime;   /* vehicle -> its profile's time matrix (NULL: untimed) */
	/* vehicle -> its distances by destination ([to * n + from], from
	 * locality.c): the recreate's scan reads the distance from many stops
	 * into one job, one row here instead of a cache line per stop. NULL
	 * when the locations were not renumbered (too many, see
	 * locality.c): the matrix is read by column. */
	const int32_t **vdist_into;
	/* Multi-trip (trips.c). pb above points to `day`, a copy of the
	 * caller's problem whose vehicles (day_veh) carry their capacity over
	 * the whole day (per trip x trips): a bound the quick load filters of
	 * the search may test; the per-trip capacity is trip_cap, checked by
	 * eval.c. orig is the caller's problem. */
	const struct route_problem *orig;
	struct route_problem day;
	struct route_vehicle *day_veh;
	int32_t *trips;          /* vehicle -> max trips (>= 1) */
	int64_t (*trip_cap)[2];  /* vehicle -> capacity of one trip */
};

/* State the search keeps beside a route (rt.stop, rt.edge) checked against its
 * definition where it is read, in make test's builds (VC_FAULT_HOOKS)
 * only: a stale copy would not break a plan, only weaken the search. */
#ifdef VC_FAULT_HOOKS
#define ROUTE_CHECK(cond) ((cond) ? (void)0 : abort())
#else
#define ROUTE_CHECK(cond) ((void)0)
#endif

/* Profile 0's distance: only for choices that are not costs (neighbour
 * lists, recreate order, temperature). */
static inline int32_t m_dist(const struct model *m, int32_t a, int32_t b)
{
	return m->dist0[(int64_t)a * m->n + b];
}

/* Distance and travel time for vehicle v (its profile's matrices). */
static inline int32_t m_vdist(const struct model *m, int32_t v, int32_t a, int32_t b)
{
	return m->vdist[v][(int64_t)a * m->n + b];
}

static inline int32_t m_vtime(const struct model *m, int32_t v, int32_t a, int32_t b)
{
	return m->timed ? m->vtime[v][(int64_t)a * m->n + b] : 0;
}

/* Vehicle v has every skill job needs. */
static inline int m_may_serve(const struct model *m, int32_t v, int32_t job)
{
	return (m->pb->jobs[job].skills & ~m->pb->vehicles[v].skills) == 0;
}

/* trips.c: multi-trip vehicles (a day of trips split by returns to the
 * hub, the split chosen by a dynamic programme over the job sequence) */
void trips_model_init(struct model *m, const struct route_problem *pb);
void trips_model_release(struct model *m);
void trips_refresh(const struct model *m, int32_t v, struct rt *r, const int32_t *hint);
int32_t *trips_insert_hint(const struct model *m, int32_t v, const struct rt *r, int32_t job,
			   int32_t pos);
int64_t trips_insert_delta(const struct model *m, int32_t v, const struct rt *r, int32_t job,
			   int32_t pos);
int64_t trips_remove_gain(const struct model *m, int32_t v, const struct rt *r, int32_t pos);
void trips_fill_route(const struct model *m, int32_t v, const struct rt *r, struct route_route *out);

static inline int m_multi(const struct model *m, int32_t v)
{
	return m->trips[v] > 1;
}

/* eval.c */
void rt_refresh(const struct model *m, int32_t vehicle, struct rt *r);
/* No feasible insertion. Not -1: an insertion may cost less than nothing
 * where rounding or a road matrix breaks the triangle inequality (a stop
 * on the straight line between two others), and such a position is the
 * best there is, not an impossible one. */
#define RT_NO_INSERTION INT64_MAX
/* Extra cost of inserting job before position pos (0..n) of route r of
 * vehicle v; RT_NO_INSERTION when infeasible. Includes the fixed cost for
 * an empty route. */
int64_t rt_insert_delta(const struct model *m, int32_t v, const struct rt *r,
			int32_t job, int32_t pos);
/* The same for a single-trip vehicle whose distance delta the caller
 * has computed (the recreate's scan has, for its bound). */
int64_t rt_insert_delta_known(const struct model *m, int32_t v, const struct rt *r,
			      int32_t job, int32_t pos, int64_t delta);
/* The cheapest feasible position for job in route r of vehicle v (the
 * first of equal ones), its rt_insert_delta in *cost; -1 (a position) when
 * none. */
int32_t rt_cheapest_position(const struct model *m, int32_t v, const struct rt *r, int32_t job,
			     int64_t *cost);
void rt_insert(const struct model *m, int32_t v, struct rt *r, int32_t job, int32_t pos);
void rt_set(const struct model *m, int32_t v, struct rt *r, const int32_t *jobs, int32_t n);
void rt_release(struct rt *r);
int64_t rt_cost(const struct model *m, int32_t v, const struct rt *r);
/* What removing the job at pos saves (exact on a multi-trip vehicle: its
 * day is split again); INT64_MIN / 4 when the rest is infeasible. */
int64_t rt_remove_gain(const struct model *m, int32_t v, const struct rt *r, int32_t pos);
int rt_feasible(const struct model *m, int32_t v, const struct rt *r);

/* solution.c */
void sol_init(struct sol *s, const struct model *m);
void sol_release(struct sol *s);
void sol_copy_route(struct sol *dst, const struct sol *src, int32_t ri);
void sol_copy(struct sol *dst, const struct sol *src);
void sol_copy_unassigned(struct sol *dst, const struct sol *src);
void sol_index_route(struct sol *s, int32_t ri);
void sol_recost(struct sol *s, const struct model *m);
int64_t sol_objective(const struct sol *s, const struct model *m);

/* amount as a share of cap, 10^9 = all of it (128-bit product: amount *
 * 10^9 overflows int64_t beyond 9 t in grams) */
static inline int64_t route_share(int64_t amount, int64_t cap)
{
	return cap > 0 ? (int64_t)((__int128)amount * 1000000000 / cap) : 0;
}

/* locality.c: the problem the search works on, its locations renumbered
 * so that near ones are near in memory (the plan is the same). pb is the
 * caller's problem itself when renumbering is not worth it. */
struct locality {
	struct route_problem pb;
	struct route_job *jobs;
	struct route_profile *profiles;
	struct matrix_copy *copies;
	int32_t n_copies;
	int32_t n_caller_locs;
};
void locality_build(struct locality *l, const struct route_problem *in);
/* Matrix (one of l->pb's) by destination, [to * n + from]: itself when
 * symmetric, else a transposed copy l owns, made on the first call; NULL
 * when l did not renumber (the caller's matrices are used as they are). */
const int32_t *locality_by_destination(struct locality *l, const int32_t *matrix);
void locality_release(struct locality *l);

/* ruin_recreate.c */
struct keyed {
	int64_t key;
	int32_t job;
};

struct rr_scratch {
	int32_t *removed;
	int32_t n_removed;
	int32_t *touched;       /* routes changed this iteration */
	int32_t n_touched;
	uint8_t *route_touched;
	struct keyed *sort;     /* jobs to reinsert with their sort keys */
	uint32_t *route_seen;   /* route -> stamp of the last insertion that tried it */
	uint32_t stamp;
	uint8_t *left_out;      /* job -> was unassigned before this recreate */
	int32_t *empty_from;    /* class -> its first member that may be empty, this recreate */
	int32_t used_routes;    /* routes with stops, recounted every 64 ruins */
	uint32_t used_age;
	int insert_beside;      /* the recreate tries positions beside the nearest jobs first */
};
void rr_init(struct rr_scratch *w, const struct model *m);
void rr_release(struct rr_scratch *w);
void rr_ruin(struct sol *s, const struct model *m, struct rng *rng, struct rr_scratch *w);
/* Reinserts w's removed jobs and s's unassigned ones. s->cost on entry is
 * the ruined plan's cost; limit bounds the objective the plan may reach
 * (INT64_MAX: none): 0 as soon as it cannot stay within it (insertions
 * never save distance), s half rebuilt for the caller to restore. */
int rr_recreate(struct sol *s, const struct model *m, struct rng *rng, struct rr_scratch *w,
		int blink_per_mille, int64_t limit);
/* The first plan: every job inserted greedily (s empty on entry). */
void rr_construct(struct sol *s, const struct model *m, struct rng *rng, struct rr_scratch *w);
void rr_touch(struct rr_scratch *w, int32_t ri);
void rr_untouch_all(struct rr_scratch *w);

/* local_search.c: relocate, swap, 2-opt* descent over the jobs of the
 * routes touched in w (LS_TOUCHED) or over every job (LS_WHOLE), and
 * with SWAP* too over every job (LS_FINAL, the plan's last descent);
 * changed routes are touched */
enum ls_scope { LS_TOUCHED, LS_WHOLE, LS_FINAL };
void local_search(struct sol *s, const struct model *m, struct rr_scratch *w, enum ls_scope scope);

/* route_pool.c: the routes met near the best plan, each with how near
 * (near_per_mille: the plan it was met in was that many thousandths above
 * the best one then), and the cheapest plan of them (a set partitioning
 * solved by CBC by deadline_ns, a vc_mono_ns time); 1 when it replaced
 * best. One vehicle class, single trips. */
struct route_pool;
struct route_pool *route_pool_new(const struct model *m, uint64_t seed);
void route_pool_add(struct route_pool *p, const struct model *m, int32_t v, const struct rt *r,
		    int32_t near_per_mille);
int32_t route_pool_size(const struct route_pool *p);
int route_pool_solve(struct route_pool *p, const struct model *m, struct sol *best, int64_t deadline_ns);
void route_pool_free(struct route_pool *p);

/* polish.c: whole-route moves on a mixed fleet (move, merge) */
void polish_routes(struct sol *s, const struct model *m);

/* search.c: fills best (initialised by the caller with sol_init) */
void search_run(const struct model *m, const struct route_options *opt, struct sol *best,
		int64_t *iterations_run);
/* threads.c: search_run on `threads` threads (fixed seeds, best kept) */
void search_run_threads(const struct model *m, const struct route_options *opt, int threads,
			struct sol *best, int64_t *iterations_run);

#endif
